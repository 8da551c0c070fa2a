"""What the common start keeps between starts (perf47), shown to follow every change it keys on.

- ``path_programs``: a top-level link on PATH to another folder of the same PATH (``/bin`` ->
  ``usr/bin``, a merged /usr) is read by its link's text, not a stat: retargeted, or replaced
  by a real folder, it is a folder of its own again, and a program file written there is found;
- ``InstallGate._script_operand``: the inherited environment's answer (does it set a variable
  an interpreter reads?) is kept per version: a variable set after starts that kept "no" is
  read at the next start (red team 25 R25-2's proof, after an ordinary start).
"""

import os
import uuid

import pytest
from launched import installed
from test_redteam25_interpreters import PERL_ENVIRON

from jupyterlab_warden.kernel.guard.installs import path_programs


def _program(folder, name: str) -> str:
    path = folder / name
    path.write_text("#!/bin/sh\nexit 0\n")
    path.chmod(0o755)
    return str(path)


@pytest.fixture()
def top_link(tmp_path):
    """A link in ``/`` (the only place a PATH folder is read by its link's text), removed after."""
    link = f"/warden-perf47-{uuid.uuid4().hex[:8]}"
    try:
        os.symlink(str(tmp_path / "real"), link)
    except PermissionError:
        pytest.fail("this proof writes a link in / (the tests run as root on CI): run as root")
    yield link
    if os.path.islink(link):
        os.unlink(link)
    elif os.path.isdir(link):
        for name in os.listdir(link):
            os.unlink(os.path.join(link, name))
        os.rmdir(link)


def _fresh():
    path_programs._FOLDERS.clear()
    path_programs._SEARCHES.clear()


def test_a_top_level_link_to_a_path_folder_is_that_folder(tmp_path, top_link):
    real = tmp_path / "real"
    real.mkdir()
    _fresh()
    search = f"{real}:{top_link}"
    assert [alias for _, _, alias in path_programs._folders(search, None)[0]] == [None, str(real)]
    made = _program(real, "tool")
    # found once, by the folder the link leads to
    assert path_programs.new_programs(search) == [made]


def test_a_retargeted_top_level_link_is_read_as_its_own_folder(tmp_path, top_link):
    real, other = tmp_path / "real", tmp_path / "other"
    real.mkdir()
    other.mkdir()
    _fresh()
    search = f"{real}:{top_link}"
    assert path_programs.new_programs(search) == []  # kept: the link is read by its text
    _program(other, "tool")
    os.unlink(top_link)
    os.symlink(str(other), top_link)
    assert path_programs.new_programs(search) == [f"{top_link}/tool"]


def test_a_top_level_link_replaced_by_a_folder_is_read_as_one(tmp_path, top_link):
    real = tmp_path / "real"
    real.mkdir()
    _fresh()
    search = f"{real}:{top_link}"
    assert path_programs.new_programs(search) == []
    os.unlink(top_link)
    os.mkdir(top_link)
    with open(os.path.join(top_link, "tool"), "w") as handle:
        handle.write("#!/bin/sh\n")
    os.chmod(os.path.join(top_link, "tool"), 0o755)
    assert path_programs.new_programs(search) == [os.path.join(top_link, "tool")]


@pytest.mark.parametrize(
    "text", ["../tmp", "./x", "no-such-folder-of-this-path"], ids=["dotdot", "dot", "elsewhere"]
)
def test_links_read_by_text_only_to_a_folder_of_the_same_path(tmp_path, top_link, text):
    real = tmp_path / "real"
    real.mkdir()
    os.unlink(top_link)
    os.symlink(text, top_link)
    _fresh()
    assert [
        alias for _, _, alias in path_programs._folders(f"/tmp:{real}:{top_link}", None)[0]
    ] == [
        None,
        None,
        None,
    ]


def test_an_interpreter_variable_set_after_ordinary_starts_is_read(kernel):
    """R25-2 after starts that kept "no interpreter variable": the next start reads it."""
    installed("json_pp")
    installed("chrt")
    code = (
        "import os, subprocess\n"
        "for _ in range(3):\n"
        "    subprocess.run(['true'])\n"
        + PERL_ENVIRON
        + "subprocess.run(['chrt', '-o', '0', 'json_pp'], stdin=subprocess.DEVNULL)\n"
    )
    refused = kernel.proves(code)
    assert "without PERL5DB" in refused, refused
