"""Fix round 41 (red team 38b, fix41line): the ordinary forms next to each refused one keep
being read as they were."""

import pytest

from jupyterlab_warden.kernel.guard.installs import commands


@pytest.mark.parametrize(
    "line",
    [
        "export OUT=$PWD/data; ls",  # R38b-5: a variable that changes no reading
        "export PATH=$HOME/.local/bin:$PATH; ls",  # PATH: its own rule (R13-18)
        "U=https://x/s; export UV_INDEX_URL=$U; ls",  # a value the line resolves
        "declare -x MPLBACKEND=$B; ls",
    ],
)
def test_an_exported_value_that_is_read_keeps_running(line):
    assert commands.shell_invocations(line) == []


@pytest.mark.parametrize(
    "line",
    [
        "export PYTHONUSERBASE=$OLDPWD/ub; ls",
        "export HOME=$RANDOM/hh; ls",
        'cd "$D" && readonly PYTHONSTARTUP=$PWD/s.py; ls',
        "builtin export PYTHONHOME=$(pwd); ls",
        "declare -x PYTHONPATH=$OLDPWD/x; ls",
    ],
)
def test_an_exported_expansion_of_a_reading_variable_is_refused(line):
    with pytest.raises(commands.Unreadable, match="shell expansion"):
        commands.shell_invocations(line)


@pytest.mark.parametrize(
    "code", ["import json; print(json.dumps(1))", "from json import tool", "import __main__"]
)
def test_a_guardless_import_of_a_plain_module_is_read(code):
    """R38b-6: only an import of a package's __main__ (or IDLE's launcher) runs a command line."""
    from jupyterlab_warden.kernel.guard.installs import guardless

    assert guardless.dynamic_code(code) == ""


@pytest.mark.parametrize(
    "code",
    ["import unittest.__main__ as m", "from unittest import __main__", "import idlelib.idle"],
)
def test_a_guardless_import_of_a_main_module_is_refused(code):
    from jupyterlab_warden.kernel.guard.installs import guardless

    assert "command line" in guardless.dynamic_code(code)


def test_wget_with_a_placeless_wgetrc_command_is_placed():
    """R38b-7: `wget -e robots=off URL` writes one file named from the URL, in its folder."""
    from jupyterlab_warden.kernel.guard.installs import line_writers

    reach = line_writers._wget(["-q", "-e", "robots=off", "http://h/f.csv"], {"HOME": "/none"})
    assert reach == [line_writers.from_server(".")]


@pytest.mark.parametrize(
    "args", [["-e", "dir_prefix = /x"], ["--execute=Dir-Prefix=/x"], ["-eoutput_document=/x"]]
)
def test_wget_with_a_placing_wgetrc_command_writes_anywhere(args):
    from jupyterlab_warden.kernel.guard.installs import line_writers

    with pytest.raises(line_writers.AnyPlace):
        line_writers._wget(args + ["http://h/f"], {"HOME": "/none"})


def test_a_child_writer_with_an_attached_output_in_its_folder_runs(tmp_path):
    """R38b-4: `shuf -oout.txt in.txt` in a plain folder is no site write."""
    from jupyterlab_warden.kernel.guard.installs import start_writes

    assert start_writes.unlisted_writes(["shuf", "-oout.txt", "in.txt"], str(tmp_path)) == ""
    assert start_writes.unlisted_writes(["shuf", "-o", "d/out.txt"], str(tmp_path)) == ""


def test_the_word_paths_rule_reads_an_attached_value():
    from jupyterlab_warden.kernel.guard.installs import start_writes

    paths = start_writes.word_paths(["-o/s/zz.pth", "-vo/t/x", "--output=/a", "of=/b", "-v"])
    assert {"/s/zz.pth", "/t/x", "/a", "/b"} <= set(paths) and "-v" not in paths
