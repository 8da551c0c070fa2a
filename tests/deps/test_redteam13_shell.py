"""Red team 13: shell text Warden did not read as the shell runs it (R13-1, R13-2, R13-11,
R13-12).

The malicious lines build the installer's name with an expansion (``u$@v`` is ``uv`` in
``os.system``'s sh, which has no arguments) so that no installer word stands in their text.
Each proves itself in a kernel of the lab's launch environment: without Warden the line
installs from the local index; with Warden its start is refused before uv runs (no index
request, nothing installed). The reading itself, and the ordinary lines that must keep
running, are checked on the kernel's reader (the static side runs the same vectors).
"""

import os
import re

import pytest
from launched import BUILT, bash_cell, system_cell

from jupyterlab_warden.kernel.guard.installs import commands, shell_text

# R13-1: a backslash inside backticks is a line the reader cannot model; it was let through
# because its text named no installer
UNMODELLED = BUILT + "; echo `echo \\a`"
# R13-2: bash's ((x<<E)) is arithmetic; read as a heredoc, the next line was a blanked body
ARITHMETIC = "x=1; ((x<<E))\n" + BUILT + "; echo `echo \\a`\nE\necho done"
# R13-11: a command substitution in an unquoted heredoc body runs, an apostrophe there is data
HEREDOC = "cat <<E\nit's $(" + BUILT + ")\nE"
# R13-12: an alias value and a trap action are shell text run later
ALIAS = "alias x='u$@v'\nx " + BUILT.replace("u$@v ", "", 1)
TRAP = "trap '" + BUILT + "' EXIT"

CASES = {
    "R13-1 sh": system_cell(UNMODELLED),
    "R13-1 bash": bash_cell(UNMODELLED),
    "R13-2 bash": bash_cell(ARITHMETIC),
    "R13-11 sh": system_cell(HEREDOC),
    "R13-12 alias sh": system_cell(ALIAS),
    "R13-12 trap sh": system_cell(TRAP),
    "R13-12 alias bash": bash_cell("shopt -s expand_aliases\n" + ALIAS),
}


@pytest.mark.parametrize("cell", CASES.values(), ids=CASES.keys())
def test_a_line_building_the_installer_name_is_refused(kernel, cell):
    refused = kernel.proves(cell)
    assert "Warden" in refused


@pytest.mark.parametrize(
    "line, why",
    [
        (UNMODELLED, "holds an expansion"),
        # an open quote on the last line: sh runs the lines before it
        ("u\\v sync\necho 'a", "holds a '\\\\'"),
        ("{u,}v sync\necho 'a", "holds a '{'"),
        ("./u sync\necho 'a", "holds a '/'"),
        ("f() (ls)\nf\necho 'a", "holds a '()'"),
        ("eval ls\necho 'a", "cannot resolve"),
        # a trailing backslash: shlex cannot split the line, sh runs it (found by fuzzing)
        ("x=; u$@v sync\\", "cannot be parsed"),
        ("echo $[1<<E]\nls\nE", "$[...] arithmetic"),
        ("((x>1))\nu$@v sync", "((...)) arithmetic"),
        ("sh <<'E'\nu$@v sync\necho 'a\nE", "not plain shell text"),
        # a $X left in an unquoted body that is not shell text: a shell fed by it would run
        # what X holds (conservative: a `cat` there is refused too; quote the delimiter)
        ("cat <<E\nit's $X\nE", "not plain shell text"),
        ("alias x='u\\v'", "an alias whose value"),
        ("alias x=\"u''v\"", "an alias whose value"),
        ("trap 'pip install x' INT", "a trap action runs an installer"),
        ("trap -- 'u$@v sync' EXIT", "shell expansion"),
    ],
)
def test_unread_shell_text_is_refused(line, why):
    with pytest.raises(commands.Unreadable, match=re.escape(why)):
        commands.shell_invocations(line)


@pytest.mark.parametrize(
    "line, installs",
    [
        ("for ((i=0;i<3;i++)); do echo $i; done\npip install numpy", ["numpy"]),
        ("for (( i = 0; i < 3; i++ )); do echo $i; done\nuv pip install numpy", ["numpy"]),
        ("cat <<E > notes.txt\nit's $(date)\nE\npip install numpy", ["numpy"]),
        ("cat <<'E' > run.sh\n#!/bin/bash\necho \"it's $1\"\nE\npip install numpy", ["numpy"]),
        ("echo it's", []),
        ("alias ll='ls -la'", []),
        ("trap 'rm -rf tmp' EXIT", []),
        ("trap - EXIT", []),
        ("if ((n > 1)); then echo big; fi", []),
    ],
)
def test_ordinary_lines_keep_running(line, installs, tmp_path, monkeypatch):
    # in a folder of their own, not the checkout holding the runner's venv (see the launchers'
    # ordinary lines: test_redteam13_launchers.py)
    monkeypatch.chdir(tmp_path)
    found = commands.shell_invocations(line)
    assert [inv.args[-1] for inv in found] == installs
    assert all(not inv.problem for inv in found), found


def test_an_unquoted_heredoc_body_lists_its_substitutions_as_the_shell_runs_them():
    # the single quotes are data in the body: the substitution runs (a quoted delimiter: no)
    body = "cat <<E\necho '$(uv sync)'\nE"
    masked = shell_text.mask(body)
    assert [body[a:b] for a, b in masked.substitutions] == ["uv sync"]
    assert shell_text.mask(body.replace("<<E", "<<'E'")).substitutions == []


def test_an_unmodelled_line_running_a_link_to_an_installer_is_refused(tmp_path, monkeypatch):
    # no hint, no expansion: a bare name found on PATH that is a link to uv (R9-10)
    from real_uv import real_uv

    (tmp_path / "lister").symlink_to(real_uv())
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    with pytest.raises(commands.Unreadable, match="cannot follow how the shell reads"):
        commands.shell_invocations("lister sync\necho 'a")
    assert commands.shell_invocations("ls sync\necho 'a") == []
