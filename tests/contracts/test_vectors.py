"""The shared contract vectors (schema/vectors/, README there) run against the Python code.

The same files run in jest (src/contracts/vectors.spec.ts), so the frontend, the lab server
and the kernel guard cannot drift apart on what a policy decides or when it is usable.
- policy-validity.json: the one validator, ``policy/validate.py`` (the policy store and the
  central client both use it);
- rule-decision.json: the lab's decision (``policy/compose.tighten`` + ``policy/model``) and
  the kernel guard's (``guard/catalog.Rules``), given the policy the lab hands the kernel.
"""

import json
from datetime import datetime

import pytest

from jupyterlab_warden.kernel.contracts import contracts_dir, rule_catalog
from jupyterlab_warden.kernel.guard import catalog as guard_catalog
from jupyterlab_warden.lab.policy import PolicyError, rule_decision, tighten
from jupyterlab_warden.lab.policy.validate import policy_problems, user_settings_problems


def _load(name):
    doc = json.loads((contracts_dir() / "vectors" / name).read_text(encoding="utf-8"))
    return datetime.fromisoformat(doc["now"].replace("Z", "+00:00")), doc["vectors"]


VALIDITY_NOW, VALIDITY = _load("policy-validity.json")
DECISION_NOW, DECISION = _load("rule-decision.json")
CATALOG = rule_catalog()


def _by_name(vectors):
    names = [v["name"] for v in vectors]
    assert len(names) == len(set(names)), "vector names must be unique"
    return pytest.mark.parametrize("vector", vectors, ids=names)


@_by_name(VALIDITY)
def test_policy_validity(vector):
    problems = policy_problems(vector["policy"], VALIDITY_NOW)
    expected = vector["expect"].get("reasons", [])
    assert vector["expect"]["valid"] == (not problems)
    assert {p.code for p in problems} == {r["code"] for r in expected}
    reported = {(p.code, p.path) for p in problems}
    for reason in expected:
        if "path" in reason:
            assert (reason["code"], reason["path"]) in reported


def _expect(vector):
    return vector["expect"]


@_by_name(DECISION)
def test_rule_decision_in_the_lab(vector):
    policy, user, rule, expect = (
        vector["policy"],
        vector.get("user", {}),
        vector["rule"],
        _expect(vector),
    )
    policy_bad = policy_problems(policy, DECISION_NOW)
    assert bool(policy_bad) == (expect.get("rejected") == "policy")
    if policy_bad:
        return
    user_bad = user_settings_problems(user)
    assert bool(user_bad) == (expect.get("rejected") == "user")
    if user_bad:
        with pytest.raises(PolicyError):
            tighten(policy, user)
        return
    effective = tighten(policy, user)
    if expect.get("rejected") == "rule":
        with pytest.raises(KeyError):
            rule_decision(effective, CATALOG, rule)
        return
    assert rule_decision(effective, CATALOG, rule) == (expect["action"], expect["severity"])


@_by_name(DECISION)
def test_rule_decision_in_the_kernel_guard(vector):
    """The guard decides on what the lab hands the kernel (the policy tightened by the user's
    settings, ``PolicyStore.for_user``); here with the whole catalog, not only runtime rules,
    so every vector reaches its decision logic. Given a document the schema refuses, it fails
    closed and says so (``policy_faults``)."""
    policy, user, rule, expect = (
        vector["policy"],
        vector.get("user", {}),
        vector["rule"],
        _expect(vector),
    )
    rules = guard_catalog.Rules(CATALOG)
    rejected = expect.get("rejected")
    if rejected == "policy":
        faults = guard_catalog.policy_faults(policy)
        if not faults:
            # Rule ids are the one fault a guard cannot see (it holds only the runtime rules):
            # the lab's validator refuses such a document before it reaches the kernel.
            assert {p.code for p in policy_problems(policy, DECISION_NOW)} == {"unknown_rule"}
            return
        action, severity = rules.action_for(rule, policy), rules.severity_for(rule, policy)
        assert action == "block" or severity == "critical", faults
        return
    if rejected == "user":  # never reaches the kernel: the lab refuses the settings
        with pytest.raises(PolicyError):
            tighten(policy, user)
        return
    effective = tighten(policy, user)
    if rejected == "rule":  # no such rule: fail closed
        assert rules.action_for(rule, effective) == "block"
        return
    assert guard_catalog.policy_faults(effective) == []
    assert rules.action_for(rule, effective) == expect["action"]
    assert rules.severity_for(rule, effective) == expect["severity"]


@pytest.mark.parametrize(
    "policy, action, severity",
    [
        ({"rules": {"pickle-load": {"action": "deny"}}}, "block", "high"),
        ({"default_action": "deny"}, "block", "high"),
        ({"rules": {"pickle-load": {"severity": "urgent"}}}, "warn", "critical"),
    ],
    ids=["unknown rule action", "unknown default_action", "unknown severity"],
)
def test_guard_fails_closed_on_values_it_cannot_read(policy, action, severity):
    rules = guard_catalog.Rules(CATALOG)
    assert rules.action_for("pickle-load", policy) == action
    assert rules.severity_for("pickle-load", policy) == severity
    assert guard_catalog.policy_faults(policy)
