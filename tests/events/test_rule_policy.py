"""Posture findings follow the policy's rule settings; other events pass unchanged."""

from events_for_tests import event

from jupyterlab_warden.kernel.contracts import rule_catalog
from jupyterlab_warden.lab.events.rule_policy import apply_rule_policy

CATALOG = rule_catalog()


def test_off_drops_and_severity_overrides_posture_findings():
    policy = {
        "rules": {
            "sandbox-no-container": {"action": "off"},
            "server-runs-as-root": {"severity": "low"},
        }
    }
    off = event(1, kind="sandbox", rule_id="sandbox-no-container", severity="medium")
    root = event(2, kind="server", rule_id="server-runs-as-root", severity="high")
    assert apply_rule_policy(off, policy, CATALOG) is None
    assert apply_rule_policy(root, policy, CATALOG)["severity"] == "low"
    assert root["severity"] == "high"  # the caller's dict is not changed


def test_static_runtime_unknown_and_integrity_events_pass_unchanged():
    policy = {
        "rules": {
            "torch-load-unsafe": {"action": "off"},
            "central-policy-rejected": {"action": "off", "severity": "info"},
            "event-store-corrupt": {"action": "off"},
        }
    }
    static = event(1)
    assert apply_rule_policy(static, policy, CATALOG) is static
    for rule_id in ("central-policy-rejected", "event-store-corrupt", "no-such-rule"):
        finding = event(2, kind="server", rule_id=rule_id)
        assert apply_rule_policy(finding, policy, CATALOG) is finding
    assert apply_rule_policy(42, policy, CATALOG) == 42
