"""Malicious pickles are stopped before their payload runs, and an event says what was blocked."""

import io
import os
import pickle

import pytest
from guard_helpers import spooled
from warden_testpkg import payloads

from jupyterlab_warden.kernel.guard import WardenBlockedLoad

BYTES_CASES = [
    ("os.system p0", "posix.system"),
    ("os.system p2", "posix.system"),
    ("os.system p5", "posix.system"),
    ("builtins.exec", "builtins.exec"),
    ("subprocess.call", "subprocess.call"),
    ("runpy.run_path", "runpy.run_path"),
    ("nested pickle.loads", "_pickle.loads"),
    ("stack_global memo", "posix.system"),
    ("stack_global computed", "<computed>.system"),  # the scan refuses a computed name
    ("protocol 0 text", "os.system"),
    ("dup trick", "posix.system"),
    ("re-exported os.system", "warden_testpkg.gadget.run_command"),
    ("dotted path through a module", "warden_testpkg.payloads.os.system"),
]


def blocked_globals(event):
    """pickle.loads is pre-scanned now: a dangerous file is refused by the scan (rule
    model-file-dangerous-globals, evidence 'globals'); what only resolving shows (a re-export)
    is refused by the audit hook (pickle-blocked-global, evidence 'global')."""
    evidence = event["evidence"]
    return evidence.get("globals") or [evidence.get("global")]


# Only resolving the name shows what it is: the audit hook refuses these, not the scan. (An
# import-based re-export in the user's module is read statically by the scanner now.)
HOOK_ONLY = set()


def test_reexport_by_assignment_is_refused_by_the_hook(guard, marker, tmp_path):
    data = payloads.reexport(marker, "run_assigned")
    with pytest.raises(WardenBlockedLoad, match="builtin function"):
        pickle.loads(data)
    event = guard.events[-1]
    assert event["rule_id"] == "pickle-blocked-global"
    assert event["evidence"]["global"] == "warden_testpkg.gadget.run_assigned"
    assert event["evidence"]["reason"] == "builtin-not-allowed"


@pytest.mark.parametrize("case,blocked_global", BYTES_CASES, ids=[c for c, _ in BYTES_CASES])
def test_pickle_loads_payload_is_blocked(
    guard, marker, tmp_path, event_validator, case, blocked_global
):
    data = payloads.all_bytes_payloads(marker, tmp_path)[case]
    with pytest.raises(WardenBlockedLoad) as info:
        pickle.loads(data)
    assert blocked_global in str(info.value)
    assert "How to proceed" in str(info.value)
    event = guard.events[-1]
    event_validator.validate(event)
    expected_rule = "pickle-blocked-global" if case in HOOK_ONLY else "model-file-dangerous-globals"
    assert event["rule_id"] == expected_rule
    assert event["action"] == "blocked"
    assert blocked_global in blocked_globals(event)
    assert spooled(guard)[-1]["event_id"] == event["event_id"]


def test_python_unpickler_is_guarded_too(guard, marker):
    import io

    data = payloads.os_system(marker)
    with pytest.raises(WardenBlockedLoad):
        pickle._Unpickler(io.BytesIO(data)).load()


def test_obfuscated_load_is_blocked(guard, marker):
    data = payloads.builtins_exec(marker)
    with pytest.raises(pickle.UnpicklingError):
        getattr(__import__("pick" + "le"), "lo" + "ads")(data)
    assert blocked_globals(guard.events[-1]) == ["builtins.exec"]


def test_refused_stdlib_gadget_not_on_any_deny_list(guard, marker):
    # textwrap is on no scanner's deny list; a called global must be a curated reconstructor
    data = b"\x80\x04\x8c\x08textwrap\x8c\x06dedent\x93\x8c\x01x\x85R."
    with pytest.raises(WardenBlockedLoad, match="textwrap.dedent"):
        pickle.loads(data)
    assert blocked_globals(guard.events[-1]) == ["textwrap.dedent"]


def test_hook_alone_refuses_what_the_judge_refuses(guard, marker):
    # with the pre-scan off, the hook judges every global assuming the worst use (call)
    guard.set_policy({"guard": {"scan_before_load": False}})
    data = b"\x80\x04\x8c\x08textwrap\x8c\x06dedent\x93\x8c\x01x\x85R."
    with pytest.raises(WardenBlockedLoad, match="known-safe reconstructor"):
        pickle.loads(data)
    assert guard.events[-1]["evidence"]["reason"] == "not-curated-callable"


def test_torch_zip_with_malicious_data_pkl(guard, marker, tmp_path, event_validator):
    import torch

    path = tmp_path / "model.pt"
    payloads.torch_zip(marker, path)
    for kwargs in ({}, {"weights_only": False}):
        with pytest.raises(WardenBlockedLoad) as info:
            torch.load(path, **kwargs)
        event = guard.events[-1]
        event_validator.validate(event)
        assert event["rule_id"] == "model-file-dangerous-globals"
        assert event["evidence"]["globals"] == ["posix.system"]
        assert len(event["evidence"]["sha256"]) == 64
        assert event["evidence"]["size"] == path.stat().st_size
        assert "posix.system" in str(info.value)


def test_hook_still_blocks_when_scan_before_load_is_off(guard, marker, tmp_path):
    import torch

    guard.set_policy({"guard": {"scan_before_load": False}})
    path = tmp_path / "model.pt"
    payloads.torch_zip(marker, path)
    with pytest.raises(WardenBlockedLoad):
        torch.load(path, weights_only=False)
    rules = [e["rule_id"] for e in guard.events]
    assert rules[-1] == "pickle-blocked-global"
    assert guard.events[-1]["evidence"]["call"] == "torch.load"


def test_torch_legacy_file(guard, marker, tmp_path):
    import torch

    path = tmp_path / "legacy.pt"
    payloads.torch_legacy(marker, path)
    with pytest.raises(WardenBlockedLoad):
        torch.load(path, weights_only=False)
    assert guard.events[-1]["evidence"]["globals"] == ["posix.system"]


def test_npy_object_array(guard, marker, tmp_path):
    import numpy as np

    path = tmp_path / "arr.npy"
    payloads.npy_object_array(marker, path)
    with pytest.raises(WardenBlockedLoad):
        np.load(path, allow_pickle=True)
    assert guard.events[-1]["rule_id"] == "model-file-dangerous-globals"
    # without allow_pickle numpy refuses by itself; the guard stays out of the way
    with pytest.raises(ValueError):
        np.load(path)


def test_pickle_load_on_open_file_and_pandas_and_joblib(guard, marker, tmp_path):
    import joblib
    import pandas as pd

    path = payloads.save_to(payloads.subprocess_call(marker), tmp_path / "x.pkl")
    with open(path, "rb") as fh, pytest.raises(WardenBlockedLoad):
        pickle.load(fh)
    assert guard.events[-1]["evidence"]["call"] == "pickle.load"
    with pytest.raises(WardenBlockedLoad):
        pd.read_pickle(path)
    assert guard.events[-1]["evidence"]["call"] == "pandas.read_pickle"
    with pytest.raises(WardenBlockedLoad):
        joblib.load(path)
    assert guard.events[-1]["evidence"]["call"] == "joblib.load"


def test_audit_mode_records_but_does_not_refuse(guard, tmp_path):
    guard.set_policy({"pickle": {"mode": "audit"}})
    data = b"\x80\x04\x8c\x08textwrap\x8c\x06dedent\x93\x8c\x03  x\x85R."
    assert pickle.loads(data) == "x"
    assert guard.events[-1]["action"] == "allowed"


def test_rule_action_warn_lets_load_continue_but_hook_cannot_be_weakened_by_scan(guard, tmp_path):
    guard.set_policy(
        {
            "rules": {
                "pickle-blocked-global": {"action": "warn"},
                "model-file-dangerous-globals": {"action": "warn"},
            }
        }
    )
    data = b"\x80\x04\x8c\x08textwrap\x8c\x06dedent\x93\x8c\x03  x\x85R."
    with pytest.warns(UserWarning, match="Jupyter Warden warning"):
        assert pickle.loads(data) == "x"
    assert guard.events[-1]["action"] == "warned"


def test_confirm_blocks_until_confirmed(guard):
    from jupyterlab_warden.kernel.guard import confirm

    # pickle.loads is pre-scanned: the scan's finding is the one to confirm
    guard.set_policy({"rules": {"model-file-dangerous-globals": {"action": "confirm"}}})
    data = b"\x80\x04\x8c\x08textwrap\x8c\x06dedent\x93\x8c\x03  x\x85R."
    with pytest.raises(WardenBlockedLoad, match="confirm finding"):
        pickle.loads(data)
    fp = guard.events[-1]["fingerprint"]
    confirm(fp, "I wrote this file myself")
    assert pickle.loads(data) == "x"
    assert guard.events[-1]["action"] == "confirmed"
    assert guard.events[-1]["justification"] == "I wrote this file myself"
    with pytest.raises(WardenBlockedLoad):  # one confirmation, one load
        pickle.loads(data)


def test_trusted_artifact_loads_without_objection(guard, tmp_path):
    import hashlib

    import torch

    path = tmp_path / "needs_partial.pt"
    import functools

    torch.save({"fn": functools.partial(max, 1)}, path)  # functools.partial is on the deny list
    with pytest.raises(WardenBlockedLoad):
        torch.load(path, weights_only=False)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    guard.set_policy({"trusted_artifacts": {digest: "our own checkpoint"}})
    before = len(guard.events)
    loaded = torch.load(path, weights_only=False)
    assert loaded["fn"](0) == 1
    assert len(guard.events) == before  # no objection, no event
    # the hash is cached by (path, size, mtime): a changed file is not trusted any more
    torch.save({"fn": functools.partial(max, 2)}, path)
    with pytest.raises(WardenBlockedLoad):
        torch.load(path, weights_only=False)


def test_spool_file_is_private_and_one_per_process(guard, marker, tmp_path):
    with pytest.raises(WardenBlockedLoad):
        pickle.loads(payloads.os_system(marker))
    with pytest.raises(WardenBlockedLoad):
        pickle.loads(payloads.builtins_exec(marker))
    path = guard.sink.spool_path
    assert os.path.basename(path) == f"kernel-{os.getpid()}.jsonl"  # the one spool writer
    assert os.stat(path).st_mode & 0o777 == 0o600
    lines = spooled(guard)
    assert [blocked_globals(e) for e in lines] == [["posix.system"], ["builtins.exec"]]
    assert all(e["kind"] == "runtime" and e["source"] == "kernel" for e in lines)


def test_fingerprint_is_stable_across_reruns(guard, marker):
    fps = []
    for _ in range(2):
        with pytest.raises(WardenBlockedLoad):
            pickle.loads(payloads.os_system(marker))
        fps.append(guard.events[-1]["fingerprint"])
    assert fps[0] == fps[1]
    assert guard.events[-1]["event_id"] != guard.events[-2]["event_id"]


def test_strict_mode_refuses_third_party_class(guard):
    from warden_testpkg import TinyEstimator

    data = pickle.dumps(TinyEstimator().fit([1, 2, 3], [2, 4, 6]))
    guard.set_policy({"pickle": {"mode": "strict"}})
    with pytest.raises(WardenBlockedLoad, match="strict"):
        pickle.loads(data)
    guard.set_policy({"pickle": {"mode": "strict", "allow_globals": ["warden_testpkg.*"]}})
    assert pickle.loads(data).coef_ == pytest.approx(4 / 3)


def test_notebook_code_cannot_switch_the_guard_off(guard, marker):
    # new model: disable() and install() with a looser policy no longer weaken the guard
    from jupyterlab_warden.kernel import guard as guard_pkg

    with pytest.raises(RuntimeError, match="cannot be switched off"):
        guard_pkg.disable()
    assert guard_pkg.install({"pickle": {"mode": "audit"}}) is None
    assert guard_pkg.install({"guard": {"enabled": False}}) is None
    assert guard_pkg.install({"rules": {"pickle-blocked-global": {"action": "off"}}}) is None
    status = guard_pkg.status()
    assert status["enabled"] is True and status["mode"] == "default"
    assert any("loosen" in e for e in status["errors"])
    with pytest.raises(WardenBlockedLoad):
        pickle.loads(payloads.os_system(marker))
    # tightening from the notebook is allowed
    assert guard_pkg.install({"pickle": {"mode": "strict"}}) is None
    assert guard_pkg.status()["mode"] == "strict"


def test_altered_state_makes_the_hook_refuse_everything(guard):
    guard.enabled = False  # what an attacker (or a careless cell) holding the state might do
    try:
        with pytest.raises(WardenBlockedLoad, match="changed outside its policy channel"):
            pickle.loads(pickle.dumps(__import__("collections").OrderedDict(a=1)))
        assert guard.status()["intact"] is False
    finally:
        guard.set_policy({})
    assert pickle.loads(pickle.dumps(__import__("collections").OrderedDict(a=1))) == {"a": 1}


def test_joblib_file_with_malicious_object_array(guard, marker, tmp_path):
    import joblib
    import numpy as np

    evil = np.empty(2, dtype=object)
    evil[0] = payloads._Reduce(os.system, (f"touch {marker}",))
    joblib.dump({"weights": np.ones(8), "evil": evil}, tmp_path / "model.joblib")
    with pytest.raises(WardenBlockedLoad):
        joblib.load(tmp_path / "model.joblib")
    event = guard.events[-1]
    assert event["rule_id"] == "model-file-dangerous-globals"
    assert event["evidence"]["globals"] == ["posix.system"]
    assert event["evidence"]["call"] == "joblib.load"


def test_malformed_policy_shape_still_protects(guard, marker):
    guard.set_policy({"guard": "yes", "pickle": ["strict"], "trusted_artifacts": 3})
    assert guard.globals.mode == "default" and guard.enabled
    assert any("ignored" in e for e in guard.errors)
    with pytest.raises(WardenBlockedLoad):
        pickle.loads(payloads.os_system(marker))


class _Stream:
    """A stream that cannot seek (a socket or pipe): read/readline only."""

    def __init__(self, data):
        self._buf = io.BytesIO(data)

    def read(self, n=-1):
        return self._buf.read(n)

    def readline(self, *args):
        return self._buf.readline(*args)

    def readinto(self, b):
        return self._buf.readinto(b)

    def seekable(self):
        return False


def test_unpickler_on_a_stream_that_cannot_seek_reads_exactly_one_pickle(guard, marker):
    import collections

    first = pickle.dumps(collections.OrderedDict(a=1), protocol=2)
    second = pickle.dumps([1, 2], protocol=0)
    stream = _Stream(first + second + payloads.os_system(marker))
    unpickler = pickle.Unpickler(stream)
    assert unpickler.load() == {"a": 1}
    assert pickle.Unpickler(stream).load() == [1, 2]  # the first load took nothing more
    with pytest.raises(WardenBlockedLoad):
        pickle.Unpickler(stream).load()
    assert blocked_globals(guard.events[-1]) == ["posix.system"]
