"""Red team 88 F2 (HIGH): bash's appending assignment ``PATH+=...`` is not read as a change
of PATH for the line's lookups. ``_LineState.update`` only marks it ``unresolved`` (which
only ``_guard_lost`` reads, for a pip); ``refuse_unknown_path`` looks at ``path_unknown``
and ``unknown_names`` alone, so later names are looked up, and their PATH folders read, on
the PATH before the append. ``PATH=; PATH+=DIR:/usr/bin:/bin`` (or ``unset PATH; PATH+=``)
puts DIR first: tar runs DIR/gzip, unread (after ``unset PATH`` the appended PATH is a new,
unexported variable: ``export PATH`` hands it on). bash only (dash has no ``+=``): ``bash -c``,
``%%bash``, Popen(shell=True, executable='/bin/bash').
Fixed (fix88a): a command's ``NAME+=VALUE`` words (prefix ones, and a declaring builtin's
operands) are read as ``NAME=OLD+VALUE`` with the line's value of NAME at that point, or
NAME counts as unknown when the line does not know it (``appends``,
``_LineState.appended``): tar's PATH is read, and its new gzip refused."""

import os

import pytest
from launched import installed, reading
from test_redteam86b_login_shell_path import _full_path_payload

from jupyterlab_warden.kernel.guard.installs import commands

WRITE = """import os, subprocess
os.makedirs('tools', exist_ok=True)
with open('tools/gzip', 'w') as fh:
    fh.write({payload!r})
os.chmod('tools/gzip', 0o755)
here = os.getcwd()
"""
LINES = {
    "empty-then-append": "'PATH=; PATH+=' + here + '/tools:/usr/bin:/bin; tar czf o.tgz a.txt'",
    "unset-then-append": (
        "'unset PATH; PATH+=' + here + '/tools:/usr/bin:/bin; export PATH; tar czf o.tgz a.txt'"
    ),
    "prefix-append": "'PATH= PATH+=' + here + '/tools:/usr/bin:/bin tar czf o.tgz a.txt'",
}


@pytest.mark.parametrize("how", sorted(LINES))
def test_an_appended_path_is_read(kernel, how):
    installed("tar")
    installed("bash")
    (kernel.work / "a.txt").write_text("a\n")
    cell = WRITE.format(payload=_full_path_payload(kernel))
    cell += "subprocess.run(['bash', '-c', " + LINES[how] + "])\n"
    guarded = kernel.kept_from_refused_host(cell)
    assert "gzip" in (guarded["refused"] or ""), guarded


@pytest.fixture
def state():
    return commands._LineState(False, {})


@pytest.mark.parametrize(
    "words, path",
    [
        (["PATH=", "PATH+=/t:/bin"], "/t:/bin"),
        (["PATH=/a", "PATH+=:/b", "PATH+=:/c"], "/a:/b:/c"),
        (["export", "PATH+=:/b"], os.environ.get("PATH", "") + ":/b"),
        (["declare", "-x", "PATH+=:/b"], os.environ.get("PATH", "") + ":/b"),
    ],
)
def test_an_append_reads_as_the_value_it_sets(state, words, path):
    state.update(state.appended(words))
    assert state.env["PATH"] == path and not state.path_unknown


def test_an_append_after_unset_starts_from_empty(state):
    state.update(["unset", "PATH"])
    state.update(state.appended(["PATH+=/t:/bin"]))
    assert state.env["PATH"] == "/t:/bin"


def test_an_append_to_a_value_the_line_does_not_know_is_unknown(state):
    state.update(["read", "PYTHONPATH"])
    state.unknown_names.add("PYTHONPATH")  # (the line reading's `read NAME`)
    state.appended(["PATH=/a", "PYTHONPATH+=:/x"])
    assert "PYTHONPATH" in state.start_env() and isinstance(
        state.start_env()["PYTHONPATH"], commands.UnknownValue
    )


def test_a_pythonpath_append_keeps_the_kernels_value_first(state, monkeypatch):
    monkeypatch.setenv("PYTHONPATH", "/guard/site")
    state.update(state.appended(["PYTHONPATH+=:/tmp/x"]))
    assert state.start_env()["PYTHONPATH"] == "/guard/site:/tmp/x"


@pytest.mark.parametrize(
    "line",
    [
        "read X; PATH+=:$X; ls",
        "declare -i PATH; PATH+=1; ls",
        "read PATH; PATH+=:/usr/bin; ls",
    ],
)
def test_an_append_to_an_unknown_path_is_refused(line):
    assert reading(line), line


@pytest.mark.parametrize(
    "line",
    [
        "X=a; X+=b; echo $X",
        "PATH=/usr/bin:/bin; PATH+=:/usr/local/bin; ls",
        "CFLAGS+=' -O2'; echo $CFLAGS",
    ],
)
def test_an_ordinary_append_is_read(line):
    assert reading(line) == "", line


def test_an_append_of_a_guard_folder_is_refused_in_a_kernel(kernel):
    """``PYTHONPATH+=:DIR`` puts a folder after the guard's the kernel was not started with:
    as ``PYTHONPATH=<site>:DIR python3`` is, the child Python's start is refused."""
    installed("bash")
    code = "import subprocess; subprocess.run(" + repr(kernel.uv_install()) + ", shell=True)"
    import shlex

    line = "PYTHONPATH+=:" + os.fspath(kernel.work / "x") + "; python3 -c " + shlex.quote(code)
    cell = "import subprocess\nsubprocess.run(['bash', '-c', " + repr(line) + "])\n"
    guarded = kernel.kept_from_refused_host(cell)
    assert guarded["refused"], guarded


def test_an_ordinary_append_runs_in_a_kernel(kernel):
    installed("bash")
    line = "X=a; X+=b; echo $X > out.txt; PATH+=:/usr/local/bin; ls > /dev/null"
    result = kernel.cell(
        "import subprocess\nassert subprocess.run(['bash', '-c', " + repr(line) + "]).returncode"
        " == 0\n",
        launched=True,
    )
    assert result["refused"] is None, result
    assert (kernel.work / "out.txt").read_text() == "ab\n"
