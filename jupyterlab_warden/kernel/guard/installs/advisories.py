"""OSV advisories: the snapshot shipped with Warden (``kernel/deps/osv-snapshot.json``) and the
organisation's own records from the policy (``dependencies.advisories``, issue 20).

Each entry is an OSV record for the PyPI ecosystem. ``malicious(name)`` answers for a package
name whatever the version (OpenSSF ``MAL-`` records: the whole project is malware);
``affecting(name, version)`` lists the advisories whose ECOSYSTEM ranges hold that version.
A version Warden cannot read counts as affected (fail closed).

``with_records`` adds the policy's records to the shipped ones: a union, so a policy can add
advisories and never remove or narrow a shipped one (a policy record reusing a shipped id is
one more entry, the shipped entry still applies).
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
        self._add(document["advisories"])

    def _add(self, records: list) -> None:
        """Index ``records``; raises (ValueError, KeyError, TypeError, AttributeError) on a
        record of the wrong shape, so a caller refuses rather than skipping it."""
        for record in records:
            for affected in record.get("affected") or []:
                package = affected.get("package") or {}
                if package.get("ecosystem") != "PyPI" or not package.get("name"):
                    continue
                entry = {
                    "id": str(record["id"]),
                    "summary": str(record.get("summary", "")),
                    "malicious": _is_malicious(record),
                    "ranges": list(affected.get("ranges") or []),
                    "versions": set(affected.get("versions") or []),
                }
                for rng in entry["ranges"]:
                    _check_range(rng)
                self._by_name.setdefault(normalize(package["name"]), []).append(entry)

    def with_records(self, records: list) -> "AdvisorySnapshot":
        """A new snapshot: this one's entries plus ``records`` (the policy's); this one is
        unchanged. Raises like the constructor on a malformed record."""
        if not isinstance(records, list):
            raise ValueError("the advisories are not a list")
        merged = AdvisorySnapshot.__new__(AdvisorySnapshot)
        merged.snapshot_date = self.snapshot_date
        merged._by_name = {name: list(entries) for name, entries in self._by_name.items()}
        merged._add(records)
        return merged

    @classmethod
    def load(cls, path: str) -> "AdvisorySnapshot":
        with open(path, encoding="utf-8") as fh:
            return cls(json.load(fh))

    def malicious(self, name: str) -> List[dict]:
        """The malicious records of ``name``, one per id (the first of a repeated id)."""
        found, seen = [], set()
        for e in self._by_name.get(normalize(name), []):
            if e["malicious"] and e["id"] not in seen:
                seen.add(e["id"])
                found.append(e)
        return found

    def affecting(self, name: str, version: str) -> List[str]:
        """Ids of advisories that hold ``version`` of ``name`` (each id once, in order)."""
        ids: List[str] = []
        for e in self._by_name.get(normalize(name), []):
            if e["id"] in ids:
                continue
            if e["malicious"] or version in e["versions"] or _in_ranges(version, e["ranges"]):
                ids.append(e["id"])
        return ids


def policy_records(policy) -> list:
    """The policy's own advisories (``dependencies.advisories``); [] when it has none. Raises
    ValueError on a section of the wrong shape (the lab validated the document; a kernel still
    refuses rather than guessing)."""
    if not isinstance(policy, dict):
        return []
    section = policy.get("dependencies")
    if section is None:
        return []
    if not isinstance(section, dict):
        raise ValueError("the policy's dependencies section is not an object")
    records = section.get("advisories")
    if records is None:
        return []
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise ValueError("the policy's dependencies.advisories is not a list of records")
    return records


def _check_range(rng) -> None:
    if not isinstance(rng, dict) or not isinstance(rng.get("events") or [], list):
        raise ValueError("an advisory range is not an OSV range")
    for event in rng.get("events") or []:
        if not isinstance(event, dict) or not all(isinstance(v, str) for v in event.values()):
            raise ValueError("an advisory range event is not an OSV event")
        if rng.get("type") in _VERSION_RANGES and any(
            version_key(v) is None for v in event.values()
        ):
            # refused when loaded, not at each decision: a record Warden cannot place a version
            # in would otherwise call every version of its package affected, silently
            raise ValueError("an advisory range bound is not a version Warden can read")


def _is_malicious(record: dict) -> bool:
    kind = (record.get("database_specific") or {}).get("warden_kind")
    return kind == "malicious" or str(record.get("id", "")).startswith("MAL-")


_VERSION_RANGES = ("ECOSYSTEM", "SEMVER")  # the range types placed by version (GIT: commits)


def _in_ranges(version: str, ranges: list) -> bool:
    key = version_key(version)
    for rng in ranges:
        if rng.get("type") not in _VERSION_RANGES:
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
