"""Scan verdicts the fleet reported, from central's lookup answers (ArtifactVerdict), kept on
disk so kernels started while central is down still get them.

Every sha256 this lab asked about is remembered with when it was last asked (``checked``),
answered or not, and looked up again in turn, oldest first (``oldest``): a later "dangerous"
at central replaces a cached "safe", a verdict central no longer holds is forgotten, and a
file central first heard of after the lab asked gets its verdict on a later round."""

import json
import os
import re
import time
from typing import Dict, Iterable, List, Optional

_SHA = re.compile(r"^[0-9a-f]{64}$")
_MAX = 100_000


class FleetScanCache:
    def __init__(self, path: str):
        self.path = path
        self._scans: Dict[str, dict] = {}
        self._checked: Dict[str, float] = {}  # sha256 -> when central was last asked
        try:
            with open(path, encoding="utf-8") as fh:
                stored = json.load(fh)
            if isinstance(stored, dict):
                self._take(stored)
                for sha, entry in stored.items():
                    if _SHA.match(str(sha)) and isinstance(entry, dict):
                        checked = entry.get("checked")
                        ok = isinstance(checked, (int, float)) and not isinstance(checked, bool)
                        self._checked[sha] = float(checked) if ok else 0.0
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
        """The sha256s central was never asked about."""
        return sorted({s for s in shas if _SHA.match(str(s)) and s not in self._checked})

    def oldest(self, limit: int, exclude: Iterable[str] = ()) -> List[str]:
        """Up to ``limit`` sha256s already asked about, least recently asked first."""
        if limit <= 0:
            return []
        skip = set(exclude)
        order = sorted((when, sha) for sha, when in self._checked.items() if sha not in skip)
        return [sha for _, sha in order[:limit]]

    def update(
        self, lookup_answer: dict, asked: Iterable[str] = (), now: Optional[float] = None
    ) -> int:
        """Take the ``artifacts`` of a lookup answer for the sha256s ``asked``: answered
        verdicts replace cached ones, a cached verdict central did not answer is dropped.
        Returns how many carried a scan."""
        now = time.time() if now is None else now
        artifacts = lookup_answer.get("artifacts") if isinstance(lookup_answer, dict) else None
        scans = {
            sha: verdict["scan"]
            for sha, verdict in (artifacts or {}).items()
            if isinstance(verdict, dict) and isinstance(verdict.get("scan"), dict)
        }
        for sha in asked:
            if _SHA.match(str(sha)):
                self._checked[sha] = now
                if sha not in scans:
                    self._scans.pop(sha, None)  # central holds no verdict (any more)
        self._take(scans)
        for sha in scans:
            if sha in self._scans:
                self._checked.setdefault(sha, now)
        if len(self._checked) > _MAX:  # forget the least recently asked
            for sha in self.oldest(len(self._checked) - _MAX):
                del self._checked[sha]
                self._scans.pop(sha, None)
        self._save()
        return len(scans)

    def scans(self) -> Dict[str, dict]:
        return {sha: dict(scan) for sha, scan in self._scans.items()}

    def _save(self) -> None:
        stored = {
            sha: dict(self._scans.get(sha, {}), checked=t) for sha, t in self._checked.items()
        }
        tmp = self.path + ".tmp"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(stored, fh)
        os.replace(tmp, self.path)
