"""Cell code that would run after Warden decided on a start and before the program runs
(red team 11 R11-9, R11-10), in a kernel started with the lab's launch guard.

Each case installs from the local index (an index the default policy refuses) without
Warden, and installs nothing with it: the cell's own audit hook is not added (R11-10), a
``preexec_fn`` is refused or done in C (R11-9), and ``os.register_at_fork`` hooks no longer run
in a subprocess child (they ran there only because of a ``preexec_fn``).
"""

import shutil

import pytest
from install_env import spooled
from launched import LaunchFolders, run_python
from real_uv import real_uv

POLICY = {"schema_version": 1, "revision": 3}

# the kernel: runs one variant in its folder, says whether Warden refused the start
KERNEL = r"""
import json, os, subprocess, sys
how, index, target, uv = sys.argv[1:5]
pip = [uv, "pip", "install", "-q", "--no-deps", "--no-cache", "--python", sys.executable,
       "--target", target, "warden-demo-pkg"]
TOML = f'index-url = "{index}"\n'
def write_config():  # what Warden read before is no longer what uv reads
    if not os.path.exists("uv.toml"):
        with open("uv.toml", "w") as fh:
            fh.write(TOML)
kwargs = {}
if how == "hook-config":  # R11-10: a later audit hook rewrites uv.toml after the decision
    def late(event, args):
        if event == "subprocess.Popen":
            write_config()
    sys.addaudithook(late)
elif how == "hook-argv":  # R11-10b: ... or the very argv list subprocess execs
    def late(event, args):
        if event == "subprocess.Popen" and "warden-demo-pkg" in args[1]:
            args[1][-1:] = ["--index-url", index, "warden-demo-pkg"]
    sys.addaudithook(late)
elif how == "preexec-config":  # R11-9: preexec_fn writes uv.toml in the child before exec
    kwargs["preexec_fn"] = write_config
elif how == "preexec-chdir":  # R11-9: ./ls is not there when Warden looks; d/ls is uv,
    os.makedirs("d", exist_ok=True)  # whose project there installs from the refused index
    os.symlink(uv, "d/ls")
    with open("d/pyproject.toml", "w") as fh:
        fh.write('[project]\nname = "proj"\nversion = "0.1"\nrequires-python = ">=3.8"\n'
                 'dependencies = ["warden-demo-pkg"]\n[tool.uv]\npackage = false\n'
                 f'[[tool.uv.index]]\nurl = "{index}"\ndefault = true\n')
    pip = ["./ls", "sync", "-q", "--python", sys.executable]
    kwargs["preexec_fn"] = lambda: os.chdir("d")
elif how == "env-subclass":  # subprocess encodes env values with os.fsencode after the hook,
    class Value(str):  # which calls the value's own encode
        def encode(self, *args):
            write_config()
            return str.encode(self, *args)
    kwargs["env"] = dict(os.environ, WARDEN_TEST=Value("1"))
elif how == "at-fork":  # an at-fork hook runs in the child of a start with any preexec_fn
    os.register_at_fork(after_in_child=write_config)
    kwargs["preexec_fn"] = os.setsid
try:
    code = subprocess.run(pip, **kwargs).returncode
    print(json.dumps({"refused": None, "code": code}))
except PermissionError as exc:
    print(json.dumps({"refused": str(exc), "code": None}))
"""


class Kernel(LaunchFolders):
    def __init__(self, tmp_path, index):
        super().__init__(tmp_path, index, POLICY)

    def run(self, how: str, launched: bool, code: str = KERNEL) -> dict:
        work = self.work = self.tmp / ("guarded" if launched else "control")
        work.mkdir()
        env = self.env(launched)
        args = [how, self.index.simple, str(self.target), real_uv()]
        result = run_python(code, args, env, cwd=work, keep_stderr=True)
        self.stderr = result.pop("stderr")
        return result

    def installed(self) -> bool:
        synced = self.work.glob("d/.venv/lib/python*/site-packages/warden_demo_pkg*")
        return any(self.target.glob("warden_demo_pkg*")) or any(synced)

    def reset(self):
        shutil.rmtree(self.target, ignore_errors=True)
        self.index.requests.clear()


def _installs_without_warden_not_with_it(kernel: Kernel, how: str) -> dict:
    kernel.reset()
    assert kernel.run(how, launched=False) == {"refused": None, "code": 0}
    assert kernel.installed() and kernel.index.requests
    kernel.reset()
    result = kernel.run(how, launched=True)
    assert kernel.index.requests == [] and not kernel.installed(), result
    return result


@pytest.mark.parametrize("how", ["hook-config", "hook-argv"])
def test_a_cells_own_audit_hook_is_not_added(index, tmp_path, how):
    """R11-10: CPython calls hooks in the order they were added, so the cell's ran after
    Warden's decision on the same start. Refused on sys.addaudithook: never added, said on
    stderr and in an event; the start itself is then decided and runs unchanged."""
    kernel = Kernel(tmp_path, index)
    result = _installs_without_warden_not_with_it(kernel, how)
    assert result["refused"] is None  # uv ran, with what Warden read (no config, no index)
    assert "Jupyter Warden refused sys.addaudithook (called from <string>:" in kernel.stderr
    events = [e for e in spooled(kernel.spool) if e["rule_id"] == "guard-audit-hook-refused"]
    assert len(events) == 1 and events[0]["action"] == "blocked", events
    assert events[0]["evidence"]["call"] == "sys.addaudithook"


@pytest.mark.parametrize("how", ["preexec-config", "preexec-chdir"])
def test_a_preexec_fn_that_runs_cell_code_is_refused(index, tmp_path, how):
    """R11-9: preexec_fn ran in the forked child after the subprocess.Popen decision."""
    kernel = Kernel(tmp_path, index)
    result = _installs_without_warden_not_with_it(kernel, how)
    assert result["refused"] and "preexec_fn" in result["refused"], result
    assert "start_new_session=True" in result["refused"]
    rules = {e["rule_id"] for e in spooled(kernel.spool)}
    assert "install-unreadable" in rules


def test_os_setsid_as_preexec_fn_runs_no_python_in_the_child(index, tmp_path):
    """preexec_fn=os.setsid (an ordinary idiom) still starts the program, in its own session,
    as start_new_session=True: done in C, so the at-fork hook the cell registered (which
    CPython runs in the child only for a preexec_fn) no longer runs after the decision."""
    kernel = Kernel(tmp_path, index)
    result = _installs_without_warden_not_with_it(kernel, "at-fork")
    assert result["refused"] is None


SESSIONS = r"""
import json, os, subprocess, sys
out = {}
for name, fn in (("setsid", os.setsid), ("setpgrp", os.setpgrp)):
    done = subprocess.run([sys.executable, "-I", "-c",
                           "import os; print(os.getpid(), os.getpgrp(), os.getsid(0))"],
                          preexec_fn=fn, capture_output=True, text=True, check=True)
    pid, pgrp, sid = map(int, done.stdout.split())
    out[name] = {"own_group": pgrp == pid, "own_session": sid == pid}
print(json.dumps(out))
"""


def test_setsid_and_setpgrp_as_preexec_fn_keep_their_meaning(index, tmp_path):
    kernel = Kernel(tmp_path, index)
    out = kernel.run("sessions", launched=True, code=SESSIONS)
    assert out["setsid"] == {"own_group": True, "own_session": True}
    assert out["setpgrp"] == {"own_group": True, "own_session": False}


def test_an_env_value_whose_own_encode_runs_after_the_decision_is_refused(index, tmp_path):
    """Found with R11-9/10: os.fsencode, which subprocess encodes Popen's env and program with
    after the audit hook, calls a str subclass's own encode (a plain str's cannot change)."""
    result = _installs_without_warden_not_with_it(Kernel(tmp_path, index), "env-subclass")
    assert result["refused"] and "whose own methods subprocess calls" in result["refused"]
