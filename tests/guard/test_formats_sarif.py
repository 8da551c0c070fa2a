"""SARIF 2.1.0 from the model scanner CLI (``--format sarif``), run as a real process on
malicious, benign and unreadable files, validated against the SARIF 2.1.0 JSON schema (the
copy the TypeScript CLI's tests use: src/cli/testdata/sarif-schema-2.1.0.json)."""

import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

REPO = Path(__file__).resolve().parent.parent.parent
SCHEMA = REPO / "src" / "cli" / "testdata" / "sarif-schema-2.1.0.json"


class _Payload:
    def __reduce__(self):
        return (os.system, ("true",))


@pytest.fixture()
def folder(tmp_path):
    (tmp_path / "evil.pkl").write_bytes(pickle.dumps(_Payload()))
    (tmp_path / "clean.pkl").write_bytes(pickle.dumps({"w": [1.0, 2.0]}))
    (tmp_path / "train.yaml").write_text("lr: 0.1\nhook: !!python/object/apply:os.getcwd []\n")
    (tmp_path / "cut.onnx").write_bytes(b"\x0a\xff\xff\xff")  # a field longer than the file
    sub = tmp_path / "my models"
    sub.mkdir()
    (sub / "model config.yaml").write_text("model:\n  _target_: os.mknod\n")
    return tmp_path


def _scan(folder, *args):
    proc = subprocess.run(
        [sys.executable, "-m", "jupyterlab_warden.kernel.scan", "--format", "sarif", *args],
        cwd=folder,
        env=dict(os.environ, PYTHONPATH=str(REPO)),
        capture_output=True,
        text=True,
        timeout=120,
    )
    return proc.returncode, json.loads(proc.stdout)


def test_sarif_validates_and_names_catalog_rules(folder):
    code, log = _scan(folder, ".")
    assert code == 1
    schema = json.loads(SCHEMA.read_text())
    jsonschema.Draft4Validator(schema).validate(log)
    run = log["runs"][0]
    results = {(r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
                r["level"]) for r in run["results"]}  # fmt: skip
    assert results == {
        ("model-file-dangerous-globals", "evil.pkl", "error"),
        ("yaml-python-tag", "train.yaml", "error"),
        ("hydra-target-outside-allowlist", "my%20models/model%20config.yaml", "warning"),
    }
    catalog = {
        r["id"]: r for r in json.loads((REPO / "schema" / "rules.json").read_text())["rules"]
    }
    for descriptor in run["tool"]["driver"]["rules"]:
        assert descriptor["shortDescription"]["text"] == catalog[descriptor["id"]]["title"]
    for result in run["results"]:
        assert run["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
    yaml_result = next(r for r in run["results"] if r["ruleId"] == "yaml-python-tag")
    assert yaml_result["locations"][0]["physicalLocation"]["region"] == {"startLine": 2}
    # the unreadable file is a notification, and the run says it did not fully succeed
    (invocation,) = run["invocations"]
    assert invocation["executionSuccessful"] is False
    (note,) = invocation["toolExecutionNotifications"]
    assert note["level"] == "error" and "cut.onnx" in note["message"]["text"]


def test_sarif_of_clean_files_has_no_results(folder):
    code, log = _scan(folder, "clean.pkl")
    assert code == 0
    jsonschema.Draft4Validator(json.loads(SCHEMA.read_text())).validate(log)
    run = log["runs"][0]
    assert run["results"] == [] and run["tool"]["driver"]["rules"] == []
    assert run["invocations"][0]["executionSuccessful"] is True
