"""Red team 47a R47a-3: the working folder moves between the gate's decision and Popen's fork.

A Popen start with ``cwd=None`` runs in the process's working folder AT THE FORK. The gate
reads the start's relative files (``-r r.txt``, ``uv.toml``, ``pyproject.toml``...) from
``os.getcwd()`` at the audit event, and ``decided_start``'s note records ``cwd=None``; the
verifier (``_checked``) compares the ``cwd`` argument only, never the folder the process is in.
Code that runs after the hook and before ``_fork_exec`` (a gc callback, which the guard's copy
of ``_execute_child`` allocates enough to run; a finalizer; a signal handler; or simply another
thread of the kernel: ``os.chdir`` is no event the kernel's guard reads) moves the process to
another folder: the installer reads that folder's ``r.txt``, which Warden never read.

Proof: ``uv pip install -r r.txt`` decided in ``a/`` (``warden-demo-pkg``, the default index)
runs in ``b/``, whose ``r.txt`` names the refused local index: installed.

The move is made two ways. A trace function at the line of ``_execute_child`` that calls
``_fork_exec`` (after the audit event and ``executable_list``; the guard runs its own copy of
``_execute_child``, made from the same code, whose ``_fork_exec`` is Warden's verifier) fires
every time: it is the proof. A gc callback is the red team's, the realistic attack, but whether
a collection falls in that span depends on the allocations before it (a control without Warden
once ran unmoved under load): its proof holds whether or not it fired.
"""

import sys

import pytest
from real_uv import real_uv

# says on stderr that the kernel moved, and before which _fork_exec: subprocess's own (C's
# fork_exec) or the one the frame's globals hold in the guard's copy
MOVED = "R47a-3 moved before "

HEAD = "import dis, gc, os, subprocess, sys\nos.chdir('a')\ndone = []\n"
"""Runs ``UV`` in ``a/`` with code that moves the kernel to ``../b`` inside ``_execute_child``."""
MOVE = (
    "def move(frame):\n"
    "    done.append(1)\n"
    "    os.chdir('../b')\n"
    "    name = getattr(frame.f_globals.get('_fork_exec'), '__name__', None)\n"
    f"    print({MOVED!r} + str(name), file=sys.stderr)\n"
)

# a trace function at the first line event of the statement calling _fork_exec
TRACE = (
    "def fork_line(code):\n"
    "    return next(i.positions.lineno for i in dis.get_instructions(code)\n"
    "                if i.opname == 'LOAD_GLOBAL' and i.argval == '_fork_exec')\n"
    "def at_fork(frame, event, arg):\n"
    "    if event == 'line' and not done and frame.f_lineno == fork_line(frame.f_code):\n"
    "        move(frame)\n"
    "    return at_fork\n"
    "def calls(frame, event, arg):\n"
    "    code = frame.f_code\n"
    "    if code.co_name == '_execute_child' and code.co_filename.endswith('subprocess.py'):\n"
    "        return at_fork\n"
    "    return None\n"
    "sys.settrace(calls)\n"
    "try:\n"
    "    subprocess.run(UV)\n"
    "finally:\n"
    "    sys.settrace(None)\n"
)

# the red team's: a gc callback inside _execute_child once it built executable_list
GC = (
    "def collected(phase, info):\n"
    "    if done or phase != 'start':\n"
    "        return\n"
    "    frame = sys._getframe(1)\n"
    "    while frame is not None:\n"
    "        code = frame.f_code\n"
    "        if code.co_name == '_execute_child' and code.co_filename.endswith('subprocess.py'):\n"
    "            break\n"
    "        frame = frame.f_back\n"
    "    if frame is not None and 'executable_list' in frame.f_locals:\n"
    "        move(frame)\n"
    "gc.callbacks.append(collected)\n"
    "gc.set_threshold(1)\n"
    "try:\n"
    "    subprocess.run(UV)\n"
    "finally:\n"
    "    gc.set_threshold(700)\n"
    "    gc.callbacks.remove(collected)\n"
)


def _prepare(kernel, trigger: str) -> str:
    for name, text in (
        ("a", "warden-demo-pkg\n"),
        ("b", f"--index-url {kernel.index.simple}\nwarden-demo-pkg\n"),
    ):
        (kernel.work / name).mkdir(exist_ok=True)
        (kernel.work / name / "r.txt").write_text(text)
    uv = [real_uv(), "pip", "install", "-q", "--no-config", "--no-cache", "--python",
          sys.executable, "--target", str(kernel.target), "-r", "r.txt"]  # fmt: skip
    cell = "UV = " + repr(uv) + "\n" + HEAD + MOVE + trigger
    return cell.replace("{", "{{").replace("}", "}}")


def _moved(result: dict):
    """The ``_fork_exec`` the kernel moved before (its name), or None: it did not move."""
    lines = [line for line in result["stderr"].splitlines() if line.startswith(MOVED)]
    assert len(lines) <= 1, result
    return lines[0][len(MOVED) :] if lines else None


def test_the_refused_folder_alone_is_refused(kernel):
    """Control: the same start made in b/ is refused (its r.txt names the refused index)."""
    cell = _prepare(kernel, TRACE).replace("os.chdir('a')", "os.chdir('b')")
    refused = kernel.proves(cell.replace("'../b'", "'.'"))
    assert "index" in refused, refused


def test_a_start_runs_in_the_folder_warden_decided_it_in(kernel):
    cell = _prepare(kernel, TRACE)
    kernel.reset()
    plain = kernel.cell(cell, launched=False)
    assert _moved(plain) == "fork_exec", plain  # subprocess's own: C's
    assert plain["refused"] is None and kernel.installed(), plain  # works without Warden
    kernel.reset()
    guarded = kernel.cell(cell, launched=True)
    # moved in the guard's copy of _execute_child, after the gate decided, before its verifier
    assert _moved(guarded) == "verified_fork_exec", guarded
    assert kernel.index.requests == [] and not kernel.installed(), guarded


@pytest.mark.parametrize("launched", [False, True], ids=["plain", "guarded"])
def test_the_red_teams_gc_callback(kernel, launched):
    """The realistic attack: without Warden it installs whenever its collection fell in the
    span; with Warden nothing is fetched or installed, whether it fell there or not."""
    kernel.reset()
    result = kernel.cell(_prepare(kernel, GC), launched=launched)
    fired = _moved(result) is not None
    if launched:
        assert kernel.index.requests == [] and not kernel.installed(), result
    else:
        assert result["refused"] is None and kernel.installed() == fired, result
