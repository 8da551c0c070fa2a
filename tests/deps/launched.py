"""A kernel of the lab's launch environment, for tests: a Python whose guard comes from the
PYTHONPATH sitecustomize (the guard's site folder first, a launch policy pinned by its digest,
its events spooled), as the lab starts kernels; or the same Python without Warden.

The code a test runs travels as an argument: a guard this pytest process may hold (a whole
suite run) reads a child Python's code, not its arguments.
"""

import hashlib
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Callable, Dict, List, Optional, Union

from install_env import child_env
from local_index import build_wheel
from real_uv import real_uv

from jupyterlab_warden.kernel.boot.launch_env import kernel_env

GIT = shutil.which("git")

# runs one shell line (`!LINE`, os.system), after an optional cell (argv[2]) that prepares
# the kernel (`os.environ["PATH"] = ...`); says whether Warden refused the line's start
SHELL_LINE = r"""
import json, subprocess, sys
if len(sys.argv) > 2:
    exec(compile(sys.argv[2], "<cell>", "exec"), {"__name__": "__main__"})
try:
    done = subprocess.run(sys.argv[1], shell=True, capture_output=True, text=True)
    print(json.dumps({"refused": None, "code": done.returncode, "stderr": done.stderr}))
except PermissionError as exc:
    print(json.dumps({"refused": str(exc), "code": None}))
"""


# runs one cell (argv[1]); says whether Warden refused a start in it
CELL = r"""
import json, sys
try:
    exec(compile(sys.argv[1], "<cell>", "exec"), {"__name__": "__main__"})
    print(json.dumps({"refused": None}))
except PermissionError as exc:
    print(json.dumps({"refused": str(exc)}))
"""


def launch_env(
    tmp_path: Path, spool: Path, home: Path, policy: Optional[Path], pinned: bool = True
) -> dict:
    """The environment the lab starts a kernel with (``policy``: its launch policy, pinned
    by digest unless ``pinned`` is off); without Warden when ``policy`` is None."""
    env = child_env(spool, home)
    if policy is None:
        return env
    digest = hashlib.sha256(policy.read_bytes()).hexdigest() if pinned else None
    return kernel_env(
        env, kernel_id="k", policy_file=str(policy), spool_dir=str(spool),
        status_dir=str(tmp_path), policy_digest=digest,
    )  # fmt: skip


def run_python(
    code: str,
    args: List[str],
    env: dict,
    cwd: Optional[Path] = None,
    timeout: int = 240,
    keep_stderr: bool = False,
    python: str = sys.executable,
) -> dict:
    """Runs ``python -c code *args`` with ``env`` (``python``: this one's, unless a test
    runs a kernel of another installation): its last stdout line is the JSON result (with the
    Python's own ``stderr`` when ``keep_stderr``)."""
    done = subprocess.run(
        [python, "-c", code, *args], env=env, capture_output=True, text=True,
        timeout=timeout, cwd=str(cwd) if cwd else None,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return {**result, "stderr": done.stderr} if keep_stderr else result


def git_project(folder: Path, files: Dict[str, str]) -> Path:
    """A git repository at ``folder`` holding ``files`` (name: text), committed: what a line's
    `git clone` fetches."""
    assert GIT is not None, "git is needed (the repository itself is cloned with it)"
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text)
    g = [GIT, "-C", str(folder), "-c", "user.email=a@b", "-c", "user.name=a"]
    for step in (["init", "-q"], ["add", "."], ["commit", "-qm", "x"]):
        subprocess.run(g + step, check=True)
    return folder


class LaunchFolders:
    """A test kernel's files under ``tmp_path``: its launch policy (``policy``), its event
    spool and its HOME; ``env`` is the environment the lab starts it with, or the same kernel
    without Warden."""

    def __init__(self, tmp_path: Path, index, policy: dict):
        self.tmp, self.index = tmp_path, index
        self.policy = tmp_path / "launch-policy.json"
        self.policy.write_text(json.dumps(policy))
        self.spool = tmp_path / "launch-spool"
        self.spool.mkdir(mode=0o700)
        self.home = tmp_path / "home"
        self.home.mkdir()
        self.target = tmp_path / "target"

    def env(self, launched: bool = True) -> dict:
        return launch_env(self.tmp, self.spool, self.home, self.policy if launched else None)


def system_cell(line: str) -> str:
    """A cell running the shell line ``line`` through os.system."""
    return "import os\n" + system_call(line)


def system_call(line: str) -> str:
    """The statement of ``system_cell`` alone, for a cell whose header imported os."""
    return f"os.system({line!r})\n"


def shell_line_cell(line: str) -> str:
    """A cell running the shell ``line`` (`!line`, os.system, subprocess shell=True), its exit
    status and output kept in out.txt (a refusal raises PermissionError in the cell)."""
    code = (
        "import subprocess\n"
        f"done = subprocess.run({line!r}, shell=True, capture_output=True, text=True)\n"
        "open('out.txt', 'w').write(str(done.returncode) + '\\n' + done.stdout + done.stderr)\n"
    )
    return code.replace("{", "{{").replace("}", "}}")


def bash_cell(line: str) -> str:
    """A cell running ``line`` as ``bash -c`` text."""
    return f"import subprocess\nsubprocess.run(['bash', '-c', {line!r}])\n"


# shell text installing warden-demo-pkg from the test index (`{target}`, `{index}` filled by
# Kernel.cell): the installer's name built by the shell (`u$@v`), so the text holds none;
# HIDDEN also builds the `$(` of its substitution from a variable d holding `$`
BUILT = "u$@v p$@ip install -q --no-config --no-cache --target {target} --index-url {index} "
BUILT += "warden-demo-pkg"
HIDDEN = "${{d}}(u${{d}}@v p${{d}}@ip install -q --no-cache --target {target} --index-url {index} "
HIDDEN += "warden-demo-pkg)"
# the same install written out, from whatever index uv is given
UV_LINE = "{uv} pip install -q --no-cache --target {target} warden-demo-pkg"

KERNEL_POLICY = {"schema_version": 1, "revision": 3}

# a requirements file that keeps an install local (``--no-index``, the wheel in w/) as long as
# it is read as written: the red-team proofs empty it before the installer reads it
LOCAL_REQS = "--no-index\n--find-links w\n"
# the install reading r.txt, from the test index (a host the policy refuses) once r.txt is
# empty; Kernel.cell fills {uv}/{target}/{index}, so a line around it doubles its own braces
REQS_INSTALL = (
    "{uv} pip install -q --no-config --no-cache --no-deps "
    f"--python {sys.executable} --target {{target}} --index-url {{index}} -r r.txt warden-demo-pkg"
)


def local_reqs_cell(kernel: "Kernel", line: str, bash: bool = False, before: str = "") -> str:
    """A cell that writes r.txt (``LOCAL_REQS``, its wheel built in w/), runs the statements
    ``before``, then the shell ``line`` (holding ``REQS_INSTALL`` or its own install) through
    os.system, or through bash (``bash``: subprocess, shell=True)."""
    build_wheel(kernel.work / "w", "warden-demo-pkg")
    run = f"os.system({line!r})"
    if bash:
        run = f"subprocess.run({line!r}, shell=True, executable='/bin/bash')"
    return f"import os, subprocess\nopen('r.txt', 'w').write({LOCAL_REQS!r})\n{before}{run}\n"


# a pyproject.toml whose [tool.uv.pip] keeps a uv install local (the wheel in w/) as long as uv
# can parse it: the red-team proofs have a "reader" before the install append to it
LOCAL_PYPROJECT = (
    '[project]\nname = "nb"\nversion = "0"\n[tool.uv.pip]\nno-index = true\nfind-links = ["w"]\n'
)
# the uv install it keeps local, from the test index once uv drops those settings
PYPROJECT_INSTALL = (
    "{uv} pip install -q --no-cache --no-deps "
    f"--python {sys.executable} --target {{target}} --index-url {{index}} warden-demo-pkg"
)


def local_pyproject_cell(kernel: "Kernel") -> str:
    """The head of a cell that writes ``LOCAL_PYPROJECT`` (its wheel built in w/), for a
    ``PYPROJECT_INSTALL`` after it."""
    build_wheel(kernel.work / "w", "warden-demo-pkg")
    return f"import os\nopen('pyproject.toml', 'w').write({LOCAL_PYPROJECT!r})\n"


def self_writing_module(kernel: "Kernel") -> None:
    """Writes s.py and mod.py (``X = 1``) in the kernel's folder: s.py, no installer in it as
    Warden reads it, writes a payload (hex-encoded in it) to its stdout, then imports mod. The
    payload runs uv installing warden-demo-pkg from the test index: a guardless Python whose
    stdout is opened on mod.py runs code Warden never read (red team 56b R56b-5, -7, -8)."""
    install = (
        f"{real_uv()} pip install -q --no-config --no-cache --no-deps --python {sys.executable} "
        f"--target {kernel.target} --index-url {kernel.index.simple} warden-demo-pkg"
    )
    payload = f"import os\nos.system({install!r})\n".encode().hex()
    script = (
        "import sys\n"
        f"sys.stdout.write(bytes.fromhex({payload!r}).decode())\n"
        "sys.stdout.flush()\n"
        "import mod\n"
    )
    (kernel.work / "s.py").write_text(script)
    (kernel.work / "mod.py").write_text("X = 1\n")


def home_program_cell(folder: str, payload: str) -> str:
    """Cell text writing ``payload`` as an executable ``~/FOLDER/gzip`` (a program new since
    the kernel started in a folder of the home a shell may put on PATH), with ``os`` and
    ``subprocess`` imported for what the cell runs next. Its braces are doubled: the text is
    formatted again as the kernel's cell (``Kernel.cell``)."""
    text = (
        "import os, subprocess\n"
        "home = os.path.expanduser('~')\n"
        f"os.makedirs(home + '/{folder}', exist_ok=True)\n"
        f"with open(home + '/{folder}/gzip', 'w') as fh:\n"
        f"    fh.write({payload!r})\n"
        f"os.chmod(home + '/{folder}/gzip', 0o755)\n"
    )
    return text.replace("{", "{{").replace("}", "}}")


def _made(code: Union[str, Callable[[], str]]) -> str:
    return code() if callable(code) else code


class Kernel(LaunchFolders):
    """A kernel with (``launched``) or without the lab's launch guard, in ``tmp/work``."""

    def __init__(self, tmp_path, index, python: str = sys.executable):
        super().__init__(tmp_path, index, KERNEL_POLICY)
        self.work = tmp_path / "work"
        self.work.mkdir()
        self.python = python  # the kernel's interpreter

    def env(self, launched: bool) -> dict:
        env = super().env(launched)
        env["PATH"] = os.path.dirname(real_uv()) + os.pathsep + env.get("PATH", "")
        return env

    def cell(self, code: str, launched: bool, env=None) -> dict:
        code = code.format(index=self.index.simple, target=str(self.target), uv=real_uv())
        return run_python(
            CELL, [code], env or self.env(launched), cwd=self.work, keep_stderr=True,
            python=self.python,
        )  # fmt: skip

    def shell_line(self, line: str, launched: bool, env=None) -> dict:
        """The result of ``shell_line_cell(line)``, with ``out``: out.txt's text (the line's
        exit status, then its output), None when the line never ran (refused)."""
        out = self.work / "out.txt"
        out.unlink(missing_ok=True)
        result = self.cell(shell_line_cell(line), launched=launched, env=env)
        result["out"] = out.read_text() if out.exists() else None
        return result

    def installed(self, name="warden_demo_pkg") -> bool:
        found = list(self.target.glob(f"{name}*")) if self.target.exists() else []
        return bool(found or list(self.work.glob(f".venv/lib/python*/site-packages/{name}*")))

    def reset(self):
        shutil.rmtree(self.target, ignore_errors=True)
        shutil.rmtree(self.work / ".venv", ignore_errors=True)
        self.index.requests.clear()

    def proves(self, code: str, name="warden_demo_pkg", prepare=None) -> str:
        """Installs without Warden, refused with it: the refusal's text. ``prepare``: called
        before each run, to make afresh the files the unguarded run changed."""
        self.reset()
        if prepare is not None:
            prepare()
        plain = self.cell(code, launched=False)
        assert plain["refused"] is None and self.installed(name), plain
        assert self.index.requests
        self.reset()
        if prepare is not None:
            prepare()
        result = self.cell(code, launched=True)
        assert result["refused"], result
        assert self.index.requests == [] and not self.installed(name), result
        return result["refused"]

    def installs_unguarded(self, code: Union[str, Callable[[], str]]) -> dict:
        """The control that the attack works: without Warden ``code`` (or what it makes, made
        afresh) runs unrefused, installs and fetches from the test index (a host the policy
        refuses). The unguarded result."""
        self.reset()
        plain = self.cell(_made(code), launched=False)
        assert plain["refused"] is None and self.installed() and self.index.requests, plain
        return plain

    def kept_out(self, code: Union[str, Callable[[], str]], *about) -> dict:
        """With Warden ``code`` (or what it makes, made afresh) fetches nothing from the test
        index and installs nothing, whether refused or not (``about``: shown when it did). The
        guarded result, for a test that asserts more of it."""
        self.reset()
        guarded = self.cell(_made(code), launched=True)
        fetched = list(self.index.requests)
        assert not fetched and not self.installed(), (
            "installed under Warden", *about, fetched, guarded,
        )  # fmt: skip
        return guarded

    def kept_from_refused_host(self, code: Union[str, Callable[[], str]]) -> dict:
        """Installs without Warden (``installs_unguarded``); with Warden nothing is fetched or
        installed (``kept_out``): the guarded cell's result. ``code`` may be a function making
        the cell afresh, for a cell whose files the unguarded run changed."""
        self.installs_unguarded(code)
        return self.kept_out(code)

    def installs_locally(self, code: str) -> dict:
        """The control that the line's own files keep it local: with Warden allowed, installed,
        nothing fetched from the test index. Its result."""
        self.reset()
        result = self.cell(code, launched=True)
        assert result["refused"] is None and self.installed(), result
        assert not self.index.requests, result
        return result

    def never_runs_with_warden(self, code: str, name="warden_demo_pkg") -> None:
        """Installs without Warden; with Warden nothing is refused, fetched or installed: the
        payload never runs (a start-up module kept off a guarded child's path until its guard
        is in, red team 28a R28a-1)."""
        self.reset()
        plain = self.cell(code, launched=False)
        assert plain["refused"] is None and self.installed(name), plain
        self.reset()
        guarded = self.cell(code, launched=True)
        assert guarded["refused"] is None, guarded
        assert self.index.requests == [] and not self.installed(name), guarded

    def child_refuses(self, code: str, name="warden_demo_pkg") -> List[dict]:
        """Installs without Warden; with Warden the cell is not refused: the Python it starts
        has the guard (``child_path``: the guard's folder first, the kernel's policy and
        spool), whose refusal of that Python's own install comes before the index is asked,
        is shown on the kernel's stderr and reaches the kernel's spool. Its blocked events."""
        from install_env import spooled

        self.reset()
        plain = self.cell(code, launched=False)
        assert plain["refused"] is None and self.installed(name), plain
        self.reset()
        before = len(spooled(self.spool))
        guarded = self.cell(code, launched=True)
        assert guarded["refused"] is None, guarded
        assert self.index.requests == [] and not self.installed(name), guarded
        assert "Jupyter Warden refused" in guarded["stderr"], guarded
        blocked = [e for e in spooled(self.spool)[before:] if e["action"] == "blocked"]
        assert blocked, guarded
        return blocked

    def proves_command_text_refused(self, program: str, line: str) -> None:
        """``line``, where ``program`` runs command text that installs, installs without
        Warden and is refused with it, the refusal naming the program or the inner shell's
        expansion."""
        installed(program)
        refused = self.proves(system_cell(line))
        assert program in refused or "expansion" in refused, refused

    def uv_install(self) -> str:
        """A shell line installing warden-demo-pkg from the test index with the real uv."""
        return shlex.join(
            [real_uv(), "pip", "install", "-q", "--no-config", "--no-cache", "--python",
             sys.executable, "--target", str(self.target), "--index-url", self.index.simple,
             "warden-demo-pkg"]
        )  # fmt: skip

    def install_cell(self) -> str:
        """A cell running ``uv_install`` through os.system."""
        return system_cell(self.uv_install())


def installed(program: str) -> str:
    """A program of the base system a test runs for real (Debian: bash, dash, perl-base,
    bsdutils' script, util-linux's flock, git, tar, findutils): a missing one fails the test
    that needs it and says so; it is never passed over."""
    found = shutil.which(program)
    assert found, f"{program} is needed to prove this case: install it (apt-get install {program})"
    return found


def gnu_env() -> str:
    """The machine's GNU env (coreutils), the program whose ``-S`` splitting and options the
    env readings are modelled on and compared with (schema/vectors/env-split.json was written
    from its 9.1): another env fails the test that compares, saying so; never passed over."""
    found = installed("env")
    version = subprocess.run([found, "--version"], capture_output=True, text=True).stdout
    assert "GNU coreutils" in version, f"{found} is no GNU env: install coreutils"
    return found


def reading_refusal(argv: List[str], cwd, env: Optional[dict] = None) -> str:
    """Why the kernel's reading refuses the start ``argv`` in folder ``cwd`` ('' when it may
    start): the reading alone, no process started."""
    from jupyterlab_warden.kernel.guard.installs import commands

    with commands.start_folder(str(cwd)):
        try:
            commands.invocations(argv, 1, env or {})
        except commands.Unreadable as exc:
            return str(exc)
    return ""


# the line's PATH with the kernel installation's bin first, where its own tools are (`jupyter`:
# the reading trusts Jupyter's own tools by their real file, found on the line's PATH)
KERNEL_BIN = {"PATH": os.path.dirname(os.path.abspath(sys.executable)) + ":/usr/bin:/bin"}


def split_commands(line: str) -> list:
    """The simple commands the kernel's split gives the shell ``line`` while the whole line is
    read (``commands._split``'s entries: words at [0], own file writes at [1], the writes of
    the compounds around it at [6])."""
    from jupyterlab_warden.kernel.guard.installs import commands

    found = []
    real = commands._split

    def spy(tokens):
        split = real(tokens)
        found.extend(split)
        return split

    # read in an empty folder with system folders only on PATH: what the split gives must not
    # depend on where the tests run (CI's venv lies under the repository, so a word the line
    # reads as a program there is "an earlier command that may write" a PATH folder: refused)
    before, path = os.getcwd(), os.environ["PATH"]
    commands._split = spy
    try:
        with tempfile.TemporaryDirectory() as folder:
            os.chdir(folder)
            os.environ["PATH"] = "/usr/bin:/bin"
            try:
                commands.shell_invocations(line, 0, {})
            except commands.Unreadable:
                pass  # the split ran first: a refusal of the whole line is not this question
    finally:
        commands._split = real
        os.chdir(before)
        os.environ["PATH"] = path
    return found


def reading(text: str) -> str:
    """'' when Warden reads the shell line ``text`` (from the test's own folder and
    environment), else why it refuses it."""
    from jupyterlab_warden.kernel.guard.installs import commands

    try:
        commands.shell_invocations(text)
    except commands.Unreadable as exc:
        return str(exc)
    return ""


def line_refusal(line: str, folder, env: dict) -> str:
    """The kernel's refusal of the shell ``line`` read in ``folder`` with ``env`` (the line's
    own variables) and system folders only on PATH: no PATH rule of a user's folder ('' when
    it runs)."""
    from jupyterlab_warden.kernel.guard.installs import commands

    before, path = os.getcwd(), os.environ["PATH"]
    os.chdir(folder)
    os.environ["PATH"] = "/usr/bin:/bin"
    try:
        commands.shell_invocations(line, 0, env)
        return ""
    except commands.Unreadable as exc:
        return str(exc)
    finally:
        os.chdir(before)
        os.environ["PATH"] = path
