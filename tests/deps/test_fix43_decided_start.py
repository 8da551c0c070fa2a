"""Fix round 43 (R39a-2): a Popen start execs only what the gate decided (``decided_start``).

Neighbours of the red team's case: code that runs AFTER the gate returned, in the Python code
``_execute_child`` runs between its audit event and ``_fork_exec`` (a trace function at the first
line after ``os.pipe``), rewrites the argv list, or the ``env=`` dict's PATH so the bare
program name is another file. And the ordinary forms of Popen (env=, cwd=, shell=True, paths,
bytes, pass_fds, close_fds=False: the start ``posix_spawn`` took) still run.
"""

import os

# UV: the harness's uv line. Code that runs inside the start stands in for any (a gc callback,
# a finalizer, a signal handler: red team 39a's was a gc callback): a trace function, which
# runs at a known place, the first line ``_execute_child`` runs after making its error pipe
# (after the audit event, before ``_fork_exec``), and changes what ``CHANGE`` says there. (A gc
# callback fires where the count of allocations says, which the guard's own allocations move:
# after the verifier's copy, where a change is harmless and nothing is refused; ci63.)
LATE = (
    "import os, subprocess, sys\n"
    "done = []\n"
    "def late(frame, event, arg):\n"
    "    if event == 'call':\n"
    "        return late if frame.f_code.co_name == '_execute_child' else None\n"
    "    if not done and event == 'line' and 'errpipe_read' in frame.f_locals:\n"
    "        CHANGE\n"
    "        done.append(1)\n"
    "    return late\n"
    "sys.settrace(late)\n"
    "try:\n"
    "    START\n"
    "finally:\n"
    "    sys.settrace(None)\n"
    "assert done, 'the change was not made'\n"
)


def _late(change: str, start: str) -> str:
    return LATE.replace("CHANGE", change).replace("START", start)


def test_argv_rewritten_after_the_decision_is_refused(own_kernel):
    cell = _late(
        "frame.f_locals['args'][:] = ['/bin/sh', '-c', UV]",
        "subprocess.run(['/bin/sh', '-c', 'true'])",
    ).replace("UV", repr(own_kernel.uv_install()))
    refused = own_kernel.proves(cell.replace("{", "{{").replace("}", "}}"))
    assert "changed after Warden decided" in refused, refused


def test_env_path_rewritten_after_the_decision_is_refused(own_kernel):
    """``Popen(['true'], env=...)``: the callback puts a folder whose ``true`` installs first
    on the dict's PATH after the gate searched the old one."""
    fake = own_kernel.work / "fakebin"
    fake.mkdir(exist_ok=True)
    script = fake / "true"
    script.write_text(f"#!/bin/sh\n{own_kernel.uv_install()}\n")
    script.chmod(0o755)
    cell = _late(
        f"frame.f_locals['env']['PATH'] = {str(fake)!r} + ':' + os.environ['PATH']",
        "subprocess.run(['true'], env=dict(os.environ))",
    )
    refused = own_kernel.proves(cell.replace("{", "{{").replace("}", "}}"))
    assert "changed after Warden" in refused, refused


def test_the_ordinary_forms_of_popen_still_run(own_kernel, tmp_path):
    """No false refusal: each form runs and gives the output it should."""
    marker = tmp_path / "m"
    cell = (
        "import os, pathlib, subprocess, sys\n"
        "def out(*a, **k):\n"
        "    return subprocess.run(*a, capture_output=True, check=True, **k).stdout.strip()\n"
        "assert out(['echo', 'a']) == b'a'\n"
        "assert out('echo $X', shell=True, env=dict(os.environ, X='b')) == b'b'\n"
        "assert out(['pwd'], cwd='/tmp') == b'/tmp'\n"
        "assert out([b'/bin/echo', b'c']) == b'c'\n"
        "assert out(['echo', pathlib.Path('/d')]) == b'/d'\n"
        "assert out(['/bin/echo', 'e'], close_fds=False) == b'e'\n"
        "assert out(['printenv', 'HOME'], env=os.environ) == os.environ['HOME'].encode()\n"
        "assert out(['x', 'f'], executable='/bin/echo') == b'f'\n"
        "r, w = os.pipe()\n"
        "subprocess.run([sys.executable, '-c', f'import os; os.write(FD, b\"g\")'.replace("
        "'FD', str(w))], pass_fds=[w], check=True)\n"
        "os.close(w)\n"
        "assert os.read(r, 10) == b'g'\n"
        "p = subprocess.Popen(['cat'], stdin=subprocess.PIPE, stdout=subprocess.PIPE)\n"
        "assert p.communicate(b'h')[0] == b'h'\n"
        "os.environ['WARDEN_FIX43'] = 'i'\n"
        "assert out(['printenv', 'WARDEN_FIX43']) == b'i'\n"
        f"open({str(marker)!r}, 'w').write('ok')\n"
    )
    result = own_kernel.cell(cell.replace("{", "{{").replace("}", "}}"), launched=True)
    assert result["refused"] is None, result
    assert marker.read_text() == "ok", result


def test_a_start_the_hook_never_saw_is_refused(own_kernel):
    """``sys.audit`` rebound to a no-op: Popen raises no event, so Warden decided nothing and
    the start is refused (no note), not run undecided."""
    cell = (
        "import subprocess, sys\n"
        "sys.audit = lambda *a: None\n"
        f"subprocess.run(['/bin/sh', '-c', {own_kernel.uv_install()!r}])\n"
    )
    result = own_kernel.cell(cell.replace("{", "{{").replace("}", "}}"), launched=True)
    assert result["refused"], result
    assert own_kernel.index.requests == [] and not own_kernel.installed(), result
    assert os.path.isdir(own_kernel.work)
