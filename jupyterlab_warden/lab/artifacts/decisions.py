"""Central's fleet artifact decisions: a signed envelope exactly like the policy's, verified by
the same code and keys; its payload (schema/artifact-decisions.schema.json) is the full set.

Refused: a bad signature, a payload whose ``kind`` is not ``artifact-decisions`` (the policy is
signed by the same keys), a revision older than the highest one accepted (a rollback), and a
document with the revision already accepted but other decisions (equivocation: central signs
one set per revision). The last good envelope is kept on disk and verified again when the lab
starts (an offline copy, like the policy); the highest accepted revision and its content digest
are also kept in a separate floor file (``artifact-decisions-floor.json``), like the policy's,
so deleting or replacing the offline copy with an older signed one does not lower the floor."""

import hashlib
import json
import os
import re
from typing import Dict, Mapping, Optional

from ..central.revision_floor import read_floor, write_floor
from ..central.signing import PolicyRejected, verified_payload

_SHA = re.compile(r"^[0-9a-f]{64}$")
KIND = "artifact-decisions"


class DecisionsRejected(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


def parse_payload(payload: bytes) -> dict:
    """The decisions document in verified payload bytes, or DecisionsRejected."""
    try:
        doc = json.loads(payload.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as err:
        raise DecisionsRejected("malformed", "decisions payload is not JSON") from err
    if not isinstance(doc, dict) or doc.get("kind") != KIND:
        raise DecisionsRejected("wrong_kind", "the signed payload is not artifact decisions")
    revision = doc.get("revision")
    items = doc.get("artifacts")
    if not isinstance(revision, int) or revision < 0 or not isinstance(items, list):
        raise DecisionsRejected("malformed", "decisions payload lacks revision or artifacts")
    for item in items:
        if (
            not isinstance(item, dict)
            or not _SHA.match(str(item.get("sha256")))
            or item.get("decision") not in ("trusted", "banned")
        ):
            raise DecisionsRejected("malformed", "a decision entry is malformed")
    return doc


def content_digest(doc: dict) -> str:
    """What must not change under one revision: the decisions (not when they were signed)."""
    items = sorted(
        (
            {k: item.get(k) for k in ("sha256", "decision", "note", "at")}
            for item in doc["artifacts"]
        ),
        key=lambda item: str(item["sha256"]),
    )
    text = json.dumps(items, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class FleetDecisionStore:
    def __init__(self, path: str, keys: Mapping[str, object], floor_path: Optional[str] = None):
        self.path = path
        self.floor_path = floor_path or os.path.join(
            os.path.dirname(path) or ".", "artifact-decisions-floor.json"
        )
        self.keys = keys
        self.revision: Optional[int] = None
        self._decisions: Dict[str, str] = {}
        self.last_error: Optional[str] = None
        self.save_error: Optional[str] = None  # accepted decisions that could not be written
        self._unsaved: Dict[str, object] = {}
        # the high-water mark: highest revision accepted and its content digest
        self._floor: Dict[str, object] = {"revision": None, "content": None}
        self._load()
        self._load_floor()

    def decisions(self) -> Dict[str, str]:
        return dict(self._decisions)

    def accept(self, envelope: object) -> bool:
        """Adopt a signed decisions envelope; False (and ``last_error``) when refused."""
        try:
            doc = parse_payload(verified_payload(envelope, self.keys))
        except (PolicyRejected, DecisionsRejected) as err:
            self.last_error = f"{err.code}: {err}"
            return False
        floor, content = self._floor["revision"], content_digest(doc)
        if isinstance(floor, int) and doc["revision"] < floor:
            self.last_error = (
                f"replay: revision {doc['revision']} is older than revision {floor} already"
                " accepted (a rollback)"
            )
            return False
        if doc["revision"] == floor and self._floor["content"] not in (None, content):
            self.last_error = (
                f"equivocation: revision {floor} was already accepted with other decisions"
            )
            return False
        self._use(doc)
        self._floor = {"revision": doc["revision"], "content": content}
        self.last_error = None
        self._unsaved = {"copy": envelope, "floor": True}
        self.save_pending()
        return True

    def save_pending(self) -> bool:
        """Write what was accepted but not yet saved (the offline copy, the floor). A write
        that fails (a full disk, a read-only data dir) is recorded in ``save_error`` and
        ``last_error``, never raised: the decisions hold in memory for this run, the sync round
        goes on (running kernels still get them) and the next round writes again. True when
        nothing is left unsaved."""
        errors = []
        if self._unsaved.get("copy") is not None:
            try:
                self._save(self._unsaved["copy"])
                self._unsaved["copy"] = None
            except OSError as err:
                errors.append(f"offline copy {self.path}: {err.strerror or err}")
        if self._unsaved.get("floor"):
            try:
                self._save_floor()
                self._unsaved["floor"] = False
            except OSError as err:
                errors.append(f"floor {self.floor_path}: {err.strerror or err}")
        self.save_error = (
            "decisions accepted but not saved (kept in memory, written again next round): "
            + "; ".join(errors)
            if errors
            else None
        )
        if errors:
            self.last_error = self.save_error
        return not errors

    def _use(self, doc: dict) -> None:
        self.revision = doc["revision"]
        self._decisions = {item["sha256"]: item["decision"] for item in doc["artifacts"]}

    def _save(self, envelope: object) -> None:
        tmp = self.path + ".tmp"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(envelope, fh)
        os.replace(tmp, self.path)

    def _load(self) -> None:
        try:
            with open(self.path, encoding="utf-8") as fh:
                envelope = json.load(fh)
        except FileNotFoundError:
            return
        except (OSError, ValueError) as err:
            self.last_error = f"offline copy unreadable: {err}"
            return
        try:  # verified again: the file is only a cache of what central signed
            doc = parse_payload(verified_payload(envelope, self.keys))
        except (PolicyRejected, DecisionsRejected) as err:
            self.last_error = f"offline copy refused: {err.code}: {err}"
            return
        self._use(doc)
        self._floor = {"revision": doc["revision"], "content": content_digest(doc)}

    def _load_floor(self) -> None:
        """Raise the floor to the floor file's; an offline copy below it (or with other content
        at the same revision) is not used."""
        try:
            saved = read_floor(self.floor_path)
        except (OSError, ValueError) as err:
            self.last_error = f"decisions floor {self.floor_path} unreadable: {err}"
            return
        if saved is None:
            if self._floor["revision"] is not None:
                # a copy from before the floor file existed: record it
                self._unsaved["floor"] = True
                self.save_pending()
            return
        revision, content = saved
        held = self._floor["revision"]
        if (
            held is None
            or revision > held
            or (revision == held and isinstance(content, str) and content != self._floor["content"])
        ):
            if held is not None:
                self.last_error = (
                    f"offline copy refused: revision {held} is a rollback or equivocation"
                    f" (revision {revision} was accepted)"
                )
                self.revision = None
                self._decisions = {}
            self._floor = {
                "revision": revision,
                "content": content if isinstance(content, str) else None,
            }

    def _save_floor(self) -> None:
        write_floor(self.floor_path, self._floor["revision"], self._floor["content"])
