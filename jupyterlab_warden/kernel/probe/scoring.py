"""Turn check results into a scored report, with metadata from the rule catalog only.

Shared by the in-kernel probe and the server checks (standard library only). The score is
the share of passed weight among the checks whose status is known:
``round(100 * passed_weight / known_weight)`` with weights critical 10, high 6, medium 3,
low 1, info 0; ``unknown`` checks count neither way and are listed as such.
"""

from __future__ import annotations

from typing import Dict, Iterable, List, Mapping, Optional, Sequence

from ..contracts import rule_catalog

SEVERITY_ORDER = ("info", "low", "medium", "high", "critical")
SEVERITY_WEIGHT = {"info": 0, "low": 1, "medium": 3, "high": 6, "critical": 10}
STATUSES = ("pass", "fail", "unknown")


def enrich(
    results: Iterable[Sequence], layer: str, catalog: Optional[Mapping[str, dict]] = None
) -> List[dict]:
    """``(rule_id, status, evidence)`` triples → check dicts carrying catalog metadata,
    in catalog order."""
    catalog = rule_catalog() if catalog is None else catalog
    order = {rule_id: i for i, rule_id in enumerate(catalog)}
    checks = []
    for rule_id, status, evidence in sorted(results, key=lambda r: order.get(r[0], -1)):
        rule = catalog.get(rule_id)
        if rule is None or rule["layer"] != layer:
            raise KeyError(f"rule {rule_id!r} is not a {layer} rule in the catalog")
        checks.append(
            {
                "rule_id": rule_id,
                "title": rule["title"],
                "status": status,
                "severity": rule["severity"],
                "evidence": dict(evidence),
                "remediation": rule["remediation"],
            }
        )
    return checks


def score(checks: Sequence[Mapping]) -> Dict[str, object]:
    """Score 0-100, the worst failing severity (None when nothing fails) and counts."""
    counts = {s: 0 for s in STATUSES}
    passed = known = 0
    worst = -1
    for c in checks:
        counts[c["status"]] += 1
        if c["status"] == "unknown":
            continue
        weight = SEVERITY_WEIGHT[c["severity"]]
        known += weight
        if c["status"] == "pass":
            passed += weight
        else:
            worst = max(worst, SEVERITY_ORDER.index(c["severity"]))
    return {
        "score": 100 if known == 0 else round(100 * passed / known),
        "worst_severity": SEVERITY_ORDER[worst] if worst >= 0 else None,
        "counts": counts,
    }


def scored_report(kind: str, checks: List[dict], **extra) -> dict:
    report = {"kind": kind, "version": 1}
    report.update(extra)
    report["checks"] = checks
    report.update(score(checks))
    return report
