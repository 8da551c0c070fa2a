"""The fleet's word on artifacts in the kernel (issue 19): pushed by the lab server inside its
signed policy update; banned refuses, trusted and a same-version safe scan skip the scan."""

import hashlib
import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from jupyterlab_warden.kernel.guard import WardenBlockedLoad
from jupyterlab_warden.kernel.guard.provenance.fleet import scanner_version

REPO = Path(__file__).resolve().parents[2]


def _data_file(path):
    path.write_bytes(pickle.dumps({"weights": list(range(1000))}, protocol=4))
    return path, hashlib.sha256(path.read_bytes()).hexdigest()


def _push(guard, artifacts, policy=None):
    """What _server_update does with a signed update: fleet first, then the (re)sealed policy."""
    guard.provenance.use_fleet(artifacts)
    guard.set_policy(policy or {})


def _load(path):
    with open(path, "rb") as fh:
        return pickle.load(fh)


def test_fleet_ban_refuses_an_otherwise_clean_file(guard, tmp_path):
    path, sha = _data_file(tmp_path / "data.pkl")
    assert _load(path)["weights"][-1] == 999
    _push(guard, {"decisions": {sha: "banned"}})
    with pytest.raises(WardenBlockedLoad):
        _load(path)
    event = guard.events[-1]
    assert event["rule_id"] == "artifact-fleet-banned"
    assert event["evidence"]["sha256"] == sha


def test_fleet_ban_on_the_fast_path(guard, tmp_path):
    """A big pickle.load takes the no-scan-up-front path: the ban still holds."""
    path = tmp_path / "big.pkl"
    path.write_bytes(pickle.dumps(bytes(2 * guard.fast_path_min_bytes), protocol=4))
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    _push(guard, {"decisions": {sha: "banned"}})
    with pytest.raises(WardenBlockedLoad):
        _load(path)
    assert guard.events[-1]["rule_id"] == "artifact-fleet-banned"


def test_fleet_ban_holds_whatever_the_policy_says(guard, tmp_path):
    path, sha = _data_file(tmp_path / "data.pkl")
    _push(
        guard,
        {"decisions": {sha: "banned"}},
        {"rules": {"artifact-fleet-banned": {"action": "off"}}, "trusted_artifacts": {}},
    )
    with pytest.raises(WardenBlockedLoad):
        _load(path)


def test_trusted_and_same_version_safe_scans_skip_the_scan(guard, tmp_path):
    trusted, sha_t = _data_file(tmp_path / "trusted.pkl")
    (tmp_path / "other").mkdir()
    vouched = tmp_path / "other" / "vouched.pkl"
    vouched.write_bytes(pickle.dumps({"weights": list(range(999))}, protocol=4))
    sha_v = hashlib.sha256(vouched.read_bytes()).hexdigest()
    stale = tmp_path / "stale.pkl"
    stale.write_bytes(pickle.dumps({"weights": list(range(998))}, protocol=4))
    sha_s = hashlib.sha256(stale.read_bytes()).hexdigest()
    _push(
        guard,
        {
            "decisions": {sha_t: "trusted"},
            "scans": {
                sha_v: {"verdict": "safe", "scanner_version": scanner_version()},
                sha_s: {"verdict": "safe", "scanner_version": "warden-scan-older"},
            },
        },
        {"artifacts": {"accept_fleet_scans": True}},
    )
    before = guard.counts["files_scanned"]
    _load(trusted)
    _load(vouched)
    assert guard.counts["files_scanned"] == before  # neither was scanned here
    _load(stale)  # another scanner version: scanned locally
    assert guard.counts["files_scanned"] == before + 1


@pytest.mark.parametrize(
    "policy", [{}, {"artifacts": {"accept_fleet_scans": False}}], ids=["default", "off"]
)
def test_fleet_scans_ignored_unless_the_policy_accepts_them(guard, tmp_path, policy):
    path, sha = _data_file(tmp_path / "data.pkl")
    _push(
        guard, {"scans": {sha: {"verdict": "safe", "scanner_version": scanner_version()}}}, policy
    )
    before = guard.counts["files_scanned"]
    _load(path)
    assert guard.counts["files_scanned"] == before + 1


def test_fleet_word_cannot_be_edited_in_the_kernel(guard, tmp_path):
    path, sha = _data_file(tmp_path / "data.pkl")
    _push(guard, {"decisions": {sha: "banned"}})
    guard.provenance.fleet.decisions.clear()  # notebook code reaching the state
    with pytest.raises(WardenBlockedLoad) as refused:
        _load(path)
    assert "restart the kernel" in str(refused.value)


_CHANNEL = r"""
import json, os, pickle, sys
from jupyterlab_warden.kernel import guard
from jupyterlab_warden.kernel.guard import authority
key = os.urandom(32)
state = guard.install({}, update_key=key)
path, sha = sys.argv[1], sys.argv[2]
def load():
    try:
        with open(path, "rb") as fh:
            pickle.load(fh)
        return "loaded"
    except guard.WardenBlockedLoad as exc:
        return exc.rule_id
artifacts = {"decisions": {sha: "banned"}}
forged = authority.seal(os.urandom(32), kernel_id="k", counter=1, policy_json="{}",
                        policy_file=None, rules=None, artifacts=artifacts)
guard.server_policy(forged)
results = [load()]
signed = authority.seal(key, kernel_id="k", counter=2, policy_json="{}", policy_file=None,
                        rules=None, artifacts=artifacts)
guard.server_policy(signed)
results.append(load())
print(json.dumps(results))
"""


def test_pushed_over_the_signed_guard_channel_only(tmp_path):
    path, sha = _data_file(tmp_path / "data.pkl")
    env = dict(os.environ, PYTHONPATH=str(REPO))
    out = subprocess.run(
        [sys.executable, "-c", _CHANNEL, str(path), sha],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=True,
    )
    assert json.loads(out.stdout.strip().splitlines()[-1]) == ["loaded", "artifact-fleet-banned"]


def test_notebook_code_cannot_turn_fleet_scans_on(guard, tmp_path):
    path, sha = _data_file(tmp_path / "data.pkl")
    _push(guard, {"scans": {sha: {"verdict": "safe", "scanner_version": scanner_version()}}})
    assert guard.tighten({"artifacts": {"accept_fleet_scans": True}}) is False
    assert any("accept_fleet_scans" in e for e in guard.errors)
    before = guard.counts["files_scanned"]
    _load(path)
    assert guard.counts["files_scanned"] == before + 1  # still scanned here


class _Payload:
    """Writes the marker when unpickled (os.system through the pickle's REDUCE)."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def test_a_fleet_safe_verdict_skips_the_scan_but_not_the_load_time_checks(guard, tmp_path, marker):
    """Central says "safe" (same scanner version) for a file that is really malicious: the
    pre-scan is skipped, but the unpickler's per-global check still refuses os.system."""
    evil = tmp_path / "evil.pkl"
    evil.write_bytes(pickle.dumps({"weights": [1, 2], "x": _Payload(marker)}, protocol=4))
    sha = hashlib.sha256(evil.read_bytes()).hexdigest()
    # the payload proves itself without Warden (an isolated interpreter: no guard)
    subprocess.run(
        [sys.executable, "-I", "-c", "import pickle,sys; pickle.load(open(sys.argv[1], 'rb'))"]
        + [str(evil)],
        timeout=120,
        check=True,
    )
    assert marker.exists()
    marker.unlink()
    _push(
        guard,
        {"scans": {sha: {"verdict": "safe", "scanner_version": scanner_version()}}},
        {"artifacts": {"accept_fleet_scans": True}},
    )
    before = guard.counts["files_scanned"]
    with pytest.raises(WardenBlockedLoad) as refused:
        _load(evil)
    assert "system" in str(refused.value)
    assert guard.counts["files_scanned"] == before  # the fleet's word did skip the scan
    with pytest.raises(WardenBlockedLoad):
        pickle.loads(evil.read_bytes())  # the bytes route too
    assert not marker.exists()
