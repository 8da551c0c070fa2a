"""Red-team and benign corpora (README.md here): every file proves itself in fresh processes.

Red team, per file: (a) without Warden its payload runs through the named loader (the marker
appears); (b) with the guard installed, default and strict mode, the load raises
WardenBlockedLoad, no marker appears and a 'blocked' event is recorded; (c) the scanner calls
the file dangerous. Benign, per file: it loads under the default guard, equal to the original,
with no 'blocked' event; the scanner calls it neither dangerous nor error.

Each run is one subprocess (runner.py) that forks a child per file, so the whole corpus costs a
handful of interpreter starts; the runs and the two scans are started together.
"""

import copy
import json
import os
import subprocess
import sys
from pathlib import Path

import benign
import pytest
import redteam

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
RUNNER = HERE / "runner.py"
RED_IDS = [entry.fid for entry in redteam.ENTRIES]
BENIGN_IDS = [item.fid for item in benign.ENTRIES]
# The `runs` fixture is the whole corpus (nine processes at once) and is set up inside its first
# test, so that test carries the corpus's cost: under `pytest -n 2` the other worker shares the
# two cores, which can push it past the suite's 300 s per-test limit. The jobs keep their own
# 900 s limit; this only stops pytest-timeout from cutting the setup short first.
pytestmark = pytest.mark.timeout(900)


def _env(markers):
    # no policy file or spool of the developer's environment; the worktree's package first
    env = {k: v for k, v in os.environ.items() if not k.startswith("WARDEN_")}
    env["WARDEN_CORPUS_MARKERS"] = str(markers)
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), str(HERE)])
    return env


class _Job:
    """One subprocess of the corpus run, started now, collected when its results are needed."""

    def __init__(self, argv, env, out=None):
        self.out = out
        self.proc = subprocess.Popen(
            argv,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def result(self):
        stdout, stderr = self.proc.communicate(timeout=900)
        ok = (0,) if self.out else (0, 1)  # the scanner exits 1 when any file is not safe
        assert self.proc.returncode in ok, stderr[-3000:]
        return json.loads(self.out.read_text() if self.out else stdout)


def _runner(mode, manifest, work, name):
    markers = work / f"markers-{name}-{mode}"
    markers.mkdir()
    manifest_path = work / f"{name}-manifest.json"
    manifest_path.write_text(json.dumps(manifest))
    out = work / f"{name}-{mode}.json"
    argv = [sys.executable, str(RUNNER), mode, str(manifest_path), str(out)]
    return _Job(argv, _env(markers), out)


def _scanner(manifest):
    argv = [sys.executable, "-m", "jupyterlab_warden.kernel.scan", "--format", "json"]
    return _Job(argv + [entry["scan_path"] for entry in manifest], _env(os.devnull))


def _by_fid(reports, manifest):
    by_path = {report["path"]: report for report in reports}
    return {entry["fid"]: by_path[entry["scan_path"]] for entry in manifest}


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """Build both corpora, then start every run at once (each is one process; on two cores
    they overlap) and collect them all."""
    red_work = tmp_path_factory.mktemp("redteam")
    red = redteam.build(str(red_work))
    for entry in red:
        entry["kind"] = "redteam"
    good_work = tmp_path_factory.mktemp("benign")
    good = benign.build(str(good_work))
    for entry in good:
        entry["kind"] = "benign"
    jobs = {
        "red_none": _runner("none", red, red_work, "red"),
        "red_default": _runner("default", red, red_work, "red"),
        "red_strict": _runner("strict", red, red_work, "red"),
        "good_default": _runner("default", good, good_work, "benign"),
        # the same corpora with every pickle.load(s) on the fast path (no scan up front)
        "red_default_fast": _runner("default-fast", red, red_work, "red"),
        "red_strict_fast": _runner("strict-fast", red, red_work, "red"),
        "good_default_fast": _runner("default-fast", good, good_work, "benign"),
        "red_scan": _scanner(red),
        "good_scan": _scanner(good),
    }
    try:
        results = {name: job.result() for name, job in jobs.items()}
    finally:
        for job in jobs.values():
            if job.proc.poll() is None:
                job.proc.kill()
                job.proc.wait()
    results["red_scan"] = _by_fid(results["red_scan"], red)
    results["good_scan"] = _by_fid(results["good_scan"], good)
    return results


@pytest.fixture(scope="module")
def red_unguarded(runs):
    return runs["red_none"]


@pytest.fixture(scope="module", params=["default", "default-fast"])
def red_default_any(runs, request):
    return runs["red_default" if request.param == "default" else "red_default_fast"]


@pytest.fixture(scope="module", params=["strict", "strict-fast"])
def red_strict_any(runs, request):
    return runs["red_strict" if request.param == "strict" else "red_strict_fast"]


@pytest.fixture(scope="module", params=["default", "default-fast"])
def good_default_any(runs, request):
    return runs["good_default" if request.param == "default" else "good_default_fast"]


@pytest.fixture(scope="module")
def red_scan(runs):
    return runs["red_scan"]


@pytest.fixture(scope="module")
def good_scan(runs):
    return runs["good_scan"]


def test_corpus_sizes():
    assert len(set(RED_IDS)) == len(RED_IDS) >= 50
    assert len(set(BENIGN_IDS)) == len(BENIGN_IDS) >= 40


@pytest.mark.parametrize("fid", RED_IDS)
def test_payload_runs_without_guard(red_unguarded, fid):
    result = red_unguarded[fid]
    assert result["marker"], f"the payload did not run through its loader: {_why(result)}"


def _why(result):
    """One readable line for a failure (pytest truncates a dict's repr)."""
    events = [(e.get("rule_id"), e.get("action")) for e in result.get("events", [])]
    return (
        f"{result['status']} {result.get('exc_type', '')}: {result.get('message', '')}; "
        f"events {events}; {result.get('compare_error', '')}"
    )


def _assert_refused(result, validator):
    assert result["status"] == "raised", _why(result)
    assert result["blocked"], _why(result)
    assert "Warden" in result["message"]
    assert not result["marker"] and not result["marker_at_end"], "the payload ran"
    assert any(event["action"] == "blocked" for event in result["events"]), result["events"]
    for event in result["events"]:
        validator.validate(event)


@pytest.mark.parametrize("fid", RED_IDS)
def test_default_guard_refuses(red_default_any, event_validator, fid):
    _assert_refused(red_default_any[fid], event_validator)


@pytest.mark.parametrize("fid", RED_IDS)
def test_strict_guard_refuses(red_strict_any, event_validator, fid):
    _assert_refused(red_strict_any[fid], event_validator)


@pytest.mark.parametrize("fid", RED_IDS)
def test_scanner_calls_it_dangerous(red_scan, fid):
    report = red_scan[fid]
    assert report["verdict"] == "dangerous", json.dumps(report)[:1500]


@pytest.mark.parametrize("fid", BENIGN_IDS)
def test_benign_loads_untouched(good_default_any, event_validator, fid):
    result = good_default_any[fid]
    assert result["status"] == "loaded", _why(result)
    assert result.get("equal"), f"differs from the original: {_why(result)}"
    assert not [e for e in result["events"] if e["action"] == "blocked"], result["events"]
    for event in result["events"]:
        event_validator.validate(event)


@pytest.mark.parametrize("fid", BENIGN_IDS)
def test_scanner_passes_benign(good_scan, fid):
    report = good_scan[fid]
    assert report["verdict"] not in ("dangerous", "error"), json.dumps(report)[:1500]


def test_comparison_sees_a_changed_artifact():
    """benign.same is what makes 'equal to the original' mean something."""
    state = benign.t_state_dict()
    changed = copy.deepcopy(state)
    key = next(iter(changed))
    changed[key] = changed[key] + 1
    assert benign.same(state, copy.deepcopy(state))
    assert not benign.same(state, changed)
    frame = benign.p_frame_rich()
    other = frame.copy()
    other.iloc[0, 5] = other.iloc[1, 5]
    assert benign.same(frame, frame.copy()) and not benign.same(frame, other)
    config = benign.u_user_types()
    assert not benign.same(config, dict(config, phase=config["phase"].TRAIN))
