"""Build contract-3 events (kind ``sandbox`` / ``server``) from a posture report.

One event per failing check. The fingerprint hashes the rule and its evidence with
volatile parts (pids, kernel and container ids) masked, so re-running the probe on an unchanged
machine yields the same fingerprints while ``event_id`` stays unique per emission.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone
from typing import Dict, List, Mapping, Optional

# UUIDs (kernel ids), long hex runs (container ids in cgroup paths) and 3+ digit numbers (pids).
VOLATILE = re.compile(
    r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{12,}|\d{3,}"
)
SOURCE_BY_KIND = {"sandbox": "kernel", "server": "server"}
MAX_PROPERTIES = 32
MAX_STRING = 1000
MAX_ITEMS = 100


def _clean_value(value):
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, str):
        return value[:MAX_STRING]
    if isinstance(value, (list, tuple)):
        items = [v for v in value if isinstance(v, (str, int, float, bool))]
        return [v[:MAX_STRING] if isinstance(v, str) else v for v in items[:MAX_ITEMS]]
    return str(value)[:MAX_STRING]


def event_evidence(evidence: Mapping[str, object]) -> Dict[str, object]:
    """Evidence cut to the event schema's limits (flat, bounded)."""
    return {str(k): _clean_value(v) for k, v in list(evidence.items())[:MAX_PROPERTIES]}


def _normalise(value):
    if isinstance(value, str):
        return VOLATILE.sub("*", value)
    if isinstance(value, list):
        return sorted({json.dumps(_normalise(v)) for v in value})
    return value


def fingerprint(kind: str, rule_id: str, evidence: Mapping[str, object]) -> str:
    import hashlib  # imported here: the probe in a fresh kernel does not need it

    stable = {k: _normalise(v) for k, v in evidence.items() if k != "limited_at"}
    blob = json.dumps([kind, rule_id, stable], sort_keys=True, default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:32]


def posture_events(
    report: Mapping, kernel_id: Optional[str] = None, now: Optional[datetime] = None
) -> List[dict]:
    """Events for the failing checks of a scored report (probe or server)."""
    import uuid

    kind = report["kind"]
    when = (now or datetime.now(timezone.utc)).isoformat().replace("+00:00", "Z")
    events = []
    for check in report["checks"]:
        if check["status"] != "fail":
            continue
        evidence = event_evidence(check.get("evidence", {}))
        event = {
            "event_id": uuid.uuid4().hex,
            "time": when,
            "kind": kind,
            "rule_id": check["rule_id"],
            "severity": check["severity"],
            "action": "warned",  # posture findings never block anything
            "fingerprint": fingerprint(kind, check["rule_id"], evidence),
            "message": check.get("title", check["rule_id"])[:2000],
            "evidence": evidence,
            "source": SOURCE_BY_KIND.get(kind, "server"),
        }
        if kernel_id:
            event["location"] = {"kernel_id": str(kernel_id)[:200]}
        events.append(event)
    return events
