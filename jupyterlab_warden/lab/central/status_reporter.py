"""Tell central how this lab is doing: active policy revision, queue depth, drops, and which
running kernels run without the kernel guard (central's Labs view shows such labs first)."""

import asyncio
import logging
from typing import Callable, List, Optional

from .client import CentralClient

# What central is told about kernels is bounded and holds no free text: a short label per
# kernel (never the full kernel id, which names its websocket), a reason code, and the
# guard's own mode and policy revision. central/API.md ("Status") is the wire format.
MAX_KERNELS_LISTED = 50
KERNEL_LABEL_CHARS = 8
UNGUARDED_REASONS = (
    "launch_guard_off",  # the admin switched the launch-time guard off (Warden.kernel_launch_guard)
    "no_report",  # not launched with the guard (remote kernel, kernelspec resetting PYTHONPATH)
    "report_unreadable",
    "report_mismatch",  # the report is from another process than the kernel
    "guard_errors",  # the guard reported errors while installing
    "not_installed",
)


def _reason(entry: dict) -> str:
    reason = str(entry.get("reason") or "")
    if entry.get("errors"):
        return "guard_errors"
    if reason.startswith("no start-up report"):
        return "no_report"
    if reason.startswith("unreadable") or reason.startswith("malformed"):
        return "report_unreadable"
    if reason.startswith("the report is from pid"):
        return "report_mismatch"
    return "not_installed"


def _short(value, limit: int):
    return value[:limit] if isinstance(value, str) else None


def _revision(value):
    ok = isinstance(value, int) and not isinstance(value, bool) and value >= 0
    return value if ok else None


def kernel_coverage(kernels: List[dict], *, launch_guard: bool = True) -> dict:
    """Pure: the ``kernels`` field of the status body from /warden/status's kernel entries
    (``kernel.boot.status.kernels_status``); unguarded kernels are listed, at most
    ``MAX_KERNELS_LISTED``."""
    unguarded = []
    for entry in kernels:
        if entry.get("guard_active") and launch_guard:
            continue
        unguarded.append(
            {
                "kernel": str(entry.get("kernel_id", ""))[:KERNEL_LABEL_CHARS],
                "reason": _reason(entry) if launch_guard else "launch_guard_off",
                "since": _short(entry.get("since"), 40),
                "mode": _short(entry.get("mode"), 20),
                "policy_revision": _revision(entry.get("policy_revision")),
            }
        )
    return {
        "total": len(kernels),
        "guarded": len(kernels) - len(unguarded),
        "unguarded": unguarded[:MAX_KERNELS_LISTED],
        "truncated": len(unguarded) > MAX_KERNELS_LISTED,
    }


class StatusReporter:
    def __init__(
        self,
        client: CentralClient,
        snapshot: Callable[[], dict],
        *,
        interval: float = 60.0,
        log: Optional[logging.Logger] = None,
    ) -> None:
        self.client = client
        self.snapshot = snapshot  # () -> the status body (central/API.md, "Status")
        # () -> the ``kernels`` field (kernel_coverage), set once the server's kernel manager
        # is known; None leaves the field out (central then shows coverage as unknown).
        self.kernels: Optional[Callable[[], dict]] = None
        # () -> the ``packages`` field (lab/inventory.py), when the lab reads kernel inventories
        self.packages: Optional[Callable[[], dict]] = None
        self.interval = interval
        self.log = log or logging.getLogger(__name__)
        self.last_error: Optional[str] = None
        self.last_sent: Optional[dict] = None
        self._wake = asyncio.Event()

    def wake(self) -> None:
        """Post soon (e.g. after a policy change) instead of at the next interval."""
        self._wake.set()

    async def run(self) -> None:
        while True:
            self._wake.clear()
            await self.send_once()
            try:
                await asyncio.wait_for(self._wake.wait(), timeout=self.interval)
            except asyncio.TimeoutError:
                pass

    def body(self) -> dict:
        body = self.snapshot()
        if self.kernels is not None:
            try:
                body["kernels"] = self.kernels()
            except Exception as err:  # coverage unknown this time; the rest still goes out
                self.log.warning("Warden: kernel coverage for central failed: %s", err)
        if self.packages is not None:
            try:
                body["packages"] = self.packages()
            except Exception as err:  # inventory unknown this time; the rest still goes out
                self.log.warning("Warden: package inventory for central failed: %s", err)
        return body

    async def send_once(self) -> bool:
        body = self.body()
        answer = await self.client.post_status(body)
        self.last_error = answer.error
        if answer.ok:
            self.last_sent = body
        else:
            self.log.info("Warden: status post to central failed (%s)", answer.error)
        return answer.ok
