"""Is a policy document acceptable? Schema first, then what a schema cannot say.

The one validator of policy documents: the lab's policy store and the central client
(``lab/central/policy_check.py``) both ask it. Its meaning is pinned by
``schema/vectors/policy-validity.json`` (run by tests/contracts/test_vectors.py).
"""

from datetime import datetime, timezone
from typing import Any, Dict, List, NamedTuple, Optional

import jsonschema

from ...kernel.contracts import load_contract, rule_catalog
from ...kernel.guard.installs.versions import version_key


class Problem(NamedTuple):
    """One reason a document is unusable. ``code`` is the vectors' reason code (schema,
    unknown_rule, expired, issued_not_before_expiry, advisory_version); ``path`` the JSON
    pointer of a schema error or of an advisory version (``""`` for the root; None for the
    other checks after the schema)."""

    code: str
    path: Optional[str]
    message: str


class PolicyError(ValueError):
    """A policy document that must not be used; ``problems`` lists every reason."""

    def __init__(self, source: str, problems: List[str]):
        self.source = source
        self.problems = problems
        super().__init__(f"{source}: " + "; ".join(problems))


def _validator() -> jsonschema.protocols.Validator:
    schema = load_contract("policy.schema.json")
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


_VALIDATOR = _validator()


def parse_time(value: str) -> datetime:
    """An RFC 3339 time (the schema has checked its format) as an aware datetime."""
    moment = datetime.fromisoformat(value.strip().replace("z", "Z").replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _pointer(parts: Any) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def policy_problems(doc: Any, now: Optional[datetime] = None) -> List[Problem]:
    """Every problem with ``doc`` at ``now`` (default: the clock), in the vectors' order:
    schema errors (when there are any, nothing else is checked), unknown rule ids, expiry,
    an ``issued_at`` not before ``expires_at``, then advisory versions that are not versions.
    Empty when the document is usable."""
    problems = []
    for error in sorted(_VALIDATOR.iter_errors(doc), key=lambda e: list(map(str, e.absolute_path))):
        where = "/".join(str(p) for p in error.absolute_path) or "(top level)"
        problems.append(
            Problem("schema", _pointer(error.absolute_path), f"{where}: {error.message}")
        )
    if problems:
        return problems
    unknown = sorted(set(doc.get("rules", {})) - set(rule_catalog()))
    if unknown:
        problems.append(Problem("unknown_rule", None, "unknown rule ids: " + ", ".join(unknown)))
    now = now or datetime.now(timezone.utc)
    expires = doc.get("expires_at")
    if expires and parse_time(expires) <= now:
        problems.append(Problem("expired", None, f"expired at {expires}"))
    issued = doc.get("issued_at")
    if issued and expires and parse_time(issued) >= parse_time(expires):
        problems.append(
            Problem("issued_not_before_expiry", None, "issued_at is not before expires_at")
        )
    problems.extend(_advisory_version_problems(doc))
    return problems


def _advisory_version_problems(doc: dict) -> List[Problem]:
    """Advisory range bounds and listed versions the kernels cannot place (not PEP 440, as
    ``installs/versions.py`` reads them): a bound makes every install under the policy refused
    (the advisories cannot be read), a listed version never matches. The schema's pattern
    only limits the characters."""
    out = []
    advisories = (doc.get("dependencies") or {}).get("advisories") or []
    for i, record in enumerate(advisories):
        for j, affected in enumerate(record.get("affected", [])):
            at = f"/dependencies/advisories/{i}/affected/{j}"
            for k, limits in enumerate(affected.get("ranges", [])):
                for m, event in enumerate(limits.get("events", [])):
                    for kind, value in event.items():
                        if version_key(value) is None:
                            out.append(
                                Problem(
                                    "advisory_version",
                                    f"{at}/ranges/{k}/events/{m}/{kind}",
                                    f"advisory {record.get('id')}: the {kind} bound {value!r} is "
                                    "not a PEP 440 version",
                                )
                            )
            for k, value in enumerate(affected.get("versions", [])):
                if version_key(value) is None:
                    out.append(
                        Problem(
                            "advisory_version",
                            f"{at}/versions/{k}",
                            f"advisory {record.get('id')}: the listed version {value!r} is not "
                            "a PEP 440 version",
                        )
                    )
    return out


def validate_policy(doc: Any, now: Optional[datetime] = None) -> List[str]:
    """Every problem with ``doc``, as sentences an admin can act on; empty when it is usable."""
    return [p.message for p in policy_problems(doc, now)]


def user_settings_problems(stricter: Any) -> List[str]:
    """Every problem with a user's ``stricterRules`` (schema/settings/policy.json); empty
    when they may be applied. A rule id the catalog does not know is not a problem: ignored."""
    schema = load_contract("settings/policy.json")["properties"]["stricterRules"]
    cls = jsonschema.validators.validator_for(schema)
    return [
        ("/".join(str(p) for p in e.absolute_path) or "(top level)") + ": " + e.message
        for e in cls(schema).iter_errors(stricter)
    ]


def check_policy(source: str, doc: Any, now: Optional[datetime] = None) -> Dict[str, Any]:
    """``doc`` if usable, else raise PolicyError naming the source."""
    problems = validate_policy(doc, now)
    if problems:
        raise PolicyError(source, problems)
    return doc
