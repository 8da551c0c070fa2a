"""fix67redirect: an install's own output redirection is refused only when its target may be
a file the install reads, or one Warden cannot place (``installs/own_redirect``). What the
shared vectors cannot carry: links, existing folders, the kernel's own variables."""

import os

import pytest

from jupyterlab_warden.kernel.guard.installs import commands, startup_modules


def _problem(line: str, folder, env=None) -> str:
    with commands.start_folder(str(folder)):
        token = startup_modules.START_ENVIRON.set(env)
        try:
            (inv,) = commands.shell_invocations(line, 0, {})
        finally:
            startup_modules.START_ENVIRON.reset(token)
    return inv.problem


@pytest.fixture
def work(tmp_path):
    (tmp_path / "r.txt").write_text("black\n")
    (tmp_path / "out").mkdir()
    return tmp_path


def test_a_log_it_does_not_read_is_allowed(work):
    assert _problem("uv pip install -r r.txt > install.log 2>&1", work) == ""
    assert _problem("uv pip install black >> out/log.txt", work) == ""
    assert _problem("conda install -y numpy > conda.log", work) == ""


def test_a_link_is_compared_by_what_it_leads_to(work):
    os.symlink("uv.toml", work / "log.txt")  # dangling: the shell creates uv.toml
    os.symlink("r.txt", work / "other.log")
    assert "finds by its name" in _problem("uv pip install black > log.txt", work)
    assert "one the install reads" in _problem("uv pip install -r r.txt > other.log", work)


def test_a_folder_or_a_link_to_one_is_refused(work):
    os.symlink("out", work / "to-out")
    for target in ("out", "to-out", ".", "out/"):
        assert "cannot tell" in _problem(f"uv pip install black > {target}", work), target


def test_a_config_file_the_kernel_s_variables_name_is_refused(work, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("cfg")
    env = dict(os.environ, UV_CONFIG_FILE=str(elsewhere / "c.toml"))
    line = f"uv pip install black > {elsewhere / 'c.toml'}"
    assert _problem(line, work) == ""  # not named anywhere: an ordinary file
    assert "one the install reads" in _problem(line, work, env)
    env = dict(os.environ, CONDARC=str(elsewhere / "rc.yml"))
    line = f"conda install -y numpy > {elsewhere / 'rc.yml'}"
    assert "one the install reads" in _problem(line, work, env)
