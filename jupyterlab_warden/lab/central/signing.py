"""Ed25519 signatures on central policies (wire format: central/API.md, "Policy").

Pure functions over bytes; no network. Central signs the exact policy JSON bytes and sends
them base64url-encoded; we verify those decoded bytes before parsing anything in them.
"""

import base64
import binascii
import hashlib
from typing import Dict, Mapping

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey


class PolicyRejected(Exception):
    """A policy answer that must not be used. ``code`` is stable, for events and counters."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def b64url_decode(text: str) -> bytes:
    if not isinstance(text, str):
        raise ValueError("not a string")
    # validate=True: characters outside the alphabet are an error, not silently skipped
    return base64.b64decode(text + "=" * (-len(text) % 4), altchars=b"-_", validate=True)


def b64url_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def key_id_of(public_key: Ed25519PublicKey) -> str:
    """Central's key id: first 16 hex chars of sha256 of the raw 32-byte public key."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def load_public_key(text: str) -> Ed25519PublicKey:
    """A public key given as PEM or as base64url of its raw 32 bytes."""
    text = text.strip()
    if text.startswith("-----BEGIN"):
        key = serialization.load_pem_public_key(text.encode("ascii"))
        if not isinstance(key, Ed25519PublicKey):
            raise ValueError("not an Ed25519 public key")
        return key
    raw = b64url_decode(text)
    if len(raw) != 32:
        raise ValueError("an Ed25519 public key is 32 bytes")
    return Ed25519PublicKey.from_public_bytes(raw)


def load_public_keys(configured: Mapping[str, str]) -> Dict[str, Ed25519PublicKey]:
    """Parse ``c.Warden.central_public_keys``; a key whose id does not match is an error."""
    keys = {}
    for key_id, text in configured.items():
        key = load_public_key(text)
        actual = key_id_of(key)
        if key_id != actual:
            raise ValueError(f"central_public_keys: key '{key_id}' has key id {actual}")
        keys[key_id] = key
    return keys


def verified_payload(envelope: object, keys: Mapping[str, Ed25519PublicKey]) -> bytes:
    """The policy bytes of a signed envelope, or PolicyRejected saying why not."""
    if not isinstance(envelope, dict):
        raise PolicyRejected("malformed", "policy answer is not a JSON object")
    if envelope.get("alg") != "Ed25519":
        raise PolicyRejected("bad_algorithm", "policy is not signed with Ed25519")
    key_id = envelope.get("key_id")
    if not keys:
        raise PolicyRejected(
            "unknown_key", "no policy signing keys are configured (c.Warden.central_public_keys)")
    if not isinstance(key_id, str) or key_id not in keys:
        raise PolicyRejected("unknown_key", "policy is signed with a key this lab does not trust")
    try:
        payload = b64url_decode(envelope.get("payload"))
        signature = b64url_decode(envelope.get("signature"))
    except (ValueError, binascii.Error) as err:
        raise PolicyRejected("malformed", "policy payload or signature is not base64url") from err
    try:
        keys[key_id].verify(signature, payload)
    except InvalidSignature as err:
        raise PolicyRejected("bad_signature", "policy signature does not verify") from err
    return payload
