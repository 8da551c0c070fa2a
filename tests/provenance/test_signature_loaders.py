"""Red-team findings P3/P4/P5 (issue 19): a signature requirement must apply to every way the
required weights are loaded - safetensors (the default format of from_pretrained, no code, not
scanned), a hard link to a required file from outside the globs, and (opt-in
``required_for.unnamed_loads``) loads that name no file at all (bytes, BytesIO)."""

import io
import json
import os
import pickle

import pytest
import torch
from guarded_cell import run_cell
from signing_helpers import KeyPair, flip_one_byte, signature_policy

from jupyterlab_warden.kernel.guard import WardenBlockedLoad

TAMPERED = 666.0


@pytest.fixture()
def models(tmp_path):
    folder = tmp_path / "models"
    folder.mkdir()
    return folder


@pytest.fixture()
def key(tmp_path):
    return KeyPair(tmp_path, "team-key")


def _safetensors(path, value=TAMPERED):
    from safetensors.torch import save_file

    save_file({"w": torch.full((4,), value)}, str(path))
    return path


def _blocked(events):
    return [(e["rule_id"], e["evidence"].get("call")) for e in events if e["action"] == "blocked"]


# --- P5: safetensors ----------------------------------------------------------------------------


def test_safetensors_loads_need_the_required_signature(guard, models, key, tmp_path):
    import safetensors
    import safetensors.numpy
    import safetensors.torch

    unsigned = _safetensors(models / "tampered.safetensors")
    guard.set_policy(signature_policy({"paths": [str(models) + "/*"]}, keys=[key]))
    loads = {
        "safetensors.torch.load_file": lambda p: safetensors.torch.load_file(p)["w"],
        "safetensors.numpy.load_file": lambda p: safetensors.numpy.load_file(p)["w"],
        "safetensors.safe_open": lambda p: safetensors.safe_open(p, "pt").get_tensor("w"),
    }
    for call, load in loads.items():
        with pytest.raises(WardenBlockedLoad) as refused:
            load(str(unsigned))
        assert "requires a valid signature" in str(refused.value)
        assert _blocked(guard.events)[-1] == ("model-signature-missing", call)
    event = guard.events[-1]
    assert event["artifact"]["kind"] == "safetensors"
    assert event["evidence"]["requirement"] == f"path {models}/*"
    # outside the required folder: loads as before (no scan, no event)
    free = _safetensors(tmp_path / "free.safetensors", 1.0)
    assert safetensors.torch.load_file(str(free))["w"][0].item() == 1.0
    # signed by the trusted key: loads; altered after signing: refused as invalid
    signed = _safetensors(models / "model.safetensors", 2.0)
    key.sign(signed, models / "model.safetensors.sig")
    assert safetensors.torch.load_file(str(signed))["w"][0].item() == 2.0
    flip_one_byte(signed)
    count = len(_blocked(guard.events))
    with pytest.raises(WardenBlockedLoad):
        safetensors.torch.load_file(str(signed))
    assert len(_blocked(guard.events)) == count + 1
    assert guard.events[-1]["rule_id"] == "model-signature-invalid"


def test_safetensors_kind_requirement(guard, tmp_path, key):
    import safetensors.torch

    path = _safetensors(tmp_path / "any.safetensors")
    guard.set_policy(signature_policy({"kinds": ["safetensors"]}, keys=[key]))
    with pytest.raises(WardenBlockedLoad):
        safetensors.torch.load_file(str(path))
    guard.set_policy(signature_policy({"kinds": ["torch"]}, keys=[key]))
    assert safetensors.torch.load_file(str(path))["w"][0].item() == TAMPERED


SAFETENSORS_CELL = r"""
import json, torch
from safetensors.torch import save_file, load_file   # imported after the guard started
M = %(models)r
save_file({"w": torch.full((4,), 666.0)}, M + "/tampered.safetensors")
try:
    out = "LOADED %%s" %% load_file(M + "/tampered.safetensors")["w"][0].item()
except Exception as exc:
    out = "REFUSED " + type(exc).__name__
print(json.dumps(out))
"""


def test_safetensors_under_the_real_launch_time_guard(tmp_path, models):
    policy = {
        "provenance": {
            "signatures": {"required_for": {"paths": [str(models) + "/*"]}, "on_unsigned": "block"}
        }
    }
    result = run_cell(SAFETENSORS_CELL % {"models": str(models)}, tmp_path / "cell", policy)
    assert json.loads(result["stdout"].strip()) == "REFUSED WardenBlockedLoad", result["stderr"]
    assert _blocked(result["events"]) == [
        ("model-signature-missing", "safetensors.torch.load_file")
    ]


# --- P4: hard links -------------------------------------------------------------------------


def test_hard_link_outside_the_glob_needs_the_signature(guard, models, key, tmp_path):
    required = models / "tampered.pt"
    torch.save({"w": torch.full((4,), TAMPERED)}, required)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    link = outside / "innocent.pt"
    os.link(required, link)
    guard.set_policy(signature_policy({"paths": [str(models) + "/*"]}, keys=[key]))
    with pytest.raises(WardenBlockedLoad) as refused:
        torch.load(link)
    assert "hard link tampered.pt" in str(refused.value)
    event = guard.events[-1]
    assert event["rule_id"] == "model-signature-missing"
    assert event["evidence"]["requirement"] == f"path {models}/* (hard link tampered.pt)"
    # a hard-linked file whose other name is NOT under a required glob is not affected
    other = outside / "other.pt"
    torch.save({"w": torch.ones(2)}, other)
    os.link(other, outside / "other-link.pt")
    assert torch.load(outside / "other-link.pt")["w"].sum().item() == 2.0


# --- P3: loads with no file name -------------------------------------------------------------


def test_unnamed_loads_refused_when_the_policy_says_so(guard, models, key):
    import safetensors.torch

    path = models / "tampered.pt"
    torch.save({"w": torch.full((4,), TAMPERED)}, path)
    data = path.read_bytes()
    pickled = pickle.dumps({"w": [TAMPERED]})
    st_bytes = safetensors.torch.save({"w": torch.full((4,), TAMPERED)})
    loads = {
        "torch.load": lambda: torch.load(io.BytesIO(data)),
        "pickle.loads": lambda: pickle.loads(pickled),
        "safetensors.torch.load": lambda: safetensors.torch.load(st_bytes),
    }
    required = {"paths": [str(models) + "/*"]}
    # without the switch a path requirement cannot see these (documented): they load
    guard.set_policy(signature_policy(required, keys=[key]))
    for load in loads.values():
        assert load() is not None
    assert _blocked(guard.events) == []
    guard.set_policy(signature_policy(dict(required, unnamed_loads=True), keys=[key]))
    for call, load in loads.items():
        with pytest.raises(WardenBlockedLoad):
            load()
        event = guard.events[-1]
        assert (event["rule_id"], event["evidence"]["call"]) == ("model-signature-missing", call)
        assert event["evidence"]["reason"] == "no-file-name"
    # the admin's sha256 trust list still admits a known buffer
    import hashlib

    policy = signature_policy(dict(required, unnamed_loads=True), keys=[key])
    policy["trusted_artifacts"] = {hashlib.sha256(pickled).hexdigest(): "known buffer"}
    guard.set_policy(policy)
    assert pickle.loads(pickled) == {"w": [TAMPERED]}
