"""Is a policy document acceptable? Schema first, then what a schema cannot say."""

from datetime import datetime, timezone
from typing import Any, Dict, List, Optional

import jsonschema

from ..contracts import load_contract, rule_catalog


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


def _parse_time(value: str) -> datetime:
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def validate_policy(doc: Any, now: Optional[datetime] = None) -> List[str]:
    """Every problem with ``doc``, as sentences an admin can act on; empty when it is usable."""
    problems = []
    for error in sorted(_VALIDATOR.iter_errors(doc), key=lambda e: list(e.absolute_path)):
        where = "/".join(str(p) for p in error.absolute_path) or "(top level)"
        problems.append(f"{where}: {error.message}")
    if problems or not isinstance(doc, dict):
        return problems
    known = rule_catalog()
    unknown = sorted(set(doc.get("rules", {})) - set(known))
    if unknown:
        problems.append("unknown rule ids: " + ", ".join(unknown))
    now = now or datetime.now(timezone.utc)
    expires = doc.get("expires_at")
    if expires and _parse_time(expires) <= now:
        problems.append(f"expired at {expires}")
    issued = doc.get("issued_at")
    if issued and expires and _parse_time(issued) >= _parse_time(expires):
        problems.append("issued_at is not before expires_at")
    return problems


def check_policy(source: str, doc: Any, now: Optional[datetime] = None) -> Dict[str, Any]:
    """``doc`` if usable, else raise PolicyError naming the source."""
    problems = validate_policy(doc, now)
    if problems:
        raise PolicyError(source, problems)
    return doc
