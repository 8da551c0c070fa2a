"""OSV advisories: the snapshot shipped with Warden (``kernel/deps/osv-snapshot.json``) and the
organisation's own records from the policy (``dependencies.advisories``, issue 20).

Each entry is an OSV record for the PyPI ecosystem. ``malicious(name)`` answers for a package
name whatever the version: the malicious records (OpenSSF ``MAL-``) that cover every version
of the project (no versions listed, or a range open at both ends). A malicious record that
lists some releases (a hijacked account's uploads, red team 41b R41b-1) condemns those
releases only: ``affected(name, version)``, ``covering`` and ``reached`` answer by version.
Listed versions and ranges are compared as PEP 440 versions (``1.0.0`` is ``1.0``, R41b-2).
A version Warden cannot read counts as affected (fail closed).

``with_records`` adds the policy's records to the shipped ones: a union, so a policy can add
advisories and never remove or narrow a shipped one (a policy record reusing a shipped id is
one more entry, the shipped entry still applies).
"""

import json
from typing import Dict, List

from . import specifiers
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
                _place(entry)
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
        """The malicious records covering every version of ``name``, one per id (the first of
        a repeated id)."""
        return _first_of_each(e for e in self._entries(name) if e["whole"])

    def affected(self, name: str, version: str) -> List[dict]:
        """The entries that hold ``version`` of ``name``, one per id, in order."""
        key = version_key(version)
        return _first_of_each(e for e in self._entries(name) if _holds(e, key, version))

    def affecting(self, name: str, version: str) -> List[str]:
        """Ids of advisories that hold ``version`` of ``name`` (each id once, in order)."""
        return [e["id"] for e in self.affected(name, version)]

    def covering(self, name: str, allowed: specifiers.Versions) -> List[dict]:
        """The entries holding EVERY version in ``allowed`` (a specifier set's versions,
        specifiers.covered)."""
        return _first_of_each(
            e
            for e in self._entries(name)
            if e["whole"] or any(specifiers.covered(allowed, s) for s in e["spans"])
        )

    def reached(
        self, name: str, allowed: specifiers.Versions, newest: bool = True, pre: bool = False
    ) -> List[dict]:
        """The malicious entries (not whole-project) the resolver may land in for
        ``allowed`` (specifiers.reaches, with its ``newest`` and ``pre``); an entry whose
        versions Warden cannot place counts as reached (fail closed)."""
        return _first_of_each(
            e
            for e in self._entries(name)
            if e["malicious"]
            and not e["whole"]
            and (
                e["unplaced"]
                or any(specifiers.reaches(allowed, s, newest, pre) for s in e["spans"])
            )
        )

    def _entries(self, name: str) -> List[dict]:
        return self._by_name.get(normalize(name), [])


def _first_of_each(entries) -> List[dict]:
    found, seen = [], set()
    for e in entries:
        if e["id"] not in seen:
            seen.add(e["id"])
            found.append(e)
    return found


def _place(entry: dict) -> None:
    """The entry's versions as intervals, built once when it loads: ``spans`` (each listed
    version a point, each version range its intervals), ``unplaced`` (listed strings that
    are no version), and ``whole`` (a malicious entry covering every version: nothing listed
    Warden can place, or a range open at both ends)."""
    found, unplaced = [], set()
    for text in entry["versions"]:
        key = version_key(str(text))
        if key is None:
            unplaced.add(str(text))
        else:
            found.append(specifiers.point(key))
    for rng in entry["ranges"]:
        if rng.get("type") in _VERSION_RANGES:
            found += specifiers.spans(rng.get("events") or [])
    entry["spans"], entry["unplaced"] = found, unplaced
    # nothing placeable (GIT ranges only, no listed version Warden can read): every version
    entry["whole"] = entry["malicious"] and (not found or specifiers.EVERY in found)


def _version_ranged(entry: dict) -> bool:
    return any(rng.get("type") in _VERSION_RANGES for rng in entry["ranges"])


def _holds(entry: dict, key, text: str) -> bool:
    """``entry`` holds the version ``text`` (``key``: its version_key, None if unreadable)."""
    if entry["whole"] or text in entry["versions"] or text in entry["unplaced"]:
        return True
    if key is None:
        return _version_ranged(entry)  # an unreadable version: assume affected
    return any(specifiers.within(specifiers.point(key), s) for s in entry["spans"])


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
