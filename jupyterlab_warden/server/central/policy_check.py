"""Decide whether a verified central policy may replace the last good one.

Pure logic: schema, expiry, scope and revision. The signature is checked before this
(``signing.verified_payload``).
"""

import json
from functools import lru_cache
from datetime import datetime, timezone
from typing import Iterable, Optional

from jsonschema import Draft202012Validator

from ...contracts import load_contract
from .signing import PolicyRejected


def parse_time(value: str) -> datetime:
    text = value.strip().replace("z", "Z").replace("Z", "+00:00")
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def checked_policy(
    payload: bytes,
    *,
    now: datetime,
    last_revision: Optional[int],
    identity: dict,
) -> dict:
    """The policy document in ``payload`` if it may be used now, else PolicyRejected.

    ``identity`` is who central says this lab is (``GET /api/v1/whoami``: lab, user,
    groups); a policy scoped to someone else is refused. An equal revision is a legitimate
    re-issue with a fresh expiry; a lower one is a replay.
    """
    try:
        document = json.loads(payload.decode("utf-8"))
    except ValueError as err:
        raise PolicyRejected("malformed", "signed policy is not JSON") from err
    error = next(iter(_policy_validator().iter_errors(document)), None)
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "policy"
        raise PolicyRejected("schema", f"policy fails the policy schema at {where}")
    revision = document["revision"]
    if last_revision is not None and revision < last_revision:
        raise PolicyRejected(
            "old_revision", f"policy revision {revision} is older than {last_revision}"
        )
    expires_at = document.get("expires_at")
    if expires_at is not None and parse_time(expires_at) <= now:
        raise PolicyRejected("expired", f"policy revision {revision} expired at {expires_at}")
    issued_at = document.get("issued_at")
    if issued_at is not None and expires_at is not None:
        if parse_time(issued_at) > parse_time(expires_at):
            raise PolicyRejected("schema", "policy is issued after it expires")
    if not applies_to(document.get("scope") or {}, identity):
        raise PolicyRejected("scope", f"policy revision {revision} is scoped to someone else")
    return document


@lru_cache(maxsize=1)
def _policy_validator() -> Draft202012Validator:
    return Draft202012Validator(
        load_contract("policy.schema.json"), format_checker=Draft202012Validator.FORMAT_CHECKER
    )


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
