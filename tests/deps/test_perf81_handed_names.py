"""``handed_fds.written``: a descriptor's ``fstat`` first, its /proc name only for a regular
file. perf81 had read the name first (fewer user-space instructions for a pipe), but a readlink
of /proc/self/fd/N takes ~4x an fstat's wall time in the kernel, so every start with ipykernel's
pipes for stdio paid ~7 us more (2026-12-06, bench/install_gate_overhead.py --only cell). These
pin the answers for each kind of descriptor a start hands on, and that a pipe's answer comes
from its fstat alone."""

import os
import socket
import stat

import pytest

from jupyterlab_warden.kernel.guard.installs import handed_fds

NONE = ("", None, ())


def test_a_pipe_and_a_socket_are_no_written_file():
    read, write = os.pipe()
    left, right = socket.socketpair()
    try:
        assert handed_fds.written(write) == NONE
        assert handed_fds.written(read) == NONE
        assert handed_fds.written(left.fileno()) == NONE
    finally:
        for fd in (read, write):
            os.close(fd)
        left.close()
        right.close()


def test_a_pipe_is_answered_by_its_fstat_without_reading_its_name(monkeypatch):
    read, write = os.pipe()
    asked = []
    monkeypatch.setattr(handed_fds.os, "readlink", lambda path: asked.append(path) or "/x")
    try:
        assert handed_fds.written(write) == NONE
        assert asked == []
    finally:
        monkeypatch.undo()
        os.close(read)
        os.close(write)


def test_a_regular_file_open_for_writing_is_named_as_before(tmp_path):
    path = tmp_path / "log.txt"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
    try:
        found, key, identity = handed_fds.written(fd)
        st = os.fstat(fd)
        assert found == str(path)
        assert key == (fd, st.st_dev, st.st_ino, str(path))
        assert identity == (st.st_dev, st.st_ino)
        # passed once: given back by its key, its mode not read again
        assert handed_fds.written(fd, {key}) == (found, key, identity)
    finally:
        os.close(fd)


def test_a_file_open_for_reading_a_folder_and_dev_null_are_no_written_file(tmp_path):
    path = tmp_path / "data.txt"
    path.write_text("x")
    fds = [os.open(path, os.O_RDONLY), os.open(tmp_path, os.O_RDONLY), os.open(os.devnull, 1)]
    try:
        for fd in fds:
            assert handed_fds.written(fd) == NONE
    finally:
        for fd in fds:
            os.close(fd)


@pytest.mark.parametrize("fd", [-1, 999_999])
def test_a_closed_or_impossible_descriptor_is_no_written_file(fd):
    assert handed_fds.written(fd) == NONE


def test_a_closed_low_descriptor_is_no_written_file(tmp_path):
    fd = os.open(tmp_path / "gone.txt", os.O_WRONLY | os.O_CREAT)
    os.close(fd)
    assert handed_fds.written(fd) == NONE


def test_an_unlinked_file_open_for_writing_is_still_named(tmp_path):
    path = tmp_path / "gone.pth"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT)
    try:
        path.unlink()
        found, _key, _identity = handed_fds.written(fd)
        assert found.startswith("/") and stat.S_ISREG(os.fstat(fd).st_mode)
    finally:
        os.close(fd)
