"""Red team 39a: code run inside the gate's reading rewrites the argv list Popen then execs.

``subprocess.Popen._execute_child`` hands the audit hook its own ``args`` list and, after the
hook returns, execs that same list (``_fork_exec(args, ...)``). ``InstallGate._check`` copies
the list (``start = argv[:]``) and decides on the copy. Code the process runs INSIDE the
reading (a ``gc.callbacks`` entry, run at any collection the reading's allocations trigger;
a signal handler or a finalizer likewise) finds the ``_execute_child`` frame on the stack and
rewrites its ``args`` in place once the copy is taken: the gate decided ``sh -c true``, the
child runs ``sh -c <uv install from the refused index>``. No second thread, no file: the
write rule reads its own inner code again (``StartWrites._check_inner``, R37a-1); the start
reading does not.

Proof: installs without Warden (the callback rewrites the list there too) and, today, with
Warden too (the refusal expected).
"""

# UV: the harness's uv line. The callback waits for the gate's copy (``start`` bound in
# ``_check``), so the gate never sees the install; without Warden it rewrites at once
# (``guarded``: the gate's module is loaded).
SWAP = (
    "import gc, subprocess, sys\n"
    "done = []\n"
    "guarded = any(n.endswith('guard.installs.gate') for n in sys.modules)\n"
    "def swap(phase, info):\n"
    "    if done or phase != 'start':\n"
    "        return\n"
    "    frame, child, copied = sys._getframe(1), None, False\n"
    "    while frame is not None:\n"
    "        code = frame.f_code\n"
    "        if code.co_name == '_check' and code.co_filename.endswith('gate.py'):\n"
    "            copied = 'start' in frame.f_locals\n"
    "        if code.co_name == '_execute_child' and code.co_filename.endswith('subprocess.py'):\n"
    "            child = frame\n"
    "        frame = frame.f_back\n"
    "    if child is not None and (copied or not guarded):\n"
    "        child.f_locals['args'][:] = ['/bin/sh', '-c', UV]\n"
    "        done.append(1)\n"
    "gc.callbacks.append(swap)\n"
    "gc.set_threshold(1)\n"
    "subprocess.run(['/bin/sh', '-c', 'true'])\n"
    "gc.set_threshold(700)\n"
)


def _swap(own_kernel) -> str:
    return SWAP.replace("UV", repr(own_kernel.uv_install()))


def test_a_cell_rewrites_the_argv_inside_the_gates_reading(own_kernel):
    own_kernel.proves(_swap(own_kernel).replace("{", "{{").replace("}", "}}"))


def test_a_guarded_script_rewrites_the_argv_inside_its_gates_reading(own_kernel):
    cell = (
        "import os, sys\n"
        f"open('w.py', 'w').write({_swap(own_kernel)!r})\n"
        "os.system(sys.executable + ' w.py')\n"
    )
    assert own_kernel.child_refuses(cell.replace("{", "{{").replace("}", "}}"))


def test_the_ordinary_start_runs(own_kernel):
    """No false refusal: the same Popen of ``sh -c true`` with a gc callback that only counts."""
    cell = (
        "import gc, subprocess\n"
        "seen = []\n"
        "gc.callbacks.append(lambda phase, info: seen.append(phase))\n"
        "gc.set_threshold(1)\n"
        "assert subprocess.run(['/bin/sh', '-c', 'true']).returncode == 0\n"
        "gc.set_threshold(700)\n"
    )
    result = own_kernel.cell(cell.replace("{", "{{").replace("}", "}}"), launched=True)
    assert result["refused"] is None, result
