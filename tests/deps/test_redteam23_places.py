"""Red team 23: where a line's writer writes, and which PATH folders are the system's.

- R23-2: ``cp SRC DEST`` with DEST an existing folder writes DEST/<SRC's name>; the place was
  DEST alone, so a hard or symbolic link DEST/<name> to a PATH folder's program (made in an
  earlier cell) was rewritten in place unseen, and tar then ran it.
- R23-4: every folder under /opt was the system's, whoever owns it; the Jupyter docker-stacks
  images keep conda in /opt/conda, owned by the notebook user. A system folder is now one
  under the system's folders (by whole names: /library is not /lib) that root owns, as every
  folder on the way up to it.
- R23-5: the walk of an unpacked tree for links leading out of it gave up at 50,000 entries
  and refused the line (``tar xzf more.tgz -C data && python3 train.py`` in an image data
  set); the bound is two million entries, walked once per reading.
- A loop's ``break`` counted as a writer that may write anywhere under the folder it runs in.

Each proof runs for real: without Warden the payload runs and the package lands; with Warden
the line is refused and the index sees no request.
"""

import os
import time

import pytest
from launched import installed, system_cell
from test_redteam17_starts import PERL

from jupyterlab_warden.kernel.guard.installs import commands

PATH_FIRST = "import os\nos.environ['PATH'] = os.getcwd() + '/pbin:' + os.environ['PATH']\n"


def _program_behind_a_link(kernel, folder: str, hard: bool) -> None:
    """pbin/gzip (first on PATH, harmless), and FOLDER/payload.pl another name of it."""
    (kernel.work / "pbin").mkdir()
    gzip = kernel.work / "pbin" / "gzip"
    gzip.write_text("#!/bin/sh\nexit 0\n")
    gzip.chmod(0o755)
    (kernel.work / folder).mkdir()
    other = kernel.work / folder / "payload.pl"
    if hard:
        os.link(gzip, other)
    else:
        other.symlink_to(gzip)
    (kernel.work / "payload.pl").write_text(
        PERL.format(index=kernel.index.simple, target=kernel.target, python="python3")
    )
    (kernel.work / "a.txt").write_text("a\n")


@pytest.mark.parametrize(
    ("hard", "dest"),
    [(True, "kd"), (True, "kd/"), (False, "kd")],
    ids=["hard", "slash", "symbolic"],
)
def test_r23_2_a_copy_into_an_existing_folder_is_placed_at_its_name(kernel, hard, dest):
    installed("tar")
    installed("perl")
    _program_behind_a_link(kernel, "kd", hard)
    refused = kernel.proves(
        PATH_FIRST + system_cell(f"cp payload.pl {dest} && tar czf o.tgz a.txt")
    )
    assert "an earlier command on the line (cp)" in refused, refused


def test_a_copy_into_a_folder_away_from_path_runs(kernel):
    """The same copy into a folder holding no other name of a PATH program runs."""
    installed("tar")
    (kernel.work / "pbin").mkdir()
    (kernel.work / "out").mkdir()
    (kernel.work / "m.pt").write_text("weights\n")
    code = PATH_FIRST + "assert os.system('cp m.pt out && tar czf o.tgz out') == 0\n"
    result = kernel.cell(code, launched=True)
    assert result["refused"] is None, result
    assert (kernel.work / "out" / "m.pt").exists()


# -- R23-4: the system's folders ------------------------------------------------------------------


def test_r23_4_a_folder_root_does_not_own_is_not_the_systems(tmp_path, monkeypatch):
    monkeypatch.setattr(commands, "_SYSTEM_FOLDERS", (str(tmp_path),))
    conda = tmp_path / "conda" / "bin"
    conda.mkdir(parents=True)
    if os.getuid() == 0:
        # root owns tmp_path here: the system's, until the folder is another user's
        assert commands._system_folder(str(conda))
        os.chown(tmp_path / "conda", 1000, 1000)
    assert not commands._system_folder(str(conda))
    assert commands._user_folder(str(conda)) == os.access(conda, os.W_OK)


def test_system_folders_are_matched_by_whole_names():
    assert not commands._system_folder("/library/bin")
    assert not commands._system_folder("/binaries")
    assert not commands._system_folder("/usr/local/bin")
    assert commands._system_folder("/usr/bin") == (os.stat("/usr/bin").st_uid == 0)


# -- R23-5: big trees, walked once per reading -----------------------------------------------------


def test_r23_5_a_tree_of_an_image_data_set_is_walked(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    for i in range(60_000):  # past the old bound of 50,000
        (data / f"{i}.png").touch()
    (data / "l").symlink_to(tmp_path / "elsewhere")
    (tmp_path / "elsewhere").mkdir()
    found = commands._links_out(str(data), {})
    assert found == [(True, str(tmp_path / "elsewhere"), str(data / "l"))]


def test_a_tree_is_walked_once_per_reading(tmp_path, monkeypatch):
    walks = []
    real = commands._links_out
    monkeypatch.setattr(
        commands, "_links_out", lambda root, *rest: walks.append(root) or real(root, *rest)
    )
    (tmp_path / "bin").mkdir()
    (tmp_path / "a.txt").write_text("a\n")
    (tmp_path / "kit").mkdir()
    monkeypatch.chdir(tmp_path)
    # a writer of the list (a program's own code is not walked for links, R50a-3)
    line = "cp -r kit/. . && tar czf o.tgz a.txt && tar czf p.tgz a.txt"
    with pytest.raises(commands.Unreadable):
        # cp -r may write anything under the folder, ./bin (first on PATH) included
        commands.shell_invocations(line, 0, {"PATH": f"{tmp_path}/bin:/usr/bin:/bin"})
    other = tmp_path / "w"
    other.mkdir()
    (other / "kit").mkdir()
    monkeypatch.chdir(other)
    commands.shell_invocations(line, 0, {"PATH": f"{tmp_path}/bin:/usr/bin:/bin"})
    assert walks.count(os.path.realpath(other)) == 1, walks


@pytest.mark.parametrize("word", ["break", "continue"])
def test_a_loops_flow_builtin_writes_nothing(tmp_path, monkeypatch, word):
    (tmp_path / "bin").mkdir()
    monkeypatch.chdir(tmp_path)
    line = f"for f in a b; do {word}; done && tar czf o.tgz a.txt"
    commands.shell_invocations(line, 0, {"PATH": f"{tmp_path}/bin:/usr/bin:/bin"})


# -- a folder with many new programs (an apt-get install, a venv's console scripts) ---------------


@pytest.mark.parametrize("given", ["PATH", "COMPILER_PATH"])
def test_many_new_programs_in_a_folder_are_each_read_once_not_nested(tmp_path, monkeypatch, given):
    """Each new file of a PATH the line gives (or of an environment folder) is read as a start;
    a start read inside found the same files again, one level deeper each, and a folder with
    more new programs than ``MAX_NESTING`` (CI's apt-get install of rsync) refused every line."""
    from jupyterlab_warden.kernel.guard.installs import path_programs

    # the tools are new, the machine's programs not: with every file new the reading depended
    # on what /usr/bin holds (a node there read as a start refused the line, or the reading
    # of each of its programs ran past the timeout)
    monkeypatch.setattr(path_programs, "_started", time.time() - 1)
    tools = tmp_path / "tools"
    tools.mkdir()
    for i in range(commands.MAX_NESTING + 3):
        (tools / f"tool{i}").write_text("#!/bin/sh\necho ok\n")
        (tools / f"tool{i}").chmod(0o755)
    monkeypatch.chdir(tmp_path)
    if given == "PATH":
        line = f"PATH={tools}:/usr/bin:/bin tar --version"
    else:
        line = f"COMPILER_PATH={tools} gcc --version"
    commands.shell_invocations(line, 0, {})


def test_r50a_3_which_writers_a_link_out_counts_for(tmp_path, monkeypatch):
    """A link to a PATH program under the working folder (a venv's bin/python): a writer of
    its own code is not walked (it may write the target by its path anyway), tar x replaces
    the link, cp -r writes through it; a link to a folder counts for tar (R22-2)."""
    (tmp_path / "bin").mkdir()
    (tmp_path / "bin" / "gzip").write_text("#!/bin/sh\n")
    work = tmp_path / "w"
    (work / "kit").mkdir(parents=True)
    (work / "venv").mkdir()
    (work / "venv" / "python").symlink_to(tmp_path / "bin" / "gzip")
    monkeypatch.chdir(work)
    env = {"PATH": f"{tmp_path}/bin:/usr/bin:/bin"}
    for line in ("python3 prep.py && gzip a", "make && gzip a", "tar xf k.tar && gzip a"):
        commands.shell_invocations(line, 0, env)
    for line in ("cp -r kit/. . && gzip a", "tar xf k.tar --overwrite && gzip a"):
        with pytest.raises(commands.Unreadable, match="venv/python"):
            commands.shell_invocations(line, 0, env)
    (work / "l").symlink_to(tmp_path / "bin")
    with pytest.raises(commands.Unreadable, match="through .*/w/l "):
        commands.shell_invocations("tar xf k.tar && gzip a", 0, env)
