"""Pure policy logic: composition order, provenance, tightening, validation."""

from datetime import datetime, timedelta, timezone

from jupyterlab_warden.kernel.contracts import load_contract, rule_catalog
from jupyterlab_warden.lab.policy import (
    ACTIONS,
    PolicyLayer,
    compose,
    rule_decision,
    tighten,
    validate_policy,
)

BUILTIN = load_contract("default-policy.json")
RULE = "torch-load-unsafe"


def doc(**fields):
    return {"schema_version": 1, "revision": 1, **fields}


def test_action_order_comes_from_the_schema():
    assert ACTIONS == ("off", "warn", "confirm", "block")


def test_each_source_overrides_the_one_before_leaf_by_leaf():
    admin = doc(
        revision=3, rules={RULE: {"action": "confirm"}}, confirm={"require_justification": True}
    )
    central = doc(revision=9, rules={RULE: {"severity": "critical"}})
    effective, provenance = compose(
        [
            PolicyLayer("built-in", BUILTIN),
            PolicyLayer("admin", admin),
            PolicyLayer("central", central),
        ]
    )
    assert effective["revision"] == 9
    assert effective["rules"][RULE] == {"action": "confirm", "severity": "critical"}
    assert provenance[f"rules/{RULE}/action"] == "admin"
    assert provenance[f"rules/{RULE}/severity"] == "central"
    assert effective["confirm"]["require_justification"] is True
    # Untouched built-in settings survive.
    assert effective["guard"] == BUILTIN["guard"]
    assert provenance["guard/enabled"] == "built-in"


def test_deny_list_only_grows():
    lower = doc(pickle={"deny_globals": ["os.*"]})
    higher = doc(pickle={"deny_globals": ["subprocess.*"], "allow_globals": ["numpy.*"]})
    effective, provenance = compose([PolicyLayer("admin", lower), PolicyLayer("central", higher)])
    assert effective["pickle"]["deny_globals"] == ["os.*", "subprocess.*"]
    assert effective["pickle"]["allow_globals"] == ["numpy.*"]
    assert provenance["pickle/deny_globals"] == "admin+central"


def test_rule_decision_falls_back_to_default_action_then_catalog():
    catalog = rule_catalog()
    assert rule_decision({}, catalog, RULE) == (catalog[RULE]["action"], catalog[RULE]["severity"])
    assert rule_decision({"default_action": "block"}, catalog, RULE)[0] == "block"
    named = {"default_action": "block", "rules": {RULE: {"action": "warn"}}}
    assert rule_decision(named, catalog, RULE)[0] == "warn"


def test_default_action_never_lowers_an_unnamed_rule():
    catalog = rule_catalog()
    # A broad "warn everything" must not switch off the runtime pickle block.
    assert rule_decision({"default_action": "off"}, catalog, "pickle-blocked-global")[0] == "block"
    assert rule_decision({"default_action": "warn"}, catalog, "pickle-blocked-global")[0] == "block"


def test_user_settings_raise_but_never_lower():
    effective = doc(rules={RULE: {"action": "confirm", "severity": "high"}})
    raised = tighten(effective, {RULE: {"action": "block", "severity": "critical"}})
    assert raised["rules"][RULE] == {"action": "block", "severity": "critical"}
    lowered = tighten(effective, {RULE: {"action": "off", "severity": "info"}})
    assert lowered["rules"][RULE] == {"action": "confirm", "severity": "high"}
    # Unknown rule ids from a user's old settings are ignored.
    assert "no-such-rule" not in tighten(effective, {"no-such-rule": {"action": "block"}})["rules"]


def test_builtin_default_is_valid():
    assert validate_policy(BUILTIN) == []


def test_validation_names_every_problem():
    past = (datetime.now(timezone.utc) - timedelta(days=1)).isoformat()
    problems = validate_policy(doc(expires_at=past, rules={"no-such-rule": {"action": "block"}}))
    assert any("unknown rule ids: no-such-rule" in p for p in problems)
    assert any("expired" in p for p in problems)
    schema_problems = validate_policy(doc(rules={RULE: {"action": "maybe"}}))
    assert schema_problems and f"rules/{RULE}/action" in schema_problems[0]
    assert validate_policy([1, 2]) and validate_policy("x")


def test_kernel_guard_reads_default_action_the_same_way():
    from jupyterlab_warden.kernel.guard.catalog import action_for

    assert action_for("pickle-blocked-global", {"default_action": "warn"}) == "block"
    assert action_for(RULE, {"default_action": "block"}) == "block"
    assert (
        action_for(RULE, {"default_action": "block", "rules": {RULE: {"action": "off"}}}) == "off"
    )


def test_a_central_policys_audience_is_not_part_of_the_effective_policy():
    central = {"schema_version": 1, "revision": 3, "audience": "lab-a", "rules": {}}
    effective, provenance = compose([PolicyLayer("central", central)])
    assert "audience" not in effective and "audience" not in provenance
