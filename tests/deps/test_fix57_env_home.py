"""Fix 57env: HOME after ``env -i`` is unset, and a program finds ``~`` in the password database.

``commands._empty_environment`` read every dropped variable as ''; the readers of ``~`` took
that '' as a HOME set empty (pip's config at ``/.pip/pip.conf``), or, for the shell's ``~``,
fell back to the kernel's HOME, which a cell can set (``os.environ['HOME'] = ...``). A
program started with HOME unset (Python's ``expanduser``, pipx's ``Path.expanduser``, bash's
``~``) reads the account's home from the password database.
"""

import pwd

from jupyterlab_warden.kernel.guard.installs import commands, pipx_request, sources, unset

ACCOUNT = pwd.getpwuid(__import__("os").getuid()).pw_dir.rstrip("/")


def _emptied(monkeypatch) -> dict:
    monkeypatch.setenv("HOME", "/tmp/steered-by-the-cell")
    env: dict = {}
    words = commands._unwrap("env", ["-i", "pip", "install", "x"], env)
    assert words == ["pip", "install", "x"]
    return env


def test_pip_reads_tilde_from_the_password_database(monkeypatch):
    env = _emptied(monkeypatch)
    assert unset.is_unset(env, "HOME")
    assert sources._expand_user("~/.pip/pip.conf", env) == ACCOUNT + "/.pip/pip.conf"


def test_pipx_reads_tilde_from_the_password_database(monkeypatch):
    env = _emptied(monkeypatch)
    assert pipx_request.expand_user("~/pipx", env) == ACCOUNT + "/pipx"


def test_shell_tilde_is_not_the_kernel_home(monkeypatch):
    env = _emptied(monkeypatch)
    assert commands._tilde("~/proj", "cd ~/proj", env) == ACCOUNT + "/proj"


def test_control_home_set_empty_is_read_as_set(monkeypatch):
    # `HOME= pip ...`: Python's expanduser reads '' (``/``), not the password database
    assert sources._expand_user("~/.pip/pip.conf", {"HOME": ""}) == "/.pip/pip.conf"


def test_path_unset_text_is_execvp_default_and_a_shell_takes_its_own():
    env: dict = {}
    commands._unwrap("env", ["-i", "bash"], env)
    assert env["PATH"] == __import__("os").defpath
    shell = dict(env)
    commands.shell_default_path("bash", shell)
    assert shell["PATH"].endswith(":.")
    dash = dict(env)
    commands.shell_default_path("dash", dash)
    assert dash["PATH"] == "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
    kept = {"PATH": "/x/bin"}
    commands.shell_default_path("bash", kept)
    assert kept["PATH"] == "/x/bin"
