"""Neighbours of red team 41a R41a-1, read without a kernel: a standard-library path is read
by its ``__fspath__`` only when that answers an exact str (``frozen_builtins.path_text``);
any other text (a str subclass, bytes, an error) is refused by the gate's reading
(``gate._text``) and by Popen's verifier (``decided_start._plain``), never handed to C."""

import os
import pathlib

import pytest

from jupyterlab_warden.kernel.guard import frozen_builtins
from jupyterlab_warden.kernel.guard.installs import decided_start, gate


class S(str):
    def __str__(self):
        return "x"


class B(bytes):
    pass


def _path(text):
    path = pathlib.PurePosixPath("x")
    path._str = text
    return path


@pytest.fixture(autouse=True)
def _pathlib_noted(monkeypatch):
    monkeypatch.setattr(frozen_builtins, "PATH_CLASSES", set(frozen_builtins.PATH_CLASSES))
    frozen_builtins.PATH_CLASSES.add(pathlib.PurePosixPath)
    monkeypatch.setattr(gate, "PATH_CLASSES", frozen_builtins.PATH_CLASSES)
    monkeypatch.setattr(decided_start, "PATH_CLASSES", frozen_builtins.PATH_CLASSES)


@pytest.mark.parametrize("text", [S("uv"), B(b"uv"), b"uv", 3])
def test_a_path_whose_text_is_not_an_exact_str_is_refused(text):
    path = _path(text)
    assert frozen_builtins.path_text(path, os.fspath) is None
    with pytest.raises(gate._NotText, match="not a plain str"):
        gate._text(path, "arguments")
    with pytest.raises(decided_start._Refused, match="not a plain str"):
        decided_start._plain(path, "argument")


def test_an_ordinary_path_is_read_by_its_text():
    path = pathlib.PurePosixPath("/bin/echo")
    assert gate._text(path, "arguments") == "/bin/echo"
    word, text = decided_start._plain(path, "argument")
    assert type(word) is str and word == text == "/bin/echo"
