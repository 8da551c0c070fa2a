"""Fix for red team 45c R45c-3: an anaconda.org channel token (``/t/<token>/``, a path segment)
is masked wherever a URL is shown, so it reaches no message, event or fingerprint, and a
confirmation of the masked finding still holds for the same command."""

import pytest
from confirmed_secret import confirmed_once_without_secret

from jupyterlab_warden.kernel.guard.installs.request import Source, redact_url

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
    channel = Source(f"https://conda.anaconda.org/t/{TOKEN}/acme", "channel", "command line")
    confirmed_once_without_secret(
        "conda", "conda install", channel, TOKEN, "t/***/acme", "our private channel"
    )
