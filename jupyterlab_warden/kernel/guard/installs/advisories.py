"""The OSV advisory snapshot shipped with Warden (``kernel/deps/osv-snapshot.json``).

Each entry is an OSV record for the PyPI ecosystem. ``malicious(name)`` answers for a package
name whatever the version (OpenSSF ``MAL-`` records: the whole project is malware);
``affecting(name, version)`` lists the advisories whose ECOSYSTEM ranges hold that version.
A version Warden cannot read counts as affected (fail closed).
"""

import json
from typing import Dict, List

from .names import normalize
from .versions import version_key


class AdvisorySnapshot:
    def __init__(self, document: dict):
        if not isinstance(document, dict) or not isinstance(document.get("advisories"), list):
            raise ValueError("not an advisory snapshot: no 'advisories' list")
        self.snapshot_date = str(document.get("snapshot_date", ""))
        self._by_name: Dict[str, List[dict]] = {}
        for record in document["advisories"]:
            for affected in record.get("affected") or []:
                package = affected.get("package") or {}
                if package.get("ecosystem") != "PyPI" or not package.get("name"):
                    continue
                entry = {
                    "id": str(record["id"]),
                    "summary": str(record.get("summary", "")),
                    "malicious": _is_malicious(record),
                    "ranges": affected.get("ranges") or [],
                    "versions": set(affected.get("versions") or []),
                }
                self._by_name.setdefault(normalize(package["name"]), []).append(entry)

    @classmethod
    def load(cls, path: str) -> "AdvisorySnapshot":
        with open(path, encoding="utf-8") as fh:
            return cls(json.load(fh))

    def malicious(self, name: str) -> List[dict]:
        return [e for e in self._by_name.get(normalize(name), []) if e["malicious"]]

    def affecting(self, name: str, version: str) -> List[str]:
        """Ids of advisories that hold ``version`` of ``name``."""
        return [
            e["id"]
            for e in self._by_name.get(normalize(name), [])
            if e["malicious"] or version in e["versions"] or _in_ranges(version, e["ranges"])
        ]


def _is_malicious(record: dict) -> bool:
    kind = (record.get("database_specific") or {}).get("warden_kind")
    return kind == "malicious" or str(record.get("id", "")).startswith("MAL-")


def _in_ranges(version: str, ranges: list) -> bool:
    key = version_key(version)
    for rng in ranges:
        if rng.get("type") not in ("ECOSYSTEM", "SEMVER"):
            continue
        if key is None:
            return True  # an unreadable version: assume affected
        if _in_events(key, rng.get("events") or []):
            return True
    return False


def _in_events(key, events: list) -> bool:
    """OSV semantics: affected from each ``introduced`` up to the next ``fixed`` (exclusive) or
    ``last_affected`` (inclusive)."""
    affected = False
    points = []
    for event in events:
        for kind, value in event.items():
            if kind == "introduced":
                bound = version_key("0") if value == "0" else version_key(value)
            else:
                bound = version_key(value)
            if bound is None:
                return True  # an advisory Warden cannot read: assume affected
            points.append((bound, kind))
    points.sort(key=lambda p: p[0])
    for bound, kind in points:
        if kind == "introduced" and key >= bound:
            affected = True
        elif kind == "fixed" and key >= bound:
            affected = False
        elif kind == "last_affected" and key > bound:
            affected = False
    return affected
