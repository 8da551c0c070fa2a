"""The kernel websocket's two wire formats, as far as the gate needs them: which requests carry
code (and what code), and how to answer one the kernel must not see.

JSON protocol: one JSON text frame per message (or jupyter_server's legacy binary framing
when it has buffers), ``channel`` at the top level. ``v1.kernel.websocket.jupyter.org``:
offsets, then the channel and the message parts (header, parent header, metadata, content,
buffers) as the kernel will receive them.
"""

import json
import re
from dataclasses import dataclass
from typing import Any, Dict, List, Optional

from jupyter_client.jsonutil import json_default
from jupyter_server.services.kernels.connection.base import (
    deserialize_binary_message,
    deserialize_msg_from_ws_v1,
    serialize_msg_to_ws_v1,
)

V1_PROTOCOL = "v1.kernel.websocket.jupyter.org"

# debugpy requests whose arguments are Python evaluated in the kernel.
DEBUG_CODE_ARGUMENTS = {
    "evaluate": "expression",
    "setExpression": "value",
    "setVariable": "value",
}
# Breakpoint requests: each breakpoint's condition and hit condition are evaluated when it is
# reached, and a log point's message evaluates every {expression} in it (DAP, debugpy).
DEBUG_BREAKPOINT_LISTS = {
    "setBreakpoints": "breakpoints",
    "setFunctionBreakpoints": "breakpoints",
    "setDataBreakpoints": "breakpoints",
    "setExceptionBreakpoints": "filterOptions",
}
_LOG_EXPRESSION = re.compile(r"\{([^{}]*)\}")


@dataclass
class CodeRequest:
    """A client message that would run code: what, where, and how to answer it."""

    channel: str
    msg_type: str
    header: Dict[str, Any]
    content: Dict[str, Any]
    code: str
    label: str  # "execute_request" or "debug_request evaluate" (for events and logs)


class MalformedRequest(ValueError):
    """A message the gate cannot read: it is not forwarded."""


def parse(ws_msg, subprotocol: Optional[str], unpack) -> "tuple[str, Dict, Optional[List]]":
    """(channel, message dict, v1 part list or None). The dict holds header and, for messages
    that can run code, content; v1 parts are what the kernel would receive."""
    if subprotocol == V1_PROTOCOL:
        channel, parts = deserialize_msg_from_ws_v1(ws_msg)
        if len(parts) < 4:
            raise MalformedRequest("v1 message with fewer than four parts")
        return channel, {"header": unpack(parts[0])}, parts
    if isinstance(ws_msg, bytes):
        msg = deserialize_binary_message(ws_msg)
    else:
        msg = json.loads(ws_msg)
    if not isinstance(msg, dict):
        raise MalformedRequest("message is not an object")
    return msg.get("channel") or "shell", msg, None


def code_request(channel: str, msg: Dict, parts: Optional[List], unpack) -> Optional[CodeRequest]:
    """The code this message would run in the kernel, or None when it runs none."""
    header = msg.get("header")
    if not isinstance(header, dict):
        raise MalformedRequest("message without a header")
    msg_type = header.get("msg_type")
    if msg_type not in ("execute_request", "debug_request"):
        return None
    content = unpack(parts[3]) if parts is not None else msg.get("content")
    if not isinstance(content, dict):
        raise MalformedRequest(f"{msg_type} without a content object")
    if msg_type == "execute_request":
        code = content.get("code", "")
        label = msg_type
        # IPython evaluates user_expressions after the code: they are code too.
        expressions = content.get("user_expressions") or {}
        if not isinstance(expressions, dict) or not all(
            isinstance(v, str) for v in expressions.values()
        ):
            raise MalformedRequest("execute_request: user_expressions must map names to strings")
        if isinstance(code, str) and expressions:
            code = "\n".join([code, *expressions.values()])
    else:
        command = content.get("command")
        arguments = content.get("arguments") or {}
        if not isinstance(arguments, dict):
            raise MalformedRequest("debug_request: arguments is not an object")
        label = f"debug_request {command}"
        if command in DEBUG_CODE_ARGUMENTS:
            code = arguments.get(DEBUG_CODE_ARGUMENTS[command], "")
        elif command in DEBUG_BREAKPOINT_LISTS:
            code = _breakpoint_code(label, arguments.get(DEBUG_BREAKPOINT_LISTS[command]))
            if not code:
                return None  # plain breakpoints: nothing is evaluated
        else:
            return None
    if not isinstance(code, str):
        raise MalformedRequest(f"{label}: the code is not a string")
    return CodeRequest(channel, msg_type, header, content, code, label)


def _breakpoint_code(label: str, breakpoints) -> str:
    """The Python a list of breakpoints would evaluate, one expression a line."""
    if breakpoints is None:
        return ""
    if not isinstance(breakpoints, list) or not all(isinstance(b, dict) for b in breakpoints):
        raise MalformedRequest(f"{label}: breakpoints must be a list of objects")
    lines = []
    for point in breakpoints:
        for key in ("condition", "hitCondition"):
            value = point.get(key)
            if value is not None and not isinstance(value, str):
                raise MalformedRequest(f"{label}: {key} is not a string")
            if value:
                lines.append(value)
        message = point.get("logMessage")
        if message is not None and not isinstance(message, str):
            raise MalformedRequest(f"{label}: logMessage is not a string")
        if message:
            lines.extend(_LOG_EXPRESSION.findall(message))
    return "\n".join(lines)


def refusal_messages(session, request: CodeRequest, reason: str) -> "List[tuple[str, Dict]]":
    """(channel, message) pairs that answer a refused request as a kernel would."""
    parent = request.header
    first = reason.splitlines()[0] if reason else "blocked"
    if request.msg_type == "debug_request":
        reply = {
            "type": "response",
            "request_seq": request.content.get("seq", 0),
            "success": False,
            "command": request.content.get("command"),
            "message": reason,
            "body": {"error": {"id": 0, "format": reason}},
        }
        return [(request.channel, session.msg("debug_reply", reply, parent=parent))]
    error = {"ename": "WardenBlocked", "evalue": first, "traceback": reason.splitlines()}
    return [
        ("iopub", session.msg("status", {"execution_state": "busy"}, parent=parent)),
        ("iopub", session.msg("error", dict(error), parent=parent)),
        (
            request.channel,
            session.msg(
                "execute_reply",
                {"status": "error", "execution_count": None, **error},
                parent=parent,
            ),
        ),
        ("iopub", session.msg("status", {"execution_state": "idle"}, parent=parent)),
    ]


def encode(session, subprotocol: Optional[str], channel: str, msg: Dict):
    """(payload, binary) for the websocket in the connection's protocol."""
    if subprotocol == V1_PROTOCOL:
        return serialize_msg_to_ws_v1(msg, channel, session.pack), True
    msg = dict(msg, channel=channel)
    return json.dumps(msg, default=json_default), False
