"""A Python that starts without Warden's guard (red team 10 R10-4, R10-5, R10-9, R10-10): the
parent reads what it runs (code, script, module files) on the ``ast`` and refuses what it
cannot read. Malicious cases prove themselves: without Warden the payload installs
warden-demo-pkg from the local index, with Warden the start is refused and nothing installs."""

import json
import os
import shutil
import sys
from pathlib import Path

import pytest
from launched import launch_env, run_python
from test_install_gate import POLICY, _installed
from test_redteam_fixes import PIP_SCRIPT, _reset

from jupyterlab_warden.kernel.guard.installs import commands, guardless

PY37 = "/root/.pyenv/versions/3.7.16/bin/python3.7"


def _pip_code(tmp_path, index) -> str:
    return PIP_SCRIPT.format(
        target=str(tmp_path / "target"), log=str(tmp_path / "pip.log"), index=index.simple
    )


def _installs_unguarded_then_refused(guarded, index, tmp_path, command, why):
    """Without Warden ``command`` installs; started from a kernel with the launch guard (whose
    other children carry the guard: a kernel without it searches its children for words
    only) it is refused for ``why``."""
    index.requests.clear()
    unguarded = guarded(POLICY, command, guarded=False)
    assert unguarded["exit"] == 0 and _installed(tmp_path, "warden-demo-pkg"), unguarded
    _reset(tmp_path, index)
    shell = isinstance(command, str)
    result = _launched_kernel(tmp_path, f"subprocess.run({command!r}, shell={shell})")
    assert result["refused"] and why in result["refused"], result
    assert index.requests == [] and not _installed(tmp_path, "warden-demo-pkg")


# -- R10-9: what a guardless Python runs comes from a shell expansion ------------------------


@pytest.mark.parametrize(
    "line",
    [
        'python3 -I -c "$C"',
        'env -i python3 -c "$C"',
        'python3 -I -m "$M"',
        "python3 -E $S",
        'python3 $F -c "$C"',  # the expansion may be -I
        'python3 "$F" s.py',
    ],
)
def test_an_expansion_in_what_a_python_runs_is_unreadable(line):
    with pytest.raises(commands.Unreadable):
        commands.shell_invocations(line, 0, {})


def test_a_guarded_python_given_code_by_an_expansion_decides_it_itself():
    assert commands.shell_invocations('python3 -c "$C"', 0, {}) == []


def test_code_from_an_expansion_in_a_guardless_python_is_refused(guarded, index, tmp_path):
    code = _pip_code(tmp_path, index).replace("\n", " ").replace("main([", "; main([", 1)
    code = code.replace("import main;", "import main")
    line = f'C={json.dumps(code)}; {sys.executable} -I -c "$C"'
    _installs_unguarded_then_refused(guarded, index, tmp_path, line, "shell expansion")


# -- R10-5: python -E -m MOD ------------------------------------------------------------------


def test_a_guardless_module_in_the_working_folder_is_read(guarded, index, tmp_path):
    (tmp_path / "runme.py").write_text(_pip_code(tmp_path, index))
    command = [sys.executable, "-E", "-m", "runme"]
    _installs_unguarded_then_refused(guarded, index, tmp_path, command, "module runme")


def test_a_module_is_found_as_that_python_finds_it(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("")
    (tmp_path / "pkg" / "__main__.py").write_text("import subprocess\nsubprocess.run(['pip'])\n")
    (tmp_path / "venv.py").write_text("exec(open('x').read())\n")  # shadows the stdlib's
    other = tmp_path / "other"
    other.mkdir()
    (other / "helper.py").write_text("import os\nos.system(os.environ['X'])\n")
    flags = {"E"}
    assert guardless.module_files("pkg", flags, {}, sys.executable)[0] == [
        str(tmp_path / "pkg" / "__init__.py"), str(tmp_path / "pkg" / "__main__.py")
    ]  # fmt: skip
    for argv in (["python3", "-E", "-m", "pkg"], ["python3", "-S", "-m", "venv", "v"]):
        with pytest.raises(commands.Unreadable):
            commands.invocations(argv)
    # -I leaves the working folder off the path: the stdlib's venv runs
    assert commands.invocations(["python3", "-I", "-m", "venv", "--without-pip", "v"]) == []
    # PYTHONPATH's folders (not ignored without -E/-I)
    with pytest.raises(commands.Unreadable, match="computed arguments"):
        commands.invocations(["python3", "-S", "-m", "helper"], env={"PYTHONPATH": str(other)})
    with pytest.raises(commands.Unreadable, match="cannot find"):
        commands.invocations([sys.executable, "-I", "-m", "no_such_module_here"])
    with pytest.raises(commands.Unreadable, match="command line Warden does not know"):
        commands.invocations(["python3", "-I", "-m", "timeit", "exec('x')"])


@pytest.mark.parametrize(
    "argv",
    [
        ["python3", "-I", "-m", "venv", "--without-pip", "v"],
        ["python3", "-I", "-c", "import sys; print(sys.version)"],
        ["python3", "-I", "-V"],
        ["python3", "-I", "-m", "pip", "install", "numpy"],  # read as pip by the caller
    ],
)
def test_ordinary_guardless_pythons_still_start(argv, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    commands.invocations(argv)  # raises nothing


@pytest.mark.parametrize(
    "argv",
    [
        # R12-7: a package's __main__ calls the package's other code, which Warden does not
        # read; IPython's runs the code given after -c (computed starts unseen)
        [sys.executable, "-I", "-m", "IPython", "-c", "import os; os.system('u' + 'v sync')"],
        [sys.executable, "-I", "-m", "ipykernel", "install", "--help"],
        ["python3", "-I", "-c", "from IPython.utils.process import system; system('u'+'v')"],
    ],
)
def test_guardless_code_calling_modules_warden_does_not_read_is_refused(
    argv, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(commands.Unreadable, match="code Warden cannot read"):
        commands.invocations(argv)


# -- R10-10: obfuscated code ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "why"),
    [
        ("exec(bytes.fromhex('7072696e74283129'))", "calls exec"),
        ("import base64; eval(base64.b64decode(b'MQ=='))", "calls eval"),
        ("__import__('p'+'ip')", "__import__"),
        ("import importlib; importlib.import_module('p'+'ip')", "importlib"),
        ("from importlib import import_module as f; f('x')", "importlib"),
        ("import runpy; runpy.run_module('x')", "runpy"),
        ("import os; getattr(os, 'sys' + 'tem')('x')", "computed name"),
        ("import os; os.system(bytes.fromhex('6c73').decode())", "computed arguments"),
        ("from subprocess import run as r; r(['x', y])", "computed arguments"),
        ("import os; f = os.system; f('ls')", "passes os.system around"),
        # R12-7: names reached through imports (allow list)
        ("import os; getattr(os, 'system')('x')", "it uses os,"),
        ("import subprocess as s; t = s; t.run(['x'])", "it uses subprocess,"),
        ("import sys; sys.modules['os'].system('x')", ".system of a value"),
        ("import sys; m = sys.modules", "uses sys.modules"),
        ("import functools, os; functools.reduce(getattr, ['system'], os)", "getattr around"),
        ("import operator; operator.methodcaller('system', 'x')", "operator.methodcaller"),
        ("from distutils.spawn import spawn; spawn(['x'])", "distutils.spawn.spawn"),
        ("import popen2; popen2.Popen3('x')", "popen2.Popen3"),
        ("import _posixsubprocess as p; p.fork_exec()", "_posixsubprocess.fork_exec"),
        # red team 14 R14-29: the import alone (it runs $BROWSER)
        ("import webbrowser; webbrowser.open('x')", "imports webbrowser"),
        ("import platform; platform.architecture()", "platform.architecture"),
        ("import asyncio; asyncio.get_event_loop().subprocess_shell('x')", "subprocess_shell"),
        ("import posix; posix.system(bytes.fromhex('6c73').decode())", "process (os.system)"),
        ("from IPython.utils.process import system; system('u' + 'v')", "process.system"),
        ("import helpers; helpers.run('x')", "helpers.run"),
        ("from numpy import *", "imports every name of numpy"),
        ("().__class__.__base__.__subclasses__()", "it reaches __"),
        ("import pickle; pickle.loads(b'')", "pickle"),
        ("from multiprocessing.spawn import spawn_main; spawn_main(pipe_handle=7)", "multip"),
        ("print(1", "does not parse"),
    ],
)
def test_dynamic_code_is_code_warden_cannot_read(code, why):
    assert why in guardless.dynamic_code(code)
    with pytest.raises(commands.Unreadable, match="cannot read"):
        commands.invocations(["python3", "-I", "-c", code])


@pytest.mark.parametrize(
    "code",
    [
        "import sys; print(sys.version)",
        "import re; print(re.compile('x').pattern)",
        "import os, subprocess; os.system('ls -l'); subprocess.run(['git', 'status'])",
        "import numpy as np; print(np.__version__)",
        # R12-7: names reached through imports (allow list)
        "import os, json; print(os.path.join('a', 'b'), json.dumps({}), os.environ.get('X'))",
        "from pathlib import Path; print(Path('x').exists())",
        "import posix; posix.system('ls -l')",
        "import asyncio\nasync def main():\n    await asyncio.sleep(0)\nasyncio.run(main())",
        "class A:\n    def __init__(self):\n        super().__init__()\n",
    ],
)
def test_plain_code_is_read(code):
    assert guardless.dynamic_code(code) == ""


def test_obfuscated_code_in_a_guardless_python_is_refused(guarded, index, tmp_path):
    """In a launched kernel (whose other children carry the guard); a kernel without the
    launch guard searches every child's code for words only (see below)."""
    payload = _pip_code(tmp_path, index).encode().hex()
    command = [sys.executable, "-I", "-c", f"exec(bytes.fromhex({payload!r}))"]
    done = guarded(POLICY, command, guarded=False)  # without Warden: installs
    assert done["exit"] == 0 and _installed(tmp_path, "warden-demo-pkg"), done
    _reset(tmp_path, index)
    result = _launched_kernel(tmp_path, f"subprocess.run({command!r})")
    assert result["refused"] and "calls exec" in result["refused"], result
    assert index.requests == [] and not _installed(tmp_path, "warden-demo-pkg")


def test_pips_own_build_hook_runner_is_read_as_any_script_where_pip_gets_the_guard(tmp_path):
    """Red team 29a R29a-8: pip's hook runner imports whatever PEP517_BUILD_BACKEND names, so a
    guardless start of it is read as any script (pip's own starts get the guard: child_path,
    as test_a_local_project_builds_in_a_launched_kernel shows). Only where no child gets the
    guard (a kernel without the launch guard, read by words) does pip's own runner pass."""
    import pip

    runner = Path(pip.__file__).parent / guardless._HOOK_RUNNERS[0].split(os.sep, 1)[1]
    build_env = {"PYTHONPATH": str(tmp_path / "pip-build-env" / "site")}
    argv = [sys.executable, str(runner), "build_wheel", str(tmp_path / "ctl")]
    with pytest.raises(commands.Unreadable, match="importlib"):
        commands.invocations(argv, env=build_env)
    copy = tmp_path / "_in_process.py"
    shutil.copy(runner, copy)
    with pytest.raises(commands.Unreadable, match="importlib"):
        commands.invocations([sys.executable, str(copy), "build_wheel", "ctl"], env=build_env)
    token = commands.UNLAUNCHED.set(True)
    try:
        assert commands.invocations(argv, env=build_env) == []
    finally:
        commands.UNLAUNCHED.reset(token)


# -- R10-4: an interpreter that cannot host the guard ---------------------------------------


def test_which_interpreters_host_the_guard(tmp_path):
    assert guardless.hosts_guard(sys.executable, {})
    assert not guardless.hosts_guard(None, {})
    old = tmp_path / "python3.7"
    old.symlink_to(sys.executable)  # named as an old one, its real file is the kernel's
    assert guardless.hosts_guard(str(old), {})
    copy = tmp_path / "python"
    shutil.copy(sys.executable, copy)  # a copy Warden cannot place
    assert not guardless.hosts_guard(str(copy), {})
    venv = tmp_path / "v"
    (venv / "bin").mkdir(parents=True)
    (venv / "bin" / "python").write_text("")
    (venv / "pyvenv.cfg").write_text("home = /x\nversion = 3.7.16\n")
    assert not guardless.hosts_guard(str(venv / "bin" / "python"), {})
    (venv / "pyvenv.cfg").write_text("home = /x\nversion_info = 3.12.1.final.0\n")
    # a venv's layout says its version, not that its program is a Python (fix67pyname: the
    # file is one only as the kernel's, the machine's or a copy of one)
    assert not guardless.hosts_guard(str(venv / "bin" / "python"), {})
    shutil.copy(sys.executable, venv / "bin" / "python")  # a --copies venv of the kernel's
    assert guardless.hosts_guard(str(venv / "bin" / "python"), {})


KERNEL_CELL = """
import json, subprocess, sys
try:
    exec(sys.argv[1])
    print(json.dumps({'refused': None}))
except PermissionError as exc:
    print(json.dumps({'refused': str(exc)}))
"""


def _launched_kernel(tmp_path, cell: str) -> dict:
    """Runs ``cell`` in a process with the lab's launch environment (its guard from the
    PYTHONPATH sitecustomize, as a launched kernel has it), or none with ``launched`` off."""
    spool = tmp_path / "spool"
    spool.mkdir(mode=0o700, exist_ok=True)
    (tmp_path / "home").mkdir(exist_ok=True)
    policy = tmp_path / "launch-policy.json"
    policy.write_text(json.dumps(POLICY))
    env = launch_env(tmp_path, spool, tmp_path / "home", policy)
    return run_python(KERNEL_CELL, [cell], env, cwd=tmp_path, timeout=300, keep_stderr=True)


def test_an_old_python_child_is_read_as_guardless(guarded, index, tmp_path):
    """A real Python 3.7 (no sys.audit: the launch guard cannot install in it)."""
    (tmp_path / "s.py").write_text(_pip_code(tmp_path, index))
    # without Warden: the old Python's pip installs from the index
    done = guarded(POLICY, [PY37, "s.py"], guarded=False)
    assert done["exit"] == 0 and _installed(tmp_path, "warden-demo-pkg"), done
    _reset(tmp_path, index)
    # launched kernel: the launch guard does not come up in that child, the parent refuses it
    result = _launched_kernel(tmp_path, f"subprocess.run([{PY37!r}, 's.py'])")
    # refused as a Python that cannot host the guard, or (red team 28c R28c-8) earlier, as an
    # installation the kernel's user may write (this one: pyenv's, under /root)
    refused = result["refused"] or ""
    assert "can host its guard" in refused or "not the machine's" in refused, result
    assert index.requests == [] and not _installed(tmp_path, "warden-demo-pkg")
    # the kernel's own interpreter still starts scripts (its own guard decides them)
    (tmp_path / "hello.py").write_text("open('ran', 'w').close()\n")
    assert (
        _launched_kernel(
            tmp_path,
            "subprocess.run([sys.executable, 'hello.py'])".replace(
                "sys.executable", repr(sys.executable)
            ),
        )["refused"]
        is None
    )
    assert (tmp_path / "ran").exists()


def test_a_local_project_builds_in_a_launched_kernel(tmp_path):
    """pip's isolated build runs pyproject_hooks' runner with its build environment as
    PYTHONPATH: Warden starts it with the guard first and that PYTHONPATH put back after it
    (child_path), and the build passes."""
    wheels = tmp_path / "wheels"
    wheels.mkdir()
    # setuptools (and, for an older one, wheel) from this machine: the test runs offline
    folders = [Path("/opt/pypi/files"), Path(sys.base_prefix) / "lib" /
               f"python3.{sys.version_info[1]}" / "ensurepip" / "_bundled"]  # fmt: skip
    for name in ("setuptools", "wheel"):
        found = [w for folder in folders for w in sorted(folder.glob(f"{name}-*.whl"))]
        # ensurepip bundles setuptools with Python 3.11: a machine without it is broken
        assert found or name != "setuptools", f"no setuptools wheel in {folders}"
        for wheel in found[:1]:
            shutil.copy(wheel, wheels)
    project = tmp_path / "proj"
    project.mkdir()
    (project / "pyproject.toml").write_text(
        '[build-system]\nrequires = ["setuptools"]\nbuild-backend = "setuptools.build_meta"\n'
        '[project]\nname = "warden-local-proj"\nversion = "1.0"\n'
    )
    (project / "warden_local_proj.py").write_text("X = 1\n")
    pip = [
        sys.executable, "-m", "pip", "install", "--no-index", "--find-links", str(wheels),
        "--target", str(tmp_path / "target"), str(project),
    ]  # fmt: skip
    result = _launched_kernel(tmp_path, f"assert subprocess.run({pip!r}).returncode == 0")
    assert result["refused"] is None, result
    assert (tmp_path / "target" / "warden_local_proj.py").exists()


def test_a_guardless_pythons_files_are_found_where_it_starts(tmp_path, monkeypatch):
    """Popen's cwd and a line's `cd` are where a guardless Python finds its script and a
    working-folder module (a benign copy in the kernel's folder must not stand in)."""
    from jupyterlab_warden.kernel.guard.installs.gate import read_requests

    monkeypatch.chdir(tmp_path)
    (tmp_path / "s.py").write_text("print('hello')\n")
    work = tmp_path / "d"
    work.mkdir()
    (work / "s.py").write_text("exec(open('x').read())\n")
    (work / "json.py").write_text("exec(open('x').read())\n")  # shadows the stdlib's json
    env = {"HOME": str(tmp_path)}

    def problems(argv, shell, cwd):
        return [p for r in read_requests(argv, shell, env, cwd) for p in r.problems]

    for argv in ([sys.executable, "-E", "-m", "json"], [sys.executable, "-I", "s.py"]):
        assert problems(argv, None, str(tmp_path)) == []
        assert any("calls exec" in p for p in problems(argv, None, str(work)))
    for line in ("cd d && python3 -E -m json", "cd d && python3 -I s.py"):
        assert any("calls exec" in p for p in problems(None, line, str(tmp_path)))
    # after `;` the cd may have failed (red team 12 R12-11): the folder is not told
    for line in ('cd "$D" && python3 -I s.py', "cd d; python3 -I s.py"):
        assert any("cannot follow" in p for p in problems(None, line, str(tmp_path)))


def test_a_kernel_without_the_launch_guard_searches_its_plain_children_for_words(tmp_path):
    """Every child Python of such a kernel is guardless (R9-5): its code is searched for
    installer words, as before red team 10, -I or not (reading `python -I x.py` in full gains
    nothing over the plain `python x.py` an attacker would write instead)."""
    from jupyterlab_warden.kernel.guard.installs.gate import read_requests

    script = tmp_path / "train.py"
    script.write_text("import subprocess, sys\nsubprocess.run(sys.argv[1:])\n")
    unlaunched = commands.LaunchGuard(False, ())
    env = {"HOME": str(tmp_path)}

    def problems(argv, launch):
        return [p for r in read_requests(argv, None, env, str(tmp_path), launch=launch)
                for p in r.problems]  # fmt: skip

    assert problems([sys.executable, str(script)], unlaunched) == []
    assert problems([sys.executable, "-I", str(script)], unlaunched) == []
    launched = commands.LaunchGuard(True, ())
    assert any("computed arguments" in p
               for p in problems([sys.executable, "-I", str(script)], launched))  # fmt: skip
    script.write_text("import subprocess\nsubprocess.run(['pip', 'install', 'x'])\n")
    assert any("mentions an installer" in p
               for p in problems([sys.executable, str(script)], unlaunched))  # fmt: skip
