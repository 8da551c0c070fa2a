"""pyarrow-backed pandas pickles (issue 18): pandas 3 pickles string and ``pd.ArrowDtype``
columns through ``pyarrow.lib._restore_array``, which trusts the declared layout. The guard
admits the name only as its validating wrapper. arrow_pickles.py makes the pickles with the
real libraries and runs each side in a fresh interpreter; pyarrow is installed with pip into a
folder of its own (``$WARDEN_ARROW_LIBS`` names a ready one) and put on the children's path
only, never in the shared environment."""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from format_runs import run_script

# a pip install of pyarrow on first use and two fresh interpreters: minutes on a busy machine
pytestmark = pytest.mark.timeout(900)

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
PYARROW = "pyarrow==26.0.1"  # the version requirements-dev.txt's sibling tests use


@pytest.fixture(scope="module")
def arrow_libs():
    folder = Path(
        os.environ.get("WARDEN_ARROW_LIBS") or Path(tempfile.gettempdir()) / "warden-arrow-libs"
    )
    if not (folder / "pyarrow" / "__init__.py").exists():
        pip = [sys.executable, "-m", "pip", "install", "--no-deps", "--target", str(folder)]
        proc = subprocess.run(pip + [PYARROW], capture_output=True, text=True, timeout=900)
        assert proc.returncode == 0, "cannot install pyarrow: " + proc.stderr[-2000:]
    return folder


def _run(out, step, libs, with_warden):
    return run_script("arrow_pickles.py", out, step, with_warden=with_warden, path=[libs])


@pytest.fixture(scope="module")
def runs(tmp_path_factory, arrow_libs):
    out = tmp_path_factory.mktemp("arrow")
    plain = _run(out, "plain", arrow_libs, with_warden=False)
    guarded = _run(out, "guard", arrow_libs, with_warden=True)
    return out, plain, guarded, arrow_libs


def test_crafted_layout_reads_outside_its_buffers_without_warden(runs):
    _, plain, _, _ = runs
    # one value of 256 bytes read from a pickle of 177 bytes holding a 2-byte data buffer
    assert plain["crafted read bytes"] == 256
    assert plain["crafted pickle bytes"] < 256


def test_pyarrow_backed_frames_load_under_the_guard(runs):
    _, _, guarded, _ = runs
    for name in ("strings", "arrow"):
        assert guarded[name] == "loaded"
        assert guarded[name + " equal"] is True
    assert guarded["repickled same"] is True


def test_crafted_layout_refused_under_the_guard(runs):
    _, _, guarded, _ = runs
    assert guarded["crafted"] == "blocked:pickle-blocked-global"
    evidence = guarded["crafted evidence"]
    assert evidence["global"] == "pyarrow.lib._restore_array"
    assert evidence["reason"] == "invalid-arrow-array"
    assert evidence["error"] == "ArrowInvalid"


def test_the_name_admits_only_the_guards_wrapper(runs):
    _, _, guarded, _ = runs
    # pyarrow.lib._restore_array put back to the real function: judged as itself, refused
    assert guarded["strings unwrapped"] == "blocked:pickle-blocked-global"
    assert guarded["strings unwrapped evidence"]["reason"] == "function-not-allowed"


def test_scanner_names_the_restore_for_the_hook_to_decide(runs):
    out, _, _, libs = runs
    proc = subprocess.run(
        [sys.executable, "-m", "jupyterlab_warden.kernel.scan", "--format", "json"]
        + [str(out / n) for n in ("strings.pkl", "arrow.pkl", "crafted.pkl")],
        cwd=REPO,
        env=dict(os.environ, PYTHONPATH=os.pathsep.join([str(libs), str(REPO)])),
        capture_output=True,
        text=True,
        timeout=300,
    )
    docs = json.loads(proc.stdout)
    for doc in docs:
        # with pyarrow importable: the arrow types and pandas' arrow classes are curated; the
        # restore is left to the hook (what it resolves to at load time), never safe by name
        assert doc["verdict"] == "suspicious", doc
        flagged = [g["module"] + "." + g["name"] for g in doc["globals"] if g["verdict"] != "safe"]
        assert flagged == ["pyarrow.lib._restore_array"]
