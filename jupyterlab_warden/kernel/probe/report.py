"""Run the sandbox probe and shape its report (what the frontend and server receive)."""

from __future__ import annotations

import json
import platform
import time
from datetime import datetime, timezone
from typing import Mapping, Optional

from . import checks, facts, procfs, scoring
from .hostview import HostView


def run_probe(root: str = "/", environ: Optional[Mapping[str, str]] = None) -> dict:
    """Probe the kernel's sandbox under ``root``; the scored report as a dict."""
    started = time.perf_counter()
    view = HostView(root, environ)
    known = facts.gather(view)
    results = checks.run_checks(view, known)
    release = (view.read_text("/proc/sys/kernel/osrelease", 256) or "").strip()[:100]
    report = scoring.scored_report(
        "sandbox",
        scoring.enrich(results, "sandbox"),
        generated_at=datetime.now(timezone.utc).isoformat().replace("+00:00", "Z"),
        summary={
            "runtime": known.runtime,
            "euid": known.euid,
            "kernel_release": release,
            "python": platform.python_version(),
            "cgroup_version": _cgroup_version(known),
            "seccomp": procfs.parse_int(known.status.get("Seccomp")),
        },
    )
    report["duration_ms"] = round((time.perf_counter() - started) * 1000, 2)
    return report


def _cgroup_version(known: facts.Facts) -> Optional[int]:
    if not known.cgroups:
        return None
    # A pure v2 host lists only "0::/path"; hybrid hosts also list v1 controllers.
    return 1 if any(c.controllers for c in known.cgroups) else 2


class ReportJSON(str):
    """The report as JSON text that IPython displays unquoted.

    Sent back through an execute request's ``user_expressions``, its ``text/plain`` is the
    JSON itself (not a Python string literal) and ``application/json`` the parsed report.
    """

    def _repr_pretty_(self, printer, cycle):
        printer.text(str(self))

    def _repr_json_(self):
        return json.loads(self)


def report_json(root: str = "/", environ: Optional[Mapping[str, str]] = None) -> ReportJSON:
    return ReportJSON(json.dumps(run_probe(root, environ), separators=(",", ":")))
