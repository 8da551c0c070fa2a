"""What the lab server tells a kernel's guard, and how the guard knows the server said it.

Two channels notebook code cannot forge (docs/threat-model.md says what still can):

* the policy file is pinned by its SHA-256, which the server puts in the kernel's launch
  environment from its own memory (``WARDEN_POLICY_SHA256``): a rewritten file is refused;
* later policy updates are HMAC-SHA256'd with a per-kernel key the server delivers in a 0600
  file named in the launch environment (``WARDEN_KERNEL_KEY_FILE``); the guard reads and
  unlinks it at start, before any user code. Each update carries a counter that must grow, so
  an old (looser) update cannot be replayed.

The update envelope is defined here once (the lab's ``bootstrap.py`` builds it with ``seal``):
``{"message": <JSON text>, "mac": <hex>}``, the message holding ``kernel_id``, ``counter``,
``policy_json`` (the exact policy bytes, as text), ``policy_file`` (where the server wrote those
bytes, for children started later), ``rules`` (the runtime rule catalog) and, optionally,
``artifacts`` (the fleet's artifact decisions and scan verdicts, issue 19).
Standard library only, Python >= 3.8.
"""

from __future__ import annotations

import os

from .. import json_read
from .sha import equal_digests, sha256

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only: typing is not imported at interpreter start
    from typing import Optional, Tuple

# Domain separation: this key signs nothing else.
_CONTEXT = b"jupyter-warden policy update v1\n"
KEY_BYTES = 32


def digest(data: bytes) -> str:
    return sha256(data).hexdigest()


def mac(key: bytes, message: str) -> str:
    import hashlib
    import hmac  # updates only: not on the start-up path (sha.py)

    return hmac.new(key, _CONTEXT + message.encode("utf-8"), hashlib.sha256).hexdigest()


def seal(
    key: bytes,
    *,
    kernel_id: str,
    counter: int,
    policy_json: str,
    policy_file,
    rules,
    artifacts=None,
):
    """The envelope for one policy update (the lab server's side). ``artifacts``: the fleet's
    decisions and scan verdicts (guard/provenance/fleet.py), when the lab has them."""
    body = {
        "kernel_id": kernel_id,
        "counter": int(counter),
        "policy_json": policy_json,
        "policy_file": policy_file,
        "rules": rules,
    }
    if artifacts is not None:
        body["artifacts"] = artifacts
    import json  # the lab server's side: not on a kernel's start-up path

    message = json.dumps(body, sort_keys=True)
    return {"message": message, "mac": mac(key, message)}


def read_pinned_policy(path: str, expected: Optional[str]) -> Tuple[Optional[dict], Optional[str]]:
    """(policy, None) from the file if its bytes match ``expected`` (when given), else
    (None, why). No digest means the launcher did not pin it (an admin kernelspec): accepted,
    and ``status()`` says the policy is not pinned."""
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        return None, f"policy file {path} unreadable: {exc}"
    if expected is not None and not equal_digests(digest(data), expected.lower()):
        return None, (
            f"policy file {path} was altered after the lab server wrote it (its SHA-256 is not "
            "the one this kernel was launched with)"
        )
    try:
        policy = json_read.loads(data.decode("utf-8"))
    except ValueError as exc:
        return None, f"policy file {path} unreadable: {exc}"
    if not isinstance(policy, dict):
        return None, f"policy file {path} is not a JSON object"
    return policy, None


def take_key_file(path: str) -> Tuple[Optional[bytes], Optional[str]]:
    """Read the launch key and unlink its file (one use: code that runs later cannot read it)."""
    try:
        with open(path, "rb") as fh:
            key = fh.read(KEY_BYTES + 1)
    except OSError as exc:
        return None, f"policy-update key file unreadable ({exc.strerror}): updates refused"
    finally:
        try:
            os.unlink(path)
        except OSError:
            pass
    if len(key) != KEY_BYTES:
        return None, "policy-update key file malformed: updates refused"
    return key, None


def counter_of(envelope) -> int:
    """The counter an envelope claims (unverified: only to skip one older than the update
    applied; a claimed newer one is then checked in full). -1 when it names none."""
    try:
        counter = json_read.loads(envelope["message"])["counter"]
    except (ValueError, KeyError, TypeError):
        return -1
    return counter if isinstance(counter, int) and not isinstance(counter, bool) else -1


class UpdateAuthority:
    """Checks policy updates pushed to a running guard: right MAC, this key, a new counter."""

    def __init__(self, key: Optional[bytes]):
        self._key = key
        self.counter = 0

    @property
    def keyed(self) -> bool:
        return self._key is not None

    def accept(self, envelope) -> Tuple[Optional[dict], Optional[str]]:
        """(message, None) for an authentic new update, else (None, why it is refused)."""
        if self._key is None:
            return None, "this kernel holds no policy-update key from the lab server"
        if not isinstance(envelope, dict):
            return None, "the update is not signed by the lab server"
        message, tag = envelope.get("message"), envelope.get("mac")
        if not isinstance(message, str) or not isinstance(tag, str):
            return None, "the update is not signed by the lab server"
        if not equal_digests(mac(self._key, message), tag):
            return None, "the update's signature does not match this kernel's key"
        try:
            body = json_read.loads(message)
            counter = body["counter"]
            policy = json_read.loads(body["policy_json"])
        except (ValueError, KeyError, TypeError) as exc:
            return None, f"the signed update is malformed ({type(exc).__name__})"
        if not isinstance(counter, int) or counter <= self.counter:
            return None, "the update is older than one already applied (a replay)"
        if not isinstance(policy, dict):
            return None, "the signed policy is not a JSON object"
        self.counter = counter
        body["policy"] = policy
        return body, None
