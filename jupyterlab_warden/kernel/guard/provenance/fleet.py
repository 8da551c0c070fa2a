"""The fleet's word on artifacts, as the lab server pushed it (issue 19, contract-registry.md).

The lab keeps central's signed fleet decisions (sha256 -> trusted | banned) and the scan
verdicts other labs reported, and hands them to its kernels inside the signed policy update
(``authority.seal(..., artifacts=...)``): ``{"decisions": {sha: "trusted"|"banned"},
"scans": {sha: {"verdict", "scanner_version"}}}``. The guard consults them before it scans a
file: a fleet ``banned`` always refuses; ``trusted`` skips the scan; another lab's ``safe``
verdict skips it only when that scanner's version equals this one and the policy's
``artifacts.accept_fleet_scans`` is true (off by default: any notebook in any lab can vouch -
docs/threat-model.md). Pure logic, no I/O but the one-time scanner version digest.
"""

from __future__ import annotations

import os

from ..sha import is_hex

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only: typing is not imported at interpreter start
    from typing import Dict, Optional
_VERSION = []


def scanner_version() -> str:
    """This scanner's version: a digest of the scanner's own source, so two labs agree exactly
    when they run the same scanning code."""
    if not _VERSION:
        try:
            from ... import scan

            folder = os.path.dirname(os.path.abspath(scan.__file__))
            import hashlib  # not at start: OpenSSL loads on first use

            digest = hashlib.sha256()
            found = 0
            for root, dirs, files in os.walk(folder):
                dirs[:] = sorted(d for d in dirs if d != "__pycache__")
                for name in sorted(f for f in files if f.endswith(".py")):
                    path = os.path.join(root, name)
                    digest.update(os.path.relpath(path, folder).encode())
                    with open(path, "rb") as fh:
                        digest.update(fh.read())
                    found += 1
            version = "warden-scan-" + digest.hexdigest()[:16] if found else None
        except (ImportError, OSError, TypeError):
            version = None
        # a copy without its source on disk (the bootstrap's embedded one) matches no other
        # lab's version: the fleet's scans are then never taken for its own (fail closed)
        _VERSION.append(version or "warden-scan-unknown-" + os.urandom(8).hex())
    return _VERSION[0]


class FleetVerdicts:
    def __init__(self, pushed: Optional[dict] = None):
        pushed = pushed if isinstance(pushed, dict) else {}
        self.decisions: Dict[str, str] = {}
        for sha, decision in (pushed.get("decisions") or {}).items():
            if is_hex(str(sha), 64) and decision in ("trusted", "banned"):
                self.decisions[sha] = decision
        self.scans: Dict[str, dict] = {}
        for sha, scan in (pushed.get("scans") or {}).items():
            if is_hex(str(sha), 64) and isinstance(scan, dict):
                self.scans[sha] = {
                    "verdict": scan.get("verdict"),
                    "scanner_version": scan.get("scanner_version"),
                }

    def __bool__(self) -> bool:
        return bool(self.decisions or self.scans)

    def consult(self, sha256: str, accept_fleet_scans: bool) -> Optional[str]:
        """'banned', 'trusted', 'fleet-safe' (skip the scan) or None (scan as usual)."""
        decision = self.decisions.get(sha256)
        if decision is not None:
            return decision
        scan = self.scans.get(sha256)
        if (
            accept_fleet_scans
            and scan is not None
            and scan["verdict"] == "safe"
            and scan["scanner_version"] == scanner_version()
        ):
            return "fleet-safe"
        return None
