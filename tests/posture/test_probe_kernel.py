"""The probe in a real ipykernel, fetched the way the frontend does: user_expressions."""

from __future__ import annotations

import json
import os
from pathlib import Path

import jsonschema
import pytest
from jupyter_client.manager import start_new_kernel

from jupyterlab_warden.kernel.contracts import load_contract

REPO = Path(__file__).resolve().parents[2]
EXPRESSION = '__import__("jupyterlab_warden.kernel.probe", fromlist=["report_json"]).report_json()'


@pytest.fixture
def kernel_client():
    env = dict(os.environ, PYTHONPATH=str(REPO))
    km, kc = start_new_kernel(kernel_name="python3", env=env, startup_timeout=60)
    try:
        yield kc
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def test_probe_report_through_user_expressions(kernel_client):
    reply = kernel_client.execute_interactive(
        "",
        silent=True,
        store_history=False,
        user_expressions={"posture": EXPRESSION},
        timeout=60,
    )
    content = reply["content"]
    assert content["status"] == "ok"
    result = content["user_expressions"]["posture"]
    assert result["status"] == "ok", result
    data = result["data"]
    report = json.loads(data["text/plain"])  # JSON text, not a Python string literal
    assert data["application/json"] == report
    jsonschema.validate(report, load_contract("posture-report.schema.json"))
    assert report["summary"]["python"]
    assert report["duration_ms"] > 0
    # The probe ran inside the kernel process: its cmdline names the kernel's connection file,
    # which the token check must not count as a finding.
    token = next(c for c in report["checks"] if c["rule_id"] == "sandbox-jupyter-token-readable")
    assert not any(
        f.endswith(Path(kernel_client.connection_file).name) for f in token["evidence"]["files"]
    )
