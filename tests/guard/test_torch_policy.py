"""torch.load control: weights_only default, explicit weights_only=False, vulnerable torch."""

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from jupyterlab_warden.kernel.guard import WardenBlockedLoad

REPO = Path(__file__).resolve().parents[2]


def _checkpoint(tmp_path):
    import torch

    path = tmp_path / "full.pt"
    torch.save({"model": torch.nn.Linear(2, 2)}, path)  # needs weights_only=False
    return path


def _unscanned_checkpoint(guard, tmp_path):
    """A weights_only=False load the pre-scan does not clear (scan switched off): the only
    case the torch-weights-only-disabled rule speaks in now. (Old model: every
    weights_only=False load.) Holds the user's own class, which the hook alone allows."""
    import torch
    from warden_testpkg import TinyEstimator

    guard.set_policy({"guard": {"scan_before_load": False}})
    path = tmp_path / "own.pt"
    torch.save({"w": torch.ones(2), "est": TinyEstimator(0.5)}, path)
    return path


def _with(guard, extra):
    policy = dict(guard.policy)
    policy.update(extra)
    guard.set_policy(policy)


def test_whole_model_of_the_users_own_classes_loads_untouched(guard, tmp_path):
    import warnings

    import torch
    from warden_testpkg.user_model import TinyNet, TrainConfig

    net = TinyNet()
    path = tmp_path / "whole.pt"
    torch.save({"model": net, "config": TrainConfig(), "opt": {"lr": 0.1}}, path)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loaded = torch.load(path, weights_only=False)
    x = torch.ones(1, 4)
    assert torch.equal(loaded["model"](x), net(x))
    assert loaded["config"] == TrainConfig()
    assert guard.events == []


def test_weights_only_defaults_to_true_even_when_torch_is_told_otherwise(
    guard, tmp_path, monkeypatch
):
    import torch

    path = _checkpoint(tmp_path)
    monkeypatch.setenv("TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD", "1")  # torch alone would unpickle all
    with pytest.raises(Exception, match="Weights only load failed"):
        torch.load(path)
    guard.set_policy({"guard": {"torch_weights_only_default": False}})
    with pytest.warns(UserWarning):  # torch's own note about the env override
        assert isinstance(torch.load(path)["model"], torch.nn.Linear)


@pytest.mark.parametrize(
    "action,outcome", [("warn", "warned"), ("block", "blocked"), ("off", None)]
)
def test_explicit_weights_only_false_follows_policy(guard, tmp_path, action, outcome):
    import torch

    path = _unscanned_checkpoint(guard, tmp_path)
    _with(guard, {"rules": {"torch-weights-only-disabled": {"action": action}}})
    if outcome == "blocked":
        with pytest.raises(WardenBlockedLoad, match="weights_only=False"):
            torch.load(path, weights_only=False)
    elif outcome == "warned":
        with pytest.warns(UserWarning, match="weights_only=False"):
            torch.load(path, weights_only=False)
    else:
        torch.load(path, weights_only=False)
    rules = [(e["rule_id"], e["action"]) for e in guard.events]
    if outcome:
        assert rules == [("torch-weights-only-disabled", outcome)]
        assert guard.events[0]["evidence"]["call"] == "torch.load"
    else:
        assert rules == []


def test_weights_only_false_confirm_then_load(guard, tmp_path):
    import torch

    from jupyterlab_warden.kernel.guard import confirm

    path = _unscanned_checkpoint(guard, tmp_path)
    _with(guard, {"rules": {"torch-weights-only-disabled": {"action": "confirm"}}})
    with pytest.raises(WardenBlockedLoad, match="confirm finding"):
        torch.load(path, weights_only=False)
    confirm(guard.events[-1]["fingerprint"], "trained it in this project")
    assert torch.load(path, weights_only=False)["est"].alpha == 0.5
    assert guard.events[-1]["action"] == "confirmed"


def test_pickle_module_argument_counts_as_weights_only_false(guard, tmp_path):
    import pickle

    import torch

    path = _unscanned_checkpoint(guard, tmp_path)
    _with(guard, {"rules": {"torch-weights-only-disabled": {"action": "block"}}})
    with pytest.raises(WardenBlockedLoad):
        torch.load(path, pickle_module=pickle)


def test_vulnerable_torch_is_flagged_and_unsafe_files_refused(guard, tmp_path):
    guard.note_torch("2.5.1+cpu")
    try:
        assert guard.torch_vulnerable is True
        flag = guard.events[-1]
        assert flag["rule_id"] == "torch-weights-only-bypassable"
        assert flag["evidence"]["torch_version"] == "2.5.1+cpu"
        # a file that is not plainly safe (a stdlib global off the plain-data list): on a
        # vulnerable torch, weights_only=True is no protection, so the guard refuses it
        import string

        import torch

        path = tmp_path / "odd.pt"
        torch.save({"w": torch.ones(1), "t": string.Template("x")}, path)
        guard.set_policy({"rules": {"torch-weights-only-bypassable": {"action": "block"}}})
        with pytest.raises(WardenBlockedLoad, match="CVE-2025-32434"):
            torch.load(path, weights_only=True)
        assert guard.events[-1]["evidence"]["verdict"] == "suspicious"
        # a plain state_dict is still fine
        torch.save({"w": torch.ones(1)}, tmp_path / "sd.pt")
        assert torch.load(tmp_path / "sd.pt")["w"].item() == 1.0
    finally:
        guard.note_torch(__import__("torch").__version__)
    assert guard.torch_vulnerable is False


def _run(code, env_extra=None, isolated=False):
    env = dict(os.environ, PYTHONPATH=str(REPO))
    env.update(env_extra or {})
    argv = [sys.executable] + (["-I"] if isolated else []) + ["-c", textwrap.dedent(code)]
    out = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=240, cwd=str(REPO))
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("order", ["guard-first", "torch-first"])
def test_torch_is_controlled_whichever_is_imported_first(tmp_path, order):
    marker = tmp_path / "PWNED"
    code = """
        import json, os, pickle
        {first}
        {second}
        class P:
            def __reduce__(self):
                return os.system, ("touch {marker}",)
        torch.save({{"x": P()}}, "{path}")
        try:
            torch.load("{path}", weights_only=False)
            blocked = False
        except pickle.UnpicklingError as exc:
            blocked = type(exc).__name__
        print(json.dumps({{"blocked": blocked, "patched": guard.status()["patched"],
                          "torch": guard.status()["torch_version"]}}))
    """.format(
        first="import torch"
        if order == "torch-first"
        else "import jupyterlab_warden.kernel.guard as guard; guard.install()",
        second="import jupyterlab_warden.kernel.guard as guard; guard.install()"
        if order == "torch-first"
        else "import torch",
        marker=marker,
        path=tmp_path / "m.pt",
    )
    result = _run(code)
    assert result["blocked"] == "WardenBlockedLoad"
    assert "torch.load" in result["patched"] and "torch.serialization.load" in result["patched"]
    assert result["torch"].startswith("2.13")
    assert not marker.exists()


def test_install_is_idempotent_fast_and_reads_policy_from_env(tmp_path):
    policy = tmp_path / "policy.json"
    policy.write_text(
        json.dumps({"schema_version": 1, "revision": 7, "pickle": {"mode": "strict"}})
    )
    result = _run(
        """
        import json, sys, time
        import jupyterlab_warden.kernel.guard as guard
        t = time.perf_counter(); a = guard.install_from_env(); first = time.perf_counter() - t
        b = guard.install()
        hooks = sum(1 for _ in [0])
        print(json.dumps({"first": a is not None, "second": b, "ms": first * 1000,
                          "status": guard.status()}))
    """,
        {"WARDEN_POLICY_FILE": str(policy)},
    )
    # the first installer holds the state; a second install() gets no handle (tighten only)
    assert result["first"] is True and result["second"] is None
    assert result["status"]["mode"] == "strict"
    assert result["status"]["policy_revision"] == 7
    assert result["status"]["install_ms"] < 100


def test_unreadable_policy_file_keeps_default_protection(tmp_path):
    bad = tmp_path / "policy.json"
    bad.write_text("{not json")
    result = _run(
        """
        import json, os, pickle
        import jupyterlab_warden.kernel.guard as guard
        guard.install_from_env()
        try:
            pickle.loads(b"cos\\nsystem\\n(S'true'\\ntR.")
            blocked = False
        except guard.WardenBlockedLoad:
            blocked = True
        print(json.dumps({"blocked": blocked, "errors": guard.status()["errors"]}))
    """,
        {"WARDEN_POLICY_FILE": str(bad)},
    )
    assert result["blocked"] is True
    assert "unreadable" in result["errors"][0]
