"""ONNX (issue 18): external data escaping the model's folder, custom operator domains.

The models are made with the real onnx (onnx_files.py). The current onnx and onnxruntime
refuse escaping external data themselves; onnx 1.15 (what many environments pin) follows a
symlink out of the folder and reads the file it names: the proof runs that version, installed
with pip into a cache folder on first use (``$WARDEN_OLD_ONNX`` names a ready one), in a fresh
interpreter. Under the guard every escaping model is refused, on either version, by the file
and again where onnx opens the data; benign models load and run.
"""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from jupyterlab_warden.kernel.guard import WardenBlockedLoad
from jupyterlab_warden.kernel.scan import scan_file
from jupyterlab_warden.kernel.scan.codeformats.onnxmodel import escapes

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
OLD_ONNX = "1.15.0"
ESCAPING = ("escape_symlink", "escape_dotdot", "escape_absolute", "escape_hardlink")


@pytest.fixture(scope="module")
def models(tmp_path_factory):
    out = tmp_path_factory.mktemp("onnx")
    _run("build", str(out))
    return out


@pytest.fixture(scope="module")
def old_onnx():
    folder = Path(
        os.environ.get("WARDEN_OLD_ONNX") or Path(tempfile.gettempdir()) / f"warden-onnx-{OLD_ONNX}"
    )
    if not (folder / "onnx" / "__init__.py").exists():
        pip = [sys.executable, "-m", "pip", "install", "--no-deps", "--target", str(folder)]
        proc = subprocess.run(
            pip + [f"onnx=={OLD_ONNX}"], capture_output=True, text=True, timeout=600
        )
        assert proc.returncode == 0, "cannot install the old onnx: " + proc.stderr[-2000:]
    return folder


def _run(*args, extra_path=None):
    path = [str(extra_path)] if extra_path else []
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(path + [str(REPO)]))
    proc = subprocess.run(
        [sys.executable, str(HERE / "onnx_files.py"), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    lines = proc.stdout.strip().splitlines()
    return json.loads(lines[-1]) if lines else None


def test_old_onnx_reads_outside_the_folder_and_the_guard_refuses(models, old_onnx):
    plain = _run("load", str(models), "plain", extra_path=old_onnx)
    assert plain["onnx_version"] == OLD_ONNX
    # without Warden: the secret outside the model folder becomes the model's weights
    assert plain["escape_symlink"] == "SECRET" and plain["prebound_symlink"] == "SECRET"
    guarded = _run("load", str(models), "guard", extra_path=old_onnx)
    assert guarded["onnx_version"] == OLD_ONNX
    for name in ESCAPING + ("prebound_symlink",):
        assert guarded[name] == "blocked:onnx-external-data", (name, guarded)
    assert guarded["benign"] == [1.0, 1.0, 1.0, 1.0]


def test_current_onnx_under_the_guard(models):
    # without Warden onnxruntime reads the hard-linked secret as the model's weights
    assert _run("load", str(models), "plain")["ort_hardlink"] == "SECRET"
    guarded = _run("load", str(models), "guard")
    assert guarded["ort_hardlink"] == "blocked:onnx-external-data"
    assert [guarded[n] for n in ESCAPING + ("prebound_symlink",)] == [
        "blocked:onnx-external-data"
    ] * 5
    assert guarded["benign"] == [1.0, 1.0, 1.0, 1.0]


@pytest.mark.parametrize("name", ESCAPING)
def test_onnx_load_refused_with_evidence_and_no_contents(guard, models, name):
    import onnx

    with pytest.raises(WardenBlockedLoad, match="ONNX"):
        onnx.load(str(models / name / "model.onnx"))
    event = guard.events[-1]
    assert event["rule_id"] == "onnx-external-data" and event["action"] == "blocked"
    assert any("external data" in f for f in event["evidence"]["findings"])
    assert "13.5" not in json.dumps(event)  # never the data read


@pytest.mark.parametrize("name", ESCAPING)
def test_onnxruntime_session_refused(guard, models, name):
    import onnxruntime

    path = str(models / name / "model.onnx")
    with pytest.raises(WardenBlockedLoad):
        onnxruntime.InferenceSession(path, providers=["CPUExecutionProvider"])
    with pytest.raises(WardenBlockedLoad):  # the model's bytes, its data resolved in the cwd
        cwd = os.getcwd()
        os.chdir(models / name)
        try:
            onnxruntime.InferenceSession(
                Path(path).read_bytes(), providers=["CPUExecutionProvider"]
            )
        finally:
            os.chdir(cwd)
    assert guard.events[-1]["rule_id"] == "onnx-external-data"


def test_external_data_loaded_explicitly_is_judged_where_onnx_opens_it(guard, models):
    import onnx

    model = onnx.load_model_from_string((models / "escape_symlink" / "model.onnx").read_bytes())
    with pytest.raises(WardenBlockedLoad):
        onnx.load_external_data_for_model(model, str(models / "escape_symlink"))
    with pytest.raises(WardenBlockedLoad):
        onnx.external_data_helper.load_external_data_for_tensor(
            model.graph.initializer[0], str(models / "escape_symlink")
        )


def test_benign_model_loads_and_runs(guard, models):
    import numpy as np
    import onnx
    import onnxruntime

    path = str(models / "benign" / "model.onnx")
    model = onnx.load(path)
    assert onnx.numpy_helper.to_array(model.graph.initializer[0]).tolist() == [1.0] * 4
    session = onnxruntime.InferenceSession(path, providers=["CPUExecutionProvider"])
    (result,) = session.run(None, {"X": np.arange(4, dtype=np.float32)})
    assert result.tolist() == [1.0, 2.0, 3.0, 4.0]
    assert guard.events == []


def test_custom_domain_follows_the_policy(guard, models):
    import onnx

    path = str(models / "custom_domain" / "model.onnx")
    with pytest.warns(UserWarning, match="custom-op"):
        model = onnx.load(path)  # default: warn, the model loads
    assert model.graph.node[0].domain == "com.example.ops"
    event = guard.events[-1]
    assert (event["rule_id"], event["action"]) == ("onnx-custom-op", "warned")
    detail = "operator com.example.ops::Add needs a custom-op library"
    assert event["evidence"]["findings"] == [detail]
    guard.set_policy({"rules": {"onnx-custom-op": {"action": "block"}}})
    with pytest.raises(WardenBlockedLoad):
        onnx.load(path)


def test_trusted_artifact_reaches_the_library(guard, models):
    """A listed sha256 is not refused by Warden; the current onnx still refuses it itself."""
    import hashlib

    import onnx

    path = models / "escape_symlink" / "model.onnx"
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    guard.set_policy({"trusted_artifacts": {digest: "known model"}})
    with pytest.raises(Exception) as info:  # noqa: PT011 - onnx's own ValidationError
        onnx.load(str(path))
    assert not isinstance(info.value, WardenBlockedLoad)
    assert "symbolic link" in str(info.value)


def test_scanner_verdicts(models):
    for name in ESCAPING:
        report = scan_file(str(models / name / "model.onnx"), by_name=True)
        assert (report.verdict, report.format) == ("dangerous", "onnx"), report
    assert scan_file(str(models / "benign" / "model.onnx"), by_name=True).verdict == "safe"
    custom = scan_file(str(models / "custom_domain" / "model.onnx"), by_name=True)
    assert custom.verdict == "suspicious" and not custom.dangerous_findings()


def test_truncated_model_is_an_error(models, tmp_path):
    data = (models / "benign" / "model.onnx").read_bytes()
    (tmp_path / "cut.onnx").write_bytes(data[: len(data) // 2])
    report = scan_file(str(tmp_path / "cut.onnx"), by_name=True)
    assert report.verdict == "error" and "unreadable" in report.errors[0]


@pytest.mark.parametrize(
    ("location", "escaping"),
    [
        ("weights.bin", False),
        ("sub/weights.bin", False),
        ("sub\\..\\..\\etc\\passwd", True),
        ("C:\\Users\\me\\.ssh\\id_rsa", True),
        ("/etc/passwd", True),
        ("weights.bin\x00", True),
        ("", True),
    ],
)
def test_escape_rules(tmp_path, location, escaping):
    assert bool(escapes(location, str(tmp_path))) is escaping


def test_hard_linked_or_special_external_data_is_refused(tmp_path):
    outside = tmp_path / "outside.bin"
    outside.write_bytes(b"\0" * 16)
    model_dir = tmp_path / "model"
    model_dir.mkdir()
    (model_dir / "own.bin").write_bytes(b"\0" * 16)
    assert escapes("own.bin", str(model_dir)) is None
    os.link(outside, model_dir / "weights.bin")
    assert "hard link" in escapes("weights.bin", str(model_dir))
    os.mkfifo(model_dir / "fifo.bin")  # reading it would hang the loader
    assert "not a regular file" in escapes("fifo.bin", str(model_dir))
    assert escapes("missing.bin", str(model_dir)) is None  # nothing to read: onnx fails itself
