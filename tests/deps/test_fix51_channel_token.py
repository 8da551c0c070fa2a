"""Fix for red team 45c R45c-3: an anaconda.org channel token (``/t/<token>/``, a path segment)
is masked wherever a URL is shown, so it reaches no message, event or fingerprint, and a
confirmation of the masked finding still holds for the same command."""

import json

import pytest

from jupyterlab_warden.kernel.guard.installs import decide
from jupyterlab_warden.kernel.guard.installs.gate import InstallGate, WardenBlockedInstall
from jupyterlab_warden.kernel.guard.installs.request import InstallRequest, Source, redact_url
from jupyterlab_warden.kernel.guard.state import GuardState

TOKEN = "ab-0123456789abcdef0123456789abcd"


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        (f"https://conda.anaconda.org/t/{TOKEN}/acme", "https://conda.anaconda.org/t/***/acme"),
        (f"https://conda.example/t/{TOKEN}", "https://conda.example/t/***"),
        (
            f"pkg @ https://pypi.anaconda.org/t/{TOKEN}/acme/simple/pkg/pkg-1.0.tar.gz",
            "pkg @ https://pypi.anaconda.org/t/***/acme/simple/pkg/pkg-1.0.tar.gz",
        ),
        ("https://conda.example/tt/acme/t", "https://conda.example/tt/acme/t"),  # no token
    ],
)
def test_a_path_token_is_masked(url, shown):
    assert redact_url(url) == shown


def test_a_confirmed_channel_with_a_token_is_not_asked_again_and_no_event_holds_it():
    policy = {
        "schema_version": 1,
        "revision": 1,
        "rules": {decide.RULE_INDEX: {"action": "confirm"}},
    }
    gate = InstallGate(GuardState(policy))

    def request():
        req = InstallRequest("conda", "conda install")
        req.sources.append(
            Source(f"https://conda.anaconda.org/t/{TOKEN}/acme", "channel", "command line")
        )
        return req

    with pytest.raises(WardenBlockedInstall) as refused:
        gate._enforce([request()], "conda", in_process=False)
    events = [e for e in refused.value.events if e["rule_id"] == decide.RULE_INDEX]
    assert len(events) == 1 and TOKEN not in json.dumps(refused.value.events)
    assert "t/***/acme" in json.dumps(events)
    gate.state.confirm(events[0]["fingerprint"], "our private channel")
    gate._enforce([request()], "conda", in_process=False)  # confirmed: runs
