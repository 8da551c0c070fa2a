"""Red team 90 F4 (fix90d): a NON-interactive ``bash -c`` sources /etc/bash.bashrc and
~/.bashrc when it thinks sshd (or rshd) ran it: SSH_CLIENT or SSH2_CLIENT in its environment
(Debian's bash is built with SSH_SOURCE_BASHRC) or its stdin a socket, and its shell level
(SHLVL + 1) below 2. login_path.startup_kind read only -l/--login/argv0 '-'/-i/zsh, so a
~/.bashrc the cell wrote (refused for ``bash -ic``: the control) ran unread. Now such a start
is read as ``bash -ic``'s (``ssh_bashrc``; the gate reads whether the start hands a socket as
stdin from ``handed_fds``' note)."""

import os
import socket
import time

import pytest
from test_redteam86b_login_shell_path import _home

from jupyterlab_warden.kernel.guard.installs import gate, ssh_bashrc

BASHRC = """import os, socket, subprocess
home = os.path.expanduser('~')
with open(home + '/.bashrc', 'a') as fh:
    fh.write({line!r} + '\\n')
"""
SSH2_ENV = "env=dict(os.environ, SSH2_CLIENT='x', SHLVL='0')"
LOW_ENV = "env=dict(os.environ, SHLVL='0')"
STARTS = {
    "ssh_client": "os.system('SSH_CLIENT=1 SHLVL=0 bash -c true')\n",
    "ssh2_client_argv": "subprocess.run(['bash', '-c', 'true'], " + SSH2_ENV + ")\n",
    "socket_stdin": "a, b = socket.socketpair()\n"
    "subprocess.run(['bash', '-c', 'true'], stdin=a, " + LOW_ENV + ")\n",
    "control-bash-i": "subprocess.run(['bash', '-ic', 'true'])\n",
}


@pytest.mark.parametrize("how", sorted(STARTS))
def test_bashrc_of_a_remote_shell(kernel, how):
    home = _home(kernel)
    bashrc = os.path.join(home, ".bashrc")

    def fresh() -> str:
        if os.path.exists(bashrc):
            os.unlink(bashrc)
        line = kernel.uv_install().replace("{", "{{").replace("}", "}}")
        return BASHRC.format(line=line) + STARTS[how]

    result = kernel.kept_from_refused_host(fresh)
    assert ".bashrc" in (result["refused"] or ""), result


# -- the reading ---------------------------------------------------------------------------------


@pytest.fixture
def new_bashrc(tmp_path, monkeypatch):
    """A home whose .bashrc was written since the kernel started (now, past this process's
    start), and an environment with no ssh variables."""
    home = tmp_path / "home"
    home.mkdir()
    (home / ".bashrc").write_text("uv pip install x\n")
    later = time.time() + 5
    os.utime(home / ".bashrc", (later, later))
    env = {k: v for k, v in os.environ.items() if k not in ("SSH_CLIENT", "SSH2_CLIENT")}
    env.update(HOME=str(home), PATH="/usr/bin:/bin")
    monkeypatch.chdir(tmp_path)
    return env


def _problems(env, line=None, argv=None, socket_stdin=False):
    with ssh_bashrc.reading_start(socket_stdin):
        requests = gate.read_requests(argv, line, env, os.getcwd())
    return " ".join(p for r in requests for p in r.problems)


@pytest.mark.parametrize(
    "line",
    [
        "SSH_CLIENT=1 SHLVL=0 bash -c true",
        "SSH2_CLIENT=1 SHLVL=0 bash -c true",
        "SSH_CLIENT= SHLVL=-4 bash -c true",  # any value; a negative level is 0
        "SSH_CLIENT=1 SHLVL=x bash -c true",  # not a number: 0
        "SSH_CLIENT=1 SHLVL=999 bash -c true",  # 1000 and more: 1
        "SSH_CLIENT=1 SHLVL=0 /bin/bash -c true",
        "SSH_CLIENT=1 SHLVL=0 env bash -c true",
        "SSH_CLIENT=1 SHLVL=0 nice bash -c true",
        "export SSH_CLIENT=1 SHLVL=0; bash -c true",
        "env -u SHLVL SSH_CLIENT=1 bash -c true",
        "SSH_CLIENT=1 SHLVL=0 bash -c 'bash -c true'",
        "SSH_CLIENT=1 SHLVL=0 bash -o pipefail -c true",
        "SHLVL=0 bash -c true < /dev/tcp/127.0.0.1/9",  # a socket on its input
        "SHLVL=0 bash -c true <&3",  # a descriptor Warden cannot tell
    ],
)
def test_a_remote_looking_bash_reads_its_bashrc(new_bashrc, line):
    assert ".bashrc" in _problems(new_bashrc, line), line


def test_a_remote_bash_with_an_rcfile_is_refused(new_bashrc):
    assert "startup file x" in _problems(new_bashrc, "SSH_CLIENT=1 SHLVL=0 bash --rcfile x -c true")


def test_the_kernels_ssh_variables_count(new_bashrc):
    env = dict(new_bashrc, SSH_CLIENT="10.0.0.1 5 22")
    env.pop("SHLVL", None)
    assert ".bashrc" in _problems(env, argv=["bash", "-c", "true"])
    assert ".bashrc" in _problems(dict(env, SHLVL="0"), "bash -c true")


@pytest.mark.parametrize("level", [None, "0", ""])
def test_a_socket_stdin_with_a_low_level_reads_the_bashrc(new_bashrc, level):
    env = {k: v for k, v in new_bashrc.items() if k != "SHLVL"}
    if level is not None:
        env["SHLVL"] = level
    assert ".bashrc" in _problems(env, argv=["bash", "-c", "true"], socket_stdin=True)


@pytest.mark.parametrize(
    "line, argv, env_change, sock",
    [
        ("bash -c true", None, {"SHLVL": "0"}, False),  # no ssh variable, no socket
        (None, ["bash", "-c", "true"], {"SHLVL": "1"}, True),  # a level of 2
        ("SSH_CLIENT=1 SHLVL=1 bash -c true", None, {}, False),
        ("SSH_CLIENT=1 SHLVL=0 sh -c true", None, {}, False),  # dash (bash as sh skips it too)
        ("SSH_CLIENT=1 SHLVL=0 bash script.sh", None, {}, False),  # no -c
        (None, ["sh", "-c", "true"], {"SSH_CLIENT": "1", "SHLVL": "0"}, False),
        ("SHLVL=1 bash -c true < script.sh", None, {}, False),
        ("echo x | SHLVL=0 bash -c cat", None, {}, False),  # a pipe
    ],
)
def test_no_false_refusals(new_bashrc, line, argv, env_change, sock):
    with open("script.sh", "w") as fh:
        fh.write("echo hi\n")
    env = dict(new_bashrc, **env_change)
    assert _problems(env, line, argv, sock) == "", (line, argv)


@pytest.mark.parametrize(
    "value, low",
    [(None, True), ("", True), ("0", True), (" 0 ", True), ("-3", True), ("x", True),
     ("1", False), ("+1", False), ("998", False), ("999", True), ("5000", True), ("٣", True)],
)  # fmt: skip
def test_bashs_shell_level(value, low):
    assert ssh_bashrc._low_level(value) is low


def test_a_socket_handed_as_stdin_is_seen():
    a, b = socket.socketpair()
    r, w = os.pipe()
    stdin = ssh_bashrc.socket_stdin
    try:
        assert stdin("subprocess.Popen", ("popen", (a.fileno(),), True, a.fileno()))
        assert not stdin("subprocess.Popen", ("popen", (r,), True, r))
        dup = ("spawn", [(os.POSIX_SPAWN_DUP2, a.fileno(), 0)], "")
        assert stdin("os.posix_spawn", dup)
        opened = ("spawn", [(os.POSIX_SPAWN_OPEN, 0, "/dev/null", os.O_RDONLY, 0)], "")
        assert not stdin("os.posix_spawn", opened)
    finally:
        for fd in (r, w):
            os.close(fd)
        a.close()
        b.close()
