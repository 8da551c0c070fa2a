"""Runtime rule metadata (schema/rules.json), and the policy's action for a rule.

The guard may run where the catalog file is not next to the package (a source checkout
without ``schema/``, the frontend's embedded bootstrap): then it uses the runtime rules the
bootstrap passed in, else the defaults embedded below - never a silent 'block everything' -
and ``status()`` reports ``catalog_missing``. The rules a guard uses live in its state
(``Rules``), not in a module global that notebook code or data could rewrite.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only: typing is not imported at interpreter start
    from typing import Dict, List, Optional


ACTIONS = ("off", "warn", "confirm", "block")
SEVERITIES = ("info", "low", "medium", "high", "critical")

# The runtime rules' defaults, kept in step with schema/rules.json by
# tests/guard/test_guard_state.py::test_embedded_runtime_rules_match_the_catalog.
EMBEDDED_RUNTIME_RULES = {
    "pickle-blocked-global": ("critical", "block"),
    "model-file-dangerous-globals": ("critical", "block"),
    "torch-weights-only-disabled": ("high", "warn"),
    "torch-weights-only-bypassable": ("high", "warn"),
    "keras-model-code": ("critical", "block"),
    "torchscript-file-access": ("critical", "block"),
    "yaml-python-tag": ("critical", "block"),
    "onnx-external-data": ("critical", "block"),
    "onnx-custom-op": ("medium", "warn"),
    "tf-savedmodel-code": ("critical", "block"),
    "skops-untrusted-type": ("critical", "block"),
    "hydra-target-outside-allowlist": ("critical", "block"),
    "chat-template-code": ("critical", "block"),
    "hf-script-code": ("critical", "block"),
    "hf-remote-code": ("critical", "block"),
    "guard-policy-refused": ("high", "block"),
    "guard-audit-hook-refused": ("high", "block"),
    # provenance (issue 19: guard/provenance/)
    "model-signature-missing": ("high", "block"),
    "model-signature-invalid": ("critical", "block"),
    "model-signature-untrusted": ("high", "block"),
    "model-signature-unverifiable": ("high", "block"),
    "hub-repository-not-allowed": ("high", "block"),
    "hub-revision-not-pinned": ("medium", "block"),
    "hub-remote-code-not-allowed": ("critical", "block"),
    "hub-download-refused-file": ("high", "block"),
    "hub-download": ("info", "warn"),
    "artifact-fleet-banned": ("critical", "block"),
    "artifact-loaded": ("info", "warn"),
    # package installs (guard/installs, issue 20)
    "install-index-not-allowed": ("high", "block"),
    "install-known-malicious": ("critical", "block"),
    "install-imitation-name": ("high", "block"),
    "install-direct-reference": ("high", "block"),
    "install-package-denied": ("high", "block"),
    "install-vulnerable-version": ("medium", "warn"),
    "install-unreadable": ("high", "block"),
    "install-allowed": ("info", "off"),
}
_REMEDIATION = (
    "Do not load this file. Run python -m jupyterlab_warden.kernel.scan on it to see every "
    "global it names, get the model in safetensors format from a trusted source, or ask your "
    "admin to list its sha256 under trusted_artifacts if it is known to be good."
)


def embedded_rules() -> Dict[str, dict]:
    return {
        rid: {
            "id": rid,
            "title": rid.replace("-", " "),
            "layer": "runtime",
            "severity": severity,
            "action": action,
            "explanation": "",
            "remediation": _REMEDIATION,
        }
        for rid, (severity, action) in EMBEDDED_RUNTIME_RULES.items()
    }


class Rules:
    """The rule catalog one guard uses."""

    def __init__(self, rules: Optional[Dict[str, dict]] = None):
        self.missing = False
        if rules is None:
            rules = _from_catalog_file()
        if not rules:
            rules, self.missing = embedded_rules(), True
        self._rules = dict(rules)

    def rule(self, rule_id: str) -> dict:
        found = self._rules.get(rule_id)
        if found:
            return found
        return embedded_rules().get(rule_id) or {
            "id": rule_id,
            "title": rule_id.replace("-", " "),
            "layer": "runtime",
            "severity": "high",
            "action": "block",
            "explanation": "",
            "remediation": "",
        }

    def action_for(self, rule_id: str, policy: Optional[dict]) -> str:
        """Policy's per-rule action, else the catalog's raised (never lowered) by
        default_action: lowering a rule takes naming it.

        The lab validates a policy before the guard sees it (policy/validate.py); given one
        the schema refuses anyway, the guard fails closed: an action it cannot read (per rule
        or ``default_action``) and a rule the catalog does not know are ``block``
        (``policy_faults`` says why, in ``status()["errors"]``)."""
        return self.actions_for((rule_id,), policy)[0]

    def actions_for(self, rule_ids, policy: Optional[dict]) -> tuple:
        """``action_for`` of each of ``rule_ids``, reading the policy's sections once (the
        state's seal asks for every runtime rule on each check of its integrity)."""
        policy = _as_dict(policy)
        settings = _as_dict(policy.get("rules"))
        default = policy.get("default_action")
        actions = []
        for rule_id in rule_ids:
            setting = _as_dict(settings.get(rule_id))
            action = setting.get("action")
            if "action" not in setting:
                action = self.rule(rule_id)["action"]
                if default is not None and default not in ACTIONS:
                    action = "block"
                elif default is not None and action in ACTIONS:
                    if ACTIONS.index(action) < ACTIONS.index(default):
                        action = default
            actions.append(action if action in ACTIONS else "block")
        return tuple(actions)

    def severity_for(self, rule_id: str, policy: Optional[dict]) -> str:
        """Policy's per-rule severity (it may lower), else the catalog's; one the guard
        cannot read is ``critical`` (fail closed)."""
        setting = _as_dict(_as_dict(_as_dict(policy).get("rules")).get(rule_id))
        severity = setting["severity"] if "severity" in setting else self.rule(rule_id)["severity"]
        return severity if severity in SEVERITIES else "critical"


def _as_dict(value: object) -> dict:
    return value if isinstance(value, dict) else {}


def policy_faults(policy: Optional[dict]) -> List[str]:
    """What the guard can see is wrong with the decision part of ``policy`` (stdlib: the lab's
    validator has the schema). The guard decides such values fail closed and reports these
    sentences in its status; it cannot judge rule ids, as it holds only the runtime rules."""
    if policy is None:
        return []
    if not isinstance(policy, dict):
        return ["policy is not an object: every rule blocks"]
    faults = []
    default = policy.get("default_action")
    if default is not None and default not in ACTIONS:
        faults.append("policy default_action is not an action: rules it would raise block")
    rules = policy.get("rules", {})
    if not isinstance(rules, dict):
        return faults + ["policy rules is not an object: ignored"]
    for rule_id, setting in sorted(rules.items()):
        if not isinstance(setting, dict):
            faults.append(f"policy rules/{rule_id} is not an object: ignored")
            continue
        if "action" in setting and setting["action"] not in ACTIONS:
            faults.append(f"policy rules/{rule_id}/action is not an action: it blocks")
        if "severity" in setting and setting["severity"] not in SEVERITIES:
            faults.append(f"policy rules/{rule_id}/severity is not a severity: critical")
    return faults


def _from_catalog_file() -> Dict[str, dict]:
    try:
        from ..contracts import rule_catalog  # absent when embedded by the bootstrap

        return {rid: r for rid, r in rule_catalog().items() if r.get("layer") == "runtime"}
    except (ImportError, ValueError, OSError):  # ValueError: also bad JSON
        return {}


def action_for(rule_id: str, policy: Optional[dict]) -> str:
    """The action for ``rule_id`` under ``policy`` with the catalog file's rules (for the lab
    server and tests; a guard uses the ``Rules`` its state holds)."""
    return Rules().action_for(rule_id, policy)
