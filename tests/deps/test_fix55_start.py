"""Fix round 55 (red team 47a R47a-1, R47a-3): a script magic's decided stdin belongs to the one
start IPython makes for the cell (``script_start``), and a Popen child runs in the folder the
gate read its start in (``decided_start``).

Neighbours of the red team's cases: the folder moved, or another thread's start, inside the
magic's window (the cell's ``arg_split``); the pass read unit by unit (threads, folder,
environment); the verifier handing C the decided folder, and saying so when it is gone.
"""

import os
import threading
from types import SimpleNamespace

import pytest
from test_script_magics import _run

from jupyterlab_warden.kernel.guard.installs import decided_start

# a cell whose arg_split (IPython's shebang calls it after Warden decided the body, before
# bash starts) runs WINDOW once, then a %%bash cell that touches a marker
INSIDE = (
    "import os, subprocess, threading\n"
    "import IPython.core.magics.script as sm\n"
    "real, done = sm.arg_split, []\n"
    "def arg_split(*a, **k):\n"
    "    if not done:\n"
    "        done.append(1)\n"
    "        WINDOW\n"
    "    return real(*a, **k)\n"
    "sm.arg_split = arg_split\n"
    "try:\n"
    "    get_ipython().run_cell_magic('bash', '', 'touch MARKER\\n')\n"
    "finally:\n"
    "    sm.arg_split = real\n"
)


def _inside(window: str, marker: str) -> str:
    return INSIDE.replace("WINDOW", window).replace("MARKER", marker)


def test_a_folder_moved_inside_the_magic_refuses_its_start(tmp_path):
    """The body was read in tmp_path; bash would run it in sub/: refused, saying why."""
    (tmp_path / "sub").mkdir()
    (result,) = _run(tmp_path, [_inside("os.chdir('sub')", "moved")])
    assert result["refused"] and "working folder changed" in result["refused"], result
    assert not (tmp_path / "sub" / "moved").exists() and not (tmp_path / "moved").exists()


def test_another_threads_start_inside_the_magic_cancels_its_pass(tmp_path):
    """A start anywhere in the window (here a thread's `true`) voids the pass: IPython's start
    of bash is refused, saying why; the next %%bash cell runs as usual (nothing stays)."""
    window = "t = threading.Thread(target=subprocess.run, args=(['true'],)); t.start(); t.join()"
    cells = [_inside(window, "cancelled"), "%%bash\ntouch after\n"]
    cancelled, after = _run(tmp_path, cells)
    assert cancelled["refused"] and "another process start" in cancelled["refused"], cancelled
    assert not (tmp_path / "cancelled").exists()
    assert after["refused"] is None and (tmp_path / "after").exists(), after


def _starts():
    from jupyterlab_warden.kernel.guard.installs.script_start import ScriptStarts

    return ScriptStarts()


def _armed(starts, cmd=("bash",), folder="/f", version=3):
    offer = starts.offer(cmd, folder, version)
    starts.arm(offer)
    return offer


def _popen(*argv, cwd=None, env=None):
    return ("subprocess.Popen", (argv[0], list(argv), cwd, env))


def test_the_armed_start_reads_the_decided_body_once():
    starts = _starts()
    _armed(starts)
    assert starts.take(*_popen("bash"), 3, lambda: "/f") == "decided"
    assert starts.stdin(["bash"]) == "decided"
    assert starts.stdin(["bash"]) == "unknown"  # once
    assert starts.take(*_popen("bash"), 3, lambda: "/f") is None  # one start


def test_a_start_on_another_thread_takes_nothing_and_voids_the_pass():
    starts = _starts()
    _armed(starts)
    taken = []
    thread = threading.Thread(
        target=lambda: taken.append(starts.take(*_popen("bash"), 3, os.getcwd))
    )
    thread.start()
    thread.join()
    assert taken == [None]
    why = starts.take(*_popen("bash"), 3, lambda: "/f")
    assert "another process start" in why and "bash" in why
    assert starts.stdin(["bash"]) == "unknown"


def test_a_start_before_the_arming_voids_the_pass():
    """IPython's shebang runs the cell's code (arg_split) before it asks for the start."""
    starts = _starts()
    offer = starts.offer(("bash",), "/f", 3)
    assert starts.take(*_popen("bash"), 3, lambda: "/f") is None  # the cell's own bash
    starts.arm(offer)
    assert "another process start" in starts.take(*_popen("bash"), 3, lambda: "/f")


@pytest.mark.parametrize(
    "start, version, folder, why",
    [
        (_popen("bash"), 4, "/f", "environment changed"),
        (_popen("bash"), 3, "/g", "working folder changed"),
    ],
)
def test_the_armed_start_must_have_the_bodys_folder_and_environment(start, version, folder, why):
    starts = _starts()
    _armed(starts)
    assert why in starts.take(*start, version, lambda: folder)


@pytest.mark.parametrize(
    "start",
    [_popen("sh"), _popen("bash", "-s"), _popen("bash", cwd="/f"), _popen("bash", env={})],
)
def test_another_start_on_the_armed_thread_is_not_the_programs(start):
    starts = _starts()
    _armed(starts)
    assert starts.take(*start, 3, lambda: "/f") is None
    assert starts.stdin(list(start[1][1])) == "unknown"


def _verifier(handed, refusals):
    state = SimpleNamespace(enabled=True, intact=lambda: True)
    state.installs = SimpleNamespace(
        inherited=SimpleNamespace(version=7), refuse_changed_start=refusals.append
    )

    def fork_exec(*args):
        handed.append(args)
        if not os.path.isdir(args[4]):
            raise FileNotFoundError(2, "No such file or directory")  # subprocess: no name
        return 4242

    return decided_start._verifier(fork_exec, state)


REST = (None,) * 7 + (99,) + (None,) * 9  # errpipe_write at [7], no preexec_fn at [15]


def _start(verified, note, cwd):
    decided_start.clear()  # as the guard's _execute_child begins
    decided_start.publish(note)
    return verified(["/bin/true"], (b"/bin/true",), True, (99,), cwd, None, *REST)


def _note(given, folder):
    return ("/bin/true", ("/bin/true",), (given, folder), None, "/bin", 7, None)


def test_fork_exec_gets_the_folder_the_gate_read(tmp_path):
    """No cwd given: C gets the folder the gate read, not the process's at the fork (R47a-3);
    a relative cwd: the folder it named when the gate read it."""
    handed, refusals = [], []
    verified = _verifier(handed, refusals)
    assert _start(verified, _note(None, str(tmp_path)), None) == 4242
    (tmp_path / "sub").mkdir()
    assert _start(verified, _note("sub", str(tmp_path / "sub")), "sub") == 4242
    assert [args[4] for args in handed] == [str(tmp_path), str(tmp_path / "sub")]
    with pytest.raises(PermissionError, match="working folder changed"):
        _start(verified, _note(None, str(tmp_path)), "elsewhere")
    assert len(handed) == 2 and len(refusals) == 1
    decided_start.clear()


def test_a_decided_folder_gone_at_the_fork_fails_the_start_saying_so(tmp_path):
    handed, refusals = [], []
    verified = _verifier(handed, refusals)
    gone = str(tmp_path / "gone")
    with pytest.raises(FileNotFoundError) as raised:
        _start(verified, _note(None, gone), None)
    said = decided_start.passed_over(raised.value)  # as the guard's _execute_child asks
    assert said is not None and said.filename == gone and "can no longer be entered" in str(said)
    decided_start.clear()


# the folder a start was decided in is removed, and the kernel moved, between the decision and
# the fork (a trace function at the first line _execute_child runs after its error pipe, as in
# test_fix43_decided_start): the start fails, and its error names the folder
GONE = (
    "import os, subprocess, sys\n"
    "os.makedirs('gone')\n"
    "os.chdir('gone')\n"
    "done = []\n"
    "def late(frame, event, arg):\n"
    "    if event == 'call':\n"
    "        return late if frame.f_code.co_name == '_execute_child' else None\n"
    "    if not done and event == 'line' and 'errpipe_read' in frame.f_locals:\n"
    "        os.chdir('..')\n"
    "        os.rmdir('gone')\n"
    "        done.append(1)\n"
    "    return late\n"
    "sys.settrace(late)\n"
    "try:\n"
    "    subprocess.run(['touch', 'ran'])\n"
    "except OSError as exc:\n"
    "    open('error.txt', 'w').write(str(exc))\n"
    "finally:\n"
    "    sys.settrace(None)\n"
    "assert done\n"
)


def test_a_start_whose_folder_is_gone_at_the_fork_fails_naming_it(kernel):
    result = kernel.cell(GONE, launched=True)
    assert result["refused"] is None, result
    assert not (kernel.work / "ran").exists()  # ran in the parent before: not where decided
    said = (kernel.work / "error.txt").read_text()
    assert "can no longer be entered" in said and "gone" in said, said
