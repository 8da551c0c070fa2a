"""transformers trust_remote_code (issue 18): a local model folder whose config.json auto_map
names a module beside it that writes a marker. hf_remote_files.py builds the folders with
transformers itself (no hub), proves the payload runs under plain ``from_pretrained``, and loads
everything under the guard, each step in a fresh interpreter with its own HF_HOME."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from format_runs import run_script

# two fresh interpreters importing transformers and torch: minutes on a busy 2-core machine
pytestmark = pytest.mark.timeout(900)

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent


def _run(out, step, home, with_warden):
    env = {"HF_HOME": str(home), "HF_HUB_OFFLINE": "1"}
    return run_script("hf_remote_files.py", out, step, with_warden=with_warden, env=env)


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    out = tmp_path_factory.mktemp("hfremote")
    plain = _run(out, "plain", tmp_path_factory.mktemp("home1"), with_warden=False)
    guarded = _run(out, "guard", tmp_path_factory.mktemp("home2"), with_warden=True)
    return out, plain, guarded


def test_remote_code_runs_without_warden(runs):
    out, plain, _ = runs
    assert plain == {"marker": True, "class": "EvilModel"}


def test_unlisted_remote_code_refused_before_it_runs(runs):
    _, _, guarded = runs
    assert guarded["evil"] == "blocked:hf-remote-code"
    assert guarded["evil marker"] is False
    evidence = guarded["evil evidence"]
    assert evidence["unlisted"] == ["configuration_evil.py"]
    assert all(len(h) == 64 for h in evidence["sha256"])
    assert "remote code ran" not in json.dumps(evidence)  # no file contents in events


def test_every_file_that_runs_must_be_listed(runs):
    _, _, guarded = runs
    # the config module listed, the modelling module (the payload) not: still refused
    assert guarded["evil config listed"] == "blocked:hf-remote-code"
    assert guarded["evil config listed evidence"]["unlisted"] == ["modeling_evil.py"]
    assert guarded["evil config listed marker"] is False
    # both pinned by provenance.hub.trust_remote_code (reviewed content): the code runs
    assert guarded["evil pinned"] == "loaded:EvilModel"
    assert guarded["evil pinned marker"] is True
    # both listed under trusted_artifacts: admitted too (the module is already imported)
    assert guarded["evil listed"] == "loaded:EvilModel"
    assert guarded["blocked events"] == ["hf-remote-code", "hf-remote-code"]


def test_benign_tiny_models_load_under_the_guard(runs):
    _, _, guarded = runs
    assert guarded["bert_safetensors"] == ["BertModel", [1, 4, 8]]
    assert guarded["bert_bin"] == ["BertModel", [1, 4, 8]]


def test_scanner_flags_the_remote_code_folder_only(runs):
    out, _, _ = runs
    proc = subprocess.run(
        [sys.executable, "-m", "jupyterlab_warden.kernel.scan", "--format", "json"]
        + [str(out / n) for n in ("evil_model", "bert_safetensors", "bert_bin")],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    docs = {os.path.relpath(d["path"], out): d for d in json.loads(proc.stdout)}
    evil = docs["evil_model/config.json"]
    assert evil["verdict"] == "suspicious"
    assert {f["kind"] for f in evil["findings"]} == {"hf-remote-code"}
    assert sorted(d for d in docs if d.startswith("bert")) == [
        "bert_bin/config.json",
        "bert_bin/pytorch_model.bin",
        "bert_safetensors/config.json",
    ]
    assert all(docs[d]["verdict"] == "safe" for d in docs if d.startswith("bert"))
    assert proc.returncode == 1
