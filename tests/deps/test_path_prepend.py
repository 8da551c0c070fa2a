"""Red team 11 R11-20 (PATH half): a kernel that put a folder first on PATH (a venv's bin, a
conda env's, `/usr/local/cuda/bin`) had `!git clone URL proj && cd proj && pip install ...`
refused ("PATH set, changed or unset since the kernel started"), though the pip that line runs
keeps the guard. A changed PATH now counts only through the pip it finds: one running a Python
that hosts the guard is left to that guard (which reads the cloned files when it starts); one
that cannot host it is refused before the line starts.

Each case runs in a kernel of the lab's launch environment (``launched.py``) and proves itself
against the same line without Warden.
"""

import json
import os
import shutil
import subprocess
import sys

import pytest
from install_env import spooled
from launched import GIT, SHELL_LINE, git_project, launch_env, run_python

from jupyterlab_warden.kernel.guard.installs import commands

POLICY = {"schema_version": 1, "revision": 3}
PY37 = "/root/.pyenv/versions/3.7.16/bin/python3.7"  # the machine image's (pyenv)


def _installed(tmp_path, name) -> bool:
    target = tmp_path / "target"
    return target.exists() and any(target.glob(name.replace("-", "_") + "*"))


def _upstream(tmp_path, index, package: str):
    """A project repository whose requirements name ``package`` from the local index."""
    return git_project(
        tmp_path / "upstream", {"requirements.txt": f"-i {index.simple}\n{package}\n"}
    )


def _run(tmp_path, index, line: str, cell: str, launched: bool, work: str) -> dict:
    """``line`` from a kernel whose cell ``cell`` ran first; the policy trusts the local index
    and PyPI (the command line names none: the parent decides pip's default one)."""
    policy = tmp_path / "launch-policy.json"
    trusted = {"package_indexes": [index.simple, "https://pypi.org/simple"]}
    policy.write_text(json.dumps(dict(POLICY, trusted_sources=trusted)))
    spool = tmp_path / f"spool-{work}"
    spool.mkdir(mode=0o700)
    (tmp_path / "home").mkdir(exist_ok=True)
    env = launch_env(tmp_path, spool, tmp_path / "home", policy if launched else None)
    # the kernel's own pip is found on the PATH it started with, as in the lab
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", os.defpath)
    (tmp_path / work).mkdir()
    result = run_python(SHELL_LINE, [line, cell], env, cwd=tmp_path / work)
    return {**result, "events": [e["rule_id"] for e in spooled(spool) if e["action"] == "blocked"]}


def _prepend(folder) -> str:
    return f"import os\nos.environ['PATH'] = {str(folder)!r} + os.pathsep + os.environ['PATH']\n"


def _venv(tmp_path):
    """A venv made from the kernel's interpreter, with its own pip (ensurepip, offline)."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=240)
    return venv / "bin"


@pytest.mark.parametrize("folder", ["venv", "cuda"])
@pytest.mark.parametrize("package", ["warden-demo-pkg", "torcj"])
def test_a_pip_found_after_a_path_prepend_keeps_its_guard(index, tmp_path, folder, package):
    """The line starts; the pip it finds (the venv's own, or the kernel's behind a CUDA-like
    folder with no pip) runs under the guard it inherits: the benign package installs, and
    torcj, named in the cloned file, is refused by that CHILD guard (it installs without
    Warden), before pip fetched anything."""
    upstream = _upstream(tmp_path, index, package)
    if folder == "venv":
        bin_dir = _venv(tmp_path)
    else:
        bin_dir = tmp_path / "cuda" / "bin"
        bin_dir.mkdir(parents=True)
        (bin_dir / "nvcc").write_text("#!/bin/sh\nexit 0\n")
        (bin_dir / "nvcc").chmod(0o755)
    line = (
        f"which pip > where.txt && {GIT} clone -q {upstream} proj && cd proj && pip install "
        f"--no-deps --target {tmp_path / 'target'} -r requirements.txt"
    )
    plain = _run(tmp_path, index, line, _prepend(bin_dir), launched=False, work="plain")
    assert plain["code"] == 0 and _installed(tmp_path, package), plain
    shutil.rmtree(tmp_path / "target")
    index.requests.clear()
    result = _run(tmp_path, index, line, _prepend(bin_dir), launched=True, work="launched")
    assert result["refused"] is None, result  # the parent let the line start
    expected = bin_dir if folder == "venv" else os.path.dirname(sys.executable)
    ran = (tmp_path / "launched" / "where.txt").read_text().strip()
    assert os.path.dirname(ran) == str(expected), ran  # the pip that ran is the one meant
    if package == "warden-demo-pkg":
        assert result["code"] == 0 and _installed(tmp_path, package), result
        assert result["events"] == []
        return
    # the venv's Python loaded the guard from the PYTHONPATH it inherited, and refused
    assert result["code"] != 0 and "Jupyter Warden refused" in result["stderr"], result
    assert not _installed(tmp_path, package) and index.requests == []
    assert result["events"] == ["install-imitation-name"]


def _guardless_pip(tmp_path, how: str):
    """A folder whose `pip` runs without the guard: a shell script dropping PYTHONPATH, or a
    Python 3.7's pip (no sys.audit: the guard cannot run in it)."""
    tools = tmp_path / "tools"
    tools.mkdir()
    pip = tools / "pip"
    if how == "sh":
        pip.write_text(f'#!/bin/sh\nPYTHONPATH= exec {sys.executable} -m pip "$@"\n')
    else:
        assert os.path.exists(PY37), "the machine image's Python 3.7 (pyenv) is needed"
        pip.write_text(f"#!{PY37}\nimport sys\nfrom pip._internal.cli.main import main\n"
                       "sys.exit(main())\n")  # fmt: skip
    pip.chmod(0o755)
    return tools


@pytest.mark.parametrize("how", ["sh", "python3.7"])
def test_a_path_prepend_to_a_guardless_pip_is_refused(index, tmp_path, how):
    """The same line with a folder first whose pip runs without the guard: without Warden
    torcj (an imitation the policy refuses) installs from the cloned file; with Warden the
    line is refused before it starts, saying which pip it found and what to do."""
    upstream = _upstream(tmp_path, index, "torcj")
    tools = _guardless_pip(tmp_path, how)
    line = (
        f"{GIT} clone -q {upstream} proj && cd proj && pip install --no-deps --target "
        f"{tmp_path / 'target'} -r requirements.txt"
    )
    plain = _run(tmp_path, index, line, _prepend(tools), launched=False, work="plain")
    assert plain["code"] == 0 and _installed(tmp_path, "torcj"), plain
    shutil.rmtree(tmp_path / "target")
    index.requests.clear()
    result = _run(tmp_path, index, line, _prepend(tools), launched=True, work="launched")
    assert result["refused"], result
    # which pip and what to do: the pip it finds, or (the 3.7 pip, read as its Python's start
    # since red team 32) the new program file in the PATH folder, or (written more than a
    # second before the guarded kernel started: not new) that Python's own standard library,
    # whichever rule comes first
    said = [
        (f"the pip it finds ({tools / 'pip'})", "give the full path"),
        (f"{tools} on this start's PATH holds pip", "Remove the file"),
        ("pip is a Python's script", "start the kernel's Python or a venv made from it"),
    ]
    refused = result["refused"]
    assert any(which in refused and remedy in refused for which, remedy in said), refused
    assert not _installed(tmp_path, "torcj") and index.requests == []
    assert not (tmp_path / "launched" / "proj").exists()  # refused before the line ran


@pytest.mark.parametrize(
    ("words", "kept"),
    [
        ("pip install -e .", True),  # the kernel's pip, behind a folder without one
        ("python -m pip install -e .", True),
        ("nice pip install -e .", False),  # a wrapper found on that PATH may drop the guard
    ],
)
def test_a_path_change_counts_only_through_the_program_it_finds(tmp_path, words, kept, monkeypatch):
    """The reading (no kernel): PATH changed since the kernel started, then a writer and pip.
    Read in the test's own folder, without an inherited PYTHONPATH: in the checkout (a folder
    the editable install's .pth adds) or with `.` on PYTHONPATH, the clone may write the
    child's start-up modules, which R31-6 refuses (test_redteam31_line_writers)."""
    monkeypatch.delenv("PYTHONPATH", raising=False)
    monkeypatch.chdir(tmp_path)
    empty = tmp_path / "bin"
    empty.mkdir()
    path = f"{empty}{os.pathsep}{os.path.dirname(sys.executable)}{os.pathsep}/usr/bin:/bin"
    line = f"git clone https://github.com/o/proj && cd proj && {words}"
    (inv,) = [i for i in commands.shell_invocations(line, 0, {"PATH": path}) if i.tool == "pip"]
    assert (inv.problem == "") is kept, inv
    if not kept:
        assert "PATH changed since the kernel started, and nice starts the pip" in inv.problem


@pytest.mark.parametrize("exists", [False, True])
def test_a_path_folder_an_earlier_command_may_create_is_refused(tmp_path, exists):
    """A folder first on PATH that the line's clone writes: `git clone URL /tmp/w` may make
    /tmp/w/bin/pip, which the shell then finds before the pip Warden found (the clone's tree
    reaches the PATH folder: red team 21's writers, fix21), made yet or not."""
    if exists:
        (tmp_path / "w" / "bin").mkdir(parents=True)
    path = f"{tmp_path / 'w' / 'bin'}{os.pathsep}{os.path.dirname(sys.executable)}"
    line = f"git clone https://github.com/o/proj {tmp_path / 'w'} && pip install -e ."
    with pytest.raises(commands.Unreadable, match="git.*may write anything under"):
        commands.shell_invocations(line, 0, {"PATH": path})


def test_a_path_with_a_relative_folder_the_clone_writes_is_refused(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    line = "git clone https://github.com/o/proj && cd proj && pip install -e ."
    with pytest.raises(commands.Unreadable, match="git.*may write anything under"):
        commands.shell_invocations(line, 0, {"PATH": "bin:/usr/bin:/bin"})


@pytest.mark.parametrize(
    ("text", "python"),
    [
        ("#!/opt/v/bin/python3\nimport sys\n", "/opt/v/bin/python3"),
        ("#!/usr/bin/env python3\n", "FOUND"),  # found on the start's PATH
        (
            "#!/bin/sh\n'''exec' \"/very/long/v/bin/python\" \"$0\" \"$@\"\n' '''\n",
            "/very/long/v/bin/python",
        ),
        ("#!/opt/v/bin/python3 -I\n", ""),  # an option may drop the guard
        ("#!/usr/bin/env -S python3 -E\n", ""),
        ('#!/bin/sh\nPYTHONPATH= exec python3 -m pip "$@"\n', ""),
        ("\x7fELF\x02\x01", ""),
    ],
)
def test_the_python_a_pip_program_runs_is_read_from_its_file(tmp_path, text, python):
    from jupyterlab_warden.kernel.guard.installs.pip_program import interpreter_of

    (tmp_path / "pip").write_text(text)
    found = interpreter_of(
        str(tmp_path / "pip"), lambda name: "FOUND" if name == "python3" else None
    )
    assert found == python


def test_only_a_whole_pyenv_shim_is_read_as_one(tmp_path):
    """A pyenv shim runs the pip of the version pyenv picks (``hosts_guard`` reads which); a
    script that merely mentions pyenv is a shell script like any other."""
    from jupyterlab_warden.kernel.guard.installs.pip_program import interpreter_of

    shim = "/root/.pyenv/shims/pip"
    assert os.path.exists(shim), "the machine image's pyenv shims are needed"
    assert interpreter_of(shim, lambda name: None) == shim
    text = open(shim).read().replace("set -e\n", "set -e\nPYTHONPATH=\n")
    (tmp_path / "pip").write_text(text)
    assert interpreter_of(str(tmp_path / "pip"), lambda name: "/usr/bin/bash") == "/usr/bin/bash"
