"""Decide whether a verified central policy may replace the last good one.

Pure logic: audience, revision, validity window, scope. Whether the document itself is valid
(schema, known rule ids, expiry, issued before expiry) is the lab's one validator's question
(``policy/validate.py``). The signature is checked before this (``signing.verified_payload``).
"""

import hashlib
import json
from datetime import datetime
from typing import Iterable, Optional

from ..policy.validate import parse_time, policy_problems
from .signing import PolicyRejected


def checked_policy(
    payload: bytes,
    *,
    now: datetime,
    last_revision: Optional[int],
    identity: dict,
    audience: str,
    max_validity: float,
    last_content: Optional[str] = None,
) -> dict:
    """The policy document in ``payload`` if it may be used now, else PolicyRejected.

    - ``audience``: this lab's name; central signs each served policy for the lab whose token
      fetched it, so a policy signed for another lab cannot be replayed here;
    - ``max_validity``: most seconds between ``issued_at`` and ``expires_at`` (0: no limit);
      a document without an expiry is refused when there is a limit;
    - ``last_revision``/``last_content``: the high-water mark. A lower revision is a replay;
      an equal one is central re-signing the same policy with a fresh window, so it must have
      the same content (``content_digest``);
    - ``identity``: who central says this lab is (``GET /api/v1/whoami``); a policy scoped to
      someone else is refused.
    """
    try:
        document = json.loads(payload.decode("utf-8"))
    except ValueError as err:
        raise PolicyRejected("malformed", "signed policy is not JSON") from err
    if not isinstance(document, dict):
        raise PolicyRejected("schema", "policy fails the policy schema at policy")
    signed_for = document.get("audience")
    if signed_for != audience:
        raise PolicyRejected(
            "audience",
            "policy is signed for another lab" if isinstance(signed_for, str)
            else "policy names no audience (central must sign it for this lab)",
        )
    # The audience is checked here, by name; the schema check sees the policy itself.
    policy_part = {k: v for k, v in document.items() if k != "audience"}
    problems = policy_problems(policy_part, now)
    fault = next((p for p in problems if p.code == "schema"), None)
    if fault is not None:
        raise PolicyRejected("schema", f"policy fails the policy schema at {fault.path or '/'}")
    fault = next((p for p in problems if p.code == "unknown_rule"), None)
    if fault is not None:
        raise PolicyRejected("schema", f"policy names {fault.message}")
    revision = document["revision"]
    if last_revision is not None and revision < last_revision:
        raise PolicyRejected(
            "old_revision", f"policy revision {revision} is older than {last_revision}"
        )
    if (
        last_revision is not None
        and revision == last_revision
        and last_content is not None
        and content_digest(document) != last_content
    ):
        raise PolicyRejected(
            "changed_revision",
            f"policy revision {revision} differs from the revision {revision} already accepted",
        )
    expires_at = document.get("expires_at")
    if any(p.code == "expired" for p in problems):
        raise PolicyRejected("expired", f"policy revision {revision} expired at {expires_at}")
    if any(p.code == "issued_not_before_expiry" for p in problems):
        raise PolicyRejected("schema", "policy is not issued before it expires")
    issued_at = document.get("issued_at")
    if max_validity:
        if expires_at is None or issued_at is None:
            raise PolicyRejected(
                "validity", "policy lacks issued_at or expires_at; this lab requires both"
            )
        span = (parse_time(expires_at) - parse_time(issued_at)).total_seconds()
        if span > max_validity:
            raise PolicyRejected(
                "validity",
                f"policy is valid for {span / 86400:.1f} days, more than the "
                f"{max_validity / 86400:g} days this lab accepts",
            )
    if not applies_to(document.get("scope") or {}, identity):
        raise PolicyRejected("scope", f"policy revision {revision} is scoped to someone else")
    return document


# Central re-signs an unchanged policy with a fresh window under the same revision.
_WINDOW = ("issued_at", "expires_at")


def content_digest(document: dict) -> str:
    """What must not change under one revision: everything but the validity window."""
    content = {k: v for k, v in document.items() if k not in _WINDOW}
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def applies_to(scope: dict, identity: dict) -> bool:
    """central/API.md: a scope matches when every non-empty list (labs, groups, users) names
    the caller; an empty scope is for everyone."""
    labs, users, groups = (list(scope.get(k) or []) for k in ("labs", "users", "groups"))
    if labs and identity.get("lab") not in labs:
        return False
    if users and (identity.get("user") is None or identity.get("user") not in users):
        return False
    if groups and not (_set(identity.get("groups")) & set(groups)):
        return False
    return True


def is_expired(document: dict, now: datetime) -> bool:
    expires_at = document.get("expires_at")
    return expires_at is not None and parse_time(expires_at) <= now


def _set(values: Optional[Iterable[str]]) -> set:
    return set(values or [])
