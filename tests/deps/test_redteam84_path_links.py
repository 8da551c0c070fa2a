"""Red team 84: bypasses of R82-5's fix (``path_programs``: a PATH link into a folder not on
PATH, ``bin/gzip -> ../lib/gzip``, is kept under the folders it leads through and they are
``stat``ed at each start).

F1: the cell replaces ``lib/gzip`` by a NEW link to an OLDER program (``lib/gzip -> evil``,
``-> /usr/bin/python3``) and gets ``bin`` listed again before any start (an entry made and
removed in bin; or a start naming more folders than ``_KEPT``, which empties ``_FOLDERS``): the
new listing judged ``bin/gzip`` by its own age and its final file's (both older), kept it as an
older program and its new target as the baseline. tar then ran the other program as gzip.
F3: an older link kept because it dangles (or leads to a file not executable) was checked at
each start by its own ctime and its final file's only: a new link in between was never seen.
Minor: ``bin/gzip -> gzip2 -> ../lib/gzip``, ``bin/gzip2`` replaced: only gzip2 was reported.
F2: ``lib`` renamed to ``lib2``, a new ``lib/gzip -> ../lib2/gzip`` (the same file): the start
that saw lib changed kept lib's new state and never walked the link again, so ``lib2`` was not
watched and a new file renamed over ``lib2/gzip`` ran unreported.

The fix: a link counts as changed since the kernel started when ANY step of its chain (each
link, as the kernel walks it, and each folder link its text names) changed since
(``_link_changed``, at a listing and at each start for the links a listing keeps); and a folder
links lead through that changed has its PATH folder listed again at the next start (its links'
ways walked anew). Each test failed on land83. The kernel-level proof: without Warden tar's
gzip installs from the local index; with Warden the start is refused."""

import os
import shutil
import time

import pytest
from launched import installed
from test_age81_old_path_programs import PATH_FIRST, _older_than_a_start
from test_redteam82_path_link_target import _payload

from jupyterlab_warden.kernel.guard.installs import path_programs


def _program(path, text="echo real") -> None:
    path.write_text("#!/bin/sh\n" + text + "\n")
    path.chmod(0o755)


def _tick() -> None:
    """A precondition on the clock: a change made after this is stamped a later time than
    the one before it (coarse file-system clocks stamp by ticks)."""
    now = time.time()
    while time.time() < now + 0.05:
        time.sleep(0.01)


@pytest.fixture
def pp(tmp_path, monkeypatch):
    """``path_programs`` with empty memos, every listing kept; ``start()`` puts the kernel's
    start after everything made so far (so it is older), before anything made after."""
    monkeypatch.setattr(path_programs, "_FOLDERS", {})
    monkeypatch.setattr(path_programs, "_SETTLED", 0.0)

    def start():
        _tick()
        monkeypatch.setattr(path_programs, "_started", time.time() + 1 - 0.02)
        _tick()

    path_programs.start = start
    yield path_programs
    del path_programs.start


def _link(target: str, path) -> None:
    """``path`` made a NEW link to ``target`` by a rename (the way a cell replaces it)."""
    temporary = str(path) + ".t"
    os.symlink(target, temporary)
    os.replace(temporary, path)


def _venv_like(tmp_path, pp):
    """bin/gzip -> ../lib/gzip, lib/gzip a program, an older program lib/evil, all older
    than the kernel's start; bin listed once (its link kept, lib watched)."""
    (tmp_path / "bin").mkdir()
    (tmp_path / "lib").mkdir()
    _program(tmp_path / "lib" / "gzip")
    _program(tmp_path / "lib" / "evil", "echo EVIL")
    (tmp_path / "bin" / "gzip").symlink_to("../lib/gzip")
    pp.start()
    search = str(tmp_path / "bin")
    assert pp.new_programs(search) == []
    assert pp.new_programs(search) == []
    return search, str(tmp_path / "bin" / "gzip")


@pytest.mark.parametrize("relisting", ["entry", "overflow"])
def test_f1_a_new_link_to_an_older_program_is_not_rebaselined(tmp_path, pp, relisting):
    search, gzip = _venv_like(tmp_path, pp)
    _tick()
    _link("evil", tmp_path / "lib" / "gzip")
    if relisting == "entry":
        (tmp_path / "bin" / ".x").touch()
        (tmp_path / "bin" / ".x").unlink()
    else:
        pp._FOLDERS.clear()  # what a start naming more than _KEPT folders does
    assert pp.new_programs(search) == [gzip]
    assert pp.new_programs(search) == [gzip]  # at every start, not once
    assert os.path.realpath(gzip) == str(tmp_path / "lib" / "evil")


@pytest.mark.parametrize("kind", ["dangling", "not executable"])
def test_f3_a_new_link_behind_a_kept_older_link_is_seen(tmp_path, pp, kind):
    (tmp_path / "bin").mkdir()
    (tmp_path / "lib").mkdir()
    if kind == "not executable":
        (tmp_path / "lib" / "gzip").write_text("data\n")
    (tmp_path / "bin" / "gzip").symlink_to("../lib/gzip")
    python = os.path.realpath(shutil.which("python3"))
    pp.start()
    search, gzip = str(tmp_path / "bin"), str(tmp_path / "bin" / "gzip")
    assert pp.new_programs(search) == []
    _link(python, tmp_path / "lib" / "gzip")
    assert pp.new_programs(search) == [gzip]


def test_a_link_to_a_replaced_link_in_its_own_folder_is_found(tmp_path, pp):
    """bin/gzip -> gzip2 -> ../lib/gzip: a new bin/gzip2 makes gzip (the name tar runs) new."""
    (tmp_path / "bin").mkdir()
    (tmp_path / "lib").mkdir()
    _program(tmp_path / "lib" / "gzip")
    _program(tmp_path / "lib" / "evil", "echo EVIL")
    (tmp_path / "bin" / "gzip").symlink_to("gzip2")
    (tmp_path / "bin" / "gzip2").symlink_to("../lib/gzip")
    pp.start()
    search = str(tmp_path / "bin")
    assert pp.new_programs(search) == []
    _tick()
    _link("../lib/evil", tmp_path / "bin" / "gzip2")
    found = pp.new_programs(search)
    assert sorted(found) == [str(tmp_path / "bin" / "gzip"), str(tmp_path / "bin" / "gzip2")]


def test_a_folder_link_replaced_on_the_way_is_found(tmp_path, pp):
    """bin/gzip -> ../l/gzip, l -> real1; l replaced by a new link to real2 (an older program
    in it), bin listed again: the new folder link makes the PATH link new."""
    for name in ("bin", "real1", "real2"):
        (tmp_path / name).mkdir()
    _program(tmp_path / "real1" / "gzip")
    _program(tmp_path / "real2" / "gzip", "echo EVIL")
    (tmp_path / "l").symlink_to("real1")
    (tmp_path / "bin" / "gzip").symlink_to("../l/gzip")
    pp.start()
    search, gzip = str(tmp_path / "bin"), str(tmp_path / "bin" / "gzip")
    assert pp.new_programs(search) == []
    _link("real2", tmp_path / "l")
    pp._FOLDERS.clear()
    assert pp.new_programs(search) == [gzip]


def test_f2_a_regrafted_way_is_watched(tmp_path, pp):
    """lib renamed to lib2, a new lib/gzip -> ../lib2/gzip (the same file), a start; then a
    new file renamed over lib2/gzip is found."""
    search, gzip = _venv_like(tmp_path, pp)
    lib, lib2 = tmp_path / "lib", tmp_path / "lib2"
    os.rename(lib, lib2)
    lib.mkdir()
    (lib / "gzip").symlink_to("../lib2/gzip")
    pp.new_programs(search)  # a start (`!true`): lib changed, the same target
    _program(lib2 / "new", "echo EVIL-new")
    os.replace(lib2 / "new", lib2 / "gzip")
    assert pp.new_programs(search) == [gzip]
    assert pp.new_programs(search) == [gzip]


def test_a_folder_swapped_for_an_older_tree_stays_found(tmp_path, pp):
    """lib swapped (a rename) for a tree made before the start, gzip in it an older program:
    its files' times are old, so it is found by its target's state, at every start."""
    (tmp_path / "staged").mkdir()
    _program(tmp_path / "staged" / "gzip", "echo EVIL")
    search, gzip = _venv_like(tmp_path, pp)
    os.rename(tmp_path / "lib", tmp_path / "lib-old")
    os.rename(tmp_path / "staged", tmp_path / "lib")
    for _ in range(3):
        assert pp.new_programs(search) == [gzip]


# -- no false findings -------------------------------------------------------------------------


def test_older_links_stay_older_when_their_folders_change(tmp_path, pp):
    """An unrelated entry in bin or in lib (a watched folder) lists bin again: its older links,
    every step older, are not found (and are watched as before)."""
    search, gzip = _venv_like(tmp_path, pp)
    (tmp_path / "bin" / "gzip2").symlink_to("gzip")  # an older chain through bin too
    os.utime(tmp_path / "bin" / "gzip2", (1, 1), follow_symlinks=False)
    pp._FOLDERS.clear()
    pp.start()
    assert pp.new_programs(search) == []
    (tmp_path / "bin" / "notes.txt").write_text("x\n")
    assert pp.new_programs(search) == [] and pp.new_programs(search) == []
    (tmp_path / "lib" / "other").write_text("x\n")
    assert pp.new_programs(search) == [] and pp.new_programs(search) == []
    kept = pp._FOLDERS[search]
    assert [os.path.basename(way[0]) for way in kept[4]] == ["lib"], kept
    _tick()
    _program(tmp_path / "lib" / "new", "echo EVIL")
    os.replace(tmp_path / "lib" / "new", tmp_path / "lib" / "gzip")
    assert sorted(pp.new_programs(search)) == [gzip, str(tmp_path / "bin" / "gzip2")]


# -- the kernel-level proof (F1 through tar) ---------------------------------------------------


def _linked_gzip(kernel) -> None:
    """bin/gzip -> ../lib/gzip, lib/gzip the machine's gzip copied, lib/evil an older perl
    program that installs (run as a script-file, its body unread, were it reached by an older
    way), all older than a kernel start."""
    installed("tar")
    work = kernel.work
    (work / "bin").mkdir(exist_ok=True)
    (work / "lib").mkdir(exist_ok=True)
    shutil.copy(installed("gzip"), work / "lib" / "gzip.tmp")
    os.replace(work / "lib" / "gzip.tmp", work / "lib" / "gzip")
    (work / "lib" / "evil").write_text(_payload(kernel))
    (work / "lib" / "evil").chmod(0o755)
    if not (work / "bin" / "gzip").is_symlink():
        (work / "bin" / "gzip").symlink_to("../lib/gzip")
    (work / "a.txt").write_text("a\n")
    for path in (work / "lib" / "evil", work / "lib" / "gzip", work / "lib"):
        _older_than_a_start(path)
    for path in (work / "bin" / "gzip", work / "bin"):
        _older_than_a_start(path)


CELL = (
    PATH_FIRST
    + """import subprocess
subprocess.run(['true'], check=True)  # bin listed, lib watched
os.symlink('evil', 'lib/.t')
os.replace('lib/.t', 'lib/gzip')  # a NEW link to an OLDER program
open('bin/.x', 'w').close()
os.unlink('bin/.x')  # bin listed again before any start
subprocess.run(['tar', 'czf', 'o.tgz', 'a.txt'])
"""
)


def test_f1_tar_runs_a_rebaselined_gzip(kernel):
    """Installs without Warden; with Warden the start running tar is refused, naming gzip."""
    # lib/gzip the machine's gzip again before each run, older than the next start
    assert "gzip" in kernel.proves(CELL, prepare=lambda: _linked_gzip(kernel))
