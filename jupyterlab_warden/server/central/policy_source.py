"""The central policy as one link of the lab's policy chain (built-in < admin file < central).

Fetches the signed policy (long poll with ETag), verifies signature and key, schema, scope,
expiry and that the revision is not older than the last accepted; keeps the last good one
on disk (``central-policy.json`` in the data dir) so a restart without central still has
it. A refused answer keeps the last good policy and raises one ``central-policy-rejected``
event per distinct refusal.

For the lead's policy chain: ``.document`` (the last good verified policy dict, or None —
also None once it has expired), ``.status()`` and ``.on_change`` (callbacks taking the new
document or None).
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
from .policy_check import checked_policy, is_expired
from .signing import PolicyRejected, verified_payload

REJECTED_RULE = "central-policy-rejected"
STATE_FILE = "central-policy.json"


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
        self._clock = clock
        self._path = os.path.join(data_dir, STATE_FILE)
        self._identity: Optional[dict] = None
        self._document: Optional[dict] = None
        self._state = {"envelope": None, "etag": None, "revision": None, "identity": None,
                       "rejected_etag": None, "last_rejection": None}
        self.last_fetch: Optional[str] = None
        self._expiry_told = False
        self.error: Optional[str] = None
        self._load()

    # -- what the policy chain reads ------------------------------------------------------

    @property
    def document(self) -> Optional[dict]:
        """The last good verified policy, or None (none yet, or it has expired)."""
        if self._document is not None and is_expired(self._document, self._clock()):
            return None
        return self._document

    @property
    def revision(self) -> Optional[int]:
        return self._document["revision"] if self._document else None

    def status(self) -> dict:
        error = self.error
        if self._document is not None and self.document is None:
            error = error or f"last good policy expired at {self._document.get('expires_at')}"
        return {"url": self.url or None, "revision": self.revision,
                "last_fetch": self.last_fetch, "error": error}

    # -- fetching ---------------------------------------------------------------------------

    async def run(self) -> None:
        while True:
            delay = await self.fetch_once()
            await asyncio.sleep(delay)

    async def fetch_once(self) -> float:
        """One fetch; returns seconds to wait before the next."""
        self._notice_expiry()
        if self.client is None:
            return self.poll_interval
        if self._identity is None:
            answer = await self.client.whoami()
            if not answer.ok:
                return self._failed(f"whoami: {answer.error}", answer.retry_after)
            self._identity = _identity(answer.body)
            self._state["identity"] = self._identity
        etag = self._state["rejected_etag"] or self._state["etag"]
        answer = await self.client.get_policy(etag, self.wait)
        self.last_fetch = _iso(self._clock())
        if not answer.ok:
            return self._failed(answer.error, answer.retry_after)
        self.backoff.reset()
        if answer.status == 304:
            self.error = None if self._state["rejected_etag"] is None else self.error
            return 0.5 if self.wait else self.poll_interval
        self.accept(answer.body, answer.headers.get("ETag"))
        return 0.5 if self.wait else self.poll_interval

    def accept(self, envelope: object, etag: Optional[str]) -> bool:
        """Verify and adopt a policy answer; False (and the last good kept) if refused."""
        try:
            payload = verified_payload(envelope, self.keys)
            document = checked_policy(
                payload, now=self._clock(), last_revision=self._state["revision"],
                identity=self._identity or self._state.get("identity") or {},
            )
        except PolicyRejected as refusal:
            self._refused(refusal, envelope, etag)
            return False
        changed = document != self._document
        self._document = document
        self._state.update(envelope=envelope, etag=etag, revision=document["revision"],
                           rejected_etag=None, last_rejection=None)
        self.error = None
        self._save()
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

    def _notice_expiry(self) -> None:
        """Tell the chain once when the last good policy runs out (central unreachable)."""
        expired = self._document is not None and self.document is None
        if expired and not self._expiry_told:
            self._expiry_told = True
            for callback in list(self.on_change):
                callback(None)
        elif not expired:
            self._expiry_told = False

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
            self.error = f"cannot read {STATE_FILE}: {err}"
            return
        if not isinstance(saved, dict):
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
        except (PolicyRejected, ValueError) as err:
            self.error = f"stored central policy no longer verifies: {err}"
            self._document = None
            self._state["etag"] = None

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
