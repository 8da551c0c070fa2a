"""The server-side gate (L1 as the authority): every request that would run code in a kernel
through this server's websocket is decided by the TypeScript analyzer and the lab's policy
before the kernel sees it. ``install_server_gate`` wires it into a running server."""

from typing import Any, Dict

from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection
from jupyter_server.utils import url_path_join

from ..kernel_lifecycle import on_kernel_removed
from .confirmations import ConfirmationStore
from .connection import SETTINGS_KEY, WardenGatedConnection
from .engine import AnalyzerEngine
from .gate import ServerGate
from .handlers import GateConfirmHandler

__all__ = ["install_server_gate", "gate_status", "ServerGate", "WardenGatedConnection"]


def install_server_gate(server_app, store, record, base: str) -> list:
    """Set the gated connection class and the gate; returns the gate's HTTP handlers.

    ``record(event)`` stores an event; the policy is ``store.for_user()`` (what the browser
    gate uses too); ``base`` prefixes the handlers' patterns."""
    web_app = server_app.web_app
    log = server_app.log
    engine = AnalyzerEngine()
    # V8 optimises the analyzer in the background now, not on the first users' cells.
    engine.start_warm_up()
    gate = ServerGate(
        engine,
        store.for_user,
        ConfirmationStore(),
        record,
        base_url=web_app.settings.get("base_url", "/"),
    )
    gate.connection_error = None
    current = web_app.settings.get("kernel_websocket_connection_class")
    if current in (None, ZMQChannelsWebsocketConnection, WardenGatedConnection):
        web_app.settings["kernel_websocket_connection_class"] = WardenGatedConnection
        server_app.kernel_websocket_connection_class = WardenGatedConnection
    else:
        # A gateway or custom connection: the gate cannot sit in front of it. Said loudly.
        gate.connection_error = (
            f"kernel websockets use {current.__module__}.{current.__name__}, which the Warden "
            "gate does not wrap: code from clients is not checked by the server"
        )
        log.error("Jupyter Warden: %s", gate.connection_error)
    if engine.error:
        log.error("Jupyter Warden server gate refuses all code (fail closed): %s", engine.error)
    web_app.settings[SETTINGS_KEY] = gate
    on_kernel_removed(server_app.kernel_manager, gate.forget)
    return [(url_path_join(base, "warden", "gate", "confirm"), GateConfirmHandler)]


def gate_status(settings) -> Dict[str, Any]:
    """The gate's part of GET /warden/status."""
    gate = settings.get(SETTINGS_KEY)
    if gate is None:
        return {"active": False, "error": "the server gate is off (c.Warden.server_gate = False)"}
    error = gate.connection_error or gate.engine.error
    return {
        "active": error is None,
        "fail_closed": gate.engine.error is not None,
        "error": error,
        "engine": "py_mini_racer (V8)" if gate.engine.available else None,
        "decisions": dict(gate.counts),
        # per-kernel state, dropped when a kernel is removed
        "kernels_tracked": gate.tracked_kernels(),
    }
