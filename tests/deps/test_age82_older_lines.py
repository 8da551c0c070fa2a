"""R82-1..3 (red team 82, age81): an OLDER program file on PATH whose `#!` line the sorter
(``path_programs._line_kind``) files as "script" (an interpreter and at most one option: not
read) while the line itself starts the install: not the body (the declared script-file
class) but the interpreter's one option or the interpreter itself.

Each proof: without Warden the package installs from the local index (the control); with
Warden the start is refused before anything is fetched (on land81 it installed: the hole).
The fix (age82): an interpreter is known only by its REAL file (links followed: a known name,
the machine's or the kernel's own Python), and its one option only from a per-interpreter
allow-list of options that run nothing but the body; any other line is read in full."""

import os
import shutil
import sys

import pytest
from launched import installed
from real_uv import real_uv
from test_age81_old_path_programs import (
    CELL_PATH,
    LINE_PATH,
    SH_C,
    _gzip,
    _older_than_a_start,
    _write,
)


def _uv_words(kernel) -> list:
    return [real_uv(), "pip", "install", "-q", "--no-config", "--no-cache", "--python",
            sys.executable, "--target", str(kernel.target), "--index-url",
            kernel.index.simple, "warden-demo-pkg"]  # fmt: skip


def _open_hole(kernel, cell) -> str:
    """Installs without Warden (the control); refused with it, nothing fetched."""
    return kernel.proves(cell)


def _esc(text: str) -> str:
    return text.replace("{", "{{").replace("}", "}}")


@pytest.mark.parametrize("cell", [LINE_PATH, CELL_PATH], ids=["line", "cell"])
def test_r82_1_perl_e_option_on_the_line(kernel, cell):
    """``#!/usr/bin/perl -edo"WORK/p.pl"``: one "option" (no blank) that runs an unread file."""
    installed("perl")
    words = ", ".join(f"q({w})" for w in _uv_words(kernel))
    (kernel.work / "p.pl").write_text(f"system({words});\n")  # never read by Warden
    _gzip(kernel, _esc(f'#!/usr/bin/perl -edo"{kernel.work}/p.pl"\nprint 1;\n'))
    _open_hole(kernel, cell)


@pytest.mark.parametrize("cell", [LINE_PATH, CELL_PATH], ids=["line", "cell"])
def test_r82_1b_node_require_option_on_the_line(kernel, cell):
    """``#!/usr/bin/node --require=/abs/p.js``: node runs p.js (never read) before the body."""
    node = installed("node")
    (kernel.work / "p.js").write_text(
        "require('child_process').execFileSync("
        + repr(_uv_words(kernel)[0])
        + ", "
        + str(_uv_words(kernel)[1:]).replace("'", '"')
        + ", {stdio: 'inherit'})\n"
    )
    _gzip(kernel, _esc(f"#!{node} --require={kernel.work}/p.js\nconsole.log(1)\n"))
    _open_hole(kernel, cell)


@pytest.mark.parametrize("cell", [LINE_PATH, CELL_PATH], ids=["line", "cell"])
def test_r82_2_env_by_another_name(kernel, cell):
    """``#!WORK/lib/e -S...`` with lib/e a link to /usr/bin/env (outside PATH): ``-S`` with
    ``\\_`` for the blanks is one "option" to the sorter, a whole sh -c line to env."""
    (kernel.work / "lib").mkdir()
    os.symlink("/usr/bin/env", kernel.work / "lib" / "e")
    # the index in a requirements file (the line must fit the 256 bytes the kernel reads)
    (kernel.work / "r.txt").write_text(f"--index-url {kernel.index.simple}\nwarden-demo-pkg\n")
    command = r"\_".join(["uv", "pip", "install", "-q", "--no-config", "--no-cache",
                          "--target", str(kernel.target), "-r", "r.txt"])  # fmt: skip
    line = f'#!{kernel.work}/lib/e -Ssh\\_-c\\_"{command}"\nexit 0\n'
    assert " " not in line.split("\n")[0][2:].split(" ", 1)[1]
    _gzip(kernel, _esc(line))
    _older_than_a_start(kernel.work / "lib" / "e")
    _open_hole(kernel, cell)


@pytest.mark.parametrize("name", ["runner", "node", "python3"])
@pytest.mark.parametrize("cell", [LINE_PATH, CELL_PATH], ids=["line", "cell"])
def test_r82_3_interpreter_that_is_a_script(kernel, cell, name):
    """``#!WORK/lib/runner`` (no option): Linux runs runner's own `#!` line (nested
    interpreters), ``env -S sh -c 'uv pip install ...'``; the sorter reads only gzip's line."""
    (kernel.work / "lib").mkdir()
    runner = kernel.work / "lib" / name  # any name: a Python's too (sorted "python")
    runner.write_text(SH_C.format(target=kernel.target, index=kernel.index.simple))
    runner.chmod(0o755)
    _gzip(kernel, _esc(f"#!{runner}\nbody\n"))
    _older_than_a_start(runner)
    _open_hole(kernel, cell)


@pytest.mark.parametrize("cell", [LINE_PATH, CELL_PATH], ids=["line", "cell"])
def test_r82_3_env_name_found_in_another_older_folder(kernel, cell):
    """``#!/usr/bin/env runner`` (older, sorted "script"): env finds ``runner`` on the start's
    PATH, in another older folder, whose own line starts the installer: that folder is listed
    and ``runner`` sorted itself ("full"), so the start is refused."""
    tools = kernel.work / "tools"
    tools.mkdir()
    runner = tools / "runner"
    runner.write_text(SH_C.format(target=kernel.target, index=kernel.index.simple))
    runner.chmod(0o755)
    _older_than_a_start(tools)
    _gzip(kernel, "#!/usr/bin/env runner\nbody\n")
    _older_than_a_start(runner)
    cell = (
        cell.replace("bin:", "bin:tools:", 1)
        if cell is LINE_PATH
        else cell.replace('"/bin:"', '"/bin:" + os.getcwd() + "/tools:"')
    )
    assert "tools" in cell
    _open_hole(kernel, cell)


@pytest.mark.parametrize(
    "line, kind",
    [
        ('#!/usr/bin/perl -edo"/tmp/p.pl"', "full"),
        ("#!/usr/bin/perl -e1", "full"),
        ("#!/usr/bin/perl -Mstrict", "full"),
        ("#!/usr/bin/node --require=/tmp/p.js", "full"),
        ("#!/usr/bin/node -r/tmp/p.js", "full"),
        ("#!/bin/bash -i", "full"),
        ("#!/bin/bash --rcfile=/tmp/x", "full"),
        ("#!/usr/bin/awk -e", "full"),
        ("#!/usr/bin/perl -w", "script"),
        ("#!/usr/bin/perl -wT", "script"),
        ("#!/bin/sh -e", "script"),
        ("#!/bin/bash -eu", "script"),
        ("#!/usr/bin/awk -f", "script"),
        ("#!/usr/bin/sed -f", "script"),
        ("#!/usr/bin/node", "script"),
        ("#!/usr/bin/env node", "script"),
        ("#!/usr/bin/env runner", "script"),  # runner: sorted in its own PATH folder
        ("#!/usr/bin/tool", "full"),  # no known interpreter
        ("#!bin/sh", "full"),  # relative: from the start's folder
    ],
)
def test_an_interpreter_and_its_option_are_sorted_by_allow_list(tmp_path, line, kind):
    from jupyterlab_warden.kernel.guard.installs import path_programs

    path = _write(tmp_path, "tool", line + "\nbody\n")
    assert path_programs._line_kind(path)[0] == kind


@pytest.mark.parametrize("name", ["e", "node", "python3", "bash"])
def test_an_interpreter_known_by_name_only_is_read_in_full(tmp_path, name):
    """A link (or copy) of env or of an interpreter outside the machine's folders, or a `#!`
    script under an interpreter's name, is known by no name: read in full (R82-2, R82-3)."""
    from jupyterlab_warden.kernel.guard.installs import path_programs

    (tmp_path / "lib").mkdir()
    os.symlink("/usr/bin/env", tmp_path / "lib" / "e")
    shutil.copy("/usr/bin/env", tmp_path / "lib" / "envcopy")
    if name != "e":
        _write(tmp_path / "lib", name, "#!/bin/sh\nexit 0\n")
    for line in (f"#!{tmp_path}/lib/{name} -Ssh", f"#!{tmp_path}/lib/{name}"):
        path = _write(tmp_path, "tool", line + "\nbody\n")
        assert path_programs._line_kind(path)[0] == "full", line
    path = _write(tmp_path, "tool", f"#!{tmp_path}/lib/envcopy node\nbody\n")
    assert path_programs._line_kind(path)[0] == "full"


def test_a_copy_of_env_named_as_a_python_is_read_in_full(tmp_path):
    """R82-2 with a Python's name: a copy of env in another folder is no Python."""
    from jupyterlab_warden.kernel.guard.installs import path_programs

    (tmp_path / "lib").mkdir()
    shutil.copy("/usr/bin/env", tmp_path / "lib" / "python3")
    path = _write(tmp_path, "tool", f"#!{tmp_path}/lib/python3 -Ssh\nbody\n")
    assert path_programs._line_kind(path)[0] == "full"
    path = _write(tmp_path, "tool", f"#!{tmp_path}/lib/python3\nbody\n")
    assert path_programs._line_kind(path)[0] == "full"
