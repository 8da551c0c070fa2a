"""Program files on a start's PATH written BEFORE the kernel started (age81).

``path_programs`` read a program file in a folder of the start's PATH as a start of its own
only when it changed since the kernel started; an older one counted as the machine's wherever
it was. A project cloned in an earlier session (or a kernel restarted after a cell wrote it)
holds ``bin/gzip`` whose ``#!`` line starts an installer; ``PATH=bin:$PATH tar czf`` (or
``bin`` put first on os.environ's PATH, then ``subprocess.run(['tar', ...])``) runs it by name
and it installs, unread. Now an older program file in a folder that is not the machine's
(``commands._machine_program``'s place rule) is read by its ``#!`` line, read once per file
state when its folder is listed: a line with more words than an interpreter and its one
option is read in full, a Python's as that Python's start (once per interpreter line and
environment), an interpreter's alone (node, bash, perl) not at all unless the start's
environment sets a variable that interpreter reads; a native program is not read.

The real proofs wait until the file is older than a kernel start (``_older_than_a_start``),
then start a real kernel: without Warden the package installs from the local index, with
Warden the start is refused before anything is fetched. The ordinary folders (venvs, pipx,
node_modules/.bin, nvm-, conda-like bins, pyenv shims, native tools), older and first on PATH,
refuse nothing.
"""

import gzip
import os
import shutil
import subprocess
import sys
import time

import pytest
from launched import installed, system_cell
from real_uv import real_uv

# bin/gzip's `#!` line starts the installer itself (env -S splits it): tar runs it by name
SH_C = (
    "#!/usr/bin/env -S sh -c 'uv pip install -q --no-config --no-cache --target {target} "
    "--index-url {index} warden-demo-pkg'\nexit 0\n"
)
# a PEP 723 script: `uv run --script` installs its dependency from the index it names
UV_RUN = (
    "#!/usr/bin/env -S uv run --no-cache --script\n# /// script\n"
    '# dependencies = ["warden-demo-pkg"]\n# [tool.uv]\n# index-url = "{index}"\n# ///\n'
    "import warden_demo_pkg\n"
)
PATH_FIRST = 'import os\nos.environ["PATH"] = os.getcwd() + "/bin:" + os.environ["PATH"]\n'


def _older_than_a_start(path) -> None:
    """Wait until a process started now begins more than a second after ``path`` changed (the
    rule's margin, and /proc's boot time is whole seconds): a precondition on the clock."""
    changed = max(os.stat(path).st_ctime, os.lstat(path).st_ctime)
    while time.time() < changed + 2.5:
        time.sleep(0.05)


def _gzip(kernel, text: str):
    """``bin/gzip`` in the kernel's folder holding ``text``, older than the kernel's start, with
    the file tar packs."""
    installed("tar")
    (kernel.work / "bin").mkdir(exist_ok=True)
    path = kernel.work / "bin" / "gzip"
    path.write_text(text.format(target=kernel.target, index=kernel.index.simple))
    path.chmod(0o755)
    (kernel.work / "a.txt").write_text("a\n")
    (kernel.work / "a.gz").write_bytes(gzip.compress(b"hello\n"))
    _older_than_a_start(kernel.work / "bin")
    _older_than_a_start(path)
    return path


# the PATH written out (a `$PATH` expansion on the line is refused for what it is)
LINE_PATH = system_cell(f"PATH=bin:{os.path.dirname(real_uv())}:/usr/bin:/bin tar czf o.tgz a.txt")
CELL_PATH = PATH_FIRST + "import subprocess\nsubprocess.run(['tar', 'czf', 'o.tgz', 'a.txt'])\n"


@pytest.mark.parametrize("cell", [LINE_PATH, CELL_PATH], ids=["line", "cell"])
def test_an_older_gzip_whose_line_starts_an_installer_is_read(kernel, cell):
    """``#!/usr/bin/env -S sh -c 'uv pip install ...'``: installs without Warden, refused with
    it, for a PATH the line gives (the reading's) and one the cell sets (the gate's)."""
    _gzip(kernel, SH_C)
    refused = kernel.proves(cell)
    assert "gzip" in refused, refused


@pytest.mark.parametrize("cell", [LINE_PATH, CELL_PATH], ids=["line", "cell"])
def test_an_older_uv_run_script_named_gzip_is_read(kernel, cell):
    """``#!/usr/bin/env -S uv run --script``: its PEP 723 index is fetched from without Warden;
    with it, nothing is fetched and the start is refused."""
    _gzip(kernel, UV_RUN)
    kernel.reset()
    plain = kernel.cell(cell, launched=False)
    assert plain["refused"] is None and kernel.index.requests, plain
    kernel.reset()
    guarded = kernel.cell(cell, launched=True)
    assert guarded["refused"] and kernel.index.requests == [], guarded
    assert "gzip" in guarded["refused"], guarded


# a Python script whose start drops the guard (-I: no PYTHONPATH, the guard's way in), its
# installer's name built from pieces so no word of it names one
GUARDLESS = (
    "#!{line}\nimport os\nos.system('{uv_dir}/u' + 'v pip install -q --no-config --no-cache "
    "--target {target} --index-url {index} warden-demo-pkg')\n"
)


@pytest.mark.parametrize("line", [f"{sys.executable} -I", "/usr/bin/env -S python3 -I"])
@pytest.mark.parametrize("cell", [LINE_PATH, CELL_PATH], ids=["line", "cell"])
def test_an_older_python_script_that_drops_the_guard_is_read(kernel, line, cell):
    """A Python's line with an option (``-I``) is asked whether its start keeps the guard; it
    does not, so the script is read in full, as a guardless Python's script is."""
    uv_dir = os.path.dirname(real_uv())
    _gzip(kernel, GUARDLESS.replace("{line}", line).replace("{uv_dir}", uv_dir))
    refused = kernel.proves(cell)
    assert "gzip" in refused, refused


# -- no false refusals: the ordinary folders, older than the kernel, first on its PATH ---------
ORDINARY = """import os, subprocess
subprocess.run(['uname', '-p'], check=True, stdout=subprocess.DEVNULL)  # ipykernel's, at start
subprocess.run(['true'], check=True)
assert os.system('tar czf o.tgz a.txt && zcat a.gz >/dev/null') == 0
subprocess.run(['git', 'status', '--short'], check=True, stdout=subprocess.DEVNULL)
for i in range(3):
    subprocess.run(['true'], check=True, env={{**os.environ, 'SEED': str(i)}})
subprocess.run(['warden-tool'], check=True, stdout=subprocess.DEVNULL)
assert os.system('PATH={path} tar czf p.tgz a.txt') == 0
"""


def _venv(root, wheel):
    """A venv (no pip) with ``warden-tool``'s console script: ``#!`` its own Python."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(root)], check=True)
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(root / "bin" / "python"), "install", "-q",
         "--no-index", "--no-deps", str(wheel)],
        check=True,
    )  # fmt: skip
    return root / "bin"


def _ordinary_folders(kernel, tmp_path) -> list:
    """The folders a notebook's PATH holds, each as its tool makes it: a venv's bin, pipx's
    ~/.local/bin (links into pipx's venvs), a project's node_modules/.bin (links to
    ``#!/usr/bin/env node`` files), nvm- and conda-like bins (node, npm, a Python's console
    scripts), pyenv's shims folder (its versions include 2.7 and 3.6, which cannot host the
    guard), cargo's and Go's native programs."""
    from local_index import build_wheel

    installed("node")
    wheel = build_wheel(
        tmp_path / "w", "warden-tool", body="def main():\n    print('tool')\n",
        scripts="warden-tool = warden_tool_mod:main\n",
    )  # fmt: skip
    other = _venv(tmp_path / "other", wheel)
    local = tmp_path / "home" / ".local" / "bin"
    local.mkdir(parents=True)
    (local / "warden-tool").symlink_to(other / "warden-tool")
    project = kernel.work / "node_modules"
    (project / "pkg" / "bin").mkdir(parents=True)
    (project / ".bin").mkdir()
    for name in ("tool-js", "tsc", "eslint"):
        _write(project / "pkg" / "bin", f"{name}.js", "#!/usr/bin/env node\nconsole.log(1)\n")
        (project / ".bin" / name).symlink_to(f"../pkg/bin/{name}.js")
    nvm = tmp_path / "nvm" / "versions" / "node" / "v20" / "bin"
    nvm.mkdir(parents=True)
    (nvm / "node").symlink_to(shutil.which("node"))
    npm = os.path.realpath(installed("npm"))
    (nvm / "npm").symlink_to(npm)
    conda = tmp_path / "conda" / "bin"
    conda.mkdir(parents=True)
    (conda / "node").symlink_to(shutil.which("node"))
    _write(conda, "jupyter-x", f"#!{other}/python\nimport sys\nsys.exit(0)\n")
    _write(conda, "conda-env", f"#!{other}/python -s\nimport sys\nsys.exit(0)\n")
    native = tmp_path / "cargo" / "bin"
    native.mkdir(parents=True)
    for name in ("cargo-fmt", "rg", "gofmt"):
        shutil.copy(shutil.which("true"), native / name)
    folders = [other, local, project / ".bin", nvm, conda, native]
    if os.path.isdir(os.path.expanduser("~/.pyenv/shims")):
        folders.append(os.path.expanduser("~/.pyenv/shims"))  # pyenv's own, with its template
    pyenv = tmp_path / "pyenv" / "shims"  # its exact template, in any case
    for name in ("python", "python2.7", "python3.6", "pip", "2to3"):
        _write(pyenv, name, PYENV_SHIM)
    folders.append(pyenv)
    (kernel.work / "a.txt").write_text("a\n")
    (kernel.work / "a.gz").write_bytes(gzip.compress(b"hello\n"))
    subprocess.run(["git", "init", "-q", str(kernel.work)], check=True)
    for folder in folders:
        for entry in os.scandir(folder):
            _older_than_a_start(entry.path)
        _older_than_a_start(folder)
    return [str(folder) for folder in folders]


# pyenv-rehash's prototype shim, as pyenv writes it
PYENV_SHIM = """#!/usr/bin/env bash
set -e
[ -n "$PYENV_DEBUG" ] && set -x

program="${0##*/}"

export PYENV_ROOT="/root/.pyenv"
exec "/root/.pyenv/libexec/pyenv" exec "$program" "$@"
"""


def _write(folder, name: str, text: str):
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, name)
    with open(path, "w") as fh:
        fh.write(text)
    os.chmod(path, 0o755)
    return path


def test_the_ordinary_folders_older_and_first_on_path_refuse_nothing(kernel, tmp_path):
    """A guarded kernel whose PATH starts with every ordinary folder (older than its start)
    runs its ordinary starts unrefused, the line's own PATH too; the kernel's own venv first."""
    folders = _ordinary_folders(kernel, tmp_path)
    env = kernel.env(True)
    own = os.path.dirname(sys.executable)
    env["PATH"] = os.pathsep.join([own, *folders, env["PATH"]])
    line_path = os.pathsep.join([*folders, "/usr/bin", "/bin"])
    result = kernel.cell(ORDINARY.replace("{path}", line_path), launched=True, env=env)
    assert result["refused"] is None, result
    # the kernel's own venv bin after the others: their console scripts come first
    env["PATH"] = os.pathsep.join([*folders, own, env["PATH"]])
    result = kernel.cell(ORDINARY.replace("{path}", line_path), launched=True, env=env)
    assert result["refused"] is None, result


def test_an_older_node_script_is_weighed_by_its_environment(kernel):
    """``#!/usr/bin/env node`` (a project's node_modules/.bin): its body is not read, but
    NODE_OPTIONS on the line makes node run a file Warden never read before it: without
    Warden the marker appears, with it the line is refused."""
    installed("node")
    gz = _write(kernel.work / "nm" / ".bin", "gzip", "#!/usr/bin/env node\nconsole.log(1)\n")
    (kernel.work / "p.js").write_text("require('fs').writeFileSync('marker', 'ran')\n")
    (kernel.work / "a.txt").write_text("a\n")
    _older_than_a_start(gz)
    _older_than_a_start(kernel.work / "nm" / ".bin")
    line = "NODE_OPTIONS=--require=./p.js PATH=nm/.bin:/usr/bin:/bin tar czf o.tgz a.txt"
    plain = kernel.cell(system_cell(line), launched=False)
    assert plain["refused"] is None and (kernel.work / "marker").exists(), plain
    (kernel.work / "marker").unlink()
    guarded = kernel.cell(system_cell(line), launched=True)
    assert guarded["refused"] and "NODE_OPTIONS" in guarded["refused"], guarded
    assert not (kernel.work / "marker").exists()


# -- the listing's sorting, and its cost -----------------------------------------------------
@pytest.fixture
def before_the_kernel(monkeypatch):
    """The reading as a kernel started after every file the test writes."""
    from jupyterlab_warden.kernel.guard.installs import kernel_age, path_programs

    monkeypatch.setattr(kernel_age, "_STARTED", time.time() + 5)
    monkeypatch.setattr(path_programs, "_started", None)
    monkeypatch.setattr(path_programs, "_FOLDERS", {})


@pytest.mark.parametrize(
    "line, kind",
    [
        ("#!/usr/bin/env node", "script"),
        ("#!/usr/bin/env bash", "script"),  # pyenv's shims
        ("#!/bin/sh", "script"),
        ("#!/usr/bin/perl -w", "script"),
        ("#!/usr/bin/awk -f", "script"),
        (f"#!{sys.executable}", "python"),
        ("#!/usr/bin/env python3", "python"),
        ("#!/usr/bin/python3 -I", "python"),  # asked whether it keeps the guard: it does not
        ("#!/usr/bin/env -S sh -c 'uv pip install x'", "full"),
        ("#!/usr/bin/env -S uv run --script", "full"),
        ("#!/usr/bin/env -S python3 -I", "full"),
        ("#!/x/pip install", "full"),
        ("#!/usr/bin/uv", "full"),  # an installer given the script's path
        ("#!/usr/bin/nice bash", "full"),
        ("#!/bin/sh -c", "full"),
        ("#!/usr/bin/env -i node", "full"),
        ("#!" + "x" * 300, "full"),  # longer than the kernel reads
        ("echo no line", "native"),
    ],
)
def test_an_older_file_is_sorted_by_its_line(tmp_path, line, kind):
    from jupyterlab_warden.kernel.guard.installs import path_programs

    path = _write(tmp_path, "tool", line + "\nbody\n")
    assert path_programs._line_kind(path)[0] == kind


def test_a_native_program_is_not_read(tmp_path):
    from jupyterlab_warden.kernel.guard.installs import path_programs

    shutil.copy(shutil.which("true"), tmp_path / "rg")
    assert path_programs._line_kind(str(tmp_path / "rg"))[0] == "native"


def test_the_listing_sorts_older_files_once_and_a_start_pays_no_call_per_file(
    tmp_path, before_the_kernel, monkeypatch
):
    """A node_modules/.bin of 300 links and a venv's 30 console scripts: sorted when listed;
    a start after that makes no system call per file (the folders' own stats only, and that of
    the folder the links lead to: R82-5)."""
    from jupyterlab_warden.kernel.guard.installs import path_programs

    project = tmp_path / "node_modules"
    for i in range(300):
        _write(project / "pkg", f"t{i}.js", "#!/usr/bin/env node\n")
        os.makedirs(project / ".bin", exist_ok=True)
        os.symlink(f"../pkg/t{i}.js", project / ".bin" / f"t{i}")
    for i in range(30):
        _write(tmp_path / "v" / "bin", f"s{i}", f"#!{sys.executable}\nimport x\n")
    _write(tmp_path / "v" / "bin", "gzip", "#!/usr/bin/env -S uv run --script\n")
    search = f"{project / '.bin'}:{tmp_path / 'v' / 'bin'}"
    monkeypatch.setattr(path_programs, "_SETTLED", 0)  # the test's folders count as settled
    older: list = []
    assert path_programs.new_programs(search, None, None, older) == []
    scripts, pythons = older
    assert len(scripts.scripts) == 300 and not scripts.pythons and not scripts.full
    assert {w: len(f) for w, f in pythons.pythons.items()} == {(sys.executable,): 30}
    assert [os.path.basename(p) for p, _ in pythons.full] == ["gzip"]
    calls = []
    for name in ("lstat", "stat", "open", "access", "readlink"):
        real = getattr(os, name)
        monkeypatch.setattr(
            os, name, lambda *a, _r=real, _n=name, **k: calls.append(_n) or _r(*a, **k)
        )
    again: list = []
    path_programs.new_programs(search, None, None, again)
    # the two folders' own stats, and the one folder the 300 links lead to (R82-5)
    assert again == older and calls == ["stat", "stat", "stat"], calls


def test_root_files_of_a_settled_system_folder_are_not_sorted(before_the_kernel):
    """/usr/bin: the machine's (``commands._machine_program``'s place rule), whatever they are."""
    from jupyterlab_warden.kernel.guard.installs import path_programs

    assert path_programs._listed("/usr/bin")[2] is None


@pytest.mark.parametrize("unlaunched", [False, True])
def test_a_python_line_is_asked_whether_it_keeps_the_guard(tmp_path, unlaunched):
    """One answer per line: a console script's plain line keeps the guard (in a kernel without
    the launch guard, where every child Python is searched for words only, no more than any
    `python x.py`); ``-I`` drops it, so that line's files are read in full."""
    from jupyterlab_warden.kernel.guard.installs import commands

    plain = _write(tmp_path, "tool", f"#!{sys.executable}\nimport x\n")
    isolated = _write(tmp_path, "gzip", f"#!{sys.executable} -I\nimport x\n")
    site = commands._site_dir()  # the guard's folder, first on a guarded child's PYTHONPATH
    env = {"PATH": os.environ["PATH"], "PYTHONPATH": site}
    launch = commands.LaunchGuard(not unlaunched, (("PYTHONPATH", site),))
    with commands.start_folder(str(tmp_path), unlaunched), commands.shell_environment(env):
        lost = commands.guard_env(env, launch)
        assert commands.python_script_keeps_guard(plain, lost)
        assert not commands.python_script_keeps_guard(isolated, lost)
