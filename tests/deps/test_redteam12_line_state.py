"""Red team 12's shell line STATE findings (notes/red12/FINDINGS.md): where the line reading
left the folder or the variables of a later command wrong. Each payload proves itself: without
the guard the line installs warden-demo-pkg from the local index; with it the start is refused
before anything runs. bash runs the lines that need bash (`builtin`, `coproc`, its physical
`cd` fallback), the kernel's /bin/sh the others."""

import os
import sys

import pytest
from test_install_gate import _installed
from test_redteam_fixes import _installs_unguarded_then_refused, _link_named

from jupyterlab_warden.kernel.guard.installs import line_flow


def _words(tmp_path, index):
    # no word naming an installer (pip.log would be one): only the program is pip
    return f"install --no-deps --target {tmp_path / 'target'} -i {index.simple} warden-demo-pkg"


@pytest.mark.parametrize(
    "how",
    [
        "physical-cd",  # R12-1
        "cdpath-default",  # R12-2
        "cdpath-for",  # R12-2
        "command-cd",  # R12-3
        "builtin-cd",  # R12-3
        "cd-in-a-loop",  # R12-11
        "cd-in-a-function",  # R12-11
        "cd-that-never-runs",  # R12-11
        "linked-earlier",  # R12-4
    ],
)
def test_a_relative_program_is_read_where_the_shell_runs_it(guarded, index, tmp_path, how):
    """A relative program (a link to pip named `ls`) is found from the folder the shell is in
    when it runs. The line reading put that folder elsewhere (a logical `..` bash took
    physically, a CDPATH set by `${CDPATH:=}` or a loop header, a `cd` behind `command` or
    `builtin`, a `cd` run twice or not at all) or took a link the line itself makes for a
    program that was not there: it saw no installer and let the line run."""
    words = _words(tmp_path, index)
    far = tmp_path / "far"
    far.mkdir()
    bash = False
    if how == "physical-cd":
        (far / "sub").mkdir()
        (tmp_path / "lnk").symlink_to(far / "sub")
        _link_named(far, "ls").rename(far / "x")  # far/x/ls; ./x is not there
        command, bash = f"cd lnk/../x && ./ls {words}", True
    elif how.startswith("cdpath"):
        _link_named(far, "ls")  # far/bin/ls; ./bin is not there
        command = {
            "cdpath-default": f": ${{CDPATH:={far}}}; cd bin && ./ls {words}",
            "cdpath-for": f"for CDPATH in {far}; do cd bin && ./ls {words}; done",
        }[how]
    elif how in ("command-cd", "builtin-cd"):
        _link_named(tmp_path, "ls")
        command, bash = f"{how.split('-')[0]} cd bin && ./ls {words}", True
    elif how in ("cd-in-a-loop", "cd-in-a-function"):
        (tmp_path / "bin").mkdir()
        _link_named(tmp_path / "bin", "ls")  # bin/bin/ls: the cd runs twice
        command = {
            "cd-in-a-loop": f"for i in 1 2; do cd bin; done; ./ls {words}",
            "cd-in-a-function": f"f() {{ cd bin; }}; f; f; ./ls {words}",
        }[how]
    elif how == "cd-that-never-runs":
        _link_named(tmp_path, "ls")
        (tmp_path / "bin" / "bin").mkdir()  # Warden followed both cds: bin/bin has no ls
        command = f"false && cd bin; cd bin; ./ls {words}"
    else:
        pip = os.path.join(os.path.dirname(sys.executable), "pip")
        command = f"ln -s {pip} tool && ./tool {words}"
    if bash:
        command = ["bash", "-c", command]
    _installs_unguarded_then_refused(guarded, index, tmp_path, command)
    assert index.requests == []
    assert not _installed(tmp_path, "warden-demo-pkg")


@pytest.mark.parametrize("assigns", ["coproc PYTHONPATH { :; }", "sleep 0 & wait -n -p PYTHONPATH"])
def test_a_builtin_assigning_pythonpath_by_name_drops_the_guard(guarded, index, tmp_path, assigns):
    """R12-16: `coproc NAME` makes NAME an array (not exported), `wait -p NAME` stores a pid in
    it: the pip after it starts without the guard's PYTHONPATH, and its requirements file,
    written on the line, was left to that guard."""
    reqs = tmp_path / "r.txt"
    line = (
        f"echo '-i {index.simple}' > {reqs}; echo warden-demo-pkg >> {reqs}; {assigns}; "
        f"{sys.executable} -m pip install --no-deps --target {tmp_path / 'target'} -r {reqs}"
    )
    _installs_unguarded_then_refused(guarded, index, tmp_path, ["bash", "-c", line])
    assert index.requests == []
    assert not _installed(tmp_path, "warden-demo-pkg")


def test_the_places_of_a_lines_commands():
    """Which commands run other than once where they stand: loop and function bodies (with
    the opener they repeat from), branches, brace groups, after `!`."""
    commands = [["for", "i", "in", "1"], ["do", "cd", "d"], ["done"], ["f"], ["{", "cd", "d"]]
    commands += [["}"], ["if", "true"], ["then", "x"], ["fi"], ["!", "cd", "d"], ["y"]]
    places = line_flow.places(commands, [False, False, False, True] + [False] * 7)
    # a closing word belongs to its compound command
    assert [p.nested for p in places] == [True] * 3 + [False] + [True] * 6 + [False]
    assert [p.loop for p in places][:6] == [0, 0, None, None, 4, None]
    assert [p.in_function for p in places][3:6] == [False, True, False]
    assert places[-2:] == [line_flow.Place(True, None, False), line_flow.Place(False, None, False)]


@pytest.mark.parametrize(
    "words, names",
    [
        (["coproc", "PYTHONPATH", "{", ":"], ["PYTHONPATH"]),
        (["wait", "-n", "-p", "PATH"], ["PATH"]),
        (["wait", "-n"], []),
        (["read", "-a", "PATH"], ["PATH"]),
        (["mapfile", "PYTHONHOME"], ["PYTHONHOME"]),
        (["printf", "-vPATH", "%s", "x"], ["PATH", "x"]),
        (["printf", "%s", "PATH"], []),
        (["declare", "-n", "r=PYTHONPATH"], ["PYTHONPATH", "r"]),
        (["command", "builtin", "export", "X=1"], ["X"]),
        (["X=1", "command", "-v", "read"], ["X"]),
    ],
)
def test_the_names_a_command_assigns(words, names):
    assert line_flow.names_assigned(words) == names
