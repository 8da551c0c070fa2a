"""Red-team and benign corpora (README.md here): every file proves itself in fresh processes.

Red team, per file: (a) without Warden its payload runs through the named loader (the marker
appears); (b) with the guard installed, default and strict mode, the load raises
WardenBlockedLoad, no marker appears and a 'blocked' event is recorded; (c) the scanner calls
the file dangerous. Benign, per file: it loads under the default guard, equal to the original,
with no 'blocked' event; the scanner calls it neither dangerous nor error.

Each run is one subprocess (runner.py) that forks a child per file, so the whole corpus costs a
handful of interpreter starts.
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


def _env(markers):
    # no policy file or spool of the developer's environment; the worktree's package first
    env = {k: v for k, v in os.environ.items() if not k.startswith("WARDEN_")}
    env["WARDEN_CORPUS_MARKERS"] = str(markers)
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), str(HERE)])
    return env


def _run(mode, manifest, work, name):
    markers = work / f"markers-{name}-{mode}"
    markers.mkdir()
    manifest_path = work / f"{name}-manifest.json"
    manifest_path.write_text(json.dumps(manifest))
    out = work / f"{name}-{mode}.json"
    proc = subprocess.run(
        [sys.executable, str(RUNNER), mode, str(manifest_path), str(out)],
        env=_env(markers),
        cwd=str(work),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(out.read_text())


def _scan(manifest):
    proc = subprocess.run(
        [sys.executable, "-m", "jupyterlab_warden.scan", "--format", "json"]
        + [entry["scan_path"] for entry in manifest],
        env=_env(os.devnull),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode in (0, 1), proc.stderr[-3000:]
    reports = json.loads(proc.stdout)
    by_path = {report["path"]: report for report in reports}
    return {entry["fid"]: by_path[entry["scan_path"]] for entry in manifest}


@pytest.fixture(scope="module")
def red(tmp_path_factory):
    work = tmp_path_factory.mktemp("redteam")
    manifest = redteam.build(str(work))
    for entry in manifest:
        entry["kind"] = "redteam"
    return work, manifest


@pytest.fixture(scope="module")
def red_unguarded(red):
    return _run("none", red[1], red[0], "red")


@pytest.fixture(scope="module")
def red_default(red):
    return _run("default", red[1], red[0], "red")


@pytest.fixture(scope="module")
def red_strict(red):
    return _run("strict", red[1], red[0], "red")


@pytest.fixture(scope="module")
def red_scan(red):
    return _scan(red[1])


@pytest.fixture(scope="module")
def good(tmp_path_factory):
    work = tmp_path_factory.mktemp("benign")
    manifest = benign.build(str(work))
    for entry in manifest:
        entry["kind"] = "benign"
    return work, manifest


@pytest.fixture(scope="module")
def good_default(good):
    return _run("default", good[1], good[0], "benign")


@pytest.fixture(scope="module")
def good_scan(good):
    return _scan(good[1])


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
def test_default_guard_refuses(red_default, event_validator, fid):
    _assert_refused(red_default[fid], event_validator)


@pytest.mark.parametrize("fid", RED_IDS)
def test_strict_guard_refuses(red_strict, event_validator, fid):
    _assert_refused(red_strict[fid], event_validator)


@pytest.mark.parametrize("fid", RED_IDS)
def test_scanner_calls_it_dangerous(red_scan, fid):
    report = red_scan[fid]
    assert report["verdict"] == "dangerous", json.dumps(report)[:1500]


@pytest.mark.parametrize("fid", BENIGN_IDS)
def test_benign_loads_untouched(good_default, event_validator, fid):
    result = good_default[fid]
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
