"""Red team 28c: a Python, or a file uv runs as one, trusted by age wherever it is.

R28c-7: ``uv_inputs.interpreter_problem`` let uv run (to query it, ``FILE -I -B -c CODE``) any
``--python`` / ``UV_PYTHON`` file unchanged since the kernel started. An old clone's ``proj/py``
(a perl or sh script that installs) ran through ``uv pip list --python proj/py``, a cell with
no install word and no new file. Now the file must be the kernel's own interpreter
(``own_python.OWN``), the machine's by place (root's, in a root-owned system folder), or an
ELF Python program whose installation ``startup_modules.unverified_stdlib`` trusts.

R28c-8: ``startup_modules.unverified_stdlib`` trusted a foreign installation whose standard
library was unchanged since the kernel started, wherever it was: an old ``py/bin/python3.11``
with a copied stdlib whose ``encodings`` installs ran that code before the guard. Now every
stdlib folder of a foreign installation must be root's in root-owned system folders too.

The refusals are proven with a real install (it lands without Warden, and with Warden the cell
is refused and the index sees no request); the cases that must keep working run for real.
"""

import os
import shutil
import sys
import time

import pytest
from real_uv import real_uv

from jupyterlab_warden.kernel.guard.installs import startup_modules, uv_inputs

# the install a planted interpreter runs: its inner uv is given --python, or it would inherit
# UV_PYTHON and run the planted file again
INSTALL = (
    "--no-config --no-cache --python /usr/bin/python3 --index-url {index} --target {target} "
    "warden-demo-pkg"
)
PERL = '#!/usr/bin/perl\nsystem("{uv_dir}/u"."v p".q(ip install -q ' + INSTALL + "));\n"
SH = '#!/bin/sh\n"{uv_dir}/u""v" p""ip install -q ' + INSTALL + "\n"


def _older_than_the_kernel(paths) -> None:
    """Wait until ``paths`` are more than a second older than a kernel started now (an old
    clone, or a file an earlier session wrote)."""
    newest = max(os.lstat(p).st_ctime for p in paths)
    while time.time() < newest + 2.5:
        time.sleep(0.05)


@pytest.fixture
def old_clone(kernel):
    """proj/py (perl) and proj/sh (sh), installing scripts from before the kernel started."""
    proj = kernel.work / "proj"
    proj.mkdir()
    uv_dir = os.path.dirname(real_uv())
    for name, text in (("py", PERL), ("sh", SH)):
        (proj / name).write_text(
            text.format(index=kernel.index.simple, target=kernel.target, uv_dir=uv_dir)
        )
        (proj / name).chmod(0o755)
    _older_than_the_kernel([proj / "py", proj / "sh"])
    return kernel


UV_CELLS = {
    "uv pip list --python proj/py (perl)": "['{uv}', 'pip', 'list', '--python', 'proj/py']",
    "uv pip list --python proj/sh (sh)": "['{uv}', 'pip', 'list', '--python', 'proj/sh']",
    "UV_PYTHON=proj/py uv pip list": "['{uv}', 'pip', 'list'], "
    "env={{**os.environ, 'UV_PYTHON': 'proj/py'}}",
    "uv venv --python proj/py v": "['{uv}', 'venv', '-q', '--python', 'proj/py', 'v']",
}


@pytest.mark.parametrize("name", list(UV_CELLS))
def test_an_old_script_given_to_uv_as_its_python_is_refused(old_clone, name):
    """R28c-7: installed without Warden, refused with it (the file is not a Python, and not
    the machine's by place, whatever its age)."""
    cell = "import os, shutil, subprocess\nshutil.rmtree('v', ignore_errors=True)\n"
    cell += f"subprocess.run({UV_CELLS[name]})\n"
    refused = old_clone.proves(cell)
    assert "not the kernel's Python nor root's in a system folder" in refused, refused
    assert "not a Python program" in refused, refused


def _uv_list(python: str) -> str:
    return f"import subprocess\nsubprocess.run(['{{uv}}', 'pip', 'list', '--python', {python}])\n"


@pytest.mark.parametrize("python", ["sys.executable", "'/usr/bin/python3'"])
def test_the_kernels_python_and_the_systems_are_given_to_uv(kernel, python):
    """The kernel's own interpreter and Debian's /usr/bin/python3 (root's) run as before."""
    assert os.stat(os.path.realpath("/usr/bin/python3")).st_uid == 0
    result = kernel.cell("import sys\n" + _uv_list(python), launched=True)
    assert result["refused"] is None, result


def test_an_old_copied_python_of_the_kernels_is_given_to_uv(kernel):
    """An ELF Python named like one, outside the system folders: a ``venv --copies`` of the
    kernel's base Python from an earlier session. Its installation is the kernel's own, so uv
    may query it. (A ``--copies`` venv of another Python is refused as a foreign home, R14-19.)"""
    venv = kernel.work / "cv"
    base = os.path.realpath(sys._base_executable)
    done = os.system(f"{base} -m venv --copies --without-pip {venv}")
    assert done == 0 and (venv / "bin" / "python3").exists()
    assert os.path.realpath(venv / "bin" / "python3") != base
    _older_than_the_kernel([venv / "bin" / "python3", venv / "pyvenv.cfg"])
    result = kernel.cell(_uv_list("'cv/bin/python3'"), launched=True)
    assert result["refused"] is None, result


def test_the_readings_of_uv_python_values(tmp_path):
    """In this process (its start is the kernel's): the kernel's interpreter and the system's
    are taken; an old script, or an old copy of a Python outside the system folders whose
    installation is the user's (pyenv under ~), is not."""
    env, cwd = dict(os.environ), str(tmp_path)
    for python in (sys.executable, "/usr/bin/python3"):
        assert (
            uv_inputs.interpreter_problem(["pip", "install", "--python", python, "x"], env, cwd)
            == ""
        )
        found = uv_inputs.interpreter_problem(["pip", "list"], {**env, "UV_PYTHON": python}, cwd)
        assert found == ""
    pyenv = "/root/.pyenv/versions/3.12.1/bin/python3.12"
    if os.path.exists(pyenv):
        found = uv_inputs.interpreter_problem(["pip", "list", "--python", pyenv], env, cwd)
        assert "Warden cannot verify its standard library" in found, found
        assert "use the kernel's Python or a system one" in found, found


# -- R28c-8: a foreign installation by place ------------------------------------------------------

BASE = os.path.realpath(sys.base_prefix)
VERSION = f"python{sys.version_info[0]}.{sys.version_info[1]}"
SKIP = shutil.ignore_patterns(
    "test", "site-packages", "__pycache__", "idlelib", "tkinter", "lib2to3", "ensurepip",
    "turtledemo", "config-*",
)  # fmt: skip
POISON = (
    "\nimport posix as _p\n_p.system('{uv} pip install -q --no-config --no-cache --python "
    "/usr/bin/python3 --target {target} --index-url {index} warden-demo-pkg')\n"
)


@pytest.fixture
def old_python(kernel):
    """py/bin/pythonX.Y (a copy of the kernel's base CPython) and py/lib/pythonX.Y (a copy of
    its standard library) whose encodings installs, from before the kernel started."""
    py = kernel.work / "py"
    (py / "bin").mkdir(parents=True)
    shutil.copy2(os.path.realpath(sys._base_executable), py / "bin" / VERSION)
    shutil.copytree(os.path.join(BASE, "lib", VERSION), py / "lib" / VERSION, ignore=SKIP)
    init = py / "lib" / VERSION / "encodings" / "__init__.py"
    text = init.read_text()
    init.write_text(
        text + POISON.format(uv=real_uv(), target=kernel.target, index=kernel.index.simple)
    )
    _older_than_the_kernel([init, py / "bin" / VERSION])
    return kernel


def test_an_old_foreign_python_installation_is_refused(old_python):
    """R28c-8: its encodings installs before the guard without Warden; with Warden the start
    is refused, the message naming the installation and what to use instead."""
    cell = f"import subprocess\nsubprocess.run(['py/bin/{VERSION}', '-c', 'pass'])\n"
    refused = old_python.proves(cell)
    assert os.path.join("py", "lib", VERSION) in refused, refused
    assert "use the kernel's Python or a system one" in refused, refused


def test_the_systems_python_starts(kernel):
    """Debian's /usr/bin/python3 (root's, in /usr) starts as before, guarded."""
    cell = "import subprocess\nsubprocess.run(['/usr/bin/python3', '-c', 'print(1)'], check=True)\n"
    result = kernel.cell(cell, launched=True)
    assert result["refused"] is None, result


def test_the_readings_of_foreign_installations():
    """The kernel's own installation and the system's are trusted; a root-owned pyenv under
    /root (not a system folder) is not, whatever its age."""
    assert startup_modules.unverified_stdlib(sys.executable) == ""
    assert startup_modules.unverified_stdlib("/usr/bin/python3") == ""
    for version in ("3.12.1", "3.10.13"):
        program = f"/root/.pyenv/versions/{version}/bin/python{version.rsplit('.', 1)[0]}"
        if os.path.exists(program):
            found = startup_modules.unverified_stdlib(program)
            assert found.startswith(f"/root/.pyenv/versions/{version}/lib/python"), found
            assert "not the machine's" in found, found
