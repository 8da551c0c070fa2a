"""Server posture rules as a pure function of a settings snapshot, each failing and passing."""

from __future__ import annotations

import dataclasses

import jsonschema
import pytest

from jupyterlab_warden.kernel.contracts import load_contract, rule_catalog
from jupyterlab_warden.kernel.probe import posture_events
from jupyterlab_warden.lab.posture import (
    SERVER_CHECKS,
    ServerSettings,
    check_server,
    is_affected,
    listens_beyond_loopback,
    load_advisories,
)

SAFE = ServerSettings(
    ip="127.0.0.1",
    euid=1000,
    packages={"jupyter-server": "2.21.1", "jupyterlab": "4.6.6", "jupyter-lsp": "2.3.1"},
)


def statuses(settings: ServerSettings) -> dict:
    return {c["rule_id"]: c["status"] for c in check_server(settings)["checks"]}


def test_every_server_rule_is_checked():
    # Server-layer rules about the server's configuration are the "server-*" ones; others of
    # that layer (e.g. central-policy-rejected) are raised by the event pipeline.
    catalog = sorted(
        r
        for r, rule in rule_catalog().items()
        if rule["layer"] == "server" and r.startswith("server-")
    )
    assert sorted(r for r, _ in SERVER_CHECKS) == catalog


def test_safe_settings_pass_everything():
    report = check_server(SAFE)
    assert set(statuses(SAFE).values()) == {"pass"}
    assert report["score"] == 100 and report["worst_severity"] is None


EXPOSED = {"server-unauthenticated-access", "server-public-without-tls"}
REMOTE = {"server-unauthenticated-access", "server-remote-access-allowed"}


@pytest.mark.parametrize(
    "change, expected",
    [
        ({"token_set": False, "auth_enabled": False}, {"server-no-auth"}),
        ({"allow_remote_access": True}, REMOTE),
        ({"ip": "0.0.0.0"}, EXPOSED),
        ({"ip": ""}, EXPOSED),
        ({"ip": "::"}, EXPOSED),
        ({"ip": "10.1.2.3"}, EXPOSED),
        ({"ip": "lab.example.org"}, EXPOSED),
        ({"ip": "0.0.0.0", "allow_unauthenticated_access": False}, {"server-public-without-tls"}),
        ({"allow_origin": "*"}, {"server-cors-wildcard"}),
        ({"allow_origin_header": "*"}, {"server-cors-wildcard"}),
        ({"allow_origin_pat": ".*", "allow_credentials": True}, {"server-cors-wildcard"}),
        ({"allow_origin_pat": r"https?://.*"}, {"server-cors-wildcard"}),
        ({"disable_check_xsrf": True}, {"server-xsrf-disabled"}),
        ({"xsrf_cookies": False}, {"server-xsrf-disabled"}),
        ({"euid": 0, "allow_root": True}, {"server-runs-as-root"}),
        ({"packages": {"jupyter-server": "2.20.0"}}, {"server-vulnerable-jupyter-package"}),
        ({"packages": {"jupyter_lsp": "2.2.1"}}, {"server-vulnerable-jupyter-package"}),
    ],
)
def test_each_rule_fails_on_its_setting(change, expected):
    result = statuses(dataclasses.replace(SAFE, **change))
    assert {r for r, s in result.items() if s == "fail"} == expected


@pytest.mark.parametrize(
    "change",
    [
        {"ip": "0.0.0.0", "certfile_set": True, "allow_unauthenticated_access": False},
        {"allow_origin_pat": r"^https://lab\.example\.org$", "allow_credentials": True},
        {"allow_origin": "https://lab.example.org", "allow_origin_pat": ".*"},
        {"allow_unauthenticated_access": True},  # default, harmless on loopback
        {"euid": 1000, "allow_root": True},
        {"packages": {"jupyterlab": "3.6.8"}},  # fixed backport line for GHSA-9q39 and -44cc
        {"packages": {"jupyter-server": "not a version"}},
        {"ip": "::1"},
        {"ip": "localhost"},
    ],
)
def test_safe_variants_pass(change):
    result = statuses(dataclasses.replace(SAFE, **change))
    fails = [r for r, s in result.items() if s == "fail"]
    if change.get("packages", {}).get("jupyterlab") == "3.6.8":
        # 3.6.8 has the backports but predates the 4.x-only fixes listed for jupyterlab.
        assert fails == ["server-vulnerable-jupyter-package"]
        evidence = _evidence(dataclasses.replace(SAFE, **change), fails[0])
        assert not any("GHSA-9q39" in a or "GHSA-44cc" in a for a in evidence["advisories"])
    else:
        assert fails == []


def _evidence(settings, rule_id):
    return next(c for c in check_server(settings)["checks"] if c["rule_id"] == rule_id)["evidence"]


def test_advisory_evidence_names_ghsa_and_versions():
    settings = dataclasses.replace(SAFE, packages={"jupyter-server": "2.7.1"})
    advisories = _evidence(settings, "server-vulnerable-jupyter-package")["advisories"]
    assert "GHSA-r726-vmfq-j9j3 jupyter-server 2.7.1 < 2.7.2" in advisories
    assert len(advisories) == 4  # every jupyter-server advisory in the list


def test_advisories_data_file_matches_catalog_references():
    listed = {a["ghsa"] for a in load_advisories()}
    rule = rule_catalog()["server-vulnerable-jupyter-package"]
    assert listed == set(rule["references"]["ghsa"])
    for adv in load_advisories():
        assert {"ghsa", "package", "fixed", "summary"} <= set(adv)


@pytest.mark.parametrize(
    "installed, affected",
    [
        ("4.2.4", True),
        ("4.2.5", False),
        ("3.6.7", True),
        ("3.6.8", False),
        ("3.5.0", True),
        ("4.3.0a1", False),
        ("4.2.5rc1", True),
    ],
)
def test_is_affected_with_backports(installed, affected):
    advisory = {"fixed": "4.2.5", "also_fixed": ["3.6.8"]}
    assert is_affected(installed, advisory) is affected


def test_listens_beyond_loopback():
    assert listens_beyond_loopback("0.0.0.0")
    assert listens_beyond_loopback("")
    assert not listens_beyond_loopback("127.0.0.2")
    assert not listens_beyond_loopback("[::1]")


def test_server_events_are_schema_valid_and_carry_no_secret():
    insecure = ServerSettings(
        ip="0.0.0.0",
        token_set=False,
        auth_enabled=False,
        allow_remote_access=True,
        allow_origin="*",
        disable_check_xsrf=True,
        allow_root=True,
        euid=0,
        packages={"jupyter-server": "2.7.0"},
    )
    report = check_server(insecure)
    assert {c["status"] for c in report["checks"]} == {"fail"}
    events = posture_events(report)
    assert len(events) == len(SERVER_CHECKS)
    schema = load_contract("event.schema.json")
    for event in events:
        jsonschema.validate(event, schema)
        assert event["kind"] == "server" and event["source"] == "server"
