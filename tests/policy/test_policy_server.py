"""The policy chain in a real jupyter server: admin file over built-in, bad files keep the last
good policy and are reported, user settings only tighten, kernels get the effective policy."""

import json
import os
from datetime import datetime, timedelta, timezone

import pytest
from tornado.httpclient import HTTPClientError

RULE = "torch-load-unsafe"


@pytest.fixture
def admin_policy(tmp_path):
    return tmp_path / "etc" / "warden" / "policy.json"


@pytest.fixture
def jp_server_config(admin_policy):
    return {
        "ServerApp": {"jpserver_extensions": {"jupyterlab_warden": True}},
        "Warden": {"policy_file": str(admin_policy)},
    }


def write(path, content):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content if isinstance(content, str) else json.dumps(content))


async def get(jp_fetch, *parts):
    return json.loads((await jp_fetch("warden", *parts)).body)


def admin_doc(action="block", revision=5, **extra):
    return {"schema_version": 1, "revision": revision, "rules": {RULE: {"action": action}}, **extra}


async def test_builtin_applies_without_admin_file(jp_fetch):
    policy = await get(jp_fetch, "policy")
    assert policy["source"] == "built-in"
    assert policy["errors"] == []
    assert policy["provenance"]["guard/enabled"] == "built-in"


async def test_admin_file_overrides_builtin_and_says_so(jp_fetch, admin_policy):
    write(admin_policy, admin_doc())
    policy = await get(jp_fetch, "policy")
    assert policy["source"] == "admin"
    assert policy["revision"] == 5
    assert policy["effective"]["rules"][RULE]["action"] == "block"
    assert policy["provenance"][f"rules/{RULE}/action"] == "admin"
    status = await get(jp_fetch, "status")
    assert status["policy"]["source"] == "admin"


BAD_FILES = {
    "not-json": ("{ this is not json", "not valid JSON"),
    "schema": (admin_doc(action="sometimes"), "rules/torch-load-unsafe/action"),
    "unknown-rule": (
        {"schema_version": 1, "revision": 6, "rules": {"made-up-rule": {"action": "off"}}},
        "unknown rule ids: made-up-rule",
    ),
    "expired": (
        admin_doc(
            action="off",
            revision=7,
            expires_at=(datetime.now(timezone.utc) - timedelta(hours=1)).isoformat(),
        ),
        "expired",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
async def test_bad_admin_file_keeps_last_good_and_reports(jp_fetch, admin_policy, case):
    write(admin_policy, admin_doc())
    assert (await get(jp_fetch, "policy"))["effective"]["rules"][RULE]["action"] == "block"
    content, problem = BAD_FILES[case]
    write(admin_policy, content)
    policy = await get(jp_fetch, "policy")
    # Protection is not loosened: the last good admin policy is still in force ...
    assert policy["effective"]["rules"][RULE]["action"] == "block"
    assert policy["revision"] == 5
    # ... and the problem is reported, naming the file.
    assert len(policy["errors"]) == 1
    assert str(admin_policy) in policy["errors"][0] and problem in policy["errors"][0]
    status = await get(jp_fetch, "status")
    assert status["policy"]["errors"] == policy["errors"]
    # Fixing the file clears the error.
    write(admin_policy, admin_doc(action="confirm", revision=8))
    fixed = await get(jp_fetch, "policy")
    assert fixed["errors"] == [] and fixed["effective"]["rules"][RULE]["action"] == "confirm"


async def test_bad_admin_file_at_start_falls_back_to_builtin(jp_fetch, admin_policy):
    # The fixture's server starts after this write: the bad file is there from the first read.
    write(admin_policy, "[]")
    policy = await get(jp_fetch, "policy")
    assert policy["source"] == "built-in"
    assert "expected" in policy["errors"][0] or "is not of type" in policy["errors"][0]


async def test_user_settings_raise_but_never_lower(jp_fetch, admin_policy):
    write(admin_policy, admin_doc(action="confirm"))
    body = json.dumps({"rules": {RULE: {"action": "block"}}})
    raised = json.loads((await jp_fetch("warden", "policy", "user", method="PUT", body=body)).body)
    assert raised["for_user"]["rules"][RULE]["action"] == "block"
    body = json.dumps({"rules": {RULE: {"action": "off"}}})
    lowered = json.loads((await jp_fetch("warden", "policy", "user", method="PUT", body=body)).body)
    assert lowered["for_user"]["rules"][RULE]["action"] == "confirm"
    # Kernels read the same, user-tightened policy.
    with open(os.environ["WARDEN_POLICY_FILE"]) as fh:
        assert json.load(fh)["rules"][RULE]["action"] == "confirm"


async def test_user_settings_reject_bad_input(jp_fetch):
    for body in ["not json", json.dumps({"rules": {RULE: {"action": "maybe"}}}), "[]"]:
        with pytest.raises(HTTPClientError) as err:
            await jp_fetch("warden", "policy", "user", method="PUT", body=body)
        assert err.value.code == 400


async def test_kernel_policy_file_follows_admin_changes(jp_fetch, admin_policy):
    write(admin_policy, admin_doc(action="block"))
    await get(jp_fetch, "policy")
    with open(os.environ["WARDEN_POLICY_FILE"]) as fh:
        assert json.load(fh)["rules"][RULE]["action"] == "block"


@pytest.fixture
def saved_last_good(tmp_path, admin_policy):
    """A previous server run accepted revision 5; the file was broken while it was down."""
    from jupyterlab_warden.lab.policy_store import PolicyStore

    last_good = tmp_path / "data" / "warden" / "admin-policy-last-good.json"
    write(admin_policy, admin_doc(revision=5))
    PolicyStore(str(admin_policy), last_good_path=str(last_good))
    write(admin_policy, "{ broken")
    return last_good


@pytest.fixture
def jp_server_config_with_data(admin_policy, tmp_path):
    return {
        "ServerApp": {"jpserver_extensions": {"jupyterlab_warden": True}},
        "Warden": {"policy_file": str(admin_policy), "data_dir": str(tmp_path / "data" / "warden")},
    }


async def test_last_good_admin_policy_survives_a_restart(
    saved_last_good, jp_configurable_serverapp, jp_server_config_with_data
):
    app = jp_configurable_serverapp(
        config=__import__("traitlets").config.Config(jp_server_config_with_data)
    )
    store = app.web_app.settings["warden"]["policy_store"]
    assert saved_last_good.is_file()
    assert store.effective.source == "admin"
    assert store.effective.document["rules"][RULE]["action"] == "block"
    assert "not valid JSON" in store.effective.errors[0]


def test_user_settings_survive_a_restart_and_only_tighten(tmp_path, admin_policy):
    """docs/threat-model.md: a user's own stricter settings are kept across restarts."""
    from jupyterlab_warden.lab.policy_store import PolicyStore

    saved = tmp_path / "data" / "user-settings.json"
    write(admin_policy, admin_doc(action="warn"))
    first = PolicyStore(str(admin_policy), user_settings_path=str(saved))
    first.set_user_stricter({RULE: {"action": "block"}})
    again = PolicyStore(str(admin_policy), user_settings_path=str(saved))
    assert again.for_user()["rules"][RULE]["action"] == "block"
    # a file edited to loosen (or to hold nonsense) cannot weaken the policy
    write(saved, {"rules": {RULE: {"action": "off", "severity": "nonsense"}}})
    loosened = PolicyStore(str(admin_policy), user_settings_path=str(saved))
    assert loosened.for_user()["rules"][RULE]["action"] == "warn"
    write(saved, "{ broken")
    assert PolicyStore(str(admin_policy), user_settings_path=str(saved)).user_stricter == {}


def test_an_expired_admin_file_stays_enforced_with_an_error(admin_policy):
    """Like an expired central policy (tests/central/test_policy_source.py): fail closed."""
    import time

    from jupyterlab_warden.lab.policy_store import PolicyStore

    now = datetime.now(timezone.utc)
    doc = admin_doc(action="block")
    doc["issued_at"] = (now - timedelta(days=1)).isoformat()
    doc["expires_at"] = (now + timedelta(seconds=1.5)).isoformat()
    write(admin_policy, doc)
    store = PolicyStore(str(admin_policy))
    assert store.effective.errors == []
    deadline = time.monotonic() + 10
    while not store.effective.errors and time.monotonic() < deadline:
        store.refresh()
        time.sleep(0.1)
    assert "still enforced until replaced" in store.effective.errors[0]
    assert store.effective.document["rules"][RULE]["action"] == "block"
