"""Rule metadata from the shared catalog (schema/rules.json), and the policy's action for it.

The guard may run in a kernel whose environment lacks ``jupyterlab_warden`` (installed by the
frontend's bootstrap): then the bootstrap passes the runtime rules in with ``use_rules``, and if
even that is missing a neutral fallback keeps the guard working.
"""

from typing import Dict, Optional

ACTIONS = ("off", "warn", "confirm", "block")
_rules: Optional[Dict[str, dict]] = None


def use_rules(rules: Dict[str, dict]) -> None:
    """Use these rules (id -> rule) instead of reading the catalog file."""
    global _rules
    _rules = dict(rules)


def _load() -> Dict[str, dict]:
    global _rules
    if _rules is None:
        try:
            from ..contracts import rule_catalog  # absent when embedded by the bootstrap

            _rules = rule_catalog()
        except (ImportError, ValueError, OSError):  # ValueError: also bad JSON
            _rules = {}
    return _rules


def rule(rule_id: str) -> dict:
    found = _load().get(rule_id)
    if found:
        return found
    return {
        "id": rule_id,
        "title": rule_id.replace("-", " "),
        "layer": "runtime",
        "severity": "high",
        "action": "block",
        "explanation": "",
        "remediation": "",
    }


def action_for(rule_id: str, policy: Optional[dict]) -> str:
    """Policy's per-rule action, else the catalog's raised (never lowered) by default_action:
    lowering a rule takes naming it, so a broad default cannot switch off a runtime block."""
    policy = policy or {}
    setting = (policy.get("rules") or {}).get(rule_id) or {}
    action = setting.get("action")
    if not action:
        action = rule(rule_id)["action"]
        default = policy.get("default_action")
        if default in ACTIONS and action in ACTIONS and ACTIONS.index(default) > ACTIONS.index(action):
            action = default
    return action if action in ACTIONS else "block"


def severity_for(rule_id: str, policy: Optional[dict]) -> str:
    setting = ((policy or {}).get("rules") or {}).get(rule_id) or {}
    return setting.get("severity") or rule(rule_id)["severity"]
