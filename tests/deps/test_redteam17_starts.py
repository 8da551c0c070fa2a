"""Red team 17: program starts the one start reader did not see.

R17-8: xargs' OWN program given by path (``xargs ./x.pl``) was not read through its ``#!`` line
as a direct start is. R17-9: launchers outside the set (``run-parts DIR``, ``dbus-run-session --
CMD``, ``chrt``, any program Warden has no table for) handed a program file to no reader. One
reader now: an operand of a program Warden has no table for that names an executable file is
read as a start of that file (``commands._refuse_operand_start``, through ``_script_start``),
and run-parts' folder is listed, each program in it read so.
R17-10: su/runuser ``-s SHELL`` / ``--shell=SHELL`` / SHELL with ``-m``: the shell su runs must
be a standard one (schema/shell-runners.json ``standard_programs``).

Each malicious case run for real proves itself: without Warden the real uv installs from the
local index, with Warden the start is refused and the index sees no request.
"""

import pytest
from launched import installed, system_cell

from jupyterlab_warden.kernel.guard.installs import commands

_INSTALL = (
    "ip install -q --no-config --no-cache --python {python} --target {target} --index-url {index} "
    "warden-demo-pkg"
)
# the installer's name built from pieces by perl: no word of the line or the file names it
PERL = '#!/usr/bin/perl\nsystem("u"."v p".q(' + _INSTALL + "));\n"
# a shell script: run on its own, the script-file class Warden does not read (threat model)
SHELL = "#!/bin/sh\nu''v p''" + _INSTALL + "\n"


def _program(kernel, name: str, text: str, folder: str = "") -> None:
    import sys

    place = kernel.work / folder if folder else kernel.work
    place.mkdir(exist_ok=True)
    script = place / name
    script.write_text(
        text.format(index=kernel.index.simple, target=kernel.target, python=sys.executable)
    )
    script.chmod(0o755)
    (kernel.work / "data.txt").write_text("a\n")


# -- R17-8 / R17-9: a program file wherever it stands among a program's words ---------------------


@pytest.mark.parametrize(
    "line, program",
    [
        ("echo a | xargs ./x.pl", "xargs"),
        ("xargs -n1 -a data.txt ./x.pl", "xargs"),
        ("dbus-run-session -- ./x.pl", "dbus-run-session"),
        ("chrt -o 0 ./x.pl", "chrt"),
        ("run-parts parts", "run-parts"),
        ("run-parts --regex=. -- parts", "run-parts"),
    ],
)
def test_a_program_file_handed_to_another_program_is_read_as_a_start(kernel, line, program):
    installed(program)
    installed("perl")
    _program(kernel, "x.pl", PERL)
    _program(kernel, "x", PERL, folder="parts")  # run-parts runs names without a dot only
    refused = kernel.proves(system_cell(line))
    assert "perl" in refused, refused


@pytest.mark.parametrize(
    "argv",
    [
        ["dbus-run-session", "--", "./x.pl"],
        ["chrt", "-o", "0", "./x.pl"],
        ["run-parts", "parts"],
    ],
)
def test_a_process_start_handing_a_program_file_over_is_read_in_full(kernel, argv):
    """Not through a shell: the gate's first look reads such a start in full (fastpath: an
    operand that is an executable script; run-parts, a table program)."""
    installed(argv[0])
    _program(kernel, "x.pl", PERL)
    _program(kernel, "x", PERL, folder="parts")
    refused = kernel.proves(f"import subprocess\nsubprocess.run({argv!r})\n")
    assert "perl" in refused, refused


@pytest.mark.parametrize(
    "line",
    [
        "xargs ./x.pl",
        "xargs -I{} ./x.pl {}",
        "unknown-launcher --flag ./x.pl",
        "dbus-run-session -- ./x.pl",
        "run-parts parts",
        "run-parts --arg=1 parts",
        "printf x | xargs run-parts",  # the folder comes from xargs' input
    ],
)
def test_decision_reads_the_program_file_an_operand_names(kernel, line, monkeypatch):
    _program(kernel, "x.pl", PERL)
    _program(kernel, "x", PERL, folder="parts")
    monkeypatch.chdir(kernel.work)
    with pytest.raises(commands.Unreadable):
        commands.shell_invocations(line)


def test_run_parts_of_a_folder_warden_cannot_list_is_refused(kernel, monkeypatch):
    monkeypatch.chdir(kernel.work)
    with pytest.raises(commands.Unreadable, match="cannot list"):
        commands.shell_invocations("run-parts no-such-folder")


@pytest.mark.parametrize(
    "line",
    [
        "run-parts --test parts",
        "run-parts --list parts",
        "run-parts plain",  # its programs read, and ordinary
        "git add ./x.pl",  # git's words are read by its table
        "wc -l ./x.pl",
        "cat ./x.pl",
        "chmod +x ./x.pl",
        "grep -r pip .",
        "ls | xargs rm",
        "find . -name '*.pl' | xargs wc -l",
        "xargs -a data.txt ./ok.sh",
        "dbus-run-session -- ./ok.sh",
        "nice -n 5 ./ok.sh",
        "mytool ./data.txt",  # not executable: data
    ],
)
def test_ordinary_program_files_and_operands_stay_ordinary(kernel, line, monkeypatch):
    _program(kernel, "x.pl", PERL)
    _program(kernel, "x", PERL, folder="parts")
    _program(kernel, "ok.sh", "#!/bin/sh\necho ok\n")
    _program(kernel, "backup", "#!/bin/sh\necho backup\n", folder="plain")
    monkeypatch.chdir(kernel.work)
    commands.shell_invocations(line)


# -- R17-10: the shell su and runuser run ----------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "su -s ./x.sh root -c true",
        "su --shell=./x.pl root -c true",
        "su -ms./x.pl root",
        "SHELL=./x.pl su -m root -c true",
        "runuser -s ./x.sh root -c true",
    ],
)
def test_a_shell_su_runs_that_is_no_standard_shell_is_refused(kernel, line):
    installed("su")
    installed("runuser")
    _program(kernel, "x.pl", PERL)
    _program(kernel, "x.sh", SHELL)
    refused = kernel.proves(system_cell(line))
    assert "standard shell" in refused, refused


@pytest.mark.parametrize(
    "line",
    [
        "su -s /bin/bash root -c ls",
        "su --shell=/bin/sh root -c 'echo ok'",
        "SHELL=/tmp/x su root -c ls",  # without -m su runs the user's own shell
        "SHELL=/bin/bash su -m root -c ls",
        "runuser -u nobody -- ls",
        "su - root",
    ],
)
def test_su_with_a_standard_shell_stays_ordinary(line):
    commands.shell_invocations(line)


# -- R17-6: the interpreter uv runs to query it ----------------------------------------------------

# uv runs the script as `x.sh -I -B -c CODE`; it installs once (the marker: the inner uv, started
# with an explicit --python, is no second query of it) and fails the query
QUERIED = "#!/bin/sh\n[ -e {target}.ran ] && exit 3\ntouch {target}.ran\nunset UV_PYTHON\n"
QUERIED += "u''v p''" + _INSTALL + "\nexit 1\n"


@pytest.mark.parametrize(
    "line",
    [
        "{uv} pip install --no-cache -p ./x.sh --target {target} six",
        "{uv} pip install --no-cache --python=./x.sh --target {target} six",
        "UV_PYTHON=./x.sh {uv} pip install --no-cache --target {target} six",
        "{uv} venv -p ./x.sh --no-cache v",
        "{uv} run --no-cache --no-project -p ./x.sh true",
        "{uv} python find ./x.sh",
        "echo ./x.sh > .python-version",  # then a line of its own: uv run reads the file
    ],
)
def test_the_python_uv_runs_to_query_it_is_read_as_a_start(kernel, line):
    import os

    _program(kernel, "x.sh", QUERIED)
    if line.startswith("echo"):
        os.system(f"cd {kernel.work} && {line}")
        line = "{uv} run --no-cache --no-project true"
    marker = f"{kernel.target}.ran"
    code = f"import os\nos.path.exists({marker!r}) and os.unlink({marker!r})\nos.system({line!r})\n"
    refused = kernel.proves(code)
    assert "uv runs" in refused and "query" in refused, refused


@pytest.mark.parametrize(
    "line",
    [
        "uv pip install -p 3.11 black",
        "uv venv --python cpython@3.12",
        "uv pip install --python {python} black",  # the machine's interpreter, by its path
        "uv pip install --python python3 black",  # a name found on PATH, the machine's
        "uv run --no-project mytool -p ./x.sh",  # the command's own option
    ],
)
def test_ordinary_python_requests_stay_ordinary(kernel, line, monkeypatch):
    import sys

    from jupyterlab_warden.kernel.guard.installs import uv_inputs

    _program(kernel, "x.sh", QUERIED)
    monkeypatch.chdir(kernel.work)
    args = line.format(python=sys.executable).split()[1:]
    assert uv_inputs.interpreter_problem(args, {"PATH": "/usr/bin:/bin"}, str(kernel.work)) == ""


def test_a_venv_uv_made_is_the_machine_s_python(kernel):
    """`uv venv` links bin/python to the machine's interpreter: -p .venv is read through the
    link, not refused as a file written since the kernel started."""
    import subprocess

    from launched import real_uv

    from jupyterlab_warden.kernel.guard.installs import uv_inputs

    subprocess.run([real_uv(), "venv", "-q", "v"], cwd=kernel.work, check=True)
    assert (
        uv_inputs.interpreter_problem(["pip", "install", "-p", "v", "x"], {}, str(kernel.work))
        == ""
    )


# -- R17-3: the environment uv run --env-file gives the command it runs -------------------------


@pytest.mark.parametrize(
    "line",
    [
        "{uv} run --no-cache --no-project --env-file e.env bash -c true",
        "UV_ENV_FILE=e.env {uv} run --no-cache --no-project bash -c true",
    ],
)
def test_the_variables_uv_run_loads_are_the_command_s_environment(kernel, line):
    installed("bash")
    _program(kernel, "x.sh", "u''v p''" + _INSTALL + "\n")  # bash sources it: no #! needed
    (kernel.work / "e.env").write_text("BASH_ENV=./x.sh\n")
    refused = kernel.proves(system_cell(line))
    assert "BASH_ENV" in refused and "e.env" in refused, refused
