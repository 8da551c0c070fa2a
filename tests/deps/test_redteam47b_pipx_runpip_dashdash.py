"""Red team 47b R47b-3 (MED, false refusal): ``pipx runpip VENV -- install requests`` refused.

pipx's parser (Python 3.11's argparse, pipx 1.18.4) hands pip ``["install", "requests"]``: the
``--`` after VENV is dropped. Warden's pipx reader keeps it (``installs/pipx_cli.py`` ``_leaf``:
the words from the first positional on go to ``_split_tail`` whole, so ``remainder`` is
``["--", "install", "requests"]``); on a venv whose backend may be uv (no record, or
``backend = "uv"``) ``pipx_request._runpip`` reads ``uv pip -- install requests`` and refuses
it as a ``uv pip`` command it does not know. A trusted package from the trusted index is
refused.

Fix (mechanism): build runpip's and run's remainders as argparse (on pipx's Python) gives them,
held to the real parser with ``--`` lines in test_pipx_cli.py's corpus (it has none today).
"""

import contextlib
import io
import os

import pytest

from jupyterlab_warden.kernel.guard.installs import decide, gate
from jupyterlab_warden.kernel.guard.installs.data import DepsData

POLICY = {"schema_version": 1, "revision": 1}
WORDS = ["runpip", "black", "--", "install", "requests"]


def _findings(words, tmp_path):
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp_path)}
    out = []
    for request in gate.read_requests(["pipx", *words], None, env, str(tmp_path)):
        out += decide.decide(request, POLICY, DepsData())
    return out


def test_r47b_3_control_pipx_hands_pip_the_words_after_dashdash(tmp_path, monkeypatch):
    pytest.importorskip("pipx", reason="pipx is pinned in requirements-dev.txt")
    monkeypatch.setenv("PIPX_HOME", str(tmp_path / "pipx-home"))
    from pipx.main import check_args, get_command_parser, parse_pipx_args

    parser, _ = get_command_parser()
    with contextlib.redirect_stderr(io.StringIO()):
        ns = parse_pipx_args(parser, WORDS)
        check_args(ns)
    assert ns.package == "black" and ns.pipargs == ["install", "requests"]


def test_r47b_3_control_without_dashdash_it_is_allowed(tmp_path):
    assert _findings(["runpip", "black", "install", "requests"], tmp_path) == []


def test_r47b_3_runpip_with_dashdash_is_allowed(tmp_path):
    found = _findings(WORDS, tmp_path)
    assert found == [], [f.message for f in found]  # FAILS today: `uv pip --` unreadable
