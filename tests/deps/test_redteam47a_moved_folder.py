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
"""

import sys

from real_uv import real_uv

MOVE = (
    "import gc, os, subprocess, sys\n"
    "os.chdir('a')\n"
    "done = []\n"
    "def move(phase, info):\n"
    "    if done or phase != 'start':\n"
    "        return\n"
    "    frame = sys._getframe(1)\n"
    "    while frame is not None:\n"
    "        code = frame.f_code\n"
    "        if code.co_name == '_execute_child' and code.co_filename.endswith('subprocess.py'):\n"
    "            break\n"
    "        frame = frame.f_back\n"
    "    # inside subprocess's _execute_child once it built executable_list: after its audit\n"
    "    # event (Warden decided in a/), before _fork_exec\n"
    "    if frame is not None and 'executable_list' in frame.f_locals:\n"
    "        done.append(1)\n"
    "        os.chdir('../b')\n"
    "gc.callbacks.append(move)\n"
    "gc.set_threshold(1)\n"
    "try:\n"
    "    subprocess.run(UV)\n"
    "finally:\n"
    "    gc.set_threshold(700)\n"
    "    gc.callbacks.remove(move)\n"
    "assert done\n"
)


def _prepare(kernel) -> str:
    for name, text in (
        ("a", "warden-demo-pkg\n"),
        ("b", f"--index-url {kernel.index.simple}\nwarden-demo-pkg\n"),
    ):
        (kernel.work / name).mkdir(exist_ok=True)
        (kernel.work / name / "r.txt").write_text(text)
    uv = [real_uv(), "pip", "install", "-q", "--no-config", "--no-cache", "--python",
          sys.executable, "--target", str(kernel.target), "-r", "r.txt"]  # fmt: skip
    return ("UV = " + repr(uv) + "\n" + MOVE).replace("{", "{{").replace("}", "}}")


def test_the_refused_folder_alone_is_refused(kernel):
    """Control: the same start made in b/ is refused (its r.txt names the refused index)."""
    cell = _prepare(kernel).replace("os.chdir('a')", "os.chdir('b')").replace("'../b'", "'.'")
    refused = kernel.proves(cell)
    assert "index" in refused, refused


def test_a_start_runs_in_the_folder_warden_decided_it_in(kernel):
    cell = _prepare(kernel)
    kernel.reset()
    plain = kernel.cell(cell, launched=False)
    assert plain["refused"] is None and kernel.installed(), plain  # works without Warden
    kernel.reset()
    guarded = kernel.cell(cell, launched=True)
    assert kernel.index.requests == [] and not kernel.installed(), guarded
