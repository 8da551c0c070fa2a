"""Scoring, the report contract, report_json for user_expressions, and posture events."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import jsonschema
import pytest

from jupyterlab_warden.kernel.contracts import load_contract, rule_catalog
from jupyterlab_warden.kernel.probe import events, posture_events, report_json, run_probe, scoring

from .proctree import hardened, insecure

EVENT_SCHEMA = load_contract("event.schema.json")
REPORT_SCHEMA = load_contract("posture-report.schema.json")


def test_probe_report_matches_contract_and_catalog(tmp_path):
    report = insecure(tmp_path).report()
    jsonschema.validate(report, REPORT_SCHEMA)
    catalog = rule_catalog()
    for check in report["checks"]:
        rule = catalog[check["rule_id"]]
        assert check["severity"] == rule["severity"]
        assert check["remediation"] == rule["remediation"]
        assert check["title"] == rule["title"]


def test_scores_and_worst_severity(tmp_path):
    bad = insecure(tmp_path / "a").report()
    assert bad["score"] == 1  # only the low-weight "in a container" check passes
    assert bad["worst_severity"] == "critical"
    assert bad["counts"] == {"pass": 1, "fail": len(bad["checks"]) - 1, "unknown": 0}
    good = hardened(tmp_path / "b").report()
    assert good["score"] == 100
    assert good["worst_severity"] is None


def test_score_formula_weights_and_unknown():
    checks = [
        {"status": "pass", "severity": "critical"},
        {"status": "fail", "severity": "high"},
        {"status": "fail", "severity": "low"},
        {"status": "unknown", "severity": "critical"},
        {"status": "fail", "severity": "info"},
    ]
    result = scoring.score(checks)
    assert result["score"] == round(100 * 10 / (10 + 6 + 1 + 0))
    assert result["worst_severity"] == "high"
    assert result["counts"] == {"pass": 1, "fail": 3, "unknown": 1}


def test_enrich_refuses_rules_of_another_layer():
    with pytest.raises(KeyError):
        scoring.enrich([("server-no-auth", "fail", {})], "sandbox")
    with pytest.raises(KeyError):
        scoring.enrich([("no-such-rule", "fail", {})], "sandbox")


def test_report_json_is_plain_json_for_user_expressions(tmp_path):
    t = insecure(tmp_path)
    text = report_json(str(t.root), t.environ)
    assert json.loads(text)["kind"] == "sandbox"

    class Printer:
        def __init__(self):
            self.out = []

        def text(self, s):
            self.out.append(s)

    p = Printer()
    text._repr_pretty_(p, False)
    assert json.loads("".join(p.out)) == json.loads(text)
    assert text._repr_json_()["checks"]


def test_events_valid_stable_and_secret_free(tmp_path):
    t = insecure(tmp_path)
    first = posture_events(t.report(), kernel_id="k-1")
    second = posture_events(t.report(), kernel_id="k-1")
    assert len(first) == len(t.report()["checks"]) - 1  # one per failing check
    for event in first:
        jsonschema.validate(event, EVENT_SCHEMA)
        assert event["kind"] == "sandbox" and event["source"] == "kernel"
        assert event["location"] == {"kernel_id": "k-1"}
    assert [e["fingerprint"] for e in first] == [e["fingerprint"] for e in second]
    assert not {e["event_id"] for e in first} & {e["event_id"] for e in second}
    blob = json.dumps(first)
    for value in ("server-token", "other-kernel-key", "the-server-token", "AKIA-not-a-real"):
        assert value not in blob


def test_fingerprint_ignores_volatile_ids_but_not_findings(tmp_path):
    t = insecure(tmp_path)
    runtime = "/home/jovyan/.local/share/jupyter/runtime"

    def token_fp():
        events = posture_events(t.report())
        return next(
            e["fingerprint"] for e in events if e["rule_id"] == "sandbox-jupyter-token-readable"
        )

    before = token_fp()
    t.path(runtime + "/jpserver-4242.json").rename(t.path(runtime + "/jpserver-5151.json"))
    assert token_fp() == before  # another pid of the same server: same finding
    t.environ.pop("JUPYTER_TOKEN")
    assert token_fp() != before  # a different set of exposures: a different finding


def test_events_time_and_passing_checks_omitted(tmp_path):
    report = hardened(tmp_path).report()
    assert posture_events(report) == []
    when = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
    report["checks"][0]["status"] = "fail"
    (event,) = posture_events(report, now=when)
    assert event["time"] == "2026-01-02T03:04:05Z"
    assert "location" not in event


def test_probe_on_this_machine_is_valid():
    report = run_probe()
    jsonschema.validate(report, REPORT_SCHEMA)
    assert report["summary"]["kernel_release"]


def test_fingerprint_masks_container_ids_in_cgroup_paths():
    a = {"cgroup": "/docker/" + "3f" * 32, "limit": -1}
    b = {"cgroup": "/docker/" + "9a" * 32, "limit": -1}
    c = {"cgroup": "/docker/" + "9a" * 32, "limit": 1024}
    fp = events.fingerprint
    assert fp("sandbox", "sandbox-no-memory-limit", a) == fp(
        "sandbox", "sandbox-no-memory-limit", b
    )
    assert fp("sandbox", "sandbox-no-memory-limit", b) != fp(
        "sandbox", "sandbox-no-memory-limit", c
    )
