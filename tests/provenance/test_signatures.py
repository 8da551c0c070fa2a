"""Signatures at load time (issue 19), with real signatures made here: a signed model loads;
unsigned, altered (one byte) and untrusted-signed models are refused where the policy requires
a signature; the refusal happens before the file is scanned or unpickled, and says why."""

import os
import pickle
import subprocess
import sys

import pytest
import torch
from signing_helpers import CertificateChain, KeyPair, flip_one_byte, signature_policy

from jupyterlab_warden.kernel.guard import WardenBlockedLoad
from jupyterlab_warden.kernel.guard import confirm as guard_confirm


class _Payload:
    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def _malicious_pickle(path, marker):
    path.write_bytes(pickle.dumps(_Payload(marker), protocol=2))
    return path


def _runs_without_warden(path, marker) -> bool:
    """The payload proves itself: loaded by plain Python (no guard), it makes the marker."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("WARDEN")}
    env.pop("PYTHONPATH", None)
    code = "import pickle,sys; pickle.load(open(sys.argv[1], 'rb'))"
    subprocess.run([sys.executable, "-I", "-c", code, str(path)], env=env, check=True)
    made = marker.exists()
    marker.unlink()
    return made


@pytest.fixture()
def models(tmp_path):
    folder = tmp_path / "models"
    folder.mkdir()
    return folder


@pytest.fixture()
def keys(tmp_path):
    return KeyPair(tmp_path, "team-key"), KeyPair(tmp_path, "stranger-key")


def _torch_model(path):
    torch.save({"weight": torch.arange(64, dtype=torch.float32)}, path)
    return path


def _only(events, rule_id):
    found = [e for e in events if e["rule_id"] == rule_id]
    assert len(found) == 1, [e["rule_id"] for e in events]
    return found[0]


def test_signed_model_loads(guard, models, keys):
    trusted, _ = keys
    model = _torch_model(models / "model.pt")
    trusted.sign(model, models / "model.pt.sig")
    guard.set_policy(signature_policy({"paths": [str(models) + "/*"]}, keys=[trusted]))
    loaded = torch.load(model)
    assert loaded["weight"].sum().item() == sum(range(64))
    assert not [e for e in guard.events if e["action"] == "blocked"]


def test_unsigned_model_refused_where_required_only(guard, models, keys, tmp_path):
    trusted, _ = keys
    elsewhere = tmp_path / "scratch"
    elsewhere.mkdir()
    guard.set_policy(signature_policy({"paths": [str(models) + "/*"]}, keys=[trusted]))
    free = _torch_model(elsewhere / "model.pt")
    assert torch.load(free)["weight"].numel() == 64  # not under a required path: unchanged
    model = _torch_model(models / "model.pt")
    scanned = guard.counts["files_scanned"]
    with pytest.raises(WardenBlockedLoad) as refused:
        torch.load(model)
    assert "requires a valid signature" in str(refused.value)
    assert guard.counts["files_scanned"] == scanned  # refused before any scan
    event = _only(guard.events, "model-signature-missing")
    assert event["action"] == "blocked"
    assert event["evidence"]["requirement"] == f"path {models}/*"
    assert event["artifact"]["signature"] == {"status": "unsigned", "signer": None}
    assert event["artifact"]["name"] == "model.pt" and event["artifact"]["kind"] == "torch"


def test_one_byte_change_refused(guard, models, keys):
    trusted, _ = keys
    model = _torch_model(models / "model.pt")
    trusted.sign(model, models / "model.pt.sig")
    guard.set_policy(signature_policy({"kinds": ["torch"]}, keys=[trusted]))
    assert torch.load(model)["weight"].numel() == 64
    # a tampered weight: same size, still a loadable checkpoint, not what was signed
    data = model.read_bytes()
    offset = data.index(bytes(torch.arange(64, dtype=torch.float32).numpy().tobytes()[:16]))
    flip_one_byte(model, offset + 5)
    with pytest.raises(WardenBlockedLoad):
        torch.load(model)
    event = _only(guard.events, "model-signature-invalid")
    guard.set_policy({})  # without the requirement the tampered weights load silently
    assert not torch.equal(torch.load(model)["weight"], torch.arange(64, dtype=torch.float32))
    assert event["evidence"]["signer"] == "team-key"
    assert "altered" in event["evidence"]["detail"]
    assert event["artifact"]["signature"]["status"] == "invalid"


def test_signature_by_untrusted_key_refused_before_the_payload(guard, models, keys, marker):
    trusted, stranger = keys
    evil = _malicious_pickle(models / "model.pkl", marker)
    assert _runs_without_warden(evil, marker)
    stranger.sign(evil, models / "model.pkl.sig")
    guard.set_policy(signature_policy({"paths": [str(models) + "/*"]}, keys=[trusted]))
    scanned = guard.counts["files_scanned"]
    with pytest.raises(WardenBlockedLoad), open(evil, "rb") as fh:
        pickle.load(fh)
    assert guard.counts["files_scanned"] == scanned
    event = _only(guard.events, "model-signature-untrusted")
    assert event["artifact"]["signature"] == {"status": "untrusted", "signer": None}


def test_valid_signature_does_not_skip_the_scan(guard, models, keys, marker):
    """A trusted signer's key can leak or sign a bad file: the scan still runs."""
    trusted, _ = keys
    evil = _malicious_pickle(models / "model.pkl", marker)
    trusted.sign(evil, models / "model.pkl.sig")
    guard.set_policy(signature_policy({"paths": [str(models) + "/*"]}, keys=[trusted]))
    with pytest.raises(WardenBlockedLoad), open(evil, "rb") as fh:
        pickle.load(fh)
    assert [e["rule_id"] for e in guard.events if e["action"] == "blocked"] in (
        ["model-file-dangerous-globals"],
        ["pickle-blocked-global"],
    )


def test_certificate_chain_signature(guard, models, tmp_path):
    ours = CertificateChain(tmp_path, "ours")
    theirs = CertificateChain(tmp_path, "theirs", signer="someone@elsewhere.test")
    good = _torch_model(models / "good.pt")
    ours.sign(good, models / "good.pt.sig")
    other = _torch_model(models / "other.pt")
    theirs.sign(other, models / "other.pt.sig")
    guard.set_policy(signature_policy({"kinds": ["torch"]}, roots=[ours]))
    assert torch.load(good)["weight"].numel() == 64
    with pytest.raises(WardenBlockedLoad):
        torch.load(other)
    _only(guard.events, "model-signature-untrusted")


def test_model_folder_signed_whole(guard, models, keys):
    """model.sig in the model's folder covers every file in it (the library's default)."""
    trusted, _ = keys
    _torch_model(models / "part1.pt")
    _torch_model(models / "part2.pt")
    (models / "config.json").write_text("{}")
    trusted.sign(models, models / "model.sig")
    guard.set_policy(signature_policy({"paths": [str(models) + "/*"]}, keys=[trusted]))
    assert torch.load(models / "part2.pt")["weight"].numel() == 64
    (models / "config.json").write_text('{"changed": true}')  # another file of the model
    with pytest.raises(WardenBlockedLoad):
        torch.load(models / "part2.pt")
    _only(guard.events, "model-signature-invalid")


def test_confirm_action_lets_the_confirmed_load_through(guard, models, keys):
    trusted, _ = keys
    model = _torch_model(models / "model.pt")
    guard.set_policy(signature_policy({"kinds": ["torch"]}, keys=[trusted], on_unsigned="confirm"))
    with pytest.raises(WardenBlockedLoad) as refused:
        torch.load(model)
    fingerprint = refused.value.event["fingerprint"]
    assert fingerprint in str(refused.value)
    guard_confirm(fingerprint, "reviewed with the model's producer")
    assert torch.load(model)["weight"].numel() == 64
    assert [e["action"] for e in guard.events] == ["blocked", "confirmed"]


def test_without_the_library_the_guard_refuses_and_says_why(guard, models, keys, monkeypatch):
    trusted, _ = keys
    model = _torch_model(models / "model.pt")
    trusted.sign(model, models / "model.pt.sig")
    guard.set_policy(signature_policy({"kinds": ["torch"]}, keys=[trusted]))
    monkeypatch.setitem(sys.modules, "model_signing", None)  # import now raises ImportError
    with pytest.raises(WardenBlockedLoad) as refused:
        torch.load(model)
    assert "model_signing library is not installed" in str(refused.value)
    event = _only(guard.events, "model-signature-unverifiable")
    assert event["artifact"]["signature"]["status"] == "unverifiable"


def test_trusted_artifact_hash_stands_in_for_a_signature(guard, models, keys):
    import hashlib

    trusted, _ = keys
    model = _torch_model(models / "model.pt")
    digest = hashlib.sha256(model.read_bytes()).hexdigest()
    policy = signature_policy({"kinds": ["torch"]}, keys=[trusted])
    policy["trusted_artifacts"] = {digest: "reviewed checkpoint"}
    guard.set_policy(policy)
    assert torch.load(model)["weight"].numel() == 64


def test_default_policy_changes_nothing(guard, models):
    import json
    from pathlib import Path

    default = json.loads((Path(__file__).parents[2] / "schema/default-policy.json").read_text())
    guard.set_policy(default)
    assert torch.load(_torch_model(models / "model.pt"))["weight"].numel() == 64
    assert guard.events == [] and not guard.errors[-1:] == ["provenance"]


def test_hub_bookkeeping_inside_a_signed_folder_is_not_covered(guard, models, keys):
    """huggingface_hub's .cache/huggingface is ignored by folder signatures: a model file hidden
    there is unsigned, not 'covered by model.sig two folders up'."""
    trusted, _ = keys
    _torch_model(models / "model.pt")
    trusted.sign(models, models / "model.sig")
    hidden = models / ".cache" / "huggingface"
    hidden.mkdir(parents=True)
    _torch_model(hidden / "extra.pt")
    guard.set_policy(signature_policy({"paths": [str(models) + "/*"]}, keys=[trusted]))
    assert torch.load(models / "model.pt")["weight"].numel() == 64  # its bookkeeping ignored
    with pytest.raises(WardenBlockedLoad):
        torch.load(hidden / "extra.pt")
    assert _only(guard.events, "model-signature-missing")["artifact"]["name"] == "extra.pt"
