"""Check an incoming event against the event contract (schema/event.schema.json).

Pure logic: no I/O apart from reading the contract once. The reason returned is short,
names the offending field and never echoes field values (they may hold anything).

Valid events are checked by a compiled validator (fastjsonschema, ~20 us an event); only an
event it refuses goes through jsonschema, which explains the first error. Both apply the
same strict RFC 3339 date-time check, and a fuzz test holds them to the same verdicts.
"""

import json
import re
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from typing import Optional

import fastjsonschema
from jsonschema import Draft202012Validator, FormatChecker

from ...kernel.contracts import load_contract

# One serialised event may not be larger than this; evidence is meant to be small facts.
MAX_EVENT_BYTES = 16 * 1024


class EventValidator:
    """Validates event dicts; ``reason(event)`` is None for a valid event."""

    def __init__(self, max_event_bytes: int = MAX_EVENT_BYTES) -> None:
        schema = load_contract("event.schema.json")
        self._fast = fastjsonschema.compile(schema, formats={"date-time": is_rfc3339})
        checker = FormatChecker(formats=())
        checker.checks("date-time")(is_rfc3339)
        self._validator = Draft202012Validator(schema, format_checker=checker)
        self.max_event_bytes = max_event_bytes

    def reason(self, event: object) -> Optional[str]:
        if not isinstance(event, dict):
            return "an event must be a JSON object"
        try:
            text = json.dumps(event, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
        except ValueError:  # NaN/Infinity: Python parses them, no JSON consumer would
            return "event holds a number that is not finite (NaN or Infinity)"
        except RecursionError:
            return "event is nested too deeply"
        try:
            size = len(text.encode("utf-8"))
        except UnicodeEncodeError:  # a lone surrogate ("\ud800"): central would refuse it
            return "event holds text that is not valid Unicode (a lone surrogate)"
        if size > self.max_event_bytes:
            return f"event is {size} bytes, more than the limit of {self.max_event_bytes}"
        try:
            self._fast(event)
            return None
        except fastjsonschema.JsonSchemaException:
            pass
        error = next(iter(sorted(self._validator.iter_errors(event), key=_error_order)), None)
        if error is None:  # the two validators disagree: refuse, the strict one wins
            return "event: fails the event schema"
        return _describe(error)


_RFC3339 = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?"
    r"(Z|[+-](\d{2}):(\d{2}))$",
    re.IGNORECASE,
)


@lru_cache(maxsize=4096)  # repeats carry the same few times; parsing is the hot path
def parse_rfc3339(value: str) -> Optional[datetime]:
    """The instant of an RFC 3339 date-time central also accepts, else None.

    Central checks ``format: date-time`` with ajv-formats (a real calendar date, an offset
    of at most 23:59) and then ``Date.parse``, which refuses leap seconds. The lab applies
    the same rules, and refuses what Python cannot represent (year 0, an instant outside
    years 1..9999 once moved to UTC), so no event it accepts is lost later at central.
    """
    match = _RFC3339.match(value)
    if match is None:
        return None
    year, month, day, hour, minute, second = (int(match.group(i)) for i in range(1, 7))
    fraction, zone = match.group(7) or "", match.group(8).upper()
    if second > 59 or hour > 23 or minute > 59:
        return None
    offset = None
    if zone != "Z":
        off_h, off_m = int(match.group(9)), int(match.group(10))
        if off_h > 23 or off_m > 59:
            return None
        offset = (off_h * 60 + off_m) * (-1 if zone[0] == "-" else 1)
    try:
        moment = datetime(year, month, day, hour, minute, second, int(fraction[:6].ljust(6, "0")))
        if offset is not None:
            moment = moment.replace(tzinfo=timezone(timedelta(minutes=offset)))
            return moment.astimezone(timezone.utc)
        return moment.replace(tzinfo=timezone.utc)
    except (ValueError, OverflowError):  # 2026-02-30, year 0, out of range once in UTC
        return None


def is_rfc3339(value: object) -> bool:
    """A date-time central accepts (see ``parse_rfc3339``); non-strings pass (the type
    check is the schema's)."""
    if not isinstance(value, str):
        return True
    return parse_rfc3339(value) is not None


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
