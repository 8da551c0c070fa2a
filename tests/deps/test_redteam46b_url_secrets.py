"""Red team 46b R46b-2 (LOW): credentials in a URL Warden cannot read reach the event whole.

``redact_url`` (kernel/guard/installs/request.py:190-197) touches only text holding ``://``.
A URL a WHATWG reader (uv's ``url`` crate, browsers) takes as ``https://user:TOKEN@host/...``
but spelt ``https:\\\\user:TOKEN@host``, ``https:/user:TOKEN@host`` or ``https:user:TOKEN@host``
(special schemes ignore the slashes and read backslashes as slashes) is refused as
``install-unreadable`` (correct), but ``decide._ambiguous`` (decide.py:363-372) quotes
``redact_url(url)``, i.e. the text unchanged, so the token goes into the message of the event
the lab relays to central.

Fix: in ``_ambiguous`` (and wherever an unreadable URL is shown) never show the raw text of a
URL that is not in the plain form: show the scheme and a marker, or drop everything between
the scheme and the last '@' (redact any text with a scheme followed by ':' and an '@'), on both
sides (request.ts redactUrl).

R46b-3 (LOW, noticed): hosts that carry the credential as a path segment other than
anaconda's ``/t/<token>`` (Cloudsmith ``https://dl.cloudsmith.io/<TOKEN>/org/repo/python/simple/``,
Gemfury ``https://pypi.fury.io/<TOKEN>/user/``) are shown whole in the index-not-allowed
event. Fix: mask the first path segment for these known token-path hosts (as /t/ is masked).

Controls (pass today): the plain ``https://user:TOKEN@host`` form is masked.
"""

import json
import os

import pytest

from jupyterlab_warden.kernel.guard.installs import gate
from jupyterlab_warden.kernel.guard.installs.gate import InstallGate, WardenBlockedInstall
from jupyterlab_warden.kernel.guard.state import GuardState

POLICY = {"schema_version": 1, "revision": 1}
TOKEN = "SECRETxyz0123456789"


def _events(argv, tmp_path):
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp_path)}
    requests = list(gate.read_requests(argv, None, env, str(tmp_path)))
    with pytest.raises(WardenBlockedInstall) as refused:
        InstallGate(GuardState(POLICY))._enforce(requests, argv[0], in_process=False)
    return json.dumps(refused.value.events)


def test_r46b_2_control_plain_userinfo_is_masked(tmp_path):
    shown = _events(
        ["uv", "pip", "install", "-i", f"https://u:{TOKEN}@evil.example/simple", "x"], tmp_path
    )
    assert TOKEN not in shown and "***@evil.example" in shown


@pytest.mark.parametrize(
    "url",
    [
        f"https:\\\\u:{TOKEN}@evil.example/simple",
        f"https:/u:{TOKEN}@evil.example/simple",
        f"https:u:{TOKEN}@evil.example/simple",
    ],
)
def test_r46b_2_unreadable_url_keeps_no_token(url, tmp_path):
    shown = _events(["uv", "pip", "install", "--index-url", url, "x"], tmp_path)
    assert "install-unreadable" in shown
    assert TOKEN not in shown  # FAILS today


@pytest.mark.parametrize(
    "url",
    [
        f"https://dl.cloudsmith.io/{TOKEN}/acme/repo/python/simple/",
        f"https://pypi.fury.io/{TOKEN}/acme/",
    ],
)
def test_r46b_3_token_path_hosts_are_masked(url, tmp_path):
    shown = _events(["pip", "install", "-i", url, "x"], tmp_path)
    assert "install-index-not-allowed" in shown
    assert TOKEN not in shown  # FAILS today
