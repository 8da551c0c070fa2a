"""What the lab's policy says about a sandbox or server finding before it is recorded.

Pure logic. Posture checks (kernel probe, server settings) produce events with the catalog's
severity; the admin's policy may switch a rule off (the finding is not recorded or reported)
or change its severity. Static and runtime events were already decided by their layer under
the same policy, so they pass unchanged. Warden's own integrity findings cannot be switched
off: a policy must not be able to hide that Warden itself is degraded.
"""

from typing import Dict, Optional

from ..policy import rule_decision

POSTURE_KINDS = ("sandbox", "server")
INTEGRITY_RULES = ("central-policy-rejected", "event-store-corrupt", "guard-policy-refused")


def apply_rule_policy(event: object, policy: dict, catalog: Dict[str, dict]) -> Optional[object]:
    """``event`` as the policy wants it recorded, or None when its rule is ``off``.

    Anything that is not a well-formed posture event of a known rule is returned unchanged
    (the validator judges it next).
    """
    if not isinstance(event, dict) or event.get("kind") not in POSTURE_KINDS:
        return event
    rule_id = event.get("rule_id")
    if not isinstance(rule_id, str) or rule_id not in catalog or rule_id in INTEGRITY_RULES:
        return event
    action, severity = rule_decision(policy, catalog, rule_id)
    if action == "off":
        return None
    if event.get("severity") != severity:
        event = dict(event, severity=severity)
    return event
