"""schema/vectors/gate-decision.json through the lab server's gate (the real analyzer bundle in
embedded V8), the same file jest runs through the browser gate's functions."""

import json
from pathlib import Path

import pytest

from jupyterlab_warden.lab.gate.confirmations import ConfirmationStore
from jupyterlab_warden.lab.gate.engine import AnalyzerEngine
from jupyterlab_warden.lab.gate.gate import ServerGate

ROOT = Path(__file__).resolve().parents[2]
VECTORS = json.loads((ROOT / "schema" / "vectors" / "gate-decision.json").read_text())["vectors"]
ENGINE = AnalyzerEngine()


@pytest.mark.parametrize("vector", VECTORS, ids=[v["name"] for v in VECTORS])
def test_server_gate_decides_as_the_browser(vector):
    assert ENGINE.available, ENGINE.error  # the bundle is built by `npm run build:gate`
    events = []
    gate = ServerGate(ENGINE, lambda: vector["policy"], ConfirmationStore(), events.append)
    got = []
    for code in vector["cells"]:
        verdict = gate.check(kernel_id="k", user="u", code=code, request="execute_request")
        got.append(
            {"action": verdict.action, "rules": sorted({f["ruleId"] for f in verdict.findings})}
        )
        # block and (unconfirmed) confirm are refused; off and warn go to the kernel.
        assert verdict.forward == (verdict.action in ("off", "warn"))
    assert got == vector["expect"]
