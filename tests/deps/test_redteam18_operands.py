"""Red team 18: the operand reader failed open (R18-3, R18-5, R18-6, R18-7).

R17-8's reader (an operand of a program Warden has no table for that names an executable file
is read as a start of it) read only a literal path that was there, from a known folder, when
the line was read; every other word was data. Now where it cannot place a word it refuses:
a word the shell builds (``$PWD/x.pl``, a command substitution), a path from a folder an
earlier ``cd`` left unknown, a path an earlier command on the line may write first, an
option's attached value (``--dbus-daemon=./x.pl``, R18-6); a pattern (``./x.p[l]``) is read as
the files it matches. R18-5: sort, an inert program, runs ``--compress-program=PROG``: it is
read by a complete table (deny by default). R18-7: ``run-parts DIR`` after a writer on the line
is refused (the folder is listed before the line runs).

Each malicious case run for real proves itself: without Warden the real uv installs from the
local index, with Warden the start is refused and the index sees no request.
"""

import pytest
from launched import installed, system_cell
from test_redteam17_starts import PERL, _program

from jupyterlab_warden.kernel.guard.installs import commands


def _files(kernel) -> None:
    _program(kernel, "x.pl", PERL)
    _program(kernel, "z.pl", PERL, folder="sub")  # only in sub: found after a cd
    (kernel.work / "parts").mkdir(exist_ok=True)


@pytest.mark.parametrize(
    "line, program, why",
    [
        ("cp x.pl y && chrt -o 0 ./y", "chrt", "earlier command"),
        ("chrt -o 0 $PWD/x.pl", "chrt", "built by the shell"),
        ("chrt -o 0 `echo ./x.pl`", "chrt", "built by the shell"),
        ("chrt -o 0 ./x.p[l]", "chrt", "perl"),
        ("cd sub; chrt -o 0 ./z.pl", "chrt", "cannot tell"),
        ('cd "$PWD/sub" && chrt -o 0 ./z.pl', "chrt", "cannot tell"),
        ("cd sub && cd .. && cd sub && chrt -o 0 ./z.pl", "chrt", "cannot tell"),
        ("dbus-run-session -- $PWD/x.pl", "dbus-run-session", "built by the shell"),
    ],
)
def test_r18_3_an_operand_warden_cannot_place_is_refused(kernel, line, program, why):
    installed(program)
    installed("perl")
    _files(kernel)
    refused = kernel.proves(system_cell(line))
    assert why in refused, refused


def test_r18_6_an_option_value_naming_a_program_is_read(kernel):
    installed("dbus-run-session")
    _files(kernel)
    refused = kernel.proves(system_cell("dbus-run-session --dbus-daemon=./x.pl -- true"))
    assert "perl" in refused, refused


@pytest.mark.parametrize(
    "line",
    [
        "seq 1 3000 | sort -S 64k --compress-program=./x.pl > /dev/null",
        "seq 1 3000 | sort -S 64k --compress-program ./x.pl > /dev/null",
        "seq 1 3000 | sort -S 64k --compress-prog=./x.pl > /dev/null",
    ],
)
def test_r18_5_sort_compress_program_is_refused(kernel, line):
    installed("sort")
    _files(kernel)
    refused = kernel.proves(system_cell(line))
    assert "--compress-program" in refused, refused


def test_r18_5_sort_compress_program_in_a_process_start_is_read(kernel):
    """Not through a shell: the first look reads a sort start in full."""
    installed("sort")
    _files(kernel)
    (kernel.work / "big.txt").write_text("".join(f"{n}\n" for n in range(3000)))
    argv = ["sort", "-S", "64k", "--compress-program=./x.pl", "-o", "/dev/null", "big.txt"]
    refused = kernel.proves(f"import subprocess\nsubprocess.run({argv!r})\n")
    assert "--compress-program" in refused, refused


@pytest.mark.parametrize(
    "line",
    ["cp x.pl parts/a && run-parts parts", "ln -s ../x.pl parts/a && run-parts parts"],
)
def test_r18_7_run_parts_after_a_writer_is_refused(kernel, line):
    installed("run-parts")
    _files(kernel)
    refused = kernel.proves(system_cell(line))
    assert "may write there" in refused, refused


@pytest.mark.parametrize(
    "line",
    [
        "chrt -o 0 python train.py",
        "nice -n 5 python x.py",
        "timeout 60 python eval.py",
        "ls | xargs rm -f",
        "sort -u data.txt",
        "sort -k2 data.txt",
        "sort -S 64k --parallel=2 -t, -n -o out.txt data.txt",
        "wc -l $F",
        "cat $F",
        "nohup python train.py > log &",
        "cd sub && python x.py",
        "chrt -o 0 ./ok.s[h]",  # a pattern matching an ordinary program
        "dbus-run-session --config-file=./session.conf -- true",  # not executable: data
        "mkdir -p parts && run-parts --test parts",
        "run-parts parts",
    ],
)
def test_ordinary_lines_stay_ordinary(kernel, line, monkeypatch):
    _program(kernel, "ok.sh", "#!/bin/sh\necho ok\n")
    (kernel.work / "sub").mkdir(exist_ok=True)
    (kernel.work / "parts").mkdir(exist_ok=True)
    (kernel.work / "session.conf").write_text("<busconfig/>\n")
    monkeypatch.chdir(kernel.work)
    commands.shell_invocations(line)
