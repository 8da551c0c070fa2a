"""Red team 45c: secrets in install events (issue 20, "every decision is an event").

- R45c-3 (LOW): an anaconda.org-style channel token ``/t/<TOKEN>/`` is kept in the refusal's
  reason, message and subject, hence in the event the lab relays to central. ``redact_url``
  (kernel/guard/installs/request.py:165-201) drops ``user:password@``, the query and the
  fragment, but keeps the path whole; conda channel URLs carry their credential IN the path
  (conda itself masks it: ``conda.common.url.split_anaconda_token``), and
  ``decide._sources`` (decide.py:268-276) shows the channel with ``redact_url``. A user
  trying a private channel on a lab whose policy does not list it sends the token to the
  fleet's event store. Fix: reduce a ``/t/<token>`` path segment (conda's and mamba's token
  form) to ``/t/***`` in ``redact_url``, on both sides (the finding's ``reason`` is also the
  fingerprint and the confirmation key, so the reduced spelling must be the one matched).

The control (passes today): user:password@ in the same channel URL is removed.
"""

import os

from jupyterlab_warden.kernel.guard.installs import decide, gate
from jupyterlab_warden.kernel.guard.installs.data import DepsData

TOKEN = "ab-0123456789abcdef0123456789abcd"
POLICY = {"schema_version": 1, "revision": 1}


def _shown(argv, tmp_path) -> str:
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp_path)}
    texts = []
    for request in gate.read_requests(argv, None, env, str(tmp_path)):
        for f in decide.decide(request, POLICY, DepsData()):
            texts += [f.reason, f.message, f.remedy, f.subject]
    assert texts, argv  # refused: the channel is not allowed
    return "\n".join(texts)


def test_r45c_3_control_userinfo_is_removed(tmp_path):
    shown = _shown(
        ["conda", "install", "-c", f"https://u:{TOKEN}@conda.example/private", "numpy"], tmp_path
    )
    assert TOKEN not in shown and "***@conda.example" in shown


def test_r45c_3_anaconda_path_token_reaches_the_event(tmp_path):
    for argv in (
        ["conda", "install", "-c", f"https://conda.anaconda.org/t/{TOKEN}/acme", "numpy"],
        ["mamba", "install", "-c", f"https://conda.example/t/{TOKEN}/acme", "numpy"],
    ):
        shown = _shown(argv, tmp_path)
        assert "channel" in shown
        assert TOKEN not in shown, shown  # FAILS today
