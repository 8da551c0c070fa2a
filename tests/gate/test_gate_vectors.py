"""schema/vectors/gate-decision.json through the lab server's gate (the real analyzer bundle in
embedded V8), the same file jest runs through the browser gate's functions."""

import json
from pathlib import Path

import jsonschema
import pytest

from jupyterlab_warden.lab.gate.confirmations import ConfirmationStore
from jupyterlab_warden.lab.gate.engine import AnalyzerEngine
from jupyterlab_warden.lab.gate.gate import ServerGate

ROOT = Path(__file__).resolve().parents[2]
VECTORS = json.loads((ROOT / "schema" / "vectors" / "gate-decision.json").read_text())["vectors"]
ENGINE = AnalyzerEngine()
EVENT_SCHEMA = jsonschema.Draft202012Validator(
    json.loads((ROOT / "schema" / "event.schema.json").read_text()),
    format_checker=jsonschema.FormatChecker(),
)


@pytest.mark.parametrize("vector", VECTORS, ids=[v["name"] for v in VECTORS])
def test_server_gate_decides_as_the_browser(vector):
    assert ENGINE.available, ENGINE.error  # the bundle is built by `npm run build:gate`
    events = []
    gate = ServerGate(ENGINE, lambda: vector["policy"], ConfirmationStore(), events.append)
    got = []
    for code in vector["cells"]:
        verdict = gate.check(kernel_id="k", user="u", code=code, request="execute_request")
        decided = {
            "action": verdict.action,
            "rules": sorted({f["ruleId"] for f in verdict.findings}),
        }
        if verdict.ignored:
            decided["ignored"] = sorted({f["ruleId"] for f in verdict.ignored})
        got.append(decided)
        # block and (unconfirmed) confirm are refused; off and warn go to the kernel.
        assert verdict.forward == (verdict.action in ("off", "warn"))
    assert got == vector["expect"]
    # Every honoured ignore is an event: action "allowed", with where and why.
    lifted = [e for e in events if "suppression" in e]
    assert len(lifted) == sum(len(e.get("ignored", [])) for e in vector["expect"])
    for event in lifted:
        assert event["action"] == "allowed" and event["suppression"]["reason"]
        assert EVENT_SCHEMA.is_valid(event), list(EVENT_SCHEMA.iter_errors(event))
