"""evaluate.load modules and dataset loading scripts (issue 18): fetched Python judged before
it is imported. script_files.py makes the files, proves them in a plain interpreter, and loads
them under the guard in another fresh one: evaluate and datasets (and their pyarrow, which
changes how pandas pickles DataFrames for any process that can import it) never enter the
shared environment - they are installed with pip into a cache folder of their own on first use
(``$WARDEN_HF_LIBS`` names a ready one) and put on the children's path only."""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from format_runs import run_script

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
LIBS = ("evaluate==0.4.6", "datasets==5.2.0", "pyarrow==26.0.1", "xxhash==4.1.0",
        "multiprocess==0.70.19")  # fmt: skip


@pytest.fixture(scope="module")
def hf_libs():
    folder = Path(
        os.environ.get("WARDEN_HF_LIBS") or Path(tempfile.gettempdir()) / "warden-hf-libs"
    )
    if not (folder / "evaluate" / "__init__.py").exists():
        pip = [sys.executable, "-m", "pip", "install", "--no-deps", "--target", str(folder)]
        proc = subprocess.run(pip + list(LIBS), capture_output=True, text=True, timeout=900)
        assert proc.returncode == 0, "cannot install evaluate/datasets: " + proc.stderr[-2000:]
    return folder


def _run(out, mode, libs, cache, with_warden):
    # evaluate copies a metric into its modules cache: one per run
    env = {"HF_HOME": str(cache), "HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1"}
    return run_script("script_files.py", out, mode, with_warden=with_warden, path=[libs], env=env)


@pytest.fixture(scope="module")
def runs(tmp_path_factory, hf_libs):
    out = tmp_path_factory.mktemp("scripts")
    plain = _run(out, "plain", hf_libs, tmp_path_factory.mktemp("hf1"), with_warden=False)
    guarded = _run(out, "guard", hf_libs, tmp_path_factory.mktemp("hf2"), with_warden=True)
    return out, plain, guarded


def test_malicious_scripts_run_without_warden(runs):
    out, plain, _ = runs
    assert plain == {"evaluate": True, "datasets": True}
    assert not list(out.glob("*.marker"))


def test_evaluate_metric_that_reaches_the_system_refused(runs):
    _, _, guarded = runs
    assert guarded["evaluate evil"] == "blocked:hf-script-code"
    assert guarded["evaluate evil markers"] == []
    assert "uses os" in guarded["evaluate evil findings"][0]


def test_dataset_builder_script_refused(runs):
    _, _, guarded = runs
    assert guarded["datasets evil"] == "blocked:hf-script-code"
    assert guarded["datasets evil markers"] == []


def test_benign_modules_and_packaged_builders_load(runs):
    _, _, guarded = runs
    assert guarded["evaluate good"] == {"accuracy": 0.5}
    assert guarded["datasets good"] == "Rows"
    assert guarded["packaged csv builder"] == [1, 2]
    # only the two malicious loads were refused
    assert guarded["blocked events"] == ["hf-script-code", "hf-script-code"]


def test_trusted_metric_loads(runs):
    _, _, guarded = runs
    assert guarded["evaluate evil trusted"] == "loaded"
    assert guarded["evaluate evil trusted markers"] == ["evaluate.marker"]  # ran, as meant
