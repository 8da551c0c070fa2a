"""fix59wrap: the wrapper reading against the real programs (red team 50b R50b-1, R50b-2).

R50b-1: GNU env splits ``-S TEXT`` and reads the words again as its own arguments (options,
``--``, NAME=VALUE, then the command); each case is run through /usr/bin/env and compared with
``commands._unwrap``'s reading (the program, its words, the variables it unsets or sets).
R50b-2: ``command -p`` looks the program up on the shell's default path for that lookup only;
the reading leaves the environment as it was and reads the file found there.
"""

import json
import os
import subprocess
import sys

import pytest
from launched import gnu_env, installed

from jupyterlab_warden.kernel.guard.installs import command_values, commands
from jupyterlab_warden.kernel.guard.installs.commands import Unreadable, _unwrap

# env's arguments before the program; the program then prints its argv and two variables
SPLIT_CASES = [
    ["-S", "-i PROG a"],
    ["-S", "-u HOME PROG a"],
    ["-S", "-uHOME PROG a"],
    ["-S", "--unset=HOME PROG a"],
    ["-S", "-i -- PROG a"],
    ["-S", "-i", "PROG", "a"],
    ["-S", "", "-u", "HOME", "PROG", "a"],
    ["-vS", "-u HOME", "PROG", "a"],
    ["--split-string=-i X=1 PROG a"],
    ["--split-s", "-u HOME -- X=2 PROG a"],
    ["-S", '-S "-u HOME PROG" a'],
    ["-S", "X=3 PROG", "a"],
    ["-S", "- PROG a"],
    ["-u", "X", "-S", "X=4 PROG a"],
    # red team 53a R53a-3: env reads the obsolete `-` after getopt, which has consumed `--`
    ["--", "-", "PROG", "a"],
    ["-v", "--", "-", "PROG", "a"],
    ["-u", "HOME", "--", "-", "X=5", "PROG", "a"],
    ["-S", "-- - PROG a"],
    ["-S", "-v -- - X=6 PROG a"],
    ["-", "X=7", "PROG", "a"],
]


def _real(args, prog, tmp_path):
    """What /usr/bin/env runs: its argv and HOME/X as the program sees them."""
    words = [w.replace("PROG", prog) for w in args]
    run = subprocess.run(
        [gnu_env(), *words], capture_output=True, text=True, cwd=tmp_path,
        env={"HOME": "/h", "X": "0", "PATH": os.environ["PATH"]},
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


@pytest.mark.parametrize("args", SPLIT_CASES, ids=[" ".join(c) for c in SPLIT_CASES])
def test_env_split_string_reads_as_gnu_env(args, tmp_path):
    prog = tmp_path / "prog"
    prog.write_text(
        f"#!{sys.executable}\nimport json, os, sys\n"
        "print(json.dumps([sys.argv[1:], os.environ.get('HOME'), os.environ.get('X')]))\n"
    )
    prog.chmod(0o755)
    argv, home, x = _real(args, str(prog), tmp_path)
    env = {"HOME": "/h", "X": "0"}
    command = _unwrap("env", [w.replace("PROG", str(prog)) for w in args], env)
    assert command == [str(prog), *argv]  # the program and its words
    # a variable env unsets or empties is read as '' (not set); one it sets as its value
    assert (env["HOME"] or None, env["X"] or None) == (home, x), (env, home, x)


def test_env_split_string_text_may_start_with_dashdash():
    # `env -S '-- -i x'`: after `--` the program is named `-i` (env runs nothing by that name)
    assert commands.program_argv(["env", "-S", "-- -i x"]) == ["-i", "x"]


def test_env_reads_one_dash_after_its_options_and_the_next_is_the_program():
    # GNU env (R53a-3): `-` ends getopt's options (it is no option) and is read once, after a
    # `--` too; a second `-` or an option after it is the program env runs (`env - -i x`: -i)
    assert commands.program_argv(["env", "-", "-", "x"]) == ["-", "x"]
    assert commands.program_argv(["env", "-", "-i", "x"]) == ["-i", "x"]
    assert commands.program_argv(["env", "--", "-", "--", "x"]) == ["--", "x"]
    env = {"PYTHONPATH": "/guard"}
    assert _unwrap("env", ["--", "-", "x"], env) == ["x"]
    assert env["PYTHONPATH"] == ""  # the guard's entry is gone


def test_env_split_string_escapes_read_as_env_reads_them():
    # env's own escapes are read as env reads them (red team 51a: installs/env_split.py):
    # `\_` separates words; what env expands itself (${NAME}) or refuses stays unreadable
    assert commands.program_argv(["env", "-S", "-i uv\\_pip install x"])[:3] == [
        "uv",
        "pip",
        "install",
    ]
    for text in ("uv ${HOME} x", "uv\\q x", "uv 'x"):
        with pytest.raises(Unreadable):
            commands.program_argv(["env", "-S", text])


@pytest.fixture
def default_paths(tmp_path, monkeypatch):
    """bash's default path (SYSTEM_PATH) and dash's (SHELL_PATH) as two folders of tmp_path."""
    system, shell = tmp_path / "system", tmp_path / "shell"
    for folder in (system, shell):
        folder.mkdir()
    monkeypatch.setattr(command_values, "SYSTEM_PATH", str(system))
    monkeypatch.setattr(command_values, "SHELL_PATH", str(shell))
    return system, shell


def _program(folder, name):
    path = folder / name
    path.write_text("#!/bin/sh\n")
    path.chmod(0o755)
    return str(path)


@pytest.mark.parametrize("head", [["-p"], ["-p", "--"]])
def test_command_p_reads_the_default_path_program_with_the_same_environment(default_paths, head):
    system, _shell = default_paths
    found = _program(system, "tool")
    env = {"PATH": "/cell/bin:/usr/bin"}
    assert _unwrap("command", [*head, "tool", "sync"], env) == [found, "sync"]
    assert env == {"PATH": "/cell/bin:/usr/bin"}  # the child keeps the shell's PATH


def test_command_p_finds_dash_default_too(default_paths):
    _system, shell = default_paths
    found = _program(shell, "tool")
    assert _unwrap("command", ["-p", "tool"], {}) == [found]


def test_command_p_two_different_programs_are_unreadable(default_paths):
    system, shell = default_paths
    _program(system, "tool")
    _program(shell, "tool")
    with pytest.raises(Unreadable, match="command -p tool"):
        _unwrap("command", ["-p", "tool"], {})


def test_command_p_one_file_on_both_paths_is_read(default_paths):
    system, shell = default_paths
    found = _program(system, "tool")
    os.symlink(found, shell / "tool")
    assert _unwrap("command", ["-p", "tool"], {})[0] in (found, str(shell / "tool"))


def test_command_p_builtins_and_unfound_names_stay(default_paths):
    system, _shell = default_paths
    _program(system, "exec")  # a file named like the builtin: bash runs the builtin
    assert _unwrap("command", ["-p", "exec", "tool"], {}) == ["exec", "tool"]
    assert _unwrap("command", ["-p", "nowhere", "x"], {}) == ["nowhere", "x"]
    assert _unwrap("command", ["-pv", "tool"], {}) == []


def test_command_p_hands_the_default_path_to_command(default_paths):
    system, _shell = default_paths
    found = _program(system, "tool")
    # bash and dash: `command -p command X` looks X up on the default path too
    assert commands.program_argv(["command", "-p", "command", "tool"]) == [found]
    assert commands.program_argv(["command", "-p", "command", "-v", "tool"]) == []


@pytest.mark.parametrize("shell", ["bash", "dash"])
def test_command_p_keeps_path_for_the_child_in_the_real_shells(shell, tmp_path):
    """What the reading models: the shells' own behaviour (bash 5.x, dash)."""
    line = "command -p env | grep ^PATH="
    path = f"{tmp_path}:/usr/bin:/bin"
    run = subprocess.run(
        [installed(shell), "-c", line], capture_output=True, text=True,
        env={"PATH": path},
    )  # fmt: skip
    assert run.stdout.strip() == f"PATH={path}", run
