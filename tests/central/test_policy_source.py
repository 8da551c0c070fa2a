"""Verification of signed central policies: every refusal keeps the last good policy."""

import json
from datetime import datetime, timedelta, timezone

import pytest
from fault_central import SigningKey, b64url

from jupyterlab_warden.kernel.contracts import rule_catalog
from jupyterlab_warden.lab.central.policy_source import REJECTED_RULE, CentralPolicySource
from jupyterlab_warden.lab.central.signing import load_public_keys
from jupyterlab_warden.lab.events.validation import EventValidator

NOW = datetime(2026, 11, 25, 22, 0, tzinfo=timezone.utc)


def _stamp(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def policy(revision, now=NOW, **fields):
    """A policy valid around `now`: issued 22 h before, expiring 6 days 2 h after (inside the
    lab's maximum validity). Tests with a fixed clock use NOW; a real lab server checks the
    wall clock, so tests that start one use `live_policy` (fixed dates there expire one day)."""
    document = {
        "schema_version": 1,
        "revision": revision,
        "issued_at": _stamp(now - timedelta(hours=22)),
        "expires_at": _stamp(now + timedelta(days=6, hours=2)),
        "scope": {},
        "audience": "lab-a",
        "rules": {"torch-load-unsafe": {"action": "block"}},
    }
    document.update(fields)
    return document


def live_policy(revision, **fields):
    """`policy` valid around the wall clock, for a real lab server or a source on its clock."""
    return policy(revision, now=datetime.now(timezone.utc).replace(microsecond=0), **fields)


@pytest.fixture
def key():
    return SigningKey()


@pytest.fixture
def make_source(tmp_path, key):
    raised = []

    def make(keys=None, clock=lambda: NOW, **options):
        keys = keys if keys is not None else {key.key_id: key.public_b64}
        source = CentralPolicySource(str(tmp_path), load_public_keys(keys), url="http://c",
                                     raise_event=raised.append, clock=clock, lab_id="lab-a",
                                     **options)
        source._identity = {"lab": "lab-a", "user": "alice", "groups": ["ml"]}
        source.raised = raised
        return source

    return make


def tampered(envelope):
    document = json.loads(_payload(envelope))
    document["rules"]["torch-load-unsafe"]["action"] = "off"
    return dict(envelope, payload=b64url(json.dumps(document).encode()))


def _payload(envelope):
    import base64
    return base64.urlsafe_b64decode(envelope["payload"] + "=" * (-len(envelope["payload"]) % 4))


def bad_answers(key):
    other = SigningKey()
    good = key.envelope(policy(5))
    return {
        "tampered payload": ("bad_signature", tampered(good)),
        "signature of another document": (
            "bad_signature", dict(good, signature=key.envelope(policy(9))["signature"])),
        "signed by an untrusted key under a trusted id": (
            "bad_signature", other.envelope(policy(6), key_id=key.key_id)),
        "unknown key id": ("unknown_key", other.envelope(policy(6))),
        "replayed older revision": ("old_revision", key.envelope(policy(4))),
        "expired": ("expired", key.envelope(policy(6, expires_at="2026-11-25T21:00:00Z"))),
        "scoped to another lab": ("scope", key.envelope(policy(6, scope={"labs": ["lab-b"]}))),
        "not a policy": ("schema", key.envelope({"revision": 6, "audience": "lab-a"})),
        "unsigned": ("bad_algorithm", dict(good, alg="none")),
        "not base64": ("malformed", dict(good, payload="%%%")),
        "not an object": ("malformed", ["x"]),
        # issue 13: one lab's signed policy replayed to another
        "signed for another lab": ("audience", key.envelope(policy(6, audience="lab-b"))),
        "names no audience": (
            "audience", key.envelope({k: v for k, v in policy(6).items() if k != "audience"})),
        "valid for a year": (
            "validity", key.envelope(policy(6, expires_at="2027-11-25T00:00:00Z"))),
        "never expires": ("validity", key.envelope(policy(6, expires_at=None))),
        "same revision, weaker content": (
            "changed_revision",
            key.envelope(policy(5, rules={"torch-load-unsafe": {"action": "off"}}))),
    }


@pytest.mark.parametrize("case", list(bad_answers(SigningKey())))
def test_refused_policies_keep_the_last_good_one(make_source, key, case):
    source = make_source()
    assert source.accept(key.envelope(policy(5)), '"e5"')
    changes = []
    source.on_change.append(changes.append)
    code, envelope = bad_answers(key)[case]
    assert not source.accept(envelope, '"bad"')
    assert source.revision == 5
    assert source.document["rules"]["torch-load-unsafe"]["action"] == "block"
    assert f"({code})" in source.status()["error"]
    assert changes == []
    [raised] = source.raised
    assert raised["rule_id"] == REJECTED_RULE and raised["kind"] == "server"
    assert raised["evidence"]["reason"] == code
    assert EventValidator().reason(raised) is None
    # and after a restart the last good one is still what is in force
    again = make_source()
    assert again.revision == 5 and again.document == source.document


def test_the_rejection_rule_is_in_the_catalog():
    rule = rule_catalog()[REJECTED_RULE]
    assert rule["layer"] == "server"


def test_the_same_refusal_raises_one_event(make_source, key):
    source = make_source()
    source.accept(key.envelope(policy(5)), '"e5"')
    bad = tampered(key.envelope(policy(6)))
    for _ in range(3):
        source.accept(bad, '"bad"')
    assert len(source.raised) == 1
    source.accept(key.envelope(policy(3)), '"old"')
    assert len(source.raised) == 2


def test_newer_and_equal_revisions_are_accepted_and_announced(make_source, key):
    source = make_source()
    changes = []
    source.on_change.append(changes.append)
    assert source.accept(key.envelope(policy(5)), '"a"')
    # an equal revision is central re-signing with a fresh expiry window
    assert source.accept(key.envelope(policy(5, issued_at="2026-11-25T12:00:00Z")), '"b"')
    assert source.accept(key.envelope(policy(7)), '"c"')
    assert [c["revision"] for c in changes] == [5, 5, 7]
    assert source.status() == {"url": "http://c", "revision": 7, "floor_revision": 7,
                               "last_fetch": None, "error": None}


def test_scope_applies_when_every_named_list_names_us(make_source, key):
    source = make_source()  # we are lab-a, user alice, groups [ml]
    assert source.accept(key.envelope(policy(1, scope={"users": ["alice"]})), None)
    assert source.accept(key.envelope(policy(2, scope={"groups": ["ml", "x"]})), None)
    assert source.accept(key.envelope(policy(3, scope={"labs": ["lab-a"], "users": ["alice"],
                                                       "groups": ["ml"]})), None)
    assert source.accept(key.envelope(policy(4, scope={"labs": [], "users": []})), None)
    assert not source.accept(key.envelope(policy(5, scope={"users": ["bob"]})), None)
    assert not source.accept(
        key.envelope(policy(6, scope={"labs": ["lab-a"], "groups": ["finance"]})), None)
    assert source.revision == 4


def test_keys_given_as_pem_work_and_mislabelled_keys_are_refused(key):
    from cryptography.hazmat.primitives import serialization
    pem = key.private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    assert list(load_public_keys({key.key_id: pem})) == [key.key_id]
    with pytest.raises(ValueError, match="has key id"):
        load_public_keys({"0123456789abcdef": key.public_b64})


def test_stored_policy_is_reverified_with_the_current_keys(make_source, key):
    make_source().accept(key.envelope(policy(5)), '"e"')
    other = SigningKey()
    rotated = make_source(keys={other.key_id: other.public_b64})
    assert rotated.document is None
    assert "no longer verifies" in rotated.status()["error"]
    # the revision high-water mark is kept: an old signed policy is still a replay
    assert not rotated.accept(other.envelope(policy(4)), None)
    assert rotated.accept(other.envelope(policy(5)), None)


def test_stored_policy_on_disk_is_tamper_evident(tmp_path, make_source, key):
    make_source().accept(key.envelope(policy(5)), '"e"')
    path = tmp_path / "central-policy.json"
    state = json.loads(path.read_text())
    state["envelope"] = tampered(state["envelope"])
    path.write_text(json.dumps(state))
    assert make_source().document is None


def test_an_expired_policy_stays_enforced_and_says_so(make_source, key):
    """Like an expired admin file: expiry must not make the lab weaker than the policy."""
    now = [NOW]
    source = make_source(clock=lambda: now[0])
    assert source.accept(key.envelope(policy(5)), None)
    now[0] = NOW + timedelta(days=8)
    assert source.document["revision"] == 5
    assert "expired at 2026-12-02T00:00:00Z; still enforced" in source.status()["error"]
    assert make_source(clock=lambda: now[0]).document["revision"] == 5  # after a restart too


def test_max_validity_is_configurable(make_source, key):
    source = make_source(max_validity=3 * 86400)
    assert not source.accept(key.envelope(policy(5)), None)  # 7 days
    assert "more than the 3 days this lab accepts" in source.status()["error"]
    assert make_source(max_validity=0).accept(key.envelope(policy(5, expires_at=None)), None)


@pytest.mark.parametrize("damage", ["deleted", "corrupted", "replaced by an older one"])
def test_no_rollback_when_the_saved_policy_is_lost(tmp_path, make_source, key, damage):
    """Issue 13: with central-policy.json deleted or corrupted, 8 -> 4 was accepted."""
    old_state = None
    source = make_source()
    assert source.accept(key.envelope(policy(4)), '"e4"')
    old_state = (tmp_path / "central-policy.json").read_text()
    assert source.accept(key.envelope(policy(8, rules={})), '"e8"')
    path = tmp_path / "central-policy.json"
    if damage == "deleted":
        path.unlink()
    elif damage == "corrupted":
        path.write_text('{"envelope": {"alg": "Ed25')
    else:
        path.write_text(old_state)
    restarted = make_source()
    assert restarted.floor_revision == 8
    assert restarted.document is None
    assert not restarted.accept(key.envelope(policy(4)), '"e4"')
    assert "(old_revision)" in restarted.status()["error"]
    if damage != "deleted":  # the damage is reported, and a fetch error does not hide it
        load_error = restarted.status()["error"].split("; policy refused")[0]
        assert "central-policy.json" in load_error or "older than revision 8" in load_error
        restarted._failed("HTTP 503", None)
        assert load_error in restarted.status()["error"]
    assert restarted.accept(key.envelope(policy(8, rules={})), '"e8"')
    assert restarted.status()["error"] is None  # a good policy clears it


def test_losing_the_floor_file_keeps_the_saved_policy_floor(tmp_path, make_source, key):
    make_source().accept(key.envelope(policy(8)), None)
    (tmp_path / "central-policy-floor.json").write_text("garbage")
    restarted = make_source()
    assert restarted.floor_revision == 8 and restarted.document["revision"] == 8
    assert "cannot read the policy floor" in restarted.status()["error"]
    assert not restarted.accept(key.envelope(policy(4)), None)


def test_the_admin_sets_a_floor_by_hand(tmp_path, make_source, key):
    make_source().accept(key.envelope(policy(4)), None)
    (tmp_path / "central-policy-floor.json").unlink()
    (tmp_path / "central-policy.json").unlink()
    source = make_source(min_revision=8)  # both files lost: only the admin's floor is left
    assert not source.accept(key.envelope(policy(4)), None)
    assert source.accept(key.envelope(policy(9)), None)


def test_a_floor_file_the_lab_cannot_write_is_still_read(tmp_path, key):
    pinned = tmp_path / "pinned" / "floor.json"
    pinned.parent.mkdir()
    pinned.write_text(json.dumps({"revision": 8, "content": None}))
    # the tests run as root, which ignores file modes: make the write fail another way
    (pinned.parent / "floor.json.tmp").mkdir()
    source = CentralPolicySource(
        str(tmp_path), load_public_keys({key.key_id: key.public_b64}), lab_id="lab-a",
        floor_path=str(pinned), clock=lambda: NOW)
    assert not source.accept(key.envelope(policy(4)), None)
    assert source.accept(key.envelope(policy(9)), None)  # the floor in memory rises
    assert not source.accept(key.envelope(policy(8)), None)
    assert json.loads(pinned.read_text())["revision"] == 8


def test_without_pinned_keys_every_policy_is_refused(make_source, key):
    source = make_source(keys={})
    assert not source.accept(key.envelope(policy(1)), None)
    assert "c.Warden.central_public_keys" in source.status()["error"]
    assert source.document is None
