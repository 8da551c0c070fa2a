"""A real lab server linked to the real central: a kernel's spooled event that names a model
file becomes an artifact report at central (the lab's event observers and its periodic
registry round, issue 19)."""

import hashlib
import sys
import uuid
from pathlib import Path

from jupyterlab_warden.kernel import event_spool

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "central"))
from labserver_harness import LabServer, wait_for  # noqa: E402
from test_with_real_central import lab_settings  # noqa: E402


def test_spooled_load_reaches_central_as_an_artifact_report(tmp_path, real_central):
    central = real_central
    spool = tmp_path / "spool"
    settings = lab_settings(central, spool_dir=str(spool), central_poll_interval=0.5)
    lab = LabServer(tmp_path / "lab", settings).start()
    sha = hashlib.sha256(uuid.uuid4().bytes).hexdigest()
    event = {
        "event_id": uuid.uuid4().hex,
        "time": "2026-11-30T12:00:00.000Z",
        "kind": "runtime",
        "source": "kernel",
        "rule_id": "artifact-loaded",
        "severity": "info",
        "action": "allowed",
        "fingerprint": sha[:32],
        "message": "Loaded model.pkl (safe).",
        "evidence": {
            "call": "pickle.load",
            "verdict": "safe",
            "scanner_version": "warden-scan-0123456789abcdef",
            "sha256": sha,
            "size": 1234,
            "path": "/home/someone/project/model.pkl",
        },
        "location": {"kernel_id": "k1"},
        "artifact": {"name": "model.pkl", "kind": "pickle", "sha256": sha},
    }
    try:
        event_spool.append_event(event, directory=str(spool))

        def at_central():
            status, body = central.request("GET", f"/api/v1/admin/artifacts?sha256={sha}")
            assert status == 200, body
            return body["artifacts"][0] if body.get("artifacts") else None

        row = wait_for(at_central, 45, 0.5, "the artifact at central")
        assert "project" not in str(row)  # a basename only ever leaves the lab
    finally:
        lab.stop()
