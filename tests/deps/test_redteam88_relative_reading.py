"""Red team 88 F8, F5 and FR1: the rules of a PATH's tilde and relative folders, and no false
refusals next to them.

F8: bash's tilde prefixes ``~+`` ($PWD: read as the relative folder it is), ``~-`` ($OLDPWD)
and ``~N``/``~+N``/``~-N`` (the folder stack: unsure), gate side (``path_programs._folders``)
and line side (``commands._which``). F5: the moves ``folder_moves`` knows now (unshare's and
nsenter's ``-w``/``--wd``, ``cmake -E chdir``, a login start), a relative folder checked for
moves with a start folder given. FR1: a kernel PATH with an empty entry (``.``) and a line
that moves to a folder it names plainly (``cd data``, ``git -C repo``) is read from that
folder too, not refused; a move to a folder Warden cannot tell still is (the proofs:
test_redteam88_tilde_plus_path.py, test_redteam88_relative_moves.py)."""

import os
import time

import pytest
from launched import Kernel, installed

from jupyterlab_warden.kernel.guard.installs import commands, path_programs
from jupyterlab_warden.kernel.guard.installs.folder_moves import moves, targets


@pytest.fixture()
def fresh_lists(monkeypatch):
    monkeypatch.setattr(path_programs, "_SETTLED", 0.0)
    monkeypatch.setattr(path_programs, "_started", time.time() - 5)
    path_programs._FOLDERS.clear()
    path_programs._SEARCHES.clear()
    yield
    path_programs._FOLDERS.clear()
    path_programs._SEARCHES.clear()


def _program(path):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\n")
    path.chmod(0o755)
    return str(path)


# -- F8 -----------------------------------------------------------------------------------------


def test_tilde_plus_is_the_start_folder(fresh_lists, tmp_path):
    named, relative = path_programs._folders("~+/pb:~+:/usr/bin", None, "/h")
    assert [f[0] for f in named] == ["pb", "~+/pb", ".", "~+", "/usr/bin"]
    assert relative == ("pb", "~+/pb", ".", "~+")  # moves and all: a relative folder
    made = _program(tmp_path / "pb" / "gzip")
    assert path_programs.new_programs("~+/pb:/usr/bin", str(tmp_path)) == [made]


@pytest.mark.parametrize("folder", ["~-/pb", "~-", "~0/pb", "~+1", "~-2/x", "~1"])
def test_oldpwd_and_stack_folders_are_unsure(fresh_lists, folder):
    unsure: list = []
    path_programs.new_programs(folder + ":/usr/bin", "/", None, None, None, unsure)
    assert len(unsure) == 1 and folder in unsure[0] and "OLDPWD" in unsure[0], unsure


def test_a_user_named_like_a_prefix_is_still_a_user(fresh_lists):
    named, _ = path_programs._folders("~+x/bin", None, "/h")  # user "+x": none, as written
    assert [f[0] for f in named] == ["~+x/bin"]


def test_which_reads_tilde_plus_and_refuses_the_stack(tmp_path):
    made = _program(tmp_path / "pb" / "warden-f8-tool")
    with commands.start_folder(str(tmp_path)):
        assert commands._which("warden-f8-tool", "~+/pb:/usr/bin") == made
        with pytest.raises(commands.Unreadable, match="OLDPWD"):
            commands._which("warden-f8-tool", "~-/pb:/usr/bin")
        assert commands._which("ls", "/usr/bin:/bin")  # the ordinary PATH


# -- F5 -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "words",
    [
        ["unshare", "-w", "sub", "tar"],
        ["unshare", "--wd=sub", "tar"],
        ["nsenter", "--wd", "sub", "tar"],
        ["/usr/bin/unshare", "-wsub", "tar"],
        ["cmake", "-E", "chdir", "sub", "tar"],
        "PATH=bin:/usr/bin unshare -w sub tar czf o.tgz a",
        ["su", "-", "user", "-c", "tar"],
        ["sudo", "-i", "tar"],
        ["perl", "-e", 'chdir "sub"; system "tar"'],
    ],
)
def test_the_moves_f5_named_are_seen(words):
    assert moves(words)


@pytest.mark.parametrize(
    "words", [["grep", "-w", "x", "f"], ["ls", "-i"], ["wc", "-w", "a"], "tar czf o.tgz a"]
)
def test_other_programs_short_options_move_nothing(words):
    assert moves(words) == ""


def test_a_relative_folder_with_a_start_folder_given_is_checked(fresh_lists, tmp_path):
    unsure: list = []
    argv = ["unshare", "-w", "sub", "tar"]
    path_programs.new_programs("bin:/usr/bin", str(tmp_path), None, None, None, unsure, None, argv)
    assert unsure and "-w" in unsure[0]


# -- FR1 ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "words, folders",
    [
        ("cd data && ls", ("data",)),
        ("cd /tmp && ls", ("/tmp",)),
        ("(cd sub && python train.py)", ("sub",)),
        ("pushd sub && python train.py && popd", ("sub",)),
        (["git", "-C", "repo", "status"], ("repo",)),
        (["make", "-C", "build"], ("build",)),
        ("make -Cbuild", ("build",)),
        ("tar -C data -xzf x.tgz", ("data",)),
        (["env", "--chdir=sub", "tar"], ("sub",)),
        (["sh", "-c", "cd a && cd b && tar"], ("a", "a/b", "b")),
    ],
)
def test_a_plain_move_names_its_folder(words, folders):
    assert targets(words) == (folders, "")


@pytest.mark.parametrize(
    "words",
    [
        'cd "$D" && tar',
        "cd && tar",  # HOME
        "cd - && tar",
        "cd ~/x && tar",
        'eval "cd sub"; tar',
        "a;cd sub",
        ["git", "-C", "my repo", "x"],  # an argument with a blank is no shell text
        ["bash", "-c", "cd", "sub"],  # sub is $0: cd goes HOME
        ["zsh", "-ec", "chdir", "sub"],
        "find . -execdir gzip {} ;",
        ["unshare", "-w", "sub", "tar"],
        'unshare"-w" sub tar',  # one shell word: its pieces read in order, as moves reads them
        "export CDPATH=/x; cd data && tar",
    ],
)
def test_a_move_to_a_folder_not_told(words):
    assert targets(words)[1]


def test_cdpath_makes_a_relative_cd_untold():
    assert targets("cd data && tar", cdpath=True)[1] == "cd"
    assert targets("cd /tmp && tar", cdpath=True) == (("/tmp",), "")


def test_the_moved_folder_is_read(fresh_lists, tmp_path):
    """An empty PATH entry (``.``) and ``cd data``: data's new program is found, not refused."""
    made = _program(tmp_path / "data" / "gzip")
    unsure: list = []
    found = path_programs.new_programs(
        "/usr/bin:", str(tmp_path), None, None, None, unsure, None, "cd data && tar czf o a"
    )
    assert unsure == [] and [os.path.normpath(f) for f in found] == [made]
    found = path_programs.new_programs(
        "/usr/bin:", str(tmp_path), None, None, None, unsure, None, 'cd "$D" && tar'
    )
    assert unsure and "cannot tell" in unsure[0]


SETUP = """import os, subprocess
os.makedirs('data', exist_ok=True)
os.makedirs('sub', exist_ok=True)
open('data/a.txt', 'w').write('a')
open('sub/train.py', 'w').write('print(1)')
subprocess.run(['git', 'init', '-q', 'repo'], check=True)
os.environ['PATH'] = os.environ['PATH'] + ':'  # an empty entry: the start's folder
"""
LINES = [
    "assert os.system('cd data && ls >/dev/null') == 0",
    "assert os.system('git -C repo status >/dev/null') == 0",
    "assert os.system('tar -C data -czf o.tgz a.txt') == 0",
    "assert os.system('cd sub && python train.py') == 0",
    "subprocess.run(['git', '-C', 'repo', 'status'], check=True, capture_output=True)",
    "subprocess.run(['tar', '-C', 'data', '-czf', 'o.tgz', 'a.txt'], check=True)",
]


def test_an_empty_path_entry_and_plain_moves_run(kernel: Kernel):
    installed("tar")
    installed("git")
    result = kernel.cell(SETUP + "\n".join(LINES) + "\n", launched=True)
    assert result["refused"] is None, result
    assert result.get("error") is None, result


@pytest.mark.parametrize("how", ["tilde-plus", "cd-dollar"])
def test_the_untold_forms_are_refused_in_a_kernel(kernel: Kernel, how):
    os.makedirs(kernel.work / "data", exist_ok=True)
    line = {
        "tilde-plus": 'os.system("bash -c \\"export PATH=\'~-/pb\':$PATH; ls\\"")\n',
        "cd-dollar": "os.environ['PATH'] += ':'\nos.system('D=data; cd \"$D\" && ls')\n",
    }[how]
    result = kernel.cell("import os\n" + line, launched=True)
    assert result["refused"], result
