"""skops (issue 18): types a file names judged before skops builds them, whatever trusted=
says. The malicious file is proven in a plain interpreter (skops_files.py): loaded with
``trusted=get_untrusted_types(file=f)`` it runs ``posix.system`` while loading."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from jupyterlab_warden.kernel.guard import WardenBlockedLoad
from jupyterlab_warden.kernel.scan import scan_file

HERE = Path(__file__).resolve().parent


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    out = tmp_path_factory.mktemp("skops")
    proc = subprocess.run(
        [sys.executable, str(HERE / "skops_files.py"), str(out)],
        env=dict(os.environ, PYTHONPATH=""),  # no Warden in the child
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    proof = json.loads(proc.stdout.strip().splitlines()[-1])
    return out, proof


def _marker(out):
    return out / "skops.marker"


def test_malicious_file_runs_its_payload_without_warden(files):
    out, proof = files
    assert proof == {"ran": True, "untrusted": ["posix.system"], "wrote": True}
    assert not _marker(out).exists()


def test_scanner_verdicts(files):
    out, _ = files
    evil = scan_file(str(out / "reduce_system.skops"))
    assert (evil.verdict, evil.format) == ("dangerous", "skops")
    assert [f.where for f in evil.findings if f.verdict == "dangerous"] == [
        "schema.json:posix.system"
    ]
    for name in ("pipeline.skops", "forest.skops"):
        report = scan_file(str(out / name))
        assert (report.verdict, report.format) == ("safe", "skops"), report


def test_load_with_trusted_from_get_untrusted_types_refused(guard, files):
    import skops.io as sio

    out, _ = files
    path = str(out / "reduce_system.skops")
    with pytest.raises(WardenBlockedLoad, match="skops"):
        sio.load(path, trusted=sio.get_untrusted_types(file=path))
    with pytest.raises(WardenBlockedLoad):
        sio.loads(Path(path).read_bytes(), trusted=["posix.system"])
    assert not _marker(out).exists()
    event = guard.events[-1]
    assert event["rule_id"] == "skops-untrusted-type" and event["action"] == "blocked"


def test_reference_bound_before_the_guard_is_judged_at_audit(guard, files):
    """The unwrapped load (what a module that imported skops.io.load early holds) still goes
    through audit_tree, where the types are judged on the tree skops is about to build."""
    import skops.io as sio

    out, _ = files
    early_load = sio.load.__warden_original__
    with pytest.raises(WardenBlockedLoad):
        early_load(str(out / "reduce_system.skops"), trusted=["posix.system"])
    assert not _marker(out).exists()
    event = guard.events[-1]
    assert event["evidence"]["trusted_by_caller"] is True
    assert event["evidence"]["findings"] == [
        "posix.system ConstructorFromReduceNode: not-curated-callable"
    ]


def test_benign_files_load_with_their_listed_types(guard, files):
    import numpy as np
    import skops.io as sio

    out, _ = files
    x = np.random.RandomState(1).rand(4, 3)
    for name in ("pipeline.skops", "forest.skops"):
        path = str(out / name)
        model = sio.load(path, trusted=sio.get_untrusted_types(file=path))
        assert model.predict(x).shape == (4,)
    assert [e for e in guard.events if e["action"] == "blocked"] == []


def test_callable_that_writes_files_refused(guard, files):
    """torch.save handed to FunctionTransformer: an ML package's function is no longer enough,
    only pure numeric functions (curated.PURE_CALLABLES) pass as a model's callable."""
    import skops.io as sio

    out, _ = files
    path = str(out / "torch_save.skops")
    report = scan_file(path)
    assert report.verdict == "dangerous"
    assert [f.where for f in report.findings if f.verdict == "dangerous"] == [
        "schema.json:torch.serialization.save"
    ]
    with pytest.raises(WardenBlockedLoad):
        sio.load(path, trusted=sio.get_untrusted_types(file=path))
    event = guard.events[-1]
    assert event["rule_id"] == "skops-untrusted-type" and event["action"] == "blocked"
    assert not (out / "overwritten.bin").exists()


@pytest.mark.parametrize(
    ("module", "name", "refused"),
    [
        ("numpy", "log1p", False),
        ("numpy", "float32", False),
        ("math", "sqrt", False),
        ("sklearn.preprocessing._data", "normalize", False),
        ("torch", "save", True),
        ("numpy", "save", True),
        ("numpy", "fromfile", True),
        ("sklearn.utils._testing", "assert_run_python_script_without_output", True),
        ("joblib", "dump", True),
        ("_operator", "call", True),
    ],
)
def test_model_callables_allow_list(module, name, refused):
    from jupyterlab_warden.kernel.scan.codeformats.skopsfile import judge_type

    for loader in ("FunctionNode", "TypeNode", "PartialNode"):
        finding = judge_type(module, name, loader)
        assert (finding is not None and finding.verdict == "dangerous") is refused, loader
