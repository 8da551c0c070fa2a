"""Runtime events (contract 3, schema/event.schema.json) and where they go.

Every event is appended as one JSON line to ``$WARDEN_EVENT_SPOOL/<pid>-<random>.jsonl``
(created 0600; the lab server ingests the folder) so it is recorded even when no frontend
listens, then sent to the frontend over the ``jupyterlab-warden`` comm when running in
ipykernel, then handed to the ``emit`` callbacks given to ``install``. A delivery that fails
is counted in ``EventSink.dropped``, never raised into the user's code.
"""

import datetime
import hashlib
import json
import os
import secrets
import sys
import threading
import uuid
from collections import deque
from typing import Callable, List, Optional

COMM_TARGET = "jupyterlab-warden"
SPOOL_ENV = "WARDEN_EVENT_SPOOL"
_FINGERPRINT_KEYS = ("call", "global", "globals", "sha256", "reason", "torch_version", "path")


def now_iso() -> str:
    return (
        datetime.datetime.now(datetime.timezone.utc)
        .isoformat(timespec="milliseconds")
        .replace("+00:00", "Z")
    )


def fingerprint(rule_id: str, evidence: dict) -> str:
    """Stable across re-runs: the rule and the evidence that identifies the finding."""
    stable = {k: evidence[k] for k in _FINGERPRINT_KEYS if k in evidence}
    blob = json.dumps([rule_id, stable], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:32]


def make_event(
    rule_id: str,
    action: str,
    severity: str,
    message: str,
    evidence: dict,
    location: Optional[dict] = None,
    policy_revision: Optional[int] = None,
) -> dict:
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
    """Delivers events to the spool file, the frontend comm and callbacks."""

    def __init__(self, spool_dir: Optional[str] = None):
        self.spool_dir = spool_dir if spool_dir is not None else os.environ.get(SPOOL_ENV)
        self.spool_path: Optional[str] = None
        self._fd: Optional[int] = None
        self._comm = None
        self._lock = threading.Lock()
        self.comm_enabled = False  # the kernel's sockets belong to the parent
        self.callbacks: List[Callable[[dict], None]] = []
        self.recent: deque = deque(maxlen=100)
        self.delivered = 0
        self.dropped = 0
        self.last_error: Optional[str] = None
        self.comm_enabled = True

    def deliver(self, event: dict) -> None:
        self.recent.append(event)
        self.delivered += 1
        line = (json.dumps(event, separators=(",", ":")) + "\n").encode("utf-8")
        if self.spool_dir:
            self._to_spool(line)
        self._to_comm(event)
        for callback in list(self.callbacks):
            try:
                callback(event)
            except Exception as exc:  # noqa: BLE001 - a broken callback must not stop a block
                self._drop(f"emit callback failed: {exc}")

    def _to_spool(self, line: bytes) -> None:
        with self._lock:
            try:
                if self._fd is None:
                    os.makedirs(self.spool_dir, mode=0o700, exist_ok=True)
                    name = f"{os.getpid()}-{secrets.token_hex(6)}.jsonl"
                    path = os.path.join(self.spool_dir, name)
                    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND
                    self._fd = os.open(path, flags | getattr(os, "O_CLOEXEC", 0), 0o600)
                    self.spool_path = path
                os.write(self._fd, line)  # one write per line: appends stay whole
            except OSError as exc:
                self._drop(f"spool write failed: {exc}")

    def _to_comm(self, event: dict) -> None:
        if not self.comm_enabled or "ipykernel" not in sys.modules:
            return
        try:
            if self._comm is None or getattr(self._comm, "_closed", False):
                from comm import create_comm  # optional: ships with ipykernel

                self._comm = create_comm(target_name=COMM_TARGET, data={"type": "hello"})
            self._comm.send({"type": "event", "event": event})
        except Exception as exc:  # noqa: BLE001 - no frontend or no kernel: the spool has it
            self._comm = None
            self._drop(f"comm send failed: {exc}")

    def _drop(self, why: str) -> None:
        self.dropped += 1
        self.last_error = why[:300]

    def after_fork(self) -> None:
        """A forked child writes its own spool file and opens its own comm."""
        self._fd = None
        self.spool_path = None
        self._comm = None
        self._lock = threading.Lock()
        self.comm_enabled = False  # the kernel's sockets belong to the parent
