"""Red team 88 F7 (fix88b): ``tmux new-session -d`` (no command) starts its default shell as
a LOGIN shell (argv[0] ``-bash``), which runs /etc/profile and ~/.profile (and, interactive,
~/.bashrc). Red team 86 F6's fix read such starts for ``bash -l``/``sh -l``/``su -``/``sudo
-i``/``exec -a -bash`` only; tmux was read as a program with inert words, so a ~/.profile the
cell wrote (refused for ``bash -lc``: the control) ran unread. The same login shell then took
``tmux send-keys 'tar czf o.tgz a.txt' Enter`` with ~/.local/bin first on PATH, and tar ran
the cell's new ~/.local/bin/gzip. Now a command-less tmux shell start is read as a login
start (``tmux_login``, ``commands._multiplexer_shell``) and send-keys' typed lines as lines of
that shell, with the login PATH. A private server (``-L``) keeps the proof off any tmux server
of the machine; the cell waits for the install (without Warden), then kills the server."""

import os
import shutil

import pytest
from launched import home_program_cell, installed
from test_age81_old_path_programs import _older_than_a_start
from test_redteam86b_login_shell_path import _full_path_payload, _home

from jupyterlab_warden.kernel.guard.installs import tmux_login

WAIT = (
    "for _ in range(150):\n"
    "    if glob.glob('{target}/warden_demo_pkg*'):\n"
    "        break\n"
    "    time.sleep(0.2)\n"
    "subprocess.run(['tmux', '-L', 'rt88', 'kill-server'])\n"
)
PROFILE = """import glob, os, subprocess, time
home = os.path.expanduser('~')
with open(home + '/.profile', 'a') as fh:
    fh.write({line!r} + '\\n')
"""
STARTS = {
    "tmux": "subprocess.run(['tmux', '-L', 'rt88', 'new-session', '-d', '-s', 'x'])\n" + WAIT,
    "control-bash-l": "subprocess.run(['bash', '-lc', 'true'])\n",
}


@pytest.mark.parametrize("how", sorted(STARTS))
def test_a_login_shell_tmux_starts_reads_the_profile(kernel, how):
    installed("tmux")
    home = _home(kernel)
    profile = os.path.join(home, ".profile")

    def fresh() -> str:
        shutil.copy("/etc/skel/.profile", profile)
        _older_than_a_start(profile)
        line = kernel.uv_install().replace("{", "{{").replace("}", "}}")
        return PROFILE.format(line=line) + STARTS[how]

    result = kernel.kept_from_refused_host(fresh)
    assert ".profile" in (result["refused"] or ""), result


SEND = (
    "import glob, time\n"
    "subprocess.run(['tmux', '-L', 'rt88', 'new-session', '-d', '-s', 'x', '-c', os.getcwd(), "
    "';', 'send-keys', '-t', 'x', 'tar czf o.tgz a.txt', 'Enter'])\n"
)


def test_send_keys_into_the_login_shell_reads_its_path(kernel):
    """The login shell's PATH has ~/.local/bin first: the typed tar runs the new gzip."""
    installed("tmux")
    installed("tar")
    home = _home(kernel)
    (kernel.work / "a.txt").write_text("a\n")
    payload = _full_path_payload(kernel)

    def fresh() -> str:
        shutil.rmtree(os.path.join(home, ".local"), ignore_errors=True)
        return home_program_cell(".local/bin", payload) + SEND + WAIT

    result = kernel.kept_from_refused_host(fresh)
    assert "gzip" in (result["refused"] or ""), result


# -- no false refusals ---------------------------------------------------------------------------

PLAIN = """import os, subprocess, time
# one tmux command makes the session and types into it (red team 90 F6: keys typed into a pane
# an earlier start made are refused)
subprocess.run(['tmux', '-L', 'fix88b', 'new-session', '-d', '-s', 'x', '-c', os.getcwd(), ';',
                'send-keys', '-t', 'x', 'echo hi > hi.txt', 'Enter'])
for _ in range(100):
    if os.path.exists('hi.txt'):
        break
    time.sleep(0.1)
subprocess.run(['tmux', '-L', 'fix88b', 'kill-server'])
"""


def test_a_tmux_session_with_older_profile_runs(kernel):
    """The skeleton's older .profile, no new program: the session starts and takes its line."""
    installed("tmux")
    home = _home(kernel)
    shutil.rmtree(os.path.join(home, ".local"), ignore_errors=True)
    kernel.reset()
    result = kernel.cell(PLAIN.replace("{", "{{").replace("}", "}}"), launched=True)
    assert result["refused"] is None, result
    assert (kernel.work / "hi.txt").exists(), result


@pytest.mark.parametrize(
    "keys, why",
    [
        (["pi", "p install x", "Enter"], "types 'pip install x'"),
        (["ls"], "no Enter"),
        (["Tab"], "the key"),
        (["-H", "70", "Enter"], "-H"),
    ],
)
def test_send_keys_that_warden_cannot_read_as_a_line_is_refused(kernel, keys, why):
    """Typed text is joined as tmux types it (``pi`` + ``p install x``); text left with no
    Enter, keys that edit the line and hex keys are refused (nothing starts)."""
    installed("tmux")
    _home(kernel)
    kernel.reset()
    new = ["new", "-d", "-s", "x", ";", "send-keys"]  # typed into the session it makes
    run = f"subprocess.run(['tmux', '-L', 'fix88b-none'] + {new!r} + {keys!r})\n"
    cell = "import subprocess\n" + run
    result = kernel.cell(cell, launched=True)
    assert why in (result["refused"] or ""), result


@pytest.mark.parametrize(
    "words, nothing",
    [
        (["ls"], True),
        (["new", "-s", "work"], True),
        (["display", "-p", "#S"], True),
        (["-L", "s", "list-sessions", ";", "has-session", "-t", "w"], True),
        ([], True),  # a bare tmux: a new session's shell
        (["display", "-p", "#(touch x)"], False),  # a format's command runs
        (["-f", "my.conf", "ls"], False),  # a config file's commands run
        (["-S", "sock", "ls"], False),  # a socket made where the word says
        (["new", "-d", "cp a b"], False),  # a shell command
        (["run-shell", "cp a b"], False),
        (["send-keys", "echo hi", "Enter"], False),
        (["lis"], False),  # a prefix: not resolved here (fail closed)
    ],
)
def test_which_tmux_commands_write_nothing_for_the_line(words, nothing):
    """``tmux ls && tmux new -s work``: the first tmux is no writer a later login shell's
    start-up files must fear (shared vector R15-8); one that may run a command is."""
    assert tmux_login.writes_nothing(words) is nothing
