"""The kernel websocket connection with the gate in front of the kernel.

jupyter_server hands every client message to ``handle_incoming_message``; this subclass
decides on messages that would run code (``wire.code_request``) before they reach ZMQ, in
both wire protocols, and answers a refused one itself so the kernel never sees it.
"""

import re

from jupyter_server.services.kernels.connection.base import serialize_msg_to_ws_v1
from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection

from . import wire

SETTINGS_KEY = "warden_server_gate"


_ANONYMOUS = re.compile(r"^[0-9a-f]{32}$")


def principal(user) -> str:
    """Who a confirmation is bound to. jupyter_server's token login makes a fresh anonymous
    user (random username, name "Anonymous ...") for each token-authenticated request, so
    those are one principal: whoever holds the server's token."""
    username = getattr(user, "username", None) or str(user or "")
    name = getattr(user, "name", "") or ""
    if _ANONYMOUS.match(username) and name.startswith("Anonymous "):
        return "token-holder"
    return username


class WardenGatedConnection(ZMQChannelsWebsocketConnection):
    def handle_incoming_message(self, incoming_msg) -> None:
        if not self.channels:
            return super().handle_incoming_message(incoming_msg)
        gate = self.websocket_handler.settings.get(SETTINGS_KEY)
        protocol = self.subprotocol
        try:
            channel, msg, parts = wire.parse(incoming_msg, protocol, self.session.unpack)
            request = wire.code_request(channel, msg, parts, self.session.unpack)
        except Exception as err:  # unreadable: the kernel must not get what we cannot read
            self.log.warning("Warden gate dropped an unreadable kernel message: %s", err)
            return None
        if request is None:
            return super().handle_incoming_message(incoming_msg)
        if gate is None:
            reason = (
                "Jupyter Warden's server gate is not set up in this server, so code is not "
                "run (fail closed); see the server log."
            )
            return self._refuse(request, reason)
        user = principal(self.websocket_handler.current_user)
        verdict = gate.check(
            kernel_id=self.kernel_id, user=user, code=request.code, request=request.label
        )
        if not verdict.forward:
            self.log.info(
                "Warden gate refused %s for kernel %s (%s)",
                request.label,
                self.kernel_id,
                verdict.action,
            )
            return self._refuse(request, verdict.reason)
        if parts is not None:
            # Forward exactly what was analysed: the kernel parses our re-packed parts.
            parts = list(parts)
            parts[0] = self.session.pack(request.header)
            parts[3] = self.session.pack(request.content)
            incoming_msg = serialize_msg_to_ws_v1(parts, channel)
        return super().handle_incoming_message(incoming_msg)

    def _refuse(self, request: wire.CodeRequest, reason: str) -> None:
        for channel, msg in wire.refusal_messages(self.session, request, reason):
            payload, binary = wire.encode(self.session, self.subprotocol, channel, msg)
            self.write_message(payload, binary=binary)
