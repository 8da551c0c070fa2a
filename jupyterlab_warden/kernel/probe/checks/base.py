"""What every sandbox check shares: the context it reads, its result, the registry.

A check only decides a status and gathers evidence; severity, title and remediation come
from the rule catalog (``scoring.enrich``). Evidence is flat (strings, numbers, booleans,
lists of strings) and never holds a secret's value or a file's contents.
"""

from __future__ import annotations

from typing import Callable, Dict, List, NamedTuple, Tuple

from ..events import event_evidence
from ..facts import Access, Facts
from ..hostview import HostView

PASS, FAIL, UNKNOWN = "pass", "fail", "unknown"


class Context(NamedTuple):
    view: HostView
    facts: Facts
    access: Access


class CheckResult(NamedTuple):
    rule_id: str
    status: str
    evidence: Dict[str, object]


Check = Callable[[Context], Tuple[str, Dict[str, object]]]
CHECKS: List[Tuple[str, Check]] = []


def check(rule_id: str) -> Callable[[Check], Check]:
    def register(fn: Check) -> Check:
        CHECKS.append((rule_id, fn))
        return fn

    return register


NOT_IN_CONTAINER = {"applicable": False, "reason": "no container detected (sandbox-no-container)"}


def run_checks(view: HostView, facts: Facts) -> List[CheckResult]:
    """Every registered check, in catalog order of registration; a crash is ``unknown``."""
    ctx = Context(view, facts, Access(view, facts))
    results = []
    for rule_id, fn in CHECKS:
        try:
            status, evidence = fn(ctx)
        except Exception as exc:  # noqa: BLE001 - one broken check must not hide the others
            status, evidence = UNKNOWN, {"reason": f"check failed: {type(exc).__name__}"}
        # Bounded to the event and report schemas (paths from mountinfo can be long).
        results.append(CheckResult(rule_id, status, event_evidence(evidence)))
    return results
