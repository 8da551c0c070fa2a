"""Central's fleet artifact decisions: a signed envelope exactly like the policy's, verified by
the same code and keys; its payload (schema/artifact-decisions.schema.json) is the full set.

Refused: a bad signature, a payload whose ``kind`` is not ``artifact-decisions`` (the policy is
signed by the same keys), a revision older than the one held. The last good envelope is kept
on disk and verified again when the lab starts (an offline copy, like the policy)."""

import json
import os
import re
from typing import Dict, Mapping, Optional

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


class FleetDecisionStore:
    def __init__(self, path: str, keys: Mapping[str, object]):
        self.path = path
        self.keys = keys
        self.revision: Optional[int] = None
        self._decisions: Dict[str, str] = {}
        self.last_error: Optional[str] = None
        self._load()

    def decisions(self) -> Dict[str, str]:
        return dict(self._decisions)

    def accept(self, envelope: object) -> bool:
        """Adopt a signed decisions envelope; False (and ``last_error``) when refused."""
        try:
            doc = parse_payload(verified_payload(envelope, self.keys))
        except (PolicyRejected, DecisionsRejected) as err:
            self.last_error = f"{err.code}: {err}"
            return False
        if self.revision is not None and doc["revision"] < self.revision:
            self.last_error = (
                f"replay: revision {doc['revision']} is older than {self.revision} already held"
            )
            return False
        self._use(doc)
        self._save(envelope)
        self.last_error = None
        return True

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
            self._use(parse_payload(verified_payload(envelope, self.keys)))
        except (PolicyRejected, DecisionsRejected) as err:
            self.last_error = f"offline copy refused: {err.code}: {err}"
