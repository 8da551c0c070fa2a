"""Fix round 43 (red team 39b): the line reading's neighbours of R39b-1..5, read by
``commands.shell_invocations`` and a guardless installer's ``-m`` start, and the ordinary
forms that must keep running."""

import os
import re

import pytest

from jupyterlab_warden.kernel.guard.installs import commands


def _unreadable(line: str, why: str) -> None:
    with pytest.raises(commands.Unreadable, match=re.escape(why)):
        commands.shell_invocations(line)


# -- R39b-3: a trap action that changes the shell's state ------------------------------------


@pytest.mark.parametrize(
    "action",
    [
        "export PYTHONPATH=/x",
        "PYTHONPATH=/x",
        "unset PYTHONPATH",
        "cd /tmp",
        "shopt -s expand_aliases",
        "set -a",
        "source ./env.sh",
        "declare -x PYTHONHOME=/x",
        "eval X=1",
        "true; PATH=/x",
    ],
)
def test_a_trap_action_changing_the_shell_is_unreadable(action):
    _unreadable(f"trap {action!r} DEBUG\nls", "a trap action changes the shell's state")


@pytest.mark.parametrize(
    "line", ["trap 'rm -f tmp.txt' EXIT; ls", "trap 'echo done' EXIT", "trap - EXIT", "trap -p"]
)
def test_an_ordinary_trap_is_read(line, tmp_path, monkeypatch):
    # in a folder of its own: a trap's `rm` writes where the line runs, refused in a folder
    # holding a PATH folder (a checkout whose .venv/bin is on PATH, as in CI)
    monkeypatch.chdir(tmp_path)
    assert commands.shell_invocations(line) == []


# -- R39b-4, R39b-5: what a later command's name runs -----------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "enable -n cd",
        "builtin enable -n echo",
        "command enable -sn export",
        "enable -d x",
        "hash -p /bin/cp basename",
        "hash -rp /bin/cp ls",
        "eval 'hash -p /bin/cp ls'",
        "bash -c 'enable -n cd'",
    ],
)
def test_a_change_of_what_a_name_runs_is_unreadable(line):
    _unreadable(line, "changes what a later command's name runs")


def test_zsh_disable_is_unreadable():
    _unreadable("disable cd; cd sub", "zsh's disable turns a builtin off")


@pytest.mark.parametrize(
    "line", ["enable -p", "enable -a", "enable", "hash", "hash -r", "hash -t ls"]
)
def test_listing_and_forgetting_names_is_read(line):
    assert commands.shell_invocations(line) == []


# -- R39b-2: cdable_vars ------------------------------------------------------------------------


def _folder_after(line: str, tmp_path) -> str:
    """The folder the line's uv install is read to run in (its invocation's problem)."""
    with commands.start_folder(str(tmp_path)):
        found = commands.shell_invocations(line + " && uv pip install x")
    assert found, line
    return found[0].problem


@pytest.mark.parametrize(
    "line",
    [
        "shopt -s cdable_vars; v=/tmp; cd v",
        "shopt -qs cdable_vars\ncd v",
        "eval 'shopt -s cdable_vars'; cd v",
        "bash -O cdable_vars -c 'cd v",
        "shopt -s $OPT; cd v",
    ],
)
def test_a_cd_to_no_folder_under_cdable_vars_leaves_the_folder_unknown(line, tmp_path):
    try:
        if line.startswith("bash"):
            with commands.start_folder(str(tmp_path)):
                found = commands.shell_invocations(line + " && uv pip install x'")
            problem = found[0].problem
        else:
            problem = _folder_after(line, tmp_path)
    except commands.Unreadable as exc:
        # after a writer (`eval`), uv's named Pythons are read where uv runs: unknown, the
        # line is refused whole (red team 57b R57b-1), not read in the kernel's folder
        problem = str(exc)
        assert "cannot follow left unknown" in problem, problem
    assert (
        "folder Warden cannot tell" in problem
        or "earlier command" in problem
        or "cannot follow left unknown" in problem
    ), problem


def test_a_cd_to_a_folder_there_under_cdable_vars_is_followed(tmp_path):
    os.makedirs(tmp_path / "sub")
    with commands.start_folder(str(tmp_path)):
        found = commands.shell_invocations("bash -O cdable_vars -c 'cd sub && uv pip install x'")
    assert found and found[0].problem == "" and found[0].cwd.rstrip("/") == "sub", found


def test_a_cd_to_no_folder_without_cdable_vars_is_followed(tmp_path):
    with commands.start_folder(str(tmp_path)):
        found = commands.shell_invocations("bash -c 'cd v && uv pip install x'")
    assert found and found[0].problem == "" and found[0].cwd.rstrip("/") == "v", found


def test_cdable_vars_of_one_line_does_not_hold_for_the_next(tmp_path):
    with commands.start_folder(str(tmp_path)):
        commands.shell_invocations("shopt -s cdable_vars")
        found = commands.shell_invocations("cd v && uv pip install x")
    assert found and found[0].problem == "", found
