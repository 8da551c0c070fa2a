"""Scan verdicts the fleet reported, from central's lookup answers (ArtifactVerdict), kept on
disk so kernels started while central is down still get them."""

import json
import os
import re
from typing import Dict, Iterable, List

_SHA = re.compile(r"^[0-9a-f]{64}$")
_MAX = 100_000


class FleetScanCache:
    def __init__(self, path: str):
        self.path = path
        self._scans: Dict[str, dict] = {}
        try:
            with open(path, encoding="utf-8") as fh:
                stored = json.load(fh)
            if isinstance(stored, dict):
                self._take(stored)
        except (OSError, ValueError):
            pass

    def _take(self, scans: dict) -> None:
        for sha, scan in scans.items():
            if (
                _SHA.match(str(sha))
                and isinstance(scan, dict)
                and isinstance(scan.get("verdict"), str)
                and isinstance(scan.get("scanner_version"), str)
            ):
                self._scans[sha] = {
                    "verdict": scan["verdict"],
                    "scanner_version": scan["scanner_version"],
                }

    def unknown(self, shas: Iterable[str]) -> List[str]:
        return sorted({s for s in shas if _SHA.match(str(s)) and s not in self._scans})

    def update(self, lookup_answer: dict) -> int:
        """Take the ``artifacts`` of a lookup answer; returns how many carried a scan."""
        artifacts = lookup_answer.get("artifacts") if isinstance(lookup_answer, dict) else None
        scans = {
            sha: verdict["scan"]
            for sha, verdict in (artifacts or {}).items()
            if isinstance(verdict, dict) and isinstance(verdict.get("scan"), dict)
        }
        self._take(scans)
        if len(self._scans) > _MAX:
            for sha in list(self._scans)[: len(self._scans) - _MAX]:
                del self._scans[sha]
        self._save()
        return len(scans)

    def scans(self) -> Dict[str, dict]:
        return {sha: dict(scan) for sha, scan in self._scans.items()}

    def _save(self) -> None:
        tmp = self.path + ".tmp"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(self._scans, fh)
        os.replace(tmp, self.path)
