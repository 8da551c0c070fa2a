"""Check an incoming event against the event contract (schema/event.schema.json).

Pure logic: no I/O apart from reading the contract once. The reason returned is short,
names the offending field and never echoes field values (they may hold anything).
"""

import json
from typing import Optional

from jsonschema import Draft202012Validator

from ...contracts import load_contract

# One serialised event may not be larger than this; evidence is meant to be small facts.
MAX_EVENT_BYTES = 16 * 1024


class EventValidator:
    """Validates event dicts; ``reason(event)`` is None for a valid event."""

    def __init__(self, max_event_bytes: int = MAX_EVENT_BYTES) -> None:
        schema = load_contract("event.schema.json")
        self._validator = Draft202012Validator(
            schema, format_checker=Draft202012Validator.FORMAT_CHECKER
        )
        self.max_event_bytes = max_event_bytes

    def reason(self, event: object) -> Optional[str]:
        if not isinstance(event, dict):
            return "an event must be a JSON object"
        size = len(json.dumps(event, separators=(",", ":"), ensure_ascii=False).encode("utf-8"))
        if size > self.max_event_bytes:
            return f"event is {size} bytes, more than the limit of {self.max_event_bytes}"
        error = next(iter(sorted(self._validator.iter_errors(event), key=_error_order)), None)
        if error is None:
            return None
        return _describe(error)


def _error_order(error) -> tuple:
    return (len(error.absolute_path), str(list(error.absolute_path)))


def _describe(error) -> str:
    where = "/".join(str(part) for part in error.absolute_path) or "event"
    validator = error.validator
    if validator == "required":
        missing = [name for name in error.validator_value if name not in error.instance]
        return f"{where}: missing required field(s) {', '.join(missing)}"
    if validator == "additionalProperties":
        allowed = set(error.schema.get("properties", {}))
        extra = sorted(str(k) for k in error.instance if k not in allowed)[:5]
        return f"{where}: unknown field(s) {', '.join(extra)}"
    if validator == "enum":
        allowed = ", ".join(str(v) for v in error.validator_value)
        return f"{where}: must be one of {allowed}"
    if validator == "format":
        return f"{where}: not a valid {error.validator_value}"
    if validator == "pattern":
        return f"{where}: does not match the required pattern"
    if validator == "type":
        return f"{where}: must be of type {error.validator_value}"
    if validator in ("maxLength", "minLength", "maxItems", "maxProperties", "minimum"):
        return f"{where}: violates {validator} {error.validator_value}"
    return f"{where}: fails schema check '{validator}'"
