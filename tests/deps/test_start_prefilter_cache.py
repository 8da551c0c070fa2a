"""The first look every process start pays keeps what it read of a program file (its first
bytes: a binary, or a script that may run bash, R11-13) by the file's identity, and never
answers for a file that changed since (``shebang.is_script``, ``fastpath.may_install``)."""

import os
import shutil

import pytest

from jupyterlab_warden.kernel.guard.installs import fastpath, shebang

ELF = open(shutil.which("true"), "rb").read()  # a real binary: exec runs it itself
SCRIPT = b"#!/bin/bash\n" + b"#" * (len(ELF) - 13) + b"\n"  # same size as the binary


@pytest.fixture()
def reads(monkeypatch):
    """Counts the opens of the first look; starts with nothing kept."""
    monkeypatch.setattr(shebang, "_SCRIPTS", {})
    opened = []

    def counting_open(path, *args, **kwargs):
        opened.append(path)
        return open(path, *args, **kwargs)

    monkeypatch.setattr(shebang, "open", counting_open, raising=False)
    return opened


def _settled(monkeypatch):
    """Every file counts as settled (as if its ctime were long past)."""
    monkeypatch.setattr(shebang, "_SETTLED_NS", -(10**18))


def test_a_file_written_just_now_is_read_again_on_every_start(tmp_path, reads):
    program = tmp_path / "tool"
    program.write_bytes(ELF)
    assert not shebang.is_script(str(program), os.stat(program))
    program.write_bytes(SCRIPT)  # same inode, same size, within the same clock tick
    assert shebang.is_script(str(program), os.stat(program))
    assert not shebang._SCRIPTS
    assert len(reads) == 2


def test_a_settled_file_is_read_once(tmp_path, reads, monkeypatch):
    _settled(monkeypatch)
    program = tmp_path / "tool"
    program.write_bytes(ELF)
    for _ in range(3):
        assert not shebang.is_script(str(program), os.stat(program))
    assert len(reads) == 1


def test_a_file_replaced_under_the_same_name_is_read_again(tmp_path, reads, monkeypatch):
    _settled(monkeypatch)
    program = tmp_path / "tool"
    program.write_bytes(ELF)
    assert not shebang.is_script(str(program), os.stat(program))
    staged = tmp_path / "staged"
    staged.write_bytes(SCRIPT)
    os.replace(staged, program)
    assert shebang.is_script(str(program), os.stat(program))
    assert len(reads) == 2


def test_an_answer_read_from_another_file_than_the_one_stated_is_not_kept(
    tmp_path, reads, monkeypatch
):
    """The name was swapped between the caller's stat and the open: what was read belongs to
    the new file, not to the identity the caller found."""
    _settled(monkeypatch)
    program = tmp_path / "tool"
    program.write_bytes(SCRIPT)
    stated = os.stat(program)
    staged = tmp_path / "staged"
    staged.write_bytes(ELF)
    os.replace(staged, program)
    assert not shebang.is_script(str(program), stated)
    assert not shebang._SCRIPTS


def test_the_path_walk_reads_a_replaced_program_anew(tmp_path, reads, monkeypatch):
    """Found on PATH: a binary passes the first look; the same name replaced by a bash script
    does not (it may run code from the environment)."""
    _settled(monkeypatch)
    folder = tmp_path / "bin"
    folder.mkdir()
    program = folder / "tool"
    program.write_bytes(ELF)
    program.chmod(0o755)
    search = f"{tmp_path / 'missing'}:{folder}:/usr/bin"
    assert not fastpath.may_install("tool", search)
    assert not fastpath.may_install("tool", search)
    assert len(reads) == 1
    staged = folder / "staged"
    staged.write_bytes(SCRIPT)
    os.replace(staged, program)
    assert fastpath.may_install("tool", search)


def test_a_link_is_judged_by_its_target_file(tmp_path, reads, monkeypatch):
    _settled(monkeypatch)
    target = tmp_path / "real"
    target.write_bytes(ELF)
    link = tmp_path / "tool"
    link.symlink_to(target)
    assert not fastpath.may_install(str(link))
    assert not fastpath.may_install(str(link))
    assert len(reads) == 1
    staged = tmp_path / "staged"
    staged.write_bytes(SCRIPT)
    os.replace(staged, target)
    assert fastpath.may_install(str(link))


def test_a_program_that_is_not_there_or_cannot_be_read(tmp_path, reads):
    assert not fastpath.may_install("tool", str(tmp_path))
    assert not fastpath.may_install(str(tmp_path / "tool"))
    dangling = tmp_path / "dangling"
    dangling.symlink_to(tmp_path / "nowhere")
    assert fastpath.may_install(str(dangling))  # cannot be read: counts as a script
