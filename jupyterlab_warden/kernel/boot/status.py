"""What each running kernel reported at start-up (``site_boot.py`` writes it, booted by
``site/sitecustomize.py``).

The file is written by the kernel, as the user: it is the kernel's claim, good for coverage
(a kernel with no report or a failed install shows), not proof against a hostile kernel.
"""

import json
import os
from datetime import datetime, timezone
from typing import Any, Dict, Iterable, List


def kernel_guard_report(status_dir: str, kernel_id: str, kernel_pid=None) -> Dict[str, Any]:
    path = os.path.join(status_dir, f"{kernel_id}.json")
    entry: Dict[str, Any] = {"kernel_id": kernel_id, "guard_active": False}
    try:
        with open(path, encoding="utf-8") as fh:
            report = json.load(fh)
    except FileNotFoundError:
        entry["reason"] = (
            "no start-up report: the kernel was not launched by this server with the "
            "launch-time guard (a remote kernel, or a kernelspec that resets PYTHONPATH)"
        )
        return entry
    except (OSError, ValueError) as err:
        entry["reason"] = f"unreadable start-up report: {err}"
        return entry
    if not isinstance(report, dict):
        entry["reason"] = "malformed start-up report"
        return entry
    if kernel_pid is not None and report.get("pid") != kernel_pid:
        entry["reason"] = f"the report is from pid {report.get('pid')}, the kernel is {kernel_pid}"
        return entry
    since = report.get("since")
    entry.update(
        guard_active=bool(report.get("installed")) and not report.get("errors"),
        since=(
            datetime.fromtimestamp(since, timezone.utc).isoformat()
            if isinstance(since, (int, float))
            else None
        ),
        mode=report.get("mode"),
        policy_revision=report.get("policy_revision"),
        # the launch policy matched the digest the server pinned; updates need the server's key
        policy_pinned=report.get("policy_pinned") is True,
        updates_authenticated=report.get("updates_authenticated") is True,
        pid=report.get("pid"),
        startup_ms=report.get("startup_ms"),
        errors=report.get("errors") or [],
    )
    return entry


def kernels_status(kernel_manager, status_dir: str) -> List[Dict[str, Any]]:
    out = []
    for kernel_id in list(kernel_manager.list_kernel_ids()):
        out.append(kernel_guard_report(status_dir, kernel_id, _pid(kernel_manager, kernel_id)))
    return out


def _pid(kernel_manager, kernel_id):
    try:
        km = kernel_manager.get_kernel(kernel_id)
        provisioner = getattr(km, "provisioner", None)
        process = getattr(provisioner, "process", None)
        return getattr(process, "pid", None)
    except Exception:
        return None


def forget(status_dir: str, kernel_ids: Iterable[str]) -> None:
    for kernel_id in kernel_ids:
        try:
            os.remove(os.path.join(status_dir, f"{kernel_id}.json"))
        except OSError:
            pass
