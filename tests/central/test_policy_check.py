"""The central client accepts only documents the lab's one validator accepts (disagreements
1 and 2 of schema/vectors/README.md), then adds its own checks (audience, revision, window)."""

import json
from datetime import datetime, timezone

import pytest

from jupyterlab_warden.lab.central.policy_check import checked_policy
from jupyterlab_warden.lab.central.signing import PolicyRejected

NOW = datetime(2026, 6, 1, tzinfo=timezone.utc)


def _check(**fields):
    doc = {"schema_version": 1, "revision": 3, "audience": "lab-a", **fields}
    return checked_policy(
        json.dumps(doc).encode(),
        now=NOW,
        last_revision=None,
        identity={"lab": "lab-a"},
        audience="lab-a",
        max_validity=0,
    )


def test_a_valid_policy_is_accepted():
    doc = _check(issued_at="2026-05-31T00:00:00Z", expires_at="2026-06-02T00:00:00Z")
    assert doc["revision"] == 3


def test_issued_at_equal_to_expires_at_is_refused():
    with pytest.raises(PolicyRejected) as err:
        _check(issued_at="2026-06-02T00:00:00Z", expires_at="2026-06-02T00:00:00Z")
    assert err.value.code == "schema"
    assert "not issued before it expires" in err.value.message


def test_a_rule_id_the_catalog_does_not_know_is_refused():
    with pytest.raises(PolicyRejected) as err:
        _check(rules={"pickle-lod": {"action": "off"}})
    assert err.value.code == "schema"
    assert "pickle-lod" in err.value.message


def test_schema_errors_name_the_pointer():
    with pytest.raises(PolicyRejected) as err:
        _check(rules={"pickle-load": {"action": "deny"}})
    assert err.value.code == "schema"
    assert err.value.message.endswith("/rules/pickle-load/action")
