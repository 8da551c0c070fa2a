"""Runtime events (contract 3, schema/event.schema.json) and where they go.

Every event is appended to the lab server's spool by the kernel's one spool writer
(``kernel/event_spool.py``: ``$WARDEN_EVENT_SPOOL/kernel-<pid>.jsonl``, 0600, under its lock
protocol), so it is recorded even when no frontend listens. It is also sent to the frontend over
the ``jupyterlab-warden`` comm when running in ipykernel, for display; the message says whether
the spool took it (``recorded``), and the frontend forwards to the server only events the spool
did not take (a remote kernel, a kernel started without a lab server), so each event reaches the
server once. Then the ``emit`` callbacks given to ``install`` run. A delivery that fails is
counted in ``EventSink.dropped``, never raised into the user's code.
"""

from __future__ import annotations

import _thread  # threading's own primitives: threading imports functools at start-up
import os
import sys
from _collections import deque  # = collections.deque, without collections' imports

from .. import event_spool
from .frozen_builtins import FROZEN
from .sha import sha256

# the builtins of the boot for this module's functions: a refusal's event is made with them
# and with the boot's import system (red team 38a R38a-1, R38a-5)
__builtins__ = FROZEN

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only: typing is not imported at interpreter start
    from typing import Callable, List, Optional

COMM_TARGET = "jupyterlab-warden"
_FINGERPRINT_KEYS = ("call", "global", "globals", "sha256", "reason", "torch_version", "path")


def now_iso() -> str:
    import datetime  # datetime and uuid on the first event: not at every interpreter start

    return (
        datetime.datetime.now(datetime.timezone.utc)
        .isoformat(timespec="milliseconds")
        .replace("+00:00", "Z")
    )


def fingerprint(rule_id: str, evidence: dict) -> str:
    """Stable across re-runs: the rule and the evidence that identifies the finding."""
    stable = {k: evidence[k] for k in _FINGERPRINT_KEYS if k in evidence}
    import json  # when an event is made, not at interpreter start

    blob = json.dumps([rule_id, stable], sort_keys=True, separators=(",", ":"))
    return sha256(blob.encode("utf-8")).hexdigest()[:32]


def make_event(
    rule_id: str,
    action: str,
    severity: str,
    message: str,
    evidence: dict,
    location: Optional[dict] = None,
    policy_revision: Optional[int] = None,
) -> dict:
    import uuid

    event = {
        "event_id": uuid.uuid4().hex,
        "time": now_iso(),
        "kind": "runtime",
        "source": "kernel",
        "rule_id": rule_id,
        "severity": severity,
        "action": action,
        "fingerprint": fingerprint(rule_id, evidence),
        "message": message[:2000],
        "evidence": _bounded(evidence),
    }
    if location:
        event["location"] = location
    if policy_revision is not None:
        event["policy_revision"] = policy_revision
    return event


def _bounded(evidence: dict) -> dict:
    out = {}
    for key, value in list(evidence.items())[:32]:
        if isinstance(value, (list, tuple)):
            out[key] = [str(v)[:1000] for v in value[:100]]
        elif isinstance(value, str):
            out[key] = value[:1000]
        else:
            out[key] = value
    return out


def kernel_location() -> dict:
    """Kernel id (from the connection file name), notebook path and cell id when known."""
    location = {}
    base = os.path.basename(_connection_file() or "")
    if base.startswith("kernel-") and base.endswith(".json"):
        location["kernel_id"] = base[len("kernel-") : -len(".json")][:200]
    session = os.environ.get("JPY_SESSION_NAME")
    if session:
        location["path"] = session[:4096]
    cell_id = _current_cell_id()
    if cell_id:
        location["cell_id"] = cell_id[:200]
    return location


def _connection_file() -> Optional[str]:
    app_module = sys.modules.get("ipykernel.kernelapp")
    try:
        if app_module is not None and app_module.IPKernelApp.initialized():
            return app_module.IPKernelApp.instance().connection_file
    except Exception:  # noqa: BLE001, S110 - best effort: fall back to argv
        pass
    argv = sys.argv
    for i, arg in enumerate(argv[:-1]):
        if arg == "-f":
            return argv[i + 1]
    return None


def _current_cell_id() -> Optional[str]:
    if "IPython" not in sys.modules:
        return None
    try:
        shell = sys.modules["IPython"].get_ipython()
        parent = shell.kernel.get_parent() if shell is not None else None
        return ((parent or {}).get("metadata") or {}).get("cellId")
    except Exception:  # noqa: BLE001 - best effort, never break a load over a location
        return None


class EventSink:
    """Delivers events to the spool, the frontend comm and callbacks."""

    def __init__(self, spool_dir: Optional[str] = None):
        self.spool_dir = spool_dir if spool_dir is not None else event_spool.spool_dir()
        self._comm = None
        self._lock = _thread.allocate_lock()
        self.comm_enabled = True
        self.callbacks: List[Callable[[dict], None]] = []
        self.recent: deque = deque(maxlen=100)
        self.delivered = 0
        self.dropped = 0
        self.last_error: Optional[str] = None

    @property
    def spool_path(self) -> Optional[str]:
        """The file this process appends to (one per process; a forked child gets its own)."""
        return event_spool.spool_file(self.spool_dir) if self.spool_dir else None

    def deliver(self, event: dict) -> None:
        self.recent.append(event)
        self.delivered += 1
        recorded = self._to_spool(event)
        self._to_comm(event, recorded)
        for callback in list(self.callbacks):
            try:
                callback(event)
            except Exception as exc:  # noqa: BLE001 - a broken callback must not stop a block
                self._drop(f"emit callback failed: {exc}")

    def _to_spool(self, event: dict) -> bool:
        if not self.spool_dir:
            return False
        if event_spool.append_event(event, self.spool_dir):
            return True
        self._drop("spool write failed")
        return False

    def _to_comm(self, event: dict, recorded: bool) -> None:
        if not self.comm_enabled or "ipykernel" not in sys.modules:
            return
        try:
            with self._lock:
                if self._comm is None or getattr(self._comm, "_closed", False):
                    from comm import create_comm  # optional: ships with ipykernel

                    self._comm = create_comm(target_name=COMM_TARGET, data={"type": "hello"})
                self._comm.send({"type": "event", "event": event, "recorded": recorded})
        except Exception as exc:  # noqa: BLE001 - no frontend or no kernel: the spool has it
            self._comm = None
            self._drop(f"comm send failed: {exc}")

    def reopen_comm(self) -> None:
        """A frontend has just registered the comm target (it runs the bootstrap only after
        that): the next event opens a new comm, which that frontend sees opened.

        The comm is opened at the first event, and a comm opened before this frontend listened
        reaches it no more: JupyterLab drops every message on a comm it did not see opened.
        Such a comm is one opened at the kernel's start (a launched guard refusing a start
        before any page connected), for a page since reloaded, or a stand-in that sends
        nothing (``comm.create_comm`` before ipykernel replaced it)."""
        with self._lock:
            old, self._comm = self._comm, None
            if old is not None:
                try:
                    old.close()
                except Exception:  # noqa: BLE001, S110 - its frontend is gone or never was
                    pass

    def _drop(self, why: str) -> None:
        self.dropped += 1
        self.last_error = why[:300]

    def after_fork(self) -> None:
        """A forked child writes its own spool file (named by its pid) and has no comm: the
        kernel's sockets belong to the parent."""
        self._comm = None
        self._lock = _thread.allocate_lock()
        self.comm_enabled = False
