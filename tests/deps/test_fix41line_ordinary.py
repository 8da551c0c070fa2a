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
        "export PYTHONUSERBASE=$PWD/ub; ls",
        "export HOME=$PWD/hh; ls",
        "readonly PYTHONSTARTUP=$PWD/s.py; ls",
        "builtin export PYTHONHOME=$(pwd); ls",
        "declare -x PYTHONPATH=$PWD/x; ls",
    ],
)
def test_an_exported_expansion_of_a_reading_variable_is_refused(line):
    with pytest.raises(commands.Unreadable, match="shell expansion"):
        commands.shell_invocations(line)
