"""Red team 19 R19-3: a program folder other than PATH.

gcc has no table, and runs its assembler, cc1 and linker from a folder its words or its
environment name (``-B DIR``, attached or separate, ``COMPILER_PATH``, ``GCC_EXEC_PREFIX``;
make's built-in rule runs cc with them). Warden read such a folder word as data and the
variable as data. Now a word of a program with no table that names a folder (or a prefix in
one), and an environment value of the start that names a folder (or a ``:`` list of them),
is a place the program may run programs from: each program file in it written since the
kernel started is read as a start of its own.

Each case runs for real: without Warden gcc runs ./tc/as (the perl installer) and the package
lands; with Warden the start is refused and the index sees no request.
"""

import pytest
from launched import installed, system_cell
from test_redteam17_starts import PERL, _program

from jupyterlab_warden.kernel.guard.installs import commands


def _toolchain(kernel) -> None:
    _program(kernel, "as", PERL, folder="tc")
    (kernel.work / "x.c").write_text("int x;\n")


@pytest.mark.parametrize(
    "line",
    [
        "gcc -B./tc/ -c x.c -o x.o",
        "gcc -B tc/ -c x.c -o x.o",
        "gcc -Btc/ -c x.c -o x.o",
        "COMPILER_PATH=tc gcc -c x.c -o x.o",
        "COMPILER_PATH=/nonexistent:tc gcc -c x.c -o x.o",
        "COMPILER_PATH=tc make x.o",
    ],
)
def test_r19_3_a_program_folder_is_read(kernel, line):
    installed("gcc")
    installed("make")
    installed("perl")
    _toolchain(kernel)
    refused = kernel.proves(system_cell(line))
    assert "a folder it may run programs from" in refused and "perl" in refused, refused


def test_r19_3_a_folder_in_the_inherited_environment_is_read(kernel):
    """The kernel's own environment, not the line's: os.environ set by the cell."""
    installed("gcc")
    installed("perl")
    _toolchain(kernel)
    code = "import os\nos.environ['COMPILER_PATH'] = 'tc'\nos.system('gcc -c x.c -o x.o')\n"
    refused = kernel.proves(code)
    assert "COMPILER_PATH" in refused, refused


def test_r19_3_a_folder_after_a_writer_on_the_line_is_refused(kernel):
    installed("gcc")
    _program(kernel, "payload.pl", PERL)
    (kernel.work / "tc").mkdir(exist_ok=True)
    (kernel.work / "x.c").write_text("int x;\n")
    refused = kernel.proves(system_cell("cp payload.pl tc/as && COMPILER_PATH=tc gcc -c x.c"))
    assert "may write" in refused, refused


@pytest.mark.parametrize(
    "line",
    [
        "gcc -O2 -o x x.c",
        "gcc -I include -L lib x.c -o x",
        "gcc -Iinclude -Llib -c x.c",
        "cc x.c -o x",
        "make",
        "make x.o",
        "CFLAGS=-O2 make x.o",
        "COMPILER_PATH=/usr/bin gcc -c x.c",
        "ls include",
        "cp -r include lib",
        "gcc -B tc/ -c x.c",  # a folder with no program written since start
    ],
)
def test_ordinary_lines_stay_ordinary(kernel, line, monkeypatch):
    for folder in ("include", "lib", "tc"):
        (kernel.work / folder).mkdir(exist_ok=True)
    (kernel.work / "x.c").write_text("int x;\n")
    (kernel.work / "include" / "x.h").write_text("int y;\n")
    monkeypatch.chdir(kernel.work)
    commands.shell_invocations(line)


def test_an_ordinary_compile_runs_with_warden(kernel):
    installed("gcc")
    (kernel.work / "x.c").write_text("int main(void) { return 0; }\n")
    (kernel.work / "include").mkdir(exist_ok=True)
    code = "import os\nassert os.system('gcc -O2 -I include -o prog x.c') == 0\n"
    result = kernel.cell(code, launched=True)
    assert result["refused"] is None, result
    assert (kernel.work / "prog").exists()
