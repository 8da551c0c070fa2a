"""Red teams 10 and 11: what a child gets besides its command line (R10-6, R10-11, R10-12,
R11-11, R11-13, R11-18, R11-21).

Each case is a cell run in a kernel of the lab's launch environment (the guard's site folder
first on PYTHONPATH, a pinned policy that trusts no local index). It proves itself: the same
cell in a kernel without Warden installs warden-demo-pkg from the local index; with Warden the
install is refused before pip starts (no pip log, no index request, nothing installed).
"""

import json
import shutil

import pytest
from install_env import spooled
from launched import LaunchFolders, run_python
from real_uv import real_uv

POLICY = {"schema_version": 1, "revision": 3}

# the kernel: runs one variant, says whether Warden refused its start
KERNEL = r"""
import functools, json, os, shlex, subprocess, sys
how, index, target, uv, script = sys.argv[1:6]
# uv, not a Python: a child pip would carry the guard, which reads its own environment
pip = [uv, "pip", "install", "-q", "--no-config", "--no-cache", "--python", sys.executable,
       "--target", target, "warden-demo-pkg"]
env = None
SHADOW = '''import os, sys
here = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != here]
del sys.modules[__name__]
frame = sys._getframe(1)
while frame is not None and "jupyterlab_warden" not in frame.f_code.co_filename:
    frame = frame.f_back
if frame is not None:  # the guard's boot imports it: break the boot
    raise ImportError("no guard today")
import importlib  # anyone else: the real module
sys.modules[__name__] = importlib.import_module(__name__)
'''
def to_warden():  # whether Warden's code is the one reading (an attacker's object may ask)
    frame = sys._getframe(2)
    while frame is not None:
        if "jupyterlab_warden" in frame.f_code.co_filename:
            return True
        frame = frame.f_back
    return False
if how == "putenv":  # R10-12: the C environ alone gets the index
    os.putenv("UV_INDEX_URL", index)
elif how == "putenv-system":
    os.putenv("UV_INDEX_URL", index)
    pip = shlex.join(pip)
elif how == "data-deleted":  # R10-12: set (both), then hidden from os.environ's copy only
    os.environ["UV_INDEX_URL"] = index
    del os.environ._data[os.environ.encodekey("UV_INDEX_URL")]
elif how == "decoder-replaced":  # R10-12 variant: os.environ's decoder lies to Warden alone
    os.environ["UV_INDEX_URL"] = index
    real = os.environ.decodevalue
    def decodevalue(value):
        return "https://pypi.org/simple" if to_warden() and value == index.encode() else real(value)
    os.environ.decodevalue = decodevalue
    env = os.environ
elif how == "environ-instance":  # R10-11: a caller-made os._Environ whose decoder lies to Warden
    data = {k.encode(): v.encode() for k, v in os.environ.items()}
    data[b"UV_INDEX_URL"] = index.encode()
    def decodekey(key):
        return "X_HARMLESS" if to_warden() and key == b"UV_INDEX_URL" else key.decode()
    def encodekey(key):  # bytes (os.get_exec_path's probe): a TypeError, as for any str key
        return b"UV_INDEX_URL" if key == "X_HARMLESS" else str.encode(key)
    env = os._Environ(data, encodekey, decodekey, str.encode, bytes.decode)
elif how == "env-twice":  # R11-11: bytes and str copies of one variable; the child gets the first
    env = {b"UV_INDEX_URL": index.encode()}
    env.update(os.environ)
    env["UV_INDEX_URL"] = "https://pypi.org/simple"
elif how == "bash-function":  # R11-13: bash runs an exported `pip` function instead
    env = dict(os.environ)
    env["BASH_FUNC_pip%%"] = "() { " + shlex.join(pip + ["--index-url", index]) + "; }"
    pip = ["bash", "-c", "pip install numpy"]
elif how in ("bash-script", "bash-script-inherited"):  # R11-13 gap: a #!/bin/bash script
    rc = os.path.join(os.path.dirname(script), "x.sh")
    with open(rc, "w") as fh:
        fh.write("#!/bin/bash\npip install numpy\n")
    os.chmod(rc, 0o755)
    function = "() { " + shlex.join(pip + ["--index-url", index]) + "; }"
    pip = [rc]
    if how == "bash-script":
        env = dict(os.environ, **{"BASH_FUNC_pip%%": function})
    else:
        try:  # the kernel refuses the change itself since R26-2: any program may start bash
            os.environ["BASH_FUNC_pip%%"] = function
        except PermissionError as exc:
            pip = exc
elif how == "bash-env-inherited":  # R11-13: bash sources $BASH_ENV first; os.system, inherited
    rc = os.path.join(os.path.dirname(script), "rc.sh")
    with open(rc, "w") as fh:
        fh.write("pip() { " + shlex.join(pip + ["--index-url", index]) + "; }\n")
    pip = "bash -c 'pip install numpy'"
    try:  # the kernel refuses the change itself since R26-2: any program may start bash
        os.environ["BASH_ENV"] = rc
    except PermissionError as exc:
        pip = exc
elif how == "proc-self-cwd":  # R11-18: Warden read the kernel's r.txt, uv the one in d
    here, d = os.path.dirname(script), os.path.join(os.path.dirname(script), "d")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(here, "r.txt"), "w") as fh:
        fh.write("warden-demo-pkg\n")
    with open(os.path.join(d, "r.txt"), "w") as fh:
        fh.write(f"--index-url {index}\nwarden-demo-pkg\n")
    pip = pip[:-1] + ["-r", "/proc/self/cwd/r.txt"]
    os.chdir(here)
    subprocess.run = functools.partial(subprocess.run, cwd=d)
elif how in ("posix-spawn", "posix-spawnp", "execv"):  # R11-21: a bare name, not on env's PATH
    here = os.path.dirname(script)
    os.chdir(here)
    folder = here if how != "posix-spawnp" else os.path.join(here, "tools")
    os.makedirs(folder, exist_ok=True)
    link = os.path.join(folder, "ls")  # ./ls, or tools/ls on the kernel's PATH
    if os.path.lexists(link):
        os.unlink(link)  # the run before this one's
    os.symlink(uv, link)
    os.environ["UV_INDEX_URL"] = index
    if how == "posix-spawnp":
        os.environ["PATH"] = folder + os.pathsep + os.environ["PATH"]
    env = dict(os.environ, PATH="/usr/bin:/bin")
    words = ["ls"] + pip[1:]
    if how == "execv":  # in a forked child, as pexpect does: a refusal ends it with 126
        def pip():
            pid = os.fork()
            if pid == 0:
                os.execv("ls", words)
            return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
    else:
        spawn = os.posix_spawn if how == "posix-spawn" else os.posix_spawnp
        def pip():
            pid = spawn("ls", words, env)
            return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
elif how == "putenv-pythonpath":  # R10-12: the child Python starts without the guard's folder
    pip = [sys.executable, script]
    try:  # the kernel refuses the change itself since R12-9
        os.putenv("PYTHONPATH", "")
    except PermissionError as exc:
        pip = exc
elif how == "shadow":  # R10-6: a folder after the guard's shadows a module its boot imports
    folder = os.path.join(os.path.dirname(script), "shadow")
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "_compat_pickle.py"), "w") as fh:
        fh.write(SHADOW)
    env = dict(os.environ, PYTHONPATH=os.environ.get("PYTHONPATH", "") + os.pathsep + folder)
    pip = [sys.executable, script]
elif how == "src-folder":  # a notebook's own folder for a plain script: no false refusal
    # (the folder's own modules are read by the guardless rules, their names callable: R12-7)
    folder = os.path.join(os.path.dirname(script), "src")
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "helpers.py"), "w") as fh:
        fh.write("GREETING = 'hello from src'\ndef greet():\n    return GREETING\n")
    with open(os.path.join(folder, "hello.py"), "w") as fh:
        fh.write("import helpers\nprint(helpers.GREETING, helpers.greet())\n")
    env = dict(os.environ, PYTHONPATH=os.environ.get("PYTHONPATH", "") + os.pathsep + folder)
    pip = [sys.executable, os.path.join(folder, "hello.py")]
elif how == "mp-spawn":  # R11-5: the guard's entry gone, then a multiprocessing spawn child
    pip = None
    try:  # the kernel refuses the change itself since R12-9
        os.environ["PYTHONPATH"] = ""
    except PermissionError as exc:
        pip = exc
try:
    if isinstance(pip, PermissionError):
        raise pip
    if pip is None:  # spawn starts its Python through _posixsubprocess, no audit event
        import multiprocessing, runpy
        child = multiprocessing.get_context("spawn").Process(target=runpy.run_path, args=(script,))
        child.start()
        child.join()
        code = child.exitcode
    elif callable(pip):
        code = pip()
    elif isinstance(pip, str):
        code = os.system(pip)
    else:
        code = subprocess.run(pip, env=env).returncode
    print(json.dumps({"refused": None, "code": code}))
except PermissionError as exc:
    print(json.dumps({"refused": str(exc), "code": None}))
"""
SCRIPT = """from pip._internal.cli.main import main
main(['install', '--no-deps', '--target', {target!r}, '--log', {log!r}, '-i', {index!r},
      'warden-demo-pkg'])
"""


class LaunchedKernel(LaunchFolders):
    def __init__(self, tmp_path, index):
        super().__init__(tmp_path, index, POLICY)
        self.log = tmp_path / "pip.log"
        self.script = tmp_path / "s.py"
        self.script.write_text(
            SCRIPT.format(target=str(self.target), log=str(self.log), index=index.simple)
        )

    def run(self, how: str, launched: bool) -> dict:
        args = [how, self.index.simple, str(self.target), real_uv(), str(self.script)]
        return run_python(KERNEL, args, self.env(launched), cwd=self.tmp)

    def installed(self) -> bool:
        return self.target.exists() and any(self.target.glob("warden_demo_pkg*"))

    def reset(self):
        shutil.rmtree(self.target, ignore_errors=True)
        self.log.unlink(missing_ok=True)
        self.index.requests.clear()


def _installs_without_warden_refused_with_it(kernel: LaunchedKernel, how: str) -> dict:
    kernel.reset()
    assert kernel.run(how, launched=False) == {"refused": None, "code": 0}
    assert kernel.installed() and kernel.index.requests
    kernel.reset()
    result = kernel.run(how, launched=True)
    assert result["refused"], result
    assert not kernel.log.exists(), "pip started"  # (the Python children's pip)
    assert kernel.index.requests == [] and not kernel.installed()
    return result


# Each row: the variant of KERNEL, what its refusal names, and the finding it closed.
READ_OTHERWISE = [
    # R10-12: os.putenv changes the C environ a child inherits, not os.environ (and deleting
    # from os.environ._data the reverse); Warden read os.environ, the child used the index
    ("putenv", "UV_INDEX_URL"),
    ("putenv-system", "UV_INDEX_URL"),
    ("data-deleted", "UV_INDEX_URL"),
    # R10-12 variant: os.putenv("PYTHONPATH", "") makes a child Python that Warden read as
    # guarded start without the guard; its script's pip was left unread
    ("putenv-pythonpath", "without Warden's guard"),
    # R11-11: {b"UV_INDEX_URL": EVIL, "UV_INDEX_URL": PyPI}: subprocess puts both copies in
    # the child's environment, whose getenv finds the first (EVIL); a dict read kept the last
    ("env-twice", "named twice"),
    # R11-13: `bash -c "pip install numpy"` read as a pip keeping its guard ran an exported
    # bash function `pip` (BASH_FUNC_pip%%) or one defined in $BASH_ENV: uv from the index
    ("bash-function", "os.environ.pop('BASH_FUNC_pip%%') before it"),
    ("bash-env-inherited", "runs code Warden does not read"),
    # its gap: `subprocess.run(["./x.sh"])`, whose #!/bin/bash line runs bash with that
    # function (SHELLOPTS=xtrace with a PS4 `$(...)` is pinned by vectors: bash ignores an
    # inherited PS4 when it runs as root, as this test machine does)
    ("bash-script", "runs code Warden does not read"),
    ("bash-script-inherited", "runs code Warden does not read"),
    # R11-18: `uv pip install -r /proc/self/cwd/r.txt` with Popen cwd=d: Warden opened the
    # kernel's r.txt (warden-demo-pkg from PyPI), uv its own folder's (an index it refuses)
    ("proc-self-cwd", "names the process reading it"),
    # R11-21: os.posix_spawn("ls") runs ./ls (no PATH search), os.posix_spawnp("ls", env=E)
    # looks it up on the kernel's PATH, not E's; Warden looked on E's PATH only (ls: inert)
    ("posix-spawn", "UV_INDEX_URL"),
    ("posix-spawnp", "UV_INDEX_URL"),
    # R11-5: multiprocessing's spawn starts its Python through _posixsubprocess.fork_exec,
    # which raises no audit event; with the guard's entry gone from the kernel's environment
    # the child ran pip unguarded and unread. The start is now decided as a process start
    ("mp-spawn", "without Warden's guard"),
]
PIP_PAYLOADS = {"putenv-pythonpath", "mp-spawn"}  # a Python's pip, not uv, is the payload


@pytest.mark.parametrize(("how", "named"), READ_OTHERWISE)
def test_a_start_warden_read_otherwise_than_the_child_gets_it_is_refused(
    index, tmp_path, how, named
):
    """What a child gets besides its command line (its environment, its folder, where its
    program is found) is read as the child gets it: each payload installs without Warden and
    is refused before it starts with Warden, saying why."""
    result = _installs_without_warden_refused_with_it(LaunchedKernel(tmp_path, index), how)
    assert named in result["refused"], result


@pytest.mark.parametrize("how", ["environ-instance", "decoder-replaced"])
def test_an_environment_warden_cannot_read_as_the_child_will_is_refused(index, tmp_path, how):
    """R10-11: any os._Environ passed as env was read through its caller's decoders, which
    may answer otherwise when subprocess reads it again; so was os.environ with a replaced
    decodevalue. Only a plain dict, or os.environ as Warden found it, is read."""
    kernel = LaunchedKernel(tmp_path, index)
    result = _installs_without_warden_refused_with_it(kernel, how)
    assert "environment" in result["refused"] and "dict" in result["refused"], result
    assert [e["rule_id"] for e in spooled(kernel.spool) if e["action"] == "blocked"] == [
        "install-unreadable"
    ]


def test_a_bare_program_name_given_to_execv_is_read_from_the_working_folder(index, tmp_path):
    """R11-21: os.execv("ls") in a forked child runs ./ls; the refusal ends the child (126)."""
    kernel = LaunchedKernel(tmp_path, index)
    assert kernel.run("execv", launched=False) == {"refused": None, "code": 0}
    assert kernel.installed() and kernel.index.requests
    kernel.reset()
    assert kernel.run("execv", launched=True) == {"refused": None, "code": 126}
    assert kernel.index.requests == [] and not kernel.installed()


def test_os_environ_and_putenv_of_other_variables_keep_ordinary_installs_working(index, tmp_path):
    """No false refusal: env=os.environ, and an os.putenv of an unrelated variable, leave an
    install from the trusted index (here: the policy trusts the local one) decided as before."""
    kernel = LaunchedKernel(tmp_path, index)
    kernel.policy.write_text(
        json.dumps(dict(POLICY, trusted_sources={"package_indexes": [index.simple]}))
    )
    code = (
        "import os, subprocess, sys\nos.putenv('OMP_NUM_THREADS', '1')\n"
        f"os.environ['PIP_INDEX_URL'] = {index.simple!r}\n"
        f"subprocess.run([sys.executable, '-m', 'pip', 'install', '--no-deps', '--target', "
        f"{str(kernel.target)!r}, 'warden-demo-pkg'], env=os.environ, check=True)\n"
        "os.system('true')\nprint('{\"refused\": null}')\n"
    )
    assert run_python(code, [], kernel.env()) == {"refused": None}
    assert kernel.installed()


def test_a_child_python_with_a_folder_the_kernel_was_not_started_with_keeps_its_guard(
    index, tmp_path
):
    """R10-6: PYTHONPATH=<guard's folder>:<a cell's folder> counted as keeping the guard, but
    that folder comes before the standard library: its _compat_pickle.py broke the guard's
    boot. The boot takes the PYTHONPATH folders off sys.path while it loads, so the child
    keeps its guard (red team 27b: the folder holds no module Python imports while it starts,
    so the parent reads the child as guarded), and that guard refuses the child's install."""
    kernel = LaunchedKernel(tmp_path, index)
    kernel.reset()
    assert kernel.run("shadow", launched=False) == {"refused": None, "code": 0}
    assert kernel.installed() and kernel.index.requests
    kernel.reset()
    result = kernel.run("shadow", launched=True)
    assert result["code"] != 0, result  # the child's own guard refused its pip
    assert not kernel.log.exists(), "pip started"
    assert kernel.index.requests == [] and not kernel.installed()


def test_a_plain_script_with_the_notebooks_own_folder_on_pythonpath_still_runs(index, tmp_path):
    kernel = LaunchedKernel(tmp_path, index)
    assert kernel.run("src-folder", launched=True) == {"refused": None, "code": 0}
