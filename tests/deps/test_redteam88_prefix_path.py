"""Red team 88 FR2 (false refusal, LOW-MED): a PATH prefix assignment that names ``$PATH``
(``PATH=/opt/x/bin:$PATH ls``, ``PATH="$PWD/venv/bin:$PATH" python -V``, ``env
PATH=$PWD/venv/bin:$PATH python -V``) was refused ("it assigns PATH a shell expansion ...
write the value out") while ``export PATH=/opt/x/bin:$PATH; ls`` was read with the PATH the
line resolves (``_LineState.resolved``): ``_refuse_expansion`` refused every expansion in the
value of a variable that changes how the line is read.
Fixed (fix89a): a command's assignment words (its own, and its wrappers' ``env X=V``) whose
value holds only expansions the line resolves are read as ``NAME=<value>`` before the
command is read (``prefix_values``, ``_LineState.prefix_resolved``), so the program lookup,
the start's environment and the guard's PATH folder rules see the PATH the shell gives.
Still refused: a name the same prefix assigned earlier (bash and dash differ there), a
single-quoted or escaped ``$`` (``'$HOME'``, ``'${HOME}'``), a value that holds shell text
itself, a wrapper's word the shell would split, what the line does not know."""

import os

import pytest
from launched import installed, reading
from test_redteam86b_login_shell_path import _full_path_payload

from jupyterlab_warden.kernel.guard.installs import commands


@pytest.mark.parametrize(
    "line",
    [
        "PATH=/opt/x/bin:$PATH ls",
        'PATH="$PWD/venv/bin:$PATH" python -V',
        "env PATH=$PWD/venv/bin:$PATH python -V",
        "PATH=$HOME/.local/bin:$PATH ls",
        "PATH=${HOME}/.local/bin:${PATH} ls",
        "PATH=/opt/x/bin:$PATH; ls",
        "X=/opt/x; PATH=$X/bin:$PATH ls",
        "X='/opt/a b'; PATH=$X:$PATH ls",
        "export PATH=/opt/x/bin:$PATH; ls",
        "cd /tmp && PATH=$PWD/bin:$PATH ls",
        "PYTHONPATH=$PWD/src python -V",
    ],
)
def test_a_resolvable_prefix_path_is_read(line):
    assert reading(line) == "", line


def test_a_wrapper_s_resolved_path_is_read(monkeypatch):
    """sudo's PATH folders are read as its start's: a PATH of system folders (the test's
    venv folder is not the system's)."""
    monkeypatch.setenv("PATH", "/usr/bin:/bin")
    assert reading("sudo PATH=/opt/x/bin:$PATH ls") == ""


@pytest.mark.parametrize(
    "line",
    [
        # bash and dash differ on whether an earlier prefix word is seen
        "X=/a PATH=$X:$PATH ls",
        "PATH=/a PATH=/b:$PATH ls",
        "env X=/a PATH=$X:$PATH ls",
        # the shell does not expand a quoted or escaped $
        "PATH='$HOME/bin':$PATH ls",
        "PATH='${HOME}/bin':$PATH ls",
        "PATH=\\$HOME/bin:$PATH ls",
        # what the line cannot tell
        "PATH=$(pwd)/bin:$PATH ls",
        "PATH=`pwd`/bin:$PATH ls",
        "PATH=${X:-/a}:$PATH ls",
        "read X; PATH=$X:$PATH ls",
        "PATH=$1:$PATH ls",
        "PATH=$WARDEN_FIX89A_NOT_SET/bin:$PATH ls",  # a name the start does not hold
        "UV_INDEX_URL=$WARDEN_FIX89A_NOT_SET ./install.sh",
        "cd $D; PATH=$PWD/bin:$PATH ls",
        # a wrapper's argument is split at blanks (and globbed) by the shell
        "X='/opt/a b'; env PATH=$X:$PATH ls",
        "X='/opt/*'; env PATH=$X:$PATH ls",
        "IFS=/; env PATH=/x:$PATH ls",
    ],
)
def test_an_unresolvable_prefix_path_is_refused(line):
    assert "PATH" in reading(line) or "UV_INDEX_URL" in reading(line), line


def test_a_quoted_braced_name_is_no_expansion():
    """``'${HOME}/bin'`` is the literal folder ``${HOME}/bin`` (relative): the line's
    resolution took it for HOME's folder (export too), now it is a value Warden cannot tell."""
    assert "ls is looked up on a PATH" in reading("export PATH='${HOME}/bin':$PATH; ls")
    assert reading("export PATH=${HOME}/bin:$PATH; ls") == ""


@pytest.mark.parametrize("value", ["/tmp/$(id)", "/tmp/`id`", "/tmp/a\\b"])
def test_a_value_holding_shell_text_is_not_read_again(monkeypatch, value):
    """An inherited value put in the word would be read as shell text once more: refused."""
    monkeypatch.setenv("WARDEN_FIX89A_DIR", value)
    assert reading("PATH=$WARDEN_FIX89A_DIR:$PATH ls"), value


def _path_read(text: str) -> str:
    """The PATH an install at the end of ``text`` starts with, as Warden reads it."""
    found = commands.shell_invocations(text + " uv pip install --dry-run warden_demo_pkg")
    assert found, text
    return found[-1].env["PATH"]


def test_the_resolved_path_is_the_start_s(monkeypatch):
    monkeypatch.setenv("PATH", "/usr/bin:/bin")
    assert _path_read("PATH=/opt/x/bin:$PATH") == "/opt/x/bin:/usr/bin:/bin"
    here = os.path.realpath(os.getcwd())
    assert _path_read('PATH="$PWD/venv/bin:$PATH"') == here + "/venv/bin:/usr/bin:/bin"
    assert _path_read("cd /tmp && PATH=$PWD/b:$PATH") == "/tmp/b:/usr/bin:/bin"


def test_a_tilde_prefix_path_is_home_s(monkeypatch):
    """bash expands ``~`` after ``=`` and ``:`` of an assignment: read as the home folder,
    never as the literal ``~``."""
    monkeypatch.setenv("PATH", "/usr/bin:/bin")
    monkeypatch.setenv("HOME", "/home/fix89a")
    assert _path_read("PATH=~/bin:$PATH") == "/home/fix89a/bin:/usr/bin:/bin"
    assert _path_read("PATH=/a:~/bin:$PATH") == "/a:/home/fix89a/bin:/usr/bin:/bin"
    assert reading("PATH='~/bin':$PATH ls") == ""  # quoted: a literal folder, looked up
    assert reading("HOME=/x; PATH=~/bin:$PATH ls")


WRITE = """import os, subprocess
os.makedirs('nb', exist_ok=True)
with open('nb/gzip', 'w') as fh:
    fh.write({payload!r})
os.chmod('nb/gzip', 0o755)
"""
LINES = {
    "bash": "subprocess.run(['bash', '-c', 'PATH=$PWD/nb:$PATH tar czf o.tgz a.txt'])",
    "sh": "os.system('PATH=\"$PWD/nb:$PATH\" tar czf o.tgz a.txt')",
    "env": "os.system('env PATH=$PWD/nb:$PATH tar czf o.tgz a.txt')",
}


@pytest.mark.parametrize("how", sorted(LINES))
def test_a_prefix_path_s_new_program_is_refused(kernel, how):
    """The resolved PATH is the one read: tar's new nb/gzip, not the expansion, is refused."""
    installed("tar")
    installed("bash")
    (kernel.work / "a.txt").write_text("a\n")
    cell = WRITE.format(payload=_full_path_payload(kernel)) + LINES[how] + "\n"
    guarded = kernel.kept_from_refused_host(cell)
    refused = guarded["refused"] or ""
    assert "gzip" in refused and "assigns PATH a shell expansion" not in refused, guarded


def test_an_ordinary_prefix_path_runs_in_a_kernel(kernel):
    installed("bash")
    line = "PATH=$PWD/venv/bin:$PATH ls > out.txt; env PATH=/opt/x/bin:$PATH true"
    result = kernel.cell(
        "import subprocess\nassert subprocess.run(['bash', '-c', " + repr(line) + "]).returncode"
        " == 0\n",
        launched=True,
    )
    assert result["refused"] is None, result
    assert (kernel.work / "out.txt").exists()
