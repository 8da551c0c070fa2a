"""Issue 12: the guard's state is out of data's reach, the hook alone refuses the known
bypasses, the catalog has embedded defaults, the curated data is what it claims to be, and the
scanner's C dry run agrees with its Python stack machine."""

import importlib
import json
import pickle
import sys
import types
import warnings

import pytest

from jupyterlab_warden.kernel.guard import WardenBlockedLoad, catalog
from jupyterlab_warden.kernel.guard.state import GuardState
from jupyterlab_warden.kernel.scan import curated, judge

REPO_SCHEMA = __import__("pathlib").Path(__file__).resolve().parents[2] / "schema" / "rules.json"

# The issue's working bypasses, as bytes (protocol 4 STACK_GLOBAL unless noted).
ISSUE_REPRO = (
    b"\x80\x04\x8c\x08datetime\x8c\x10__builtins__.get\x93\x8c\x04eval\x85R"
    b'\x8c\x13print("pwned") or 1\x85R.'
)


def _sg(module, name):
    m, n = module.encode(), name.encode()
    return b"\x8c" + bytes([len(m)]) + m + b"\x8c" + bytes([len(n)]) + n + b"\x93"


def _text(s):
    b = s.encode()
    return b"\x8c" + bytes([len(b)]) + b


def _bypasses(marker):
    cmd = _text(f"touch {marker}")
    return {
        "datetime.__builtins__.get": ISSUE_REPRO,
        "datetime.sys.call_tracing": b"\x80\x04"
        + _sg("datetime", "sys.call_tracing")
        + _sg("builtins", "exec")
        + _text(f"open({str(marker)!r}, 'w').close()")
        + b"\x85\x86R.",
        "torch._utils._import_dotted_name": b"\x80\x04"
        + _sg("torch._utils", "_import_dotted_name")
        + _text("os.system")
        + b"\x85R"
        + cmd
        + b"\x85R.",
        "SETITEM into sys.modules": b"\x80\x04"
        + _sg("sys", "modules")
        + _text("jupyterlab_warden.kernel.guard")
        + b"N"
        + b"s.",
        "joblib loky fork_exec": b"\x80\x04"
        + _sg("joblib.externals.loky.backend.fork_exec", "fork_exec")
        + b"]"
        + _text("touch")
        + b"a"
        + b"]\x85R.",
    }


@pytest.mark.parametrize("scan", [True, False], ids=["pre-scan", "hook-alone"])
def test_issue_bypasses_are_refused_with_and_without_the_pre_scan(guard, marker, scan):
    import torch  # noqa: F401 - the gadget module is importable, as in a real ML kernel

    guard.set_policy({"guard": {"scan_before_load": scan}})
    for name, data in _bypasses(marker).items():
        with pytest.raises(WardenBlockedLoad):
            pickle.loads(data)
        assert not marker.exists(), name
    assert "jupyterlab_warden.kernel.guard" in sys.modules


def test_no_module_attribute_leads_to_the_guard_state(guard):
    assert "_jupyterlab_warden_guard_active" not in sys.modules
    for name, module in list(sys.modules.items()):
        if not isinstance(module, types.ModuleType) or "warden" not in name:
            continue
        for attr, value in list(vars(module).items()):
            assert not isinstance(value, GuardState), f"{name}.{attr} is the guard state"


def test_a_guard_internal_name_is_refused():
    decision = judge.judge_name("jupyterlab_warden.kernel.guard", "status", judge.VALUE)
    assert decision.reason == "guard-internal"


def test_embedded_runtime_rules_match_the_catalog():
    rules = {r["id"]: r for r in json.loads(REPO_SCHEMA.read_text())["rules"]}
    for rule_id, (severity, action) in catalog.EMBEDDED_RUNTIME_RULES.items():
        assert (rules[rule_id]["severity"], rules[rule_id]["action"]) == (severity, action)
    runtime = {rid for rid, r in rules.items() if r["layer"] == "runtime"}
    assert runtime == set(catalog.EMBEDDED_RUNTIME_RULES)


def test_missing_catalog_uses_embedded_defaults_and_says_so():
    state = GuardState({}, rules={})
    assert state.rules.missing is True
    assert state.status()["catalog_missing"] is True
    assert state.rules.action_for("torch-weights-only-disabled", {}) == "warn"
    assert state.rules.action_for("pickle-blocked-global", {}) == "block"
    assert GuardState({}).status()["catalog_missing"] is False


def _resolve(full):
    module, _, name = full.rpartition(".")
    while module:
        try:
            obj = importlib.import_module(module)
            break
        except ImportError:
            module, _, head = module.rpartition(".")
            name = head + "." + name
    else:
        return None
    for part in name.split("."):
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return obj


def test_curated_entries_are_what_they_claim_to_be():
    """Every curated reconstructor resolves to a function, every class to a class, every value
    to a non-callable object, and the hook's object judge allows each for its roles."""
    resolved = 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for full in sorted(curated.CALLABLES | curated.CLASSES | curated.VALUES):
            obj = _resolve(full)
            if obj is None:
                continue  # another library version's name (e.g. numpy.core vs numpy._core)
            resolved += 1
            if full in curated.VALUES:
                assert not callable(obj) or isinstance(obj, type), full
                roles = judge.VALUE
            elif full in curated.CLASSES:
                assert isinstance(obj, type), full
                roles = judge.WORST
            else:
                assert callable(obj) and not isinstance(obj, type), full
                roles = judge.WORST
            name_decision = judge.judge_name(*full.rsplit(".", 1), roles)
            assert name_decision.allowed, full
            module, _, name = full.rpartition(".")
            assert judge.judge_object(obj, roles, name_decision).allowed, full
    assert resolved >= 0.85 * len(curated.CALLABLES | curated.CLASSES | curated.VALUES)


def test_object_judge_refuses_by_what_a_name_resolves_to():
    import os

    from warden_testpkg import TinyEstimator

    user = judge.Decision(True, "user-code")
    assert not judge.judge_object(os.system, judge.CALL, user).allowed
    assert not judge.judge_object(os, judge.VALUE, user).allowed
    assert not judge.judge_object({}.get, judge.VALUE, user).allowed
    assert judge.judge_object(TinyEstimator, judge.WORST, user).allowed

    class Sneaky:
        __setstate__ = os.system  # a builtin stored on a class is never a safe method

    Sneaky.__module__ = "__main__"
    assert not judge.judge_class(Sneaky, judge.BUILD).allowed
    torch = pytest.importorskip("torch")
    handler = importlib.import_module(
        "torch.distributed.elastic.multiprocessing.subprocess_handler"
    )
    cls = handler.SubprocessHandler
    ml = judge.Decision(True, "ml-class")
    assert not judge.judge_object(cls, judge.CALL, ml).allowed  # its constructor starts a process
    assert judge.judge_object(torch.nn.Linear, judge.NEW | judge.BUILD, ml).allowed


@pytest.mark.parametrize("protocol", [0, 2, 4, 5])
def test_dry_run_and_python_scanner_agree(protocol):
    import collections
    import datetime

    import zoneinfo
    from warden_testpkg import TinyEstimator

    from jupyterlab_warden.kernel.scan.dryrun import dry_scan
    from jupyterlab_warden.kernel.scan.opcodes import scan_stream

    obj = {
        "est": TinyEstimator().fit([1, 2, 3], [2, 4, 6]),
        "od": collections.OrderedDict(a=[1, 2]),
        "when": datetime.datetime(2024, 1, 1, tzinfo=zoneinfo.ZoneInfo("Europe/Berlin")),
        "items": [{"i": i} for i in range(50)],
    }
    data = pickle.dumps(obj, protocol=protocol)

    def roles(result):
        out = {}
        for g in result.globals:
            out[(g.module, g.name)] = out.get((g.module, g.name), 0) | g.roles
        return out

    python, dry = scan_stream(data), dry_scan(data)
    assert dry is not None and dry.end == python.end == len(data)
    assert roles(dry) == roles(python)


def test_the_seal_sees_an_in_place_change_of_a_rule_action_or_the_policy():
    """intact() reads every rule's action in one pass (Rules.actions_for) and hashes with an
    implementation found once: still a change of any sealed value is seen."""
    state = GuardState({"rules": {"install-allowed": {"action": "warn"}}})
    assert state.intact()
    state.rules._rules["install-unreadable"] = dict(
        state.rules.rule("install-unreadable"), action="off"
    )
    assert not state.intact()
    state = GuardState({"rules": {"install-allowed": {"action": "warn"}}})
    state.policy["rules"]["install-allowed"]["action"] = "off"
    assert not state.intact()
    state = GuardState({})
    state.policy["default_action"] = "block"
    assert not state.intact()


@pytest.mark.parametrize(
    "policy",
    [
        {},
        {"default_action": "confirm"},
        {"default_action": "nonsense"},
        {"rules": {"hub-download": {"action": "block"}, "install-allowed": {"action": "x"}}},
        {"rules": {"install-allowed": "not an object"}, "default_action": "warn"},
        {"rules": ["not", "an", "object"]},
        None,
    ],
)
def test_actions_for_is_action_for_of_each_rule(policy):
    rules = catalog.Rules()
    ids = sorted(catalog.EMBEDDED_RUNTIME_RULES) + ["not-a-rule"]
    expected = []
    for rule_id in ids:  # action_for's contract, spelt out (its docstring)
        setting = ((policy or {}).get("rules") or {}) if isinstance(policy, dict) else {}
        setting = setting.get(rule_id) if isinstance(setting, dict) else None
        setting = setting if isinstance(setting, dict) else {}
        default = (policy or {}).get("default_action")
        if "action" in setting:
            action = setting["action"]
        elif default is not None and default not in catalog.ACTIONS:
            action = "block"
        else:
            action = rules.rule(rule_id)["action"]
            if default is not None and action in catalog.ACTIONS:
                action = max(action, default, key=catalog.ACTIONS.index)
        expected.append(action if action in catalog.ACTIONS else "block")
    assert list(rules.actions_for(ids, policy)) == expected
    assert [rules.action_for(rule_id, policy) for rule_id in ids] == expected


def test_sha256_is_looked_up_once():
    import hashlib

    from jupyterlab_warden.kernel.guard import sha

    sha._impl = None
    assert sha.sha256(b"x").hexdigest() == hashlib.sha256(b"x").hexdigest()
    found = sha._impl
    assert found is not None
    sha.sha256(b"y")
    assert sha._impl is found
