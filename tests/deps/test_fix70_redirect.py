"""fix70redirect: an install's own output redirection is weighed against every file the
install's reading read (``files_read``, by real path and by identity: red team 55b R55b-1,
R55b-2), a path the shell resolves in its own process is refused (R55b-9), and the names the
installers find by themselves are one shared list with uv's interpreter discovery names
(R55b-10). What the shared vectors cannot carry: hard links, links, the kernel's reading of
files that no word names."""

import json
import os
from pathlib import Path

import pytest
from install_env import GUARDED_ENV

from jupyterlab_warden.kernel.guard.installs import files_read, own_redirect
from jupyterlab_warden.kernel.guard.installs.gate import read_requests

REPO = Path(__file__).resolve().parents[2]


def _problems(line: str, folder: Path) -> list:
    env = {"HOME": str(folder / "home"), "PIP_CONFIG_FILE": os.devnull, **GUARDED_ENV}
    cwd = os.getcwd()
    os.chdir(folder)
    try:
        return [p for r in read_requests(None, line, env, str(folder)) for p in r.problems]
    finally:
        os.chdir(cwd)


@pytest.fixture
def work(tmp_path):
    (tmp_path / "home").mkdir()
    (tmp_path / "r.txt").write_text("-r inner.txt\n")
    (tmp_path / "inner.txt").write_text("black\n")
    return tmp_path


def test_a_hard_link_of_a_file_the_reading_read_is_refused(work):
    os.link(work / "r.txt", work / "log.txt")
    os.link(work / "inner.txt", work / "inner.log")
    for target in ("log.txt", "inner.log"):
        found = _problems(f"uv pip install -r r.txt 2>{target}", work)
        assert any("one the install reads" in p for p in found), (target, found)


def test_a_hard_link_of_a_config_file_uv_reads_is_refused(work):
    (work / "uv.toml").write_text("[pip]\n")
    os.link(work / "uv.toml", work / "uv.log")
    found = _problems("uv pip install black > uv.log", work)
    assert any("one the install reads" in p for p in found), found


def test_a_hard_link_of_a_file_it_does_not_read_is_allowed(work):
    (work / "notes.txt").write_text("x\n")
    os.link(work / "notes.txt", work / "install.log")
    assert _problems("uv pip install -r r.txt > install.log 2>&1", work) == []


def test_a_link_to_a_descriptor_path_is_refused(work):
    os.symlink("/dev/stdin", work / "in.log")
    os.symlink("/proc/self/fd/2", work / "err.log")
    os.symlink("/dev/fd", work / "fds")
    for target in ("in.log", "err.log", "fds/5", "../" * 40 + "dev/stdout"):
        found = _problems(f"uv pip install -r r.txt <r.txt 2>{target}", work)
        assert any("the shell resolves in its own process" in p for p in found), (target, found)


def test_a_real_device_is_allowed(work):
    for target in ("/dev/null", "/dev/./null", "//dev/null"):
        assert _problems(f"uv pip install -r r.txt 2>{target}", work) == [], target


def test_files_are_collected_only_when_a_redirection_is_weighed(work, monkeypatch):
    def refuse():
        raise AssertionError("collected without a redirection")

    monkeypatch.setattr(files_read, "collect", refuse)
    assert _problems("uv pip install -r r.txt", work) == []
    assert _problems("uv pip install -r r.txt 2>&1 2>/dev/null", work) == []
    # with a redirection to a file the reading collects (here: the patched collect fails,
    # and a reader failure refuses)
    assert _problems("uv pip install -r r.txt > install.log", work) != []


def test_nothing_is_kept_outside_a_collection(work):
    with files_read.collect() as read:
        pass
    files_read.note(str(work / "r.txt"), os.stat(work / "r.txt"))
    assert read == []
    with files_read.collect() as outer:
        with files_read.collect() as inner:
            files_read.note(str(work / "r.txt"), os.stat(work / "r.txt"))
    assert inner == outer and len(outer) == 1


def test_the_discovered_names_are_one_shared_list_with_uv_s_interpreter_names():
    table = json.loads((REPO / "schema" / "installer-discovered-names.json").read_text())
    assert "pyvenv.cfg" in table["names"] and ".venv" in table["names"]
    for name in ("pyvenv.cfg", "uv.toml", "pylock.dev.toml", "python3.12", "python"):
        assert own_redirect.discovered(name), name
    for name in ("install.log", "python.log", "pyvenv.cfg.bak", "log.txt"):
        assert not own_redirect.discovered(name), name
    assert not hasattr(own_redirect, "DISCOVERED")  # not written twice
    ts = (REPO / "src" / "deps" / "ownredirect.ts").read_text()
    assert "schema/installer-discovered-names.json" in ts
    assert "DISCOVERED_BY_NAME" not in (REPO / "src" / "deps" / "commands.ts").read_text()
