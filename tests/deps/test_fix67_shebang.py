"""fix67shebang (red team 54b R54b-1, -2, -3, -5): a ``#!`` line and a line's program read as
the kernel runs them, not by the names they give.

R54b-1: a relative ``#!`` interpreter is a path from the start's folder (binfmt_script opens
it; no PATH lookup), read as the next level (a script with its own ``#!`` line too); missing,
exec fails. R54b-2: an installer's ``#!`` start ending in a shell is read by the shell's own
words (a ``-c`` text as a line; its input, startup files or an unmodelled option refused; a
plain ``sh FILE`` passes). R54b-3, R54b-5: a shell, env or wrapper is one only as the
machine's file (``commands._known_as``): a copy of env named ``sh`` is an unknown program.
"""

import os
import shutil
import sys

import pytest

from jupyterlab_warden.kernel.boot.launch_env import SITE_DIR
from jupyterlab_warden.kernel.guard.installs import commands, shebang
from jupyterlab_warden.kernel.guard.installs.gate import read_requests

LAUNCHED = commands.LaunchGuard(True, ())
PY = sys.executable
# the script an installer's name runs: it starts an install of its own
SCRIPT = "import subprocess, sys\nsubprocess.run([sys.executable, '-m', 'pip', 'install', 'x'])\n"


def _write(folder, name, text):
    path = folder / name
    path.write_text(text)
    path.chmod(0o755)
    return path


def _problems(tmp_path, argv):
    # the launched kernel's: its children find Warden's guard first on PYTHONPATH
    env = {
        "HOME": str(tmp_path),
        "PIP_CONFIG_FILE": os.devnull,
        "PYTHONPATH": SITE_DIR,
        "PATH": os.path.dirname(PY) + os.pathsep + "/usr/bin:/bin",
    }
    found = read_requests(argv, None, env, str(tmp_path), launch=LAUNCHED)
    return [p for r in found for p in r.problems]


def _pip(tmp_path, line):
    """``./pip install six`` (an install the policy allows by its words) with ``line``."""
    _write(tmp_path, "pip", f"{line}\n{SCRIPT}")
    return _problems(tmp_path, ["./pip", "install", "six"])


def _env_i_python3(tmp_path):
    # ./python3: a script whose own line starts PY with an empty environment (no guard)
    _write(tmp_path, "python3", f"#!/usr/bin/env -S -i {PY}\n{SCRIPT}")


def test_r54b_1_a_relative_interpreter_is_the_file_in_the_start_folder(tmp_path):
    _env_i_python3(tmp_path)
    problems = _pip(tmp_path, "#!python3")
    assert any("guard" in p for p in problems), problems


def test_r54b_1_a_relative_interpreter_of_any_script_is_that_file(tmp_path):
    """The same line on a program not named as an installer (``_script_start``): read as
    ./python3 running the script (a Python Warden cannot tell: guardless, its script read),
    not as the guarded python3 on PATH."""
    _env_i_python3(tmp_path)
    _write(tmp_path, "tool", f"#!python3\n{SCRIPT}")
    problems = _problems(tmp_path, ["./tool"])
    # ./python3 is itself a `#!` script: unreadable as a Python (age82, R82-3)
    assert any("guard" in p or "itself a script" in p for p in problems), problems


def test_r54b_1_a_relative_interpreter_that_is_not_there_starts_nothing(tmp_path):
    """exec fails: no level, nothing to refuse (and no PATH Python read in its place)."""
    assert shebang.interpreter_starts(str(_write(tmp_path, "pip", "#!nothere\n")), None) == []
    assert _pip(tmp_path, "#!nothere") == []


@pytest.mark.parametrize("shell", ["bash", "sh"])
def test_r54b_2_a_shell_c_text_on_the_line_is_read(tmp_path, shell):
    problems = _pip(tmp_path, f"#!/usr/bin/env -S {shell} -c 'env -i {PY} pip'")
    assert problems, problems


def test_r54b_2_a_shell_c_text_that_starts_an_installer_is_refused(tmp_path):
    problems = _pip(tmp_path, "#!/usr/bin/env -S bash -c 'pip3 install evil'")
    assert any("runs bash -c with a command that starts pip" in p for p in problems), problems


@pytest.mark.parametrize(
    "line", ["#!/bin/bash -s", "#!/usr/bin/env -S bash -i", "#!/usr/bin/env -S bash -o posix"]
)
def test_r54b_2_a_shell_reading_its_input_or_an_unmodelled_option_is_refused(tmp_path, line):
    problems = _pip(tmp_path, line)
    assert any("runs commands Warden does not read" in p for p in problems), problems


def test_r54b_3_a_copy_of_env_named_sh_on_the_line_is_no_shell(tmp_path):
    shutil.copy("/usr/bin/env", tmp_path / "sh")
    problems = _pip(tmp_path, f"#!{tmp_path}/sh -S -i {PY}")
    assert any("neither a Python nor a shell of the machine's" in p for p in problems), problems


def test_r54b_3_a_copy_of_env_named_nice_is_not_followed_as_env(tmp_path):
    """A copy named ``nice`` is no wrapper: it ends the line in a program Warden cannot tell.
    One named ``env`` is byte for byte the machine's env, read as env (fix67pyname:
    ``_known_as`` knows a copy by its bytes): its ``-i`` start of PY loses the guard."""
    shutil.copy("/usr/bin/env", tmp_path / "nice")
    problems = _pip(tmp_path, f"#!{tmp_path}/nice -S -i {PY}")
    assert any("neither a Python nor a shell" in p for p in problems), problems
    shutil.copy("/usr/bin/env", tmp_path / "env")
    problems = _pip(tmp_path, f"#!{tmp_path}/env -S -i {PY}")
    assert any("without Warden's guard" in p for p in problems), problems


@pytest.mark.parametrize("name", ["sh", "bash", "env", "nice", "timeout"])
def test_r54b_5_a_copy_of_env_on_a_line_is_an_unknown_program(tmp_path, name):
    """Refused by either reading: an unknown program, or (named ``env``, the machine's env by
    its bytes) env's ``-i`` start of a pip that loses the guard."""
    folder = tmp_path / "kit"
    folder.mkdir()
    shutil.copy("/usr/bin/env", folder / name)
    problems = _problems(tmp_path, [f"./kit/{name}", "-i", PY, "-m", "pip", "install", "six"])
    why = "without Warden's guard" if name == "env" else "may run an installer named in its"
    assert any(why in p for p in problems), problems


def test_the_machines_programs_and_links_to_them_are_known(tmp_path):
    (tmp_path / "e").symlink_to("/usr/bin/env")
    shutil.copy("/usr/bin/env", tmp_path / "sh")
    assert commands._known_as("/usr/bin/env", "env") and commands._known_as("/bin/sh", "sh")
    assert commands._known_as(str(tmp_path / "e"), "env")
    assert not commands._known_as(str(tmp_path / "sh"), "sh")
    assert commands._wrapper_file(str(tmp_path / "e")) == "env"
    assert commands._shell_file("/bin/sh") in ("sh", "dash")  # Debian's is a link to dash
    assert commands._shell_file("/bin/bash") == "bash" and commands._shell_file("bash") == "bash"
    assert commands._shell_file(str(tmp_path / "sh")) == ""


@pytest.mark.parametrize(
    "line",
    [
        "#!/usr/bin/env python3",
        "#!/bin/bash",
        "#!/bin/sh",
        f"#!{PY}",
        f"#!/usr/bin/env -S {os.path.basename(PY)} -u",
        # pip's long form for a path longer than the kernel reads
        f"#!/bin/sh\n'''exec' \"{PY}\" \"$0\" \"$@\"\n' '''",
    ],
)
def test_ordinary_pip_lines_stay_allowed(tmp_path, line):
    assert _pip(tmp_path, line) == []


def test_a_venv_console_script_stays_allowed(tmp_path):
    """A venv's bin/python3 is a link to the kernel's Python; its pip's line names it."""
    bin_dir = tmp_path / "venv" / "bin"
    bin_dir.mkdir(parents=True)
    (bin_dir / "python3").symlink_to(PY)
    assert _pip(tmp_path, f"#!{bin_dir}/python3") == []


def test_the_machines_shells_and_wrappers_on_a_line_stay_read_as_themselves(tmp_path):
    assert _problems(tmp_path, ["/bin/sh", "-c", "ls"]) == []
    assert _problems(tmp_path, ["bash", "-c", "echo hi"]) == []
    assert _problems(tmp_path, ["env", "FOO=1", "ls"]) == []
    # read as what they run: the installer inside is found, not refused as unknown
    found = read_requests(
        ["bash", "-c", "pip install six"], None, {"PATH": "/usr/bin:/bin"}, str(tmp_path)
    )
    assert [r.tool for r in found] == ["pip"], found
