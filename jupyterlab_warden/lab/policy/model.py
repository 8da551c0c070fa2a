"""Actions, severities and what a policy decides for one rule.

The orders come from the policy schema's enums (least to most strict), so no layer keeps a
second list of them.
"""

from typing import Any, Dict, Optional, Tuple

from ...kernel.contracts import load_contract

_DEFS = load_contract("policy.schema.json")["$defs"]
ACTIONS: Tuple[str, ...] = tuple(_DEFS["action"]["enum"])  # off < warn < confirm < block
SEVERITIES: Tuple[str, ...] = tuple(_DEFS["severity"]["enum"])  # info < ... < critical


def stricter_action(a: str, b: str) -> str:
    """The stricter of two actions."""
    return a if ACTIONS.index(a) >= ACTIONS.index(b) else b


def higher_severity(a: str, b: str) -> str:
    return a if SEVERITIES.index(a) >= SEVERITIES.index(b) else b


def rule_decision(
    policy: Dict[str, Any], catalog: Dict[str, Dict[str, Any]], rule_id: str
) -> Tuple[str, str]:
    """(action, severity) for a rule: the policy's own setting for the rule, else the catalog's
    default raised (never lowered) by the policy's ``default_action``. Lowering a rule takes
    naming it, so a broad default cannot switch off, say, the runtime pickle block."""
    rule = catalog[rule_id]
    setting: Dict[str, Any] = policy.get("rules", {}).get(rule_id, {})
    action: Optional[str] = setting.get("action")
    if not action:
        action = rule["action"]
        if policy.get("default_action"):
            action = stricter_action(action, policy["default_action"])
    return action, setting.get("severity", rule["severity"])
