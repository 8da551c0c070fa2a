"""Fix round 47 (R42b-5): a Popen start of a bare name execs only the file Warden decided.

subprocess's child tries the name in every PATH folder and goes on after ANY failed execve;
the guard's copy of ``_execute_child`` now hands ``fork_exec`` the one entry the gate found
(``fastpath.find``), so a first file that cannot run is the start's failure (a PermissionError
that says so), never the next folder's file. Neighbours of the red team's empty file, each on
the common start's shortcut (words that name nothing Warden reads in full): a link to nothing,
a file not executable, a folder; a file made in an earlier folder after the decision (the
verifier called directly: no entry but the decided one reaches C); the ordinary start still
runs; a shell line's own PATH search (dash goes on after ENOENT/EACCES) stays held by the
reading.
"""

import json
import os

import pytest
from listed_release import write_policy
from test_redteam42b_path_next import HIJACKED, _cell, index  # noqa: F401 - the index fixture

# the cell makes b1/ and b2/ first on PATH; b2/tool is a link to touch (it makes `made`)
CELL = (
    "import gc, os, subprocess, sys\n"
    "os.makedirs('b1'); os.makedirs('b2')\n"
    "FIRST\n"
    "os.symlink('/usr/bin/touch', 'b2/tool')\n"
    "os.environ['PATH'] = os.path.abspath('b1') + ':' + os.path.abspath('b2') + ':' "
    "+ os.environ['PATH']\n"
    "subprocess.run(['tool', 'made'], check=True)\n"
)

FIRSTS = {
    "empty": "open('b1/tool', 'w').close(); os.chmod('b1/tool', 0o755)",  # ENOEXEC
    "dangling": "os.symlink('/nonexistent/tool', 'b1/tool')",  # ENOENT
    "not_executable": "open('b1/tool', 'w').write('x'); os.chmod('b1/tool', 0o644)",  # EACCES
    "folder": "os.makedirs('b1/tool')",  # EACCES
}


@pytest.mark.parametrize("first", sorted(FIRSTS))
def test_a_first_file_that_cannot_run_fails_the_start(kernel, first):
    code = CELL.replace("FIRST", FIRSTS[first])
    plain = kernel.cell(code, launched=False)
    assert plain["refused"] is None and (kernel.work / "made").exists(), plain  # b2's ran
    for made in ("b1", "b2"):
        _remove(kernel.work / made)
    (kernel.work / "made").unlink()
    result = kernel.cell(code, launched=True)
    assert not (kernel.work / "made").exists(), result  # FAILED before: b2/tool ran
    refused = result["refused"] or ""
    assert "b1/tool on PATH, the file Warden decided on, and it cannot run" in refused, result


def test_fork_exec_gets_only_the_decided_entry(tmp_path):
    """The verifier (``decided_start``) checks the list Popen built against the PATH and hands
    C the one entry of the folder the gate found the name in: a file made in an earlier folder
    after the look (b1, empty when looked in) is not run, nor a later one. Called directly,
    as ``fork_exec`` is called by the guard's copy of ``_execute_child``."""
    from types import SimpleNamespace

    from jupyterlab_warden.kernel.guard.installs import decided_start, fastpath

    b1, b2, b3 = (tmp_path / name for name in ("b1", "b2", "b3"))
    for folder in (b1, b2, b3):
        folder.mkdir()
    (b2 / "tool").symlink_to("/usr/bin/true")
    (b3 / "tool").symlink_to("/usr/bin/true")
    search = f"{b1}:{b2}:{b3}"
    where = fastpath.find("tool", search)[2]
    assert where == f"{b2}/"
    (b1 / "tool").symlink_to("/usr/bin/touch")  # made after the look
    handed = []
    state = SimpleNamespace(enabled=True, intact=lambda: True)
    state.installs = SimpleNamespace(inherited=SimpleNamespace(version=7))
    verified = decided_start._verifier(lambda *a: handed.append(a) or 4242, state)
    full = tuple(os.fsencode(f"{folder}/tool") for folder in (b1, b2, b3))
    decided_start.publish(("tool", ("tool", "x"), (None, str(tmp_path)), None, search, 7, where))
    rest = (None,) * 7 + (99,) + (None,) * 9  # errpipe_write at [7], no preexec_fn at [15]
    assert verified(["tool", "x"], full, True, (99,), None, None, *rest) == 4242
    assert handed[0][1] == (os.fsencode(f"{b2}/tool"),)  # FAILED before: all three
    decided_start.clear()


def test_the_ordinary_start_runs_and_reports_as_before(kernel):
    """The decided file first (b1 empty of it) runs; a name found nowhere raises the
    FileNotFoundError it always did; a decided file that is the last entry keeps its error."""
    code = (
        "import json, os, subprocess\n"
        "os.makedirs('b1'); os.makedirs('b2')\n"
        "os.symlink('/usr/bin/touch', 'b2/tool')\n"
        "os.environ['PATH'] = os.path.abspath('b1') + ':' + os.path.abspath('b2') + ':' "
        "+ os.environ['PATH']\n"
        "subprocess.run(['tool', 'made'], check=True)\n"
        "errors = []\n"
        "for name in ('no-such-tool-47', 'tool-last-47'):\n"
        "    try:\n"
        "        subprocess.run([name])\n"
        "    except OSError as exc:\n"
        "        errors.append([type(exc).__name__, exc.errno])\n"
        "open('errors.json', 'w').write(json.dumps(errors))\n"
    )
    # 'tool-last-47' is an empty executable file in the PATH's last folder: nothing after it to run
    code = code.replace(
        "os.environ['PATH'] = os.path.abspath('b1') + ':' + os.path.abspath('b2') + ':' "
        "+ os.environ['PATH']\n",
        "os.makedirs('b3'); open('b3/tool-last-47', 'w').close()\n"
        "os.chmod('b3/tool-last-47', 0o755)\n"
        "os.environ['PATH'] = os.path.abspath('b1') + ':' + os.path.abspath('b2') + ':' "
        "+ os.environ['PATH'] + ':' + os.path.abspath('b3')\n",
    )
    result = kernel.cell(code, launched=True)
    assert result["refused"] is None and (kernel.work / "made").exists(), result
    errors = json.loads((kernel.work / "errors.json").read_text())
    assert errors == [["FileNotFoundError", 2], ["OSError", 8]], errors


def _remove(path) -> None:
    import shutil

    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.exists():
        shutil.rmtree(path)


@pytest.mark.parametrize("first", ["#!/nonexistent/interpreter\n", "not executable"])
def test_a_shell_line_that_goes_on_to_the_next_file_is_read_as_it(kernel, first):
    """shell=True: dash searches PATH itself and goes on after an exec error other than
    ENOEXEC (a ``#!`` naming a missing interpreter: ENOENT; a file not executable: EACCES), so
    `ls pip install ...` runs the next folder's ls, a link to uv (the plain run installs). Held
    by the reading (no change here): the first file's ``#!`` line is refused, and a file not
    executable is passed over as ``shutil.which`` passes it, so the link is read as uv."""
    write_policy(kernel, HIJACKED)
    code = _cell(first, "ls").replace("subprocess.run([", "subprocess.run(' '.join([")
    code = code.replace("], check=True)", "]), shell=True, check=True)")
    if not first.startswith("#!"):
        code = code.replace("0o755", "0o644")
    kernel.reset()
    plain = kernel.cell(code, launched=False)
    assert plain["refused"] is None and kernel.installed(), plain  # dash ran b2/ls: uv
    for made in ("b1", "b2"):
        _remove(kernel.work / made)
    kernel.reset()
    result = kernel.cell(code, launched=True)
    assert result["refused"] and not kernel.installed(), result
