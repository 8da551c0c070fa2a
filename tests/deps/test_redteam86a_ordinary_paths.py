"""Red team 86 part A, no false refusals: the ordinary PATHs keep running with the folder
rules of fix87a (a ``~`` folder read both ways, a relative folder with a move of the start's
folder refused, a folder under /proc refused, a root kernel not asking ``access``); and the
ordinary absolute PATH pays no new system call per start.

The kernel-level checks run each form with Warden and assert nothing is refused; the unit
checks pin the rules themselves (``path_programs``, ``folder_moves``)."""

import os
import time

import pytest
from launched import Kernel, installed

from jupyterlab_warden.kernel.guard.installs import path_programs
from jupyterlab_warden.kernel.guard.installs.folder_moves import moves

TOOL = """import os, subprocess
def tool(folder, name='warden-tool'):
    os.makedirs(folder, exist_ok=True)
    with open(folder + '/' + name, 'w') as fh:
        fh.write('#!/bin/sh\\necho tool\\n')
    os.chmod(folder + '/' + name, 0o755)
os.makedirs('sub', exist_ok=True)
open('a.txt', 'w').write('a')
open('sub/a.txt', 'w').write('a')
"""

FORMS = {
    # a venv the cell made, first on PATH (absolute); a shell line moving to sub
    "venv": (
        "import venv\nvenv.create('v', with_pip=False, symlinks=True)\n"
        "os.environ['PATH'] = os.getcwd() + '/v/bin:' + os.environ['PATH']\n"
        "subprocess.run(['tar', 'czf', 'o.tgz', 'a.txt'], check=True)\n"
        "assert os.system('cd sub && tar czf ../o.tgz a.txt') == 0\n"
    ),
    # ~/.local/bin written out, a new tool there, moves of the folder (absolute: no matter)
    "local-bin": (
        "local = os.path.expanduser('~/.local/bin')\ntool(local)\n"
        "os.environ['PATH'] = local + ':' + os.environ['PATH']\n"
        "subprocess.run(['warden-tool'], check=True)\n"
        "subprocess.run(['env', '-C', 'sub', 'tar', 'czf', '../o.tgz', 'a.txt'], check=True)\n"
        "assert os.system('cd sub && warden-tool && tar czf ../o.tgz a.txt') == 0\n"
    ),
    # /usr/local/bin (the machine's), git -C, a relative cwd
    "usr-local": (
        "os.environ['PATH'] = '/usr/local/bin:' + os.environ['PATH']\n"
        "subprocess.run(['git', '-C', 'sub', 'init', '-q'], check=True)\n"
        "subprocess.run(['tar', 'czf', '../o.tgz', 'a.txt'], cwd='sub', check=True)\n"
    ),
    # a relative folder with a new tool in it, no move (Popen's cwd is read: sub/bin)
    "relative": (
        "tool('bin')\nos.environ['PATH'] = 'bin:' + os.environ['PATH']\n"
        "subprocess.run(['warden-tool'], check=True)\n"
        "subprocess.run(['tar', 'czf', 'o.tgz', 'a.txt'], check=True)\n"
        "subprocess.run(['tar', 'czf', '../o.tgz', 'a.txt'], cwd='sub', check=True)\n"
        "assert os.system('tar czf o.tgz a.txt') == 0\n"
    ),
    # a ~ folder as bash reads it, and a tool in it: read, and runs
    "tilde": (
        "tool(os.path.expanduser('~/bin'))\nos.environ['PATH'] = '~/bin:' + os.environ['PATH']\n"
        "subprocess.run(['bash', '-c', 'tar czf o.tgz a.txt && warden-tool'], check=True)\n"
    ),
}


@pytest.mark.parametrize("form", sorted(FORMS))
def test_an_ordinary_path_runs(kernel: Kernel, form):
    installed("tar")
    installed("git")
    result = kernel.cell(TOOL + FORMS[form], launched=True)
    assert result["refused"] is None, result
    assert result.get("error") is None, result
    assert not kernel.installed()


# -- the rules, unit by unit -------------------------------------------------------------------


@pytest.fixture()
def fresh_lists(monkeypatch):
    monkeypatch.setattr(path_programs, "_SETTLED", 0.0)
    monkeypatch.setattr(path_programs, "_started", time.time() - 5)
    path_programs._FOLDERS.clear()
    path_programs._SEARCHES.clear()
    yield
    path_programs._FOLDERS.clear()
    path_programs._SEARCHES.clear()


def test_a_tilde_folder_is_read_both_ways(fresh_lists, tmp_path):
    named, relative = path_programs._folders("~/bin:/usr/bin", str(tmp_path), "/h")
    assert [f[0] for f in named] == ["/h/bin", f"{tmp_path}/~/bin", "/usr/bin"]
    assert relative == ()  # placed from the start's folder given
    named, _ = path_programs._folders("~root/bin", None, "/h")
    assert [f[0] for f in named] == ["/root/bin", "~root/bin"]
    named, _ = path_programs._folders("~no-such-user-86/bin", None, "/h")
    assert [f[0] for f in named] == ["~no-such-user-86/bin"]  # bash leaves it as written


def test_a_relative_folder_is_found_by_its_full_path(fresh_lists, tmp_path, monkeypatch):
    """Red team 86 F2a: a relative ``cwd``; what is found names the file from anywhere."""
    (tmp_path / "sub" / "bin").mkdir(parents=True)
    made = tmp_path / "sub" / "bin" / "gzip"
    made.write_text("#!/bin/sh\n")
    made.chmod(0o755)
    monkeypatch.chdir(tmp_path)
    assert path_programs.new_programs("bin:/usr/bin", "sub") == [str(made)]


@pytest.mark.parametrize(
    "words",
    [
        ["sh", "-c", "cd sub && tar czf o.tgz a"],
        "(cd sub; tar czf o.tgz a)",
        ["env", "-C", "sub", "tar"],
        ["env", "--chdir=sub", "tar"],
        ["git", "-C", "sub", "archive"],
        ["make", "-Csub"],
        ["tar", "--directory", "sub", "-xzf", "a.tgz"],
        ["find", ".", "-execdir", "gzip", "{}", ";"],
        ["sudo", "-D", "sub", "tar"],
        ["bash", "-c", "pushd sub >/dev/null; tar czf o.tgz a"],
    ],
)
def test_a_move_of_the_start_folder_is_seen(words):
    assert moves(words)


@pytest.mark.parametrize(
    "words",
    [["tar", "czf", "o.tgz", "a.txt"], ["git", "-c", "a=b", "status"], "tar czf o.tgz cdrom"],
)
def test_words_that_move_nothing(words):
    assert moves(words) == ""


def test_a_relative_folder_with_a_move_is_unsure(fresh_lists, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    unsure: list = []
    path_programs.new_programs("bin:/usr/bin", None, None, None, None, unsure, None, ["ls"])
    assert unsure == []
    path_programs.new_programs("bin:/usr/bin", None, None, None, None, unsure, None, ["cd"])
    assert unsure and "relative folder" in unsure[0]


@pytest.mark.parametrize("folder", ["/proc/self/cwd/bin", "/dev/fd/3", "/usr/../proc/1/root"])
def test_a_folder_under_proc_is_unsure(fresh_lists, folder):
    unsure: list = []
    assert path_programs.new_programs(folder + ":/usr/bin", None, None, None, None, unsure) == []
    assert len(unsure) == 1 and folder in unsure[0], unsure


def test_a_folder_linked_into_proc_is_unsure(fresh_lists, tmp_path):
    (tmp_path / "me").symlink_to("/proc/self")
    unsure: list = []
    path_programs.new_programs(f"{tmp_path}/me/cwd", None, None, None, None, unsure)
    assert len(unsure) == 1 and "/proc" in unsure[0], unsure


def test_the_ordinary_path_asks_no_new_system_call(fresh_lists, tmp_path, monkeypatch):
    """An absolute PATH outside /proc: one ``stat`` per folder per start, no ``getcwd``,
    no ``geteuid`` (the root answer is not asked: red team 86 F4), no ``access``."""
    folders = []
    for name in ("venv-bin", "local-bin"):
        folder = tmp_path / name
        folder.mkdir()
        (folder / "activate").write_text("# sourced, not run\n")
        folders.append(str(folder))
    search = os.pathsep.join(folders)
    path_programs.new_programs(search)  # listed
    calls = []
    for name in ("stat", "getcwd", "geteuid", "access", "readlink", "lstat"):
        real = getattr(os, name)
        monkeypatch.setattr(
            os, name, lambda *a, _n=name, _r=real, **k: calls.append(_n) or _r(*a, **k)
        )
    assert path_programs.new_programs(search) == []
    # a stat per folder, an lstat per kept file (the two activate scripts)
    assert sorted(calls) == ["lstat", "lstat", "stat", "stat"], calls
