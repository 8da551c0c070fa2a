"""The central policy as one link of the lab's policy chain (built-in < admin file < central).

Fetches the signed policy (long poll with ETag), verifies signature and key, audience,
schema, validity, scope and that the revision is not older than the last accepted; keeps the
last good one on disk (``central-policy.json`` in the data dir) so a restart without central
still has it. A refused answer keeps the last good policy and raises one
``central-policy-rejected`` event per distinct refusal.

No rollback: the highest accepted revision (and its content digest) is also kept in a
separate floor file (``central-policy-floor.json``, ``c.Warden.central_policy_floor_file``).
Losing or corrupting either file leaves the other's floor, and ``c.Warden.central_min_revision``
is a floor the admin sets by hand; older revisions are refused. A problem reading either file
stays in ``status()["error"]`` until a good policy is accepted: a later fetch error does not
hide it.

An expired policy stays enforced (with an error) until central replaces it, as an expired
admin file does: expiry must not make the lab weaker than the policy that expired.

For the policy chain: ``.document`` (the last good verified policy dict, or None),
``.status()``, ``.on_change`` (callbacks taking the new document) and ``.on_reachable``
(called after every answer from central, e.g. to wake the event relay after an outage).
"""

import asyncio
import hashlib
import json
import logging
import os
import secrets
from datetime import datetime, timezone
from typing import Callable, List, Mapping, Optional

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from .backoff import Backoff
from .client import CentralClient
from .policy_check import checked_policy, content_digest, is_expired
from .revision_floor import read_floor, write_floor
from .signing import PolicyRejected, verified_payload

REJECTED_RULE = "central-policy-rejected"
STATE_FILE = "central-policy.json"
FLOOR_FILE = "central-policy-floor.json"
DEFAULT_MAX_VALIDITY = 14 * 86400.0  # twice central's default policy TTL (7 days)


class CentralPolicySource:
    def __init__(
        self,
        data_dir: str,
        keys: Mapping[str, Ed25519PublicKey],
        *,
        url: str = "",
        client: Optional[CentralClient] = None,
        backoff: Optional[Backoff] = None,
        wait: int = 30,
        poll_interval: float = 30.0,
        raise_event: Optional[Callable[[dict], None]] = None,
        log: Optional[logging.Logger] = None,
        clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc),
        lab_id: str = "",
        max_validity: float = DEFAULT_MAX_VALIDITY,
        floor_path: Optional[str] = None,
        min_revision: int = 0,
    ) -> None:
        self.url = url
        self.keys = dict(keys)
        self.client = client
        self.backoff = backoff or Backoff(1.0, 300.0)
        self.wait = wait
        self.poll_interval = poll_interval
        self.raise_event = raise_event
        self.log = log or logging.getLogger(__name__)
        self.on_change: List[Callable[[Optional[dict]], None]] = []
        self.on_reachable: List[Callable[[], None]] = []
        self._clock = clock
        self.lab_id = lab_id
        self.max_validity = max_validity
        self.min_revision = min_revision
        self._path = os.path.join(data_dir, STATE_FILE)
        self._floor_path = floor_path or os.path.join(data_dir, FLOOR_FILE)
        # The high-water mark: highest accepted revision and its content digest.
        self._floor = {"revision": None, "content": None}
        self._floor_save_failed = False
        # A problem with the files on disk; only a good policy clears it.
        self.load_error: Optional[str] = None
        self._identity: Optional[dict] = None
        self._document: Optional[dict] = None
        self._state = {"envelope": None, "etag": None, "revision": None, "identity": None,
                       "rejected_etag": None, "last_rejection": None}
        self.last_fetch: Optional[str] = None
        self.error: Optional[str] = None
        self._load()
        self._load_floor()

    # -- what the policy chain reads ------------------------------------------------------

    @property
    def document(self) -> Optional[dict]:
        """The last good verified policy (still enforced after it expires), or None."""
        return self._document

    @property
    def revision(self) -> Optional[int]:
        return self._document["revision"] if self._document else None

    @property
    def floor_revision(self) -> Optional[int]:
        """The lowest revision this lab will accept."""
        known = [r for r in (self._floor["revision"], self.min_revision or None) if r is not None]
        return max(known) if known else None

    def status(self) -> dict:
        problems = [self.load_error, self.error]
        if self._document is not None and is_expired(self._document, self._clock()):
            problems.append(
                f"policy revision {self.revision} expired at {self._document.get('expires_at')};"
                " still enforced until central replaces it"
            )
        error = "; ".join(p for p in problems if p) or None
        return {"url": self.url or None, "revision": self.revision,
                "floor_revision": self.floor_revision,
                "last_fetch": self.last_fetch, "error": error}

    # -- fetching ---------------------------------------------------------------------------

    async def run(self) -> None:
        while True:
            delay = await self.fetch_once()
            await asyncio.sleep(delay)

    async def fetch_once(self) -> float:
        """One fetch; returns seconds to wait before the next."""
        if self.client is None:
            return self.poll_interval
        if self._identity is None:
            answer = await self.client.whoami()
            if not answer.ok:
                return self._failed(f"whoami: {answer.error}", answer.retry_after)
            self._identity = _identity(answer.body)
            self._state["identity"] = self._identity
        etag = self._state["rejected_etag"] or self._state["etag"]
        # Right after a failure, probe without a long poll: the answer (even a 304) is what
        # tells the event relay that central is back.
        answer = await self.client.get_policy(etag, 0 if self.backoff.failures else self.wait)
        self.last_fetch = _iso(self._clock())
        if not answer.ok:
            return self._failed(answer.error, answer.retry_after)
        self.backoff.reset()
        for callback in list(self.on_reachable):
            callback()
        if answer.status == 304:
            self.error = None if self._state["rejected_etag"] is None else self.error
            return 0.5 if self.wait else self.poll_interval
        self.accept(answer.body, answer.headers.get("ETag"))
        return 0.5 if self.wait else self.poll_interval

    def accept(self, envelope: object, etag: Optional[str]) -> bool:
        """Verify and adopt a policy answer; False (and the last good kept) if refused."""
        try:
            payload = verified_payload(envelope, self.keys)
            floor = self.floor_revision
            document = checked_policy(
                payload, now=self._clock(), last_revision=floor,
                identity=self._identity or self._state.get("identity") or {},
                audience=self.lab_id, max_validity=self.max_validity,
                last_content=self._floor["content"] if floor == self._floor["revision"] else None,
            )
        except PolicyRejected as refusal:
            self._refused(refusal, envelope, etag)
            return False
        changed = document != self._document
        self._document = document
        self._state.update(envelope=envelope, etag=etag, revision=document["revision"],
                           rejected_etag=None, last_rejection=None)
        self.error = None
        self.load_error = None
        self._floor = {"revision": document["revision"], "content": content_digest(document)}
        self._save()
        self._save_floor()
        if changed:
            self.log.info("Warden: central policy revision %s accepted", document["revision"])
            for callback in list(self.on_change):
                callback(document)
        return True

    def _refused(self, refusal: PolicyRejected, envelope: object, etag: Optional[str]) -> None:
        self.error = f"policy refused ({refusal.code}): {refusal.message}"
        self.log.warning("Warden: central %s; keeping revision %s", self.error, self.revision)
        digest = hashlib.sha256(
            json.dumps(envelope, sort_keys=True, default=str).encode("utf-8")
        ).hexdigest()
        self._state["rejected_etag"] = etag
        if self._state["last_rejection"] == digest:
            self._save()
            return  # the same bad answer again: one event is enough
        self._state["last_rejection"] = digest
        self._save()
        if self.raise_event is not None:
            self.raise_event(self._rejection_event(refusal, envelope, digest))

    def _rejection_event(self, refusal: PolicyRejected, envelope: object, digest: str) -> dict:
        key_id = envelope.get("key_id") if isinstance(envelope, dict) else None
        evidence = {"reason": refusal.code, "kept_revision": self.revision}
        if isinstance(key_id, str):
            evidence["key_id"] = key_id[:64]
        return {
            "event_id": secrets.token_hex(16),
            "time": _iso(self._clock()),
            "kind": "server",
            "rule_id": REJECTED_RULE,
            "severity": "high",
            "action": "blocked",
            "fingerprint": hashlib.sha256(f"{REJECTED_RULE}:{digest}".encode()).hexdigest()[:32],
            "message": refusal.message[:2000],
            "evidence": evidence,
        }

    def _failed(self, error: Optional[str], retry_after: Optional[float]) -> float:
        self.error = f"cannot fetch policy: {error}"
        return self.backoff.next_delay(retry_after)

    # -- persistence ------------------------------------------------------------------------

    def _load(self) -> None:
        try:
            with open(self._path, encoding="utf-8") as fh:
                saved = json.load(fh)
        except FileNotFoundError:
            return
        except (OSError, ValueError) as err:
            self.load_error = f"cannot read {STATE_FILE}: {err}"
            return
        if not isinstance(saved, dict):
            self.load_error = f"cannot read {STATE_FILE}: not a JSON object"
            return
        self._state.update({k: saved.get(k) for k in self._state})
        # The trusted keys may have changed since a refusal: fetch that answer again rather
        # than let its ETag turn it into a 304 (the refusal digest still prevents a repeat
        # event if it is refused again).
        self._state["rejected_etag"] = None
        if self._state["envelope"] is None:
            return
        # Re-verify what is on disk: the file is data, and the trusted keys may have changed.
        try:
            payload = verified_payload(self._state["envelope"], self.keys)
            self._document = json.loads(payload.decode("utf-8"))
            self._state["revision"] = self._document["revision"]
            if self._document.get("audience") != self.lab_id:
                raise ValueError("it is signed for another lab")
        except (PolicyRejected, ValueError, TypeError, KeyError) as err:
            self.load_error = f"stored central policy no longer verifies: {err}"
            self._document = None
            self._state["etag"] = None
            self._state["revision"] = None
            return
        self._floor = {"revision": self._state["revision"],
                       "content": content_digest(self._document)}

    def _load_floor(self) -> None:
        """Raise the floor to the floor file's; a stored policy below it is a rollback."""
        self._read_floor_file()
        floor = self.floor_revision
        if self._document is not None and floor is not None and self.revision < floor:
            problem = (f"stored central policy revision {self.revision} is older than "
                       f"revision {floor} (the highest accepted or c.Warden.central_min_revision);"
                       " not used")
            self.load_error = "; ".join(p for p in (self.load_error, problem) if p)
            self._document = None
            self._state["etag"] = None

    def _read_floor_file(self) -> None:
        try:
            saved = read_floor(self._floor_path)
        except (OSError, ValueError) as err:
            problem = f"cannot read the policy floor {self._floor_path}: {err}"
            self.load_error = "; ".join(p for p in (self.load_error, problem) if p)
            return
        if saved is None:
            if self._floor["revision"] is not None:
                self._save_floor()  # e.g. the first start of this version: record it
            return
        revision, content = saved
        if self._floor["revision"] is None or revision > self._floor["revision"]:
            self._floor = {"revision": revision, "content": content}

    def _save_floor(self) -> None:
        # The floor may live where only the admin writes (a pinned floor): then it is read,
        # never written, and the floor in memory still rises for this run.
        try:
            write_floor(self._floor_path, self._floor["revision"], self._floor["content"])
            self._floor_save_failed = False
        except OSError as err:
            if not self._floor_save_failed:
                self.log.warning("Warden: cannot write the policy floor %s: %s",
                                 self._floor_path, err.strerror)
            self._floor_save_failed = True

    def _save(self) -> None:
        tmp = self._path + ".tmp"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(self._state, fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self._path)


def _identity(whoami: dict) -> dict:
    """Who central says we are, with types checked (the answer is data from the network)."""
    groups = whoami.get("groups")
    return {
        "lab": whoami.get("lab") if isinstance(whoami.get("lab"), str) else None,
        "user": whoami.get("user") if isinstance(whoami.get("user"), str) else None,
        "groups": [g for g in groups if isinstance(g, str)] if isinstance(groups, list) else [],
    }


def _iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")
