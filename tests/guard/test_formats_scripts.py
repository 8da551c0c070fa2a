"""evaluate.load modules and dataset loading scripts (issue 18): fetched Python judged before
it is imported (script_files.py makes the files and proves them in a plain interpreter)."""

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from jupyterlab_warden.kernel.guard import WardenBlockedLoad

HERE = Path(__file__).resolve().parent


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    out = tmp_path_factory.mktemp("scripts")
    cache = tmp_path_factory.mktemp("hf-cache")
    # evaluate copies a metric into its modules cache: one per run, offline
    settings = {"HF_HOME": str(cache), "HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1"}
    saved = {k: os.environ.get(k) for k in settings}
    os.environ.update(settings)
    env = dict(os.environ, PYTHONPATH="")  # no Warden in the child
    proc = subprocess.run(
        [sys.executable, str(HERE / "script_files.py"), str(out)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    yield out, json.loads(proc.stdout.strip().splitlines()[-1])
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


def test_malicious_scripts_run_without_warden(files):
    out, ran = files
    assert ran == {"evaluate": True, "datasets": True}
    assert not list(out.glob("*.marker"))


def test_evaluate_load_of_a_metric_that_reaches_the_system_refused(guard, files):
    import evaluate

    out, _ = files
    with pytest.raises(WardenBlockedLoad, match="evaluate.load module evil_metric.py"):
        evaluate.load(str(out / "evil_metric"))
    assert not (out / "evaluate.marker").exists()
    event = guard.events[-1]
    assert event["rule_id"] == "hf-script-code" and "uses os" in event["evidence"]["findings"][0]


def test_evaluate_benign_metric_loads_and_computes(guard, files):
    import evaluate

    metric = evaluate.load(str(files[0] / "good_metric"))
    assert metric.compute(predictions=[1, 0], references=[1, 1]) == {"accuracy": 0.5}
    assert [e for e in guard.events if e["action"] == "blocked"] == []


def test_trusted_metric_loads(guard, files):
    import evaluate

    out, _ = files
    source = out / "evil_metric" / "evil_metric.py"
    guard.set_policy(
        {"trusted_artifacts": {hashlib.sha256(source.read_bytes()).hexdigest(): "our metric"}}
    )
    evaluate.load(str(out / "evil_metric"))
    assert (out / "evaluate.marker").exists()  # trusted: it ran, as its owner meant
    (out / "evaluate.marker").unlink()


def test_dataset_builder_script_refused_and_packaged_builders_pass(guard, files):
    import datasets
    import datasets.load

    out, _ = files
    sys.path.insert(0, str(out / "scripts"))
    try:
        with pytest.raises(WardenBlockedLoad):
            datasets.load.import_main_class("evil_rows")
        assert not (out / "datasets.marker").exists()
        assert datasets.load.import_main_class("good_rows").__name__ == "Rows"
    finally:
        sys.path.remove(str(out / "scripts"))
    # datasets' own packaged builders are installed code: load_dataset of a CSV passes
    (out / "rows.csv").write_text("x\n1\n2\n")
    rows = datasets.load_dataset("csv", data_files=str(out / "rows.csv"), split="train")
    assert rows["x"] == [1, 2]
    assert [e for e in guard.events if e["action"] == "blocked"][-1]["rule_id"] == "hf-script-code"
