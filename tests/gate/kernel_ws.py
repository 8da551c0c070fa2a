"""A raw kernel websocket client (not JupyterLab): speaks either wire protocol to a real
jupyter server, so the tests see exactly what any other client would."""

import asyncio
import json
import uuid
from datetime import datetime, timezone

from jupyter_server.services.kernels.connection.base import (
    deserialize_msg_from_ws_v1,
    serialize_msg_to_ws_v1,
)
from tornado.httpclient import HTTPRequest
from tornado.websocket import websocket_connect

V1 = "v1.kernel.websocket.jupyter.org"


def _pack(obj) -> bytes:
    return json.dumps(obj).encode()


class KernelWebsocket:
    def __init__(self, server, kernel_id: str, protocol: str = "json") -> None:
        self.server, self.kernel_id, self.protocol = server, kernel_id, protocol
        self.session = uuid.uuid4().hex
        self.ws = None

    async def __aenter__(self) -> "KernelWebsocket":
        url = self.server.url.replace("http", "ws", 1)
        request = HTTPRequest(
            f"{url}/api/kernels/{self.kernel_id}/channels?session_id={self.session}",
            headers={"Authorization": f"token {self.server.token}"},
        )
        subprotocols = [V1] if self.protocol == "v1" else None
        self.ws = await websocket_connect(request, subprotocols=subprotocols)
        if self.protocol == "v1":
            assert self.ws.selected_subprotocol == V1
        return self

    async def __aexit__(self, *exc) -> None:
        self.ws.close()

    def message(self, channel: str, msg_type: str, content: dict) -> dict:
        return {
            "channel": channel,
            "header": {
                "msg_id": uuid.uuid4().hex,
                "msg_type": msg_type,
                "session": self.session,
                "username": "raw-client",
                "date": datetime.now(timezone.utc).isoformat(),
                "version": "5.3",
            },
            "parent_header": {},
            "metadata": {},
            "content": content,
            "buffers": [],
        }

    async def send(self, msg: dict) -> None:
        if self.protocol == "v1":
            parts = [_pack(msg[k]) for k in ("header", "parent_header", "metadata", "content")]
            await self.ws.write_message(serialize_msg_to_ws_v1(parts, msg["channel"]), binary=True)
        else:
            await self.ws.write_message(json.dumps(msg))

    async def receive(self, timeout: float) -> dict:
        raw = await asyncio.wait_for(self.ws.read_message(), timeout)
        if raw is None:
            raise ConnectionError("websocket closed")
        if self.protocol == "v1":
            channel, parts = deserialize_msg_from_ws_v1(raw)
            keys = ("header", "parent_header", "metadata", "content")
            msg = {k: json.loads(p) for k, p in zip(keys, parts)}
            msg["channel"] = channel
            return msg
        return json.loads(raw)

    async def request(self, msg: dict, reply_type: str, timeout: float = 60) -> tuple:
        """Send; collect messages of this request until its reply and (for execute) idle."""
        await self.send(msg)
        msg_id = msg["header"]["msg_id"]
        reply, iopub = None, []
        wants_idle = msg["header"]["msg_type"] == "execute_request"
        idle = False
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while reply is None or (wants_idle and not idle):
            got = await self.receive(max(0.1, deadline - loop.time()))
            if got.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            if got["header"]["msg_type"] == reply_type:
                reply = got
            elif got["channel"] == "iopub":
                iopub.append(got)
                if got["header"]["msg_type"] == "status":
                    idle = got["content"]["execution_state"] == "idle"
        return reply, iopub

    async def execute(self, code: str, channel: str = "shell", timeout: float = 60) -> tuple:
        content = {"code": code, "silent": False, "store_history": True, "allow_stdin": False}
        msg = self.message(channel, "execute_request", content)
        return await self.request(msg, "execute_reply", timeout)

    async def debug(self, command: str, arguments: dict, timeout: float = 60) -> dict:
        """One debugger (DAP) request on the control channel; returns the debug_reply."""
        self.seq = getattr(self, "seq", 100) + 1
        content = {"type": "request", "seq": self.seq, "command": command, "arguments": arguments}
        reply, _ = await self.request(
            self.message("control", "debug_request", content), "debug_reply", timeout
        )
        return reply

    async def debug_evaluate(self, expression: str, timeout: float = 60) -> dict:
        content = {
            "type": "request",
            "seq": 7,
            "command": "evaluate",
            "arguments": {"expression": expression, "context": "repl"},
        }
        reply, _ = await self.request(
            self.message("control", "debug_request", content), "debug_reply", timeout
        )
        return reply


def run(coro):
    return asyncio.run(coro)
