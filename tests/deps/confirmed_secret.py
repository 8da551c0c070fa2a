"""A confirmed index or channel whose URL holds a secret: the shared proof of the redaction
fixes (45c R45c-3 channel tokens, 46b R46b-2/3 token-path hosts). The gate asks about the
source once, with the secret masked in every event (the fingerprint too), and the user's
confirmation of that masked finding then lets the same command run."""

import json

import pytest

from jupyterlab_warden.kernel.guard.installs import decide
from jupyterlab_warden.kernel.guard.installs.gate import InstallGate, WardenBlockedInstall
from jupyterlab_warden.kernel.guard.installs.request import InstallRequest, Source
from jupyterlab_warden.kernel.guard.state import GuardState


def confirmed_once_without_secret(
    tool: str, line: str, source: Source, secret: str, shown: str, reason: str
) -> None:
    """``source`` (its URL holding ``secret``) in a ``tool`` request ``line``, under a policy
    that confirms an index: asked once, no event holds ``secret``, the asked event shows
    ``shown``; confirmed with ``reason``, the same request runs."""
    policy = {
        "schema_version": 1,
        "revision": 1,
        "rules": {decide.RULE_INDEX: {"action": "confirm"}},
    }
    gate = InstallGate(GuardState(policy))

    def request():
        req = InstallRequest(tool, line)
        req.sources.append(source)
        return req

    with pytest.raises(WardenBlockedInstall) as refused:
        gate._enforce([request()], tool, in_process=False)
    events = [e for e in refused.value.events if e["rule_id"] == decide.RULE_INDEX]
    assert len(events) == 1 and secret not in json.dumps(refused.value.events)
    assert shown in json.dumps(events)
    gate.state.confirm(events[0]["fingerprint"], reason)
    gate._enforce([request()], tool, in_process=False)  # confirmed: runs
