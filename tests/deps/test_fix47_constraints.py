"""fix47cons: constraint and override files decided like requirements (red team 42b R42b-1),
uv's alias spellings read for every uv command (R42b-4). The real-kernel proofs are in
test_redteam42b_versions.py; the decisions both sides share are install-decision vectors
("R42b-1: ...", "R42b-4: ..."). Here: what only the kernel reads (a pip.conf), the reading
units, and the table property the alias fix rests on."""

import os

import pytest
from install_env import GUARDED_ENV

from jupyterlab_warden.kernel.guard.installs import arguments, decide, requirements
from jupyterlab_warden.kernel.guard.installs.data import DepsData
from jupyterlab_warden.kernel.guard.installs.gate import read_requests
from jupyterlab_warden.kernel.guard.installs.request import InstallRequest

DEMO = "warden-demo-pkg"
HIJACKED = {
    "id": "MAL-2099-42",
    "summary": "test record",
    "affected": [{"package": {"ecosystem": "PyPI", "name": DEMO}, "versions": ["0.9"]}],
}
POLICY = {"schema_version": 1, "revision": 1, "dependencies": {"advisories": [HIJACKED]}}


def _rules(command: str, cwd, **env_words) -> list:
    env = {"HOME": str(cwd), "PIP_CONFIG_FILE": os.devnull, "XDG_CONFIG_DIRS": str(cwd / "x")}
    env.update(GUARDED_ENV)
    env.update(env_words)
    return sorted(
        f.rule_id
        for request in read_requests(None, command, env, str(cwd))
        for f in decide.decide(request, POLICY, DepsData())
    )


def test_a_pip_conf_constraint_is_decided(tmp_path):
    """pip.conf's ``constraint =`` goes through the same reading as ``-c`` (the kernel reads
    pip's config files; the static side reads none)."""
    (tmp_path / "c.txt").write_text(f"{DEMO}==0.9\n")
    conf = tmp_path / "pip.conf"
    conf.write_text(f"[install]\nconstraint = {tmp_path / 'c.txt'}\n")
    assert _rules(f"pip install {DEMO}", tmp_path, PIP_CONFIG_FILE=str(conf)) == [
        decide.RULE_MALICIOUS
    ]
    conf.write_text("[install]\n")
    assert _rules(f"pip install {DEMO}", tmp_path, PIP_CONFIG_FILE=str(conf)) == []


def test_a_constraint_line_says_it_is_one():
    """The finding names the constraints file, so a user sees why a package the command line
    does not name is decided."""
    request = InstallRequest("pip", "pip install x")
    requirements.read_text(request, f"{DEMO}==0.9\n", "c.txt", "/", {}, constraint=True)
    (finding,) = decide.decide(request, POLICY, DepsData())
    assert "(constraints file c.txt line 1)" in finding.message, finding.message


def test_pips_own_read_keeps_to_direct_references():
    """gate.decide_file_content re-decides pip's own read of a file for what reaches the
    network only (the names were decided on the earlier read): ``names=False``."""
    request = InstallRequest("pip", "pip install")
    text = f"{DEMO}==0.9\nx @ https://evil.example/x-1.0-py3-none-any.whl\n"
    requirements.read_text(request, text, "r.txt", "/", {}, follow=False, names=False)
    assert [r.kind for r in request.requirements] == ["url"]


def test_every_uv_command_takes_both_spellings_of_each_alias():
    """The mechanism of R42b-4: a command's option sets hold both spellings of each alias
    pair wherever they hold one (the table lists the help's spelling only)."""
    pairs = list(arguments.UV_ALIASES.items())
    for command, (valued, known) in arguments.UV_BY_COMMAND.items():
        for a, b in pairs:
            assert (a in known) == (b in known), (command, a, b)
            assert (a in valued) == (b in valued), (command, a, b)
    assert "--constraint" in arguments.UV_BY_COMMAND["uv pip install"][1]


@pytest.mark.parametrize("option", ["--constraint", "--constraints", "--override", "-c"])
def test_uvx_tool_word_after_a_singular_spelling(option):
    """uvx's TOOL is found past the value of either spelling (uv_tool_command reads the same
    sets): the command it runs is the tool's, not the file's."""
    words = ["tool", "run", option, "c.txt", "black", "--check"]
    assert arguments.uv_tool_command(words) == ["black", "--check"]
