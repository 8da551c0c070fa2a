"""Red team 31 R31-4 and R31-5: what a pyenv shim runs before the Python it picks.

A pyenv shim (``python3``, ``pip``) is a bash script that runs ``$ROOT/libexec/pyenv exec``;
pyenv builds its hook path from PYENV_HOOK_PATH (then ``$PYENV_ROOT/pyenv.d`` and the plugins'
``etc/pyenv.d``), and pyenv-exec sources every ``FOLDER/exec/*.bash`` before it execs the
program (R31-4). Warden now refuses a PYENV_HOOK_PATH, or a PYENV_ROOT other than the
launcher's or pyenv's default, set by the notebook: on a line, in os.environ, in ``env=``
(``commands.pyenv_code``). And a Python-named program that is a bash script is read as one
(R31-5): BASH_ENV on the line before the ``python3`` shim is refused as before the ``pip`` one.

The pyenv here is a real one: the machine's pyenv libexec and pyenv.d hooks (``~/.pyenv``)
copied into the test's folder, with shims written from pyenv's own template
(``pip_program._PYENV_SHIM``) and one version, a link to the kernel's interpreter; one root for
the module, made before the kernels start (a shim whose hooks changed since its kernel started
is refused: red team 32 R32-9, test_redteam32_misc.py). Where the machine has no pyenv, a small bash
``pyenv`` stands in that sources the hook path's ``exec/*.bash`` as pyenv-exec does.
"""

import os
import shutil
import sys
import time
from pathlib import Path

import pytest

from jupyterlab_warden.kernel.guard.installs import pip_program

# what a hook runs: an install from the refused index
INSTALL = (
    "{uv} pip install -q --no-config --no-cache --python /usr/bin/python3 --target {target} "
    "--index-url {index} warden-demo-pkg\n"
)
VERSION = f"{sys.version_info[0]}.{sys.version_info[1]}.0"
# a stand-in for pyenv's libexec where the machine has none: `pyenv exec PROGRAM` sources
# $PYENV_HOOK_PATH's and $PYENV_ROOT/pyenv.d's exec/*.bash, then runs the version's PROGRAM
# (pyenv, pyenv-exec and pyenv-hooks, cut to what a shim start does)
MINI_PYENV = """#!/usr/bin/env bash
set -e
PYENV_ROOT="${PYENV_ROOT:-$HOME/.pyenv}"
PYENV_HOOK_PATH="${PYENV_HOOK_PATH}:${PYENV_ROOT}/pyenv.d"
[ "$1" = exec ] || exit 1
shift
program="$1"; shift
# the pick: PYENV_VERSION, a .python-version up from the folder, the global version; a name
# that is no version folder a prefix of the newest it names (pyenv-latest)
version="${PYENV_VERSION:-}"
dir="$PWD"
while [ -z "$version" ] && [ -n "$dir" ]; do
  [ -f "$dir/.python-version" ] && version="$(head -n1 "$dir/.python-version")"
  dir="${dir%/*}"
done
version="${version:-$(head -n1 "$PYENV_ROOT/version")}"
if [ ! -d "$PYENV_ROOT/versions/$version" ]; then
  version="$(ls "$PYENV_ROOT/versions" | grep -E "^${version//./\\.}[-.]" | sort -V | tail -n1)"
fi
IFS=: hook_paths=($PYENV_HOOK_PATH)
shopt -s nullglob
for path in "${hook_paths[@]}"; do
  for script in "$path/exec"/*.bash; do
    source "$script"
  done
done
exec "$PYENV_ROOT/versions/$version/bin/$program" "$@"
"""


def _real_pyenv() -> str:
    """The machine's pyenv install (its libexec), '' when it has none."""
    for root in (os.environ.get("PYENV_ROOT", ""), os.path.expanduser("~/.pyenv")):
        if root and os.path.isfile(os.path.join(root, "libexec", "pyenv-exec")):
            return root
    return ""


def pyenv_root(root: Path) -> Path:
    """A pyenv root at ``root``: libexec (and the machine's root's pyenv.d hooks),
    shims/python3 and shims/pip written from pyenv's template, versions/VERSION/bin/{python3,
    pip} the kernel's. Made more than a second before the kernel starts: a shim's hooks and
    libexec changed since then are refused (red team 32 R32-9)."""
    real = _real_pyenv()
    if real:
        shutil.copytree(os.path.join(real, "libexec"), root / "libexec", symlinks=True)
        if os.path.isdir(os.path.join(real, "pyenv.d")):
            shutil.copytree(os.path.join(real, "pyenv.d"), root / "pyenv.d", symlinks=True)
    else:
        (root / "libexec").mkdir(parents=True)
        (root / "libexec" / "pyenv").write_text(MINI_PYENV)
        (root / "libexec" / "pyenv").chmod(0o755)
    (root / "shims").mkdir()
    for name in ("python3", "pip"):
        shim = root / "shims" / name
        shim.write_text(pip_program._PYENV_SHIM.replace("@ROOT@", str(root)))
        shim.chmod(0o755)
    bin_ = root / "versions" / VERSION / "bin"
    bin_.mkdir(parents=True)
    os.symlink(sys.executable, bin_ / "python3")
    os.symlink(os.path.join(os.path.dirname(sys.executable), "pip"), bin_ / "pip")
    (root / "version").write_text(VERSION + "\n")
    assert pip_program.interpreter_of(str(root / "shims" / "python3"), shutil.which)
    return root


@pytest.fixture(scope="module")
def pyenv(tmp_path_factory) -> Path:
    """One pyenv root for the module (its tests write their hooks elsewhere), older than the
    kernels' starts by more than the check's slack."""
    root = pyenv_root(tmp_path_factory.mktemp("r31") / "pyenv")
    time.sleep(1.5)
    return root


def _cell(pyenv: Path, body: str, hook: str = "hooks") -> str:
    """A cell that writes ``hook``/exec/x.bash (the install) and runs ``body``; SHIMS is the
    shims folder, put first on PATH."""
    shims = str(pyenv / "shims")
    return (
        "import os, subprocess, sys\n"
        f"os.makedirs({hook!r} + '/exec', exist_ok=True)\n"
        f"open({hook!r} + '/exec/x.bash', 'w').write({INSTALL!r})\n"
        "open('f.bash', 'w').write(" + repr(INSTALL) + ")\n"
        f"SHIMS = {shims!r}\n"
        "os.environ['PATH'] = SHIMS + ':' + os.environ['PATH']\n" + body
    )


HOOK_CELLS = {
    "PYENV_HOOK_PATH=hooks python3 -c pass (a line, shims on PATH)": (
        "os.system('PYENV_HOOK_PATH=hooks python3 -c pass')\n"
    ),
    "PYENV_HOOK_PATH=hooks SHIMS/python3 -c pass (a line, the shim by path)": (
        "os.system('PYENV_HOOK_PATH=hooks ' + SHIMS + '/python3 -c pass')\n"
    ),
    "os.environ PYENV_HOOK_PATH, then subprocess.run(['python3', ...])": (
        "os.environ['PYENV_HOOK_PATH'] = os.path.abspath('hooks')\n"
        "subprocess.run(['python3', '-c', 'pass'])\n"
    ),
    "env= with PYENV_HOOK_PATH, the shim by path": (
        "subprocess.run([SHIMS + '/python3', '-c', 'pass'], "
        "env=dict(os.environ, PYENV_HOOK_PATH=os.path.abspath('hooks')))\n"
    ),
    "PYENV_HOOK_PATH=hooks pip --version (the pip shim)": (
        "os.system('PYENV_HOOK_PATH=hooks pip --version')\n"
    ),
    "bash -c 'PYENV_HOOK_PATH=hooks python3 train.py'": (
        "open('train.py', 'w').write('pass\\n')\n"
        "subprocess.run(['bash', '-c', 'PYENV_HOOK_PATH=hooks python3 train.py'])\n"
    ),
}


@pytest.mark.parametrize("name", list(HOOK_CELLS))
def test_pyenv_hook_path_is_refused(kernel, pyenv, name):
    """R31-4: installed without Warden (pyenv sources hooks/exec/x.bash); refused with it."""
    refused = kernel.proves(_cell(pyenv, HOOK_CELLS[name]))
    assert "PYENV_HOOK_PATH" in refused, refused


# the cell's root holds the test root's versions and version file (links), so pyenv runs the
# same Python
_ROOT_LINK = (
    "for _n in ('versions', 'version'):\n"
    "    os.path.lexists('r/' + _n) or os.symlink(os.path.dirname(SHIMS) + '/' + _n, 'r/' + _n)\n"
)


def test_a_pyenv_root_of_the_cells_choosing_is_refused(kernel, pyenv):
    """R31-4, the class: pyenv itself reads PYENV_ROOT's pyenv.d for hooks (a shim exports its
    own root; `pyenv exec` started directly, or by a script, does not)."""
    body = _ROOT_LINK + (
        "os.system('PYENV_ROOT=r ' + SHIMS + '/../libexec/pyenv exec python3 -c pass')\n"
    )
    refused = kernel.proves(_cell(pyenv, body, hook="r/pyenv.d"))
    assert "PYENV_ROOT" in refused, refused


BASH_ENV_CELLS = {
    "BASH_ENV=f.bash python3 -c pass (shims on PATH)": (
        "os.system('BASH_ENV=f.bash python3 -c pass')\n"
    ),
    "BASH_ENV=f.bash SHIMS/python3 -c pass": (
        "os.system('BASH_ENV=f.bash ' + SHIMS + '/python3 -c pass')\n"
    ),
    "bash -c 'BASH_ENV=f.bash python3 train.py'": (
        "open('train.py', 'w').write('pass\\n')\n"
        "subprocess.run(['bash', '-c', 'BASH_ENV=f.bash python3 train.py'])\n"
    ),
}


@pytest.mark.parametrize("name", list(BASH_ENV_CELLS))
def test_bash_env_before_a_python_named_shim_is_refused(kernel, pyenv, name):
    """R31-5: a Python's name says nothing of its file: the shim is bash, which sources
    BASH_ENV before pyenv runs the Python."""
    refused = kernel.proves(_cell(pyenv, BASH_ENV_CELLS[name]))
    assert "BASH_ENV" in refused and "bash" in refused, refused


CONTROLS = {
    "python3 -c pass (shims on PATH, a line)": "assert os.system('python3 -c pass') == 0\n",
    "subprocess.run([SHIMS/python3, -c, pass])": (
        "subprocess.run([SHIMS + '/python3', '-c', 'pass'], check=True)\n"
    ),
    "pip --version (the pip shim)": "assert os.system('pip --version') == 0\n",
    "an empty PYENV_HOOK_PATH": (
        "subprocess.run(['python3', '-c', 'pass'], check=True, "
        "env=dict(os.environ, PYENV_HOOK_PATH=''))\n"
    ),
}


@pytest.mark.parametrize("name", list(CONTROLS))
def test_an_ordinary_shim_start_runs(kernel, pyenv, name):
    """Shims started with no hook folder of the cell's: they run, with Warden as without."""
    cell = _cell(pyenv, CONTROLS[name])
    for launched in (False, True):
        result = kernel.cell(cell, launched=launched)
        assert result["refused"] is None, result
        assert "Jupyter Warden refused" not in result["stderr"], result
        assert "Traceback" not in result["stderr"], result


def test_the_launchers_pyenv_values_are_not_refused(monkeypatch):
    """A lab started through pyenv (`pyenv exec jupyter lab`, a `jupyter` shim) hands every
    kernel pyenv's own PYENV_HOOK_PATH and PYENV_ROOT: set back, or left, they refuse nothing;
    pyenv's default root neither. A value of the notebook's is refused."""
    from jupyterlab_warden.kernel.guard.installs import command_values, commands, inherited_env

    hooks = "/opt/pyenv/pyenv.d:/usr/etc/pyenv.d:/usr/local/etc/pyenv.d:/etc/pyenv.d"
    launch = {"PYENV_HOOK_PATH": hooks, "PYENV_ROOT": "/opt/pyenv"}
    monkeypatch.setattr(inherited_env, "_LAUNCH", launch)
    for name, value in [*launch.items(), ("PYENV_ROOT", os.path.expanduser("~/.pyenv"))]:
        assert commands.shell_code_variable({name: value}) == "", (name, value)
        assert command_values.refused_value(name, value) == "", (name, value)
    for name, value in [("PYENV_HOOK_PATH", "hooks"), ("PYENV_HOOK_PATH", hooks + ":h"),
                        ("PYENV_ROOT", "r"), ("PYENV_ROOT", "/tmp/r")]:  # fmt: skip
        assert commands.shell_code_variable({name: value}) == name, (name, value)
        assert "pyenv" in command_values.refused_value(name, value), (name, value)
    assert commands.shell_code_variable({"PYENV_HOOK_PATH": ""}) == ""


def test_a_shim_start_under_the_launchers_hook_path_runs(kernel, pyenv):
    """The kernel launched with pyenv's own PYENV_HOOK_PATH (its root's pyenv.d): a shim start
    and a bash run, with Warden as without."""
    cell = _cell(pyenv, "assert os.system('python3 -c pass && bash -c true') == 0\n")
    for launched in (False, True):
        env = dict(kernel.env(launched), PYENV_HOOK_PATH=str(pyenv / "pyenv.d"))
        result = kernel.cell(cell, launched=launched, env=env)
        assert result["refused"] is None, result
        assert "Jupyter Warden refused" not in result["stderr"], result
