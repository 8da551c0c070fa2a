"""Fix 54spell: a direct URL is decided on its text as written, shown only redacted.

``Requirement.text`` is ``redact_url(text)``, which masks a token (``/t/<token>``, the first
path segment on Cloudsmith and Gemfury, ``user:pass@``). The direct-URL rule read that masked
text, so a URL under a TRUSTED index written with its token was refused as from an unknown
place (closing note of stop 42, "Noticed, left"). Now ``Requirement.written`` keeps the text
as written for the decision (as it did for ``file:`` paths), and every message, event,
fingerprint and stderr line still shows the redacted one: asserted here on the captured event
texts, the spool file, the refusal and stderr. schema/vectors/install-decision.json holds
the same decisions for both sides.
"""

import json
import os

import pytest

from jupyterlab_warden.kernel.guard.installs import gate
from jupyterlab_warden.kernel.guard.installs.gate import InstallGate, WardenBlockedInstall
from jupyterlab_warden.kernel.guard.state import GuardState

TOKEN = "SECRETfix54xyz0123456789"
WHEEL = "black-24.10.0-py3-none-any.whl"
# (trusted index, a direct URL under it written with the token, the masked spelling shown)
TOKEN_PATHS = [
    (
        f"https://dl.cloudsmith.io/{TOKEN}/acme/repo/python/simple/",
        f"https://dl.cloudsmith.io/{TOKEN}/acme/repo/python/simple/black/{WHEEL}",
        "https://dl.cloudsmith.io/***/acme/repo/python/simple/black/",
    ),
    (
        f"https://pypi.fury.io/{TOKEN}/acme/",
        f"https://pypi.fury.io/{TOKEN}/acme/{WHEEL}",
        "https://pypi.fury.io/***/acme/",
    ),
    (
        f"https://pkgs.example/t/{TOKEN}/simple/",
        f"https://pkgs.example/t/{TOKEN}/simple/black/{WHEEL}",
        "https://pkgs.example/t/***/simple/black/",
    ),
    (
        "https://pkgs.example/simple/",
        f"https://ci:{TOKEN}@pkgs.example/simple/black/{WHEEL}",
        "https://***@pkgs.example/simple/black/",
    ),
]


def _policy(index: str) -> dict:
    return {
        "schema_version": 1,
        "revision": 1,
        "trusted_sources": {"package_indexes": ["https://pypi.org/simple", index]},
    }


def _decided(argv, policy, tmp_path, capfd):
    """(refusal text or None, every text the decision left: events, spool, stderr)."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp_path)}
    env["PIP_CONFIG_FILE"] = os.devnull
    spool = tmp_path / "spool"
    state = GuardState(policy, spool_dir=str(spool))
    events = []
    state.sink.callbacks.append(events.append)
    requests = list(gate.read_requests(argv, None, env, str(tmp_path)))
    refused = None
    try:
        InstallGate(state)._enforce(requests, argv[0], in_process=False)
    except WardenBlockedInstall as exc:
        refused = str(exc)
        events += exc.events
    spooled = "".join(p.read_text() for p in spool.rglob("*") if p.is_file())
    shown = json.dumps(events) + spooled + capfd.readouterr().err + (refused or "")
    assert events and spooled, "the decision recorded no event"
    return refused, shown


@pytest.mark.parametrize("index,url,masked", TOKEN_PATHS, ids=["cloudsmith", "fury", "t", "user"])
def test_a_direct_url_under_a_trusted_token_index_runs(index, url, masked, tmp_path, capfd):
    """Refused before the fix for the three token-path forms (user:pass@ ran already)."""
    refused, shown = _decided(["pip", "install", url], _policy(index), tmp_path, capfd)
    assert refused is None, refused
    assert TOKEN not in shown


@pytest.mark.parametrize("index,url,masked", TOKEN_PATHS, ids=["cloudsmith", "fury", "t", "user"])
def test_the_same_url_under_an_untrusted_index_is_refused_without_its_token(
    index, url, masked, tmp_path, capfd
):
    other = _policy("https://pkgs.other.example/simple/")
    refused, shown = _decided(["pip", "install", f"black @ {url}"], other, tmp_path, capfd)
    assert refused is not None and "install-direct-reference" in shown
    assert masked in refused and masked in shown  # the user still sees where it points
    assert TOKEN not in shown


def test_another_token_on_the_trusted_host_is_not_the_trusted_index(tmp_path, capfd):
    index, url, masked = TOKEN_PATHS[0]
    url = url.replace(TOKEN, "OTHERtoken0123456789")
    refused, shown = _decided(["pip", "install", url], _policy(index), tmp_path, capfd)
    assert refused is not None and masked in refused
    assert TOKEN not in shown and "OTHERtoken0123456789" not in shown


def test_a_requirements_file_line_is_decided_as_written(tmp_path, capfd):
    index, url, _masked = TOKEN_PATHS[2]
    (tmp_path / "r.txt").write_text(f"black @ {url}\n")
    argv = ["pip", "install", "-r", str(tmp_path / "r.txt")]
    refused, shown = _decided(argv, _policy(index), tmp_path, capfd)
    assert refused is None, refused
    assert TOKEN not in shown


def test_the_written_text_is_kept_and_the_shown_text_redacted():
    from jupyterlab_warden.kernel.guard.installs.requirements import parse_requirement

    _index, url, masked = TOKEN_PATHS[0]
    for text in (url, f"black @ {url}", f"git+{url}"):
        req = parse_requirement(text, "command line")
        assert req.written == text and TOKEN not in req.text and masked in req.text
        assert TOKEN not in repr(req)
