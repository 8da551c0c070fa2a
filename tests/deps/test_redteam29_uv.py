"""Red team 29a R29a-1 (a): the Pythons uv finds on its own and runs to query them.

``uv_inputs.interpreter_problem`` read only the Python named by -p/--python, UV_PYTHON or
.python-version, and passed a version request (``-p 3.11``) as "names no file". But uv looks
for a Python first in UV_INTERNAL__PARENT_INTERPRETER, VIRTUAL_ENV, CONDA_PREFIX and the
``.venv`` of the working folder (and up), then in its managed Pythons and PATH's, and RUNS what
it finds there (``FILE -I -B -c CODE``): a cell's ``.venv/bin/python`` that is a ``#!/bin/sh``
script installed through ``uv pip list``, a cell with no install word. Now every Python uv may
run before one Warden trusts goes through the check an explicit ``--python FILE`` gets
(``uv_discovery``).

Each vector installs without Warden and is refused with it (a real install from the test
index); the controls (the kernel's own venv, no venv, a venv ``uv venv`` made) run for real.
"""

import os
import sys

import pytest

from jupyterlab_warden.kernel.guard.installs import uv_inputs

# what the planted Python runs: an install from the refused index (its inner uv is given
# --python, or it would look for a Python the same way and run the planted file again)
INSTALL = (
    "{uv} pip install -q --no-config --no-cache --python /usr/bin/python3 --target {target} "
    "--index-url {index} warden-demo-pkg"
)
# a .venv whose bin/python is a sh script (bin/python3 a link to it), as a cell writes it
SH_VENV = (
    "import os, shutil, subprocess\n"
    "shutil.rmtree('.venv', ignore_errors=True)\n"
    "os.makedirs('.venv/bin')\n"
    "open('.venv/pyvenv.cfg', 'w').write('home = /usr/bin\\nversion = 3.11.2\\n')\n"
    "open('.venv/bin/python', 'w').write('#!/bin/sh\\n" + INSTALL + "\\n')\n"
    "os.chmod('.venv/bin/python', 0o755)\n"
    "os.symlink('python', '.venv/bin/python3')\n"
)
AS_X = "shutil.rmtree('x', ignore_errors=True)\nos.rename('.venv', 'x')\n"
X = "os.path.abspath('x')"
MINOR = f"{sys.version_info[0]}.{sys.version_info[1]}"


def _uv(words: str, env: str = "") -> str:
    extra = f", env={{{{**os.environ, {env}}}}}" if env else ""
    return f"subprocess.run(['{{uv}}', {words}]{extra})\n"


VIRTUAL_X, CONDA_X = f"'VIRTUAL_ENV': {X}", f"'CONDA_PREFIX': {X}"
PARENT_X = "'UV_INTERNAL__PARENT_INTERPRETER': " + X + " + '/bin/python'"
# an installed tool's environment (uvx reuses it), its Python the sh script
TOOL = (
    SH_VENV + "tools = os.path.expanduser('~/.local/share/uv/tools')\n"
    "os.makedirs(tools, exist_ok=True)\nshutil.rmtree(tools + '/ruff', ignore_errors=True)\n"
    "os.rename('.venv', tools + '/ruff')\n"
    "open(tools + '/ruff/uv-receipt.toml', 'w')"
    ".write('[tool]\\nrequirements = [{{ name = \"ruff\" }}]\\n')\n"
)
VECTORS = {
    "uv pip list (.venv)": SH_VENV + _uv("'pip', 'list', '--no-cache'"),
    "uv pip list -p X.Y (.venv)": SH_VENV + _uv(f"'pip', 'list', '--no-cache', '-p', '{MINOR}'"),
    "uv run --no-project true (.venv)": SH_VENV
    + _uv("'run', '--no-cache', '--no-project', '--no-config', 'true'"),
    "uv pip list from a subfolder (.venv up)": SH_VENV
    + "os.makedirs('sub', exist_ok=True)\n"
    + "subprocess.run(['{uv}', 'pip', 'list', '--no-cache'], cwd='sub')\n",
    "VIRTUAL_ENV=x uv pip freeze": SH_VENV + AS_X + _uv("'pip', 'freeze', '--no-cache'", VIRTUAL_X),
    "CONDA_PREFIX=x uv pip list": SH_VENV + AS_X + _uv("'pip', 'list', '--no-cache'", CONDA_X),
    "UV_INTERNAL__PARENT_INTERPRETER=x/bin/python uv venv v": SH_VENV
    + AS_X
    + _uv("'venv', '-q', '--no-cache', 'v'", PARENT_X),
    "uv tool run ruff (an installed tool's environment)": TOOL
    + _uv("'tool', 'run', '--offline', '--no-cache', 'ruff'"),
}


@pytest.mark.parametrize("name", list(VECTORS))
def test_a_python_uv_finds_on_its_own_is_read(kernel, name):
    """Installed without Warden; refused with it, naming the file uv would run."""
    refused = kernel.proves(VECTORS[name])
    if name.startswith("uv run"):
        # uv run's command is read with the environment's scripts folder first on its PATH
        # (red team 86 F8): the same planted Python is met there first, as a new program
        assert ".venv/bin on the PATH it is given holds python" in refused, refused
        return
    assert "uv looks for a Python on its own and runs" in refused, refused
    assert "not a Python the machine had before the kernel started" in refused, refused


CONTROLS = {
    "uv pip list (no environment)": _uv("'pip', 'list', '--no-cache'"),
    "uv pip list -p X.Y (no environment)": _uv(f"'pip', 'list', '--no-cache', '-p', '{MINOR}'"),
    "VIRTUAL_ENV=the kernel's venv uv pip list": _uv(
        "'pip', 'list', '--no-cache'", "'VIRTUAL_ENV': sys.prefix"
    ),
    "VIRTUAL_ENV=the kernel's venv uv pip list -p X.Y": _uv(
        f"'pip', 'list', '--no-cache', '-p', '{MINOR}'", "'VIRTUAL_ENV': sys.prefix"
    ),
    "uv venv x, then VIRTUAL_ENV=x uv pip list": _uv("'venv', '-q', '--no-cache', 'x'")
    + _uv("'pip', 'list', '--no-cache'", f"'VIRTUAL_ENV': {X}"),
    "uv venv .venv, then uv pip list": _uv("'venv', '-q', '--no-cache', '.venv'")
    + _uv("'pip', 'list', '--no-cache'"),
}


@pytest.mark.parametrize("name", list(CONTROLS))
def test_a_trusted_python_uv_finds_runs(kernel, name):
    """The kernel's own interpreter (its venv, or PATH's first Python) and a venv made of it
    by ``uv venv``: uv finds them and runs as before."""
    cell = "import os, subprocess, sys\n" + CONTROLS[name]
    result = kernel.cell(cell, launched=True)
    assert result["refused"] is None, result
    assert "Jupyter Warden refused" not in result["stderr"], result


def test_a_python_the_line_writes_before_uv_looks(kernel):
    """One shell line writes .venv/bin/python, then runs ``uv pip list``: Warden reads the
    places uv looks in before the line runs, so an earlier writer on the line is refused."""
    line = (
        "mkdir -p .venv/bin && printf 'home = /usr/bin\\n' > .venv/pyvenv.cfg && "
        "printf '#!/bin/sh\\n" + INSTALL + "\\n' > .venv/bin/python && "
        "chmod +x .venv/bin/python && {uv} pip list --no-cache"
    )
    refused = kernel.proves(f"import os\nos.system({line!r})\n")
    assert "uv looks for a Python on its own and runs what it finds" in refused, refused
    assert "an earlier command on the line (printf)" in refused, refused


def test_a_python_an_earlier_uv_run_writes_before_uv_looks(kernel):
    """An earlier ``uv run`` on the line is such a writer too: it runs a command, here a
    Python that writes .venv/bin/python. (The exemption it had, for `uv run --no-sync ...; uv
    run --no-project ...`, let any writer after a first uv through.)"""
    line = (  # the first uv as PATH finds it (the venv's bin): the name the exemption read
        "uv run -q --no-cache --no-project --no-config python plant.py && {uv} pip list --no-cache"
    )
    cell = f"import os\nopen('plant.py', 'w').write({SH_VENV!r})\nos.system({line!r})\n"
    refused = kernel.proves(cell)
    assert "uv looks for a Python on its own and runs what it finds" in refused, refused
    assert "an earlier command on the line (uv) may write" in refused, refused


def test_the_shell_line_uv_venv_then_uv_pip_list(kernel):
    """``uv venv x && VIRTUAL_ENV=x uv pip list`` as one shell line."""
    line = "{uv} venv -q --no-cache x && VIRTUAL_ENV=x {uv} pip list --no-cache"
    result = kernel.cell(f"import os\nassert os.system({line!r}) == 0\n", launched=True)
    assert result["refused"] is None, result


def _planted(folder) -> str:
    """A sh script at folder/bin/python (written now: newer than this process's start)."""
    os.makedirs(folder / "bin")
    (folder / "pyvenv.cfg").write_text("home = /usr/bin\n")
    script = folder / "bin" / "python"
    script.write_text("#!/bin/sh\nexit 1\n")
    script.chmod(0o755)
    return str(script)


def test_the_order_of_uvs_discovery(tmp_path):
    """In this process: uv's order, and where Warden stops (a trusted Python that satisfies
    the request), read without running anything."""
    planted = _planted(tmp_path / ".venv")
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path)}
    cwd = str(tmp_path)

    def problem(args, **more):
        return uv_inputs.interpreter_problem(args, {**env, **more}, cwd)

    assert planted in problem(["pip", "list"])
    assert planted in problem(["pip", "install", "-p", MINOR, "numpy"])
    # the kernel's own venv, active, comes first and satisfies: uv stops there
    kernel_venv = sys.prefix if sys.prefix != sys.base_prefix else ""
    if kernel_venv:
        assert problem(["pip", "list"], VIRTUAL_ENV=kernel_venv) == ""
        assert problem(["pip", "list", "-p", MINOR], VIRTUAL_ENV=kernel_venv) == ""
        # a patch release Warden cannot place: uv may go on to the planted .venv
        found = problem(["pip", "list", "-p", MINOR + ".99"], VIRTUAL_ENV=kernel_venv)
        assert planted in found, found
        # a project command queries the project's environment whatever else is active
        assert problem(["run", "true"], VIRTUAL_ENV=kernel_venv) == ""  # no project here
        (tmp_path / "pyproject.toml").write_text("[project]\nname = 'p'\nversion = '0'\n")
        assert planted in problem(["run", "true"], VIRTUAL_ENV=kernel_venv)
        assert "" == problem(["run", "--no-project", "true"], VIRTUAL_ENV=kernel_venv)
        (tmp_path / "pyproject.toml").unlink()
    # system-only commands skip virtual environments (uv 0.13.9 does not run them)
    assert problem(["pip", "list", "--system"]) == ""
    assert problem(["venv", "v"]) == ""
    assert planted in problem(["venv", "v"], UV_INTERNAL__PARENT_INTERPRETER=planted)
    assert planted in problem(["pip", "list", "--system"], CONDA_PREFIX=str(tmp_path / ".venv"))
    # a file named explicitly is the only one uv runs (no discovery)
    assert problem(["pip", "list", "--python", sys.executable]) == ""
    # uvx / uv tool run query an installed tool's environment
    tool = _planted(tmp_path / ".local" / "share" / "uv" / "tools" / "ruff")
    assert tool in problem(["x", "ruff"], UV_PYTHON=sys.executable)
    assert tool in problem(["tool", "run", "ruff"])
    assert problem(["tool", "list"]) == ""
    # uv's managed Pythons come before PATH's by default
    managed = _planted(tmp_path / "m" / "cpython-3.99.0-linux-x86_64-gnu")
    found = problem(["venv", "v"], UV_PYTHON_INSTALL_DIR=str(tmp_path / "m"))
    assert managed in found, found
    assert "uv's managed Pythons" in found, found
    more = {"UV_PYTHON_INSTALL_DIR": str(tmp_path / "m"), "UV_PYTHON_PREFERENCE": "system"}
    found = problem(["venv", "v"], **more)
    assert found == "", found
    # a Python on PATH written since the start, before the machine's
    on_path = _planted(tmp_path / "p")
    path = str(tmp_path / "p" / "bin") + os.pathsep + env["PATH"]
    found = problem(["pip", "list", "--system"], PATH=path)
    assert on_path in found, found


def test_version_requests():
    """Where Warden can place a version request (and so stop at a Python it knows)."""
    from jupyterlab_warden.kernel.guard.installs import uv_discovery

    assert uv_discovery.version_wanted("") == (None, True)
    assert uv_discovery.version_wanted("3.11") == ((3, 11), True)
    assert uv_discovery.version_wanted("cpython@3.11") == ((3, 11), True)
    assert uv_discovery.version_wanted("cp311") == ((3, 11), True)
    for unplaced in ("3.11.2", ">=3.11", "pypy3.10", "3.13t", "?"):
        assert uv_discovery.version_wanted(unplaced)[1] is False, unplaced


# red team 30 R30-2: --system / UV_SYSTEM_PYTHON on a command other than `uv pip` (uv python
# find) skips the virtual environment Warden stopped at, and uv runs a cell's managed Python
MANAGED = (
    "import os, sys, subprocess, shutil\nshutil.rmtree('m', ignore_errors=True)\n"
    "b = 'm/cpython-3.11.7-linux-x86_64-gnu/bin'; os.makedirs(b)\n"
    "open(b + '/python3.11', 'w').write('#!/bin/sh\\n" + INSTALL + " >/dev/null 2>&1\\n"
    'exec /usr/bin/python3 "$@"\\n\')\n'
    "os.chmod(b + '/python3.11', 0o755)\n"
    "os.symlink('python3.11', b + '/python3'); os.symlink('python3.11', b + '/python')\n"
    "env = dict(os.environ, UV_PYTHON_INSTALL_DIR=os.path.abspath('m'), VIRTUAL_ENV=sys.prefix)\n"
)


@pytest.mark.parametrize(
    "start",
    [
        "subprocess.run(['{uv}', 'python', 'find', '--system'], env=env)\n",
        "subprocess.run(['{uv}', 'python', 'find'], env=dict(env, UV_SYSTEM_PYTHON='1'))\n",
    ],
)
def test_a_system_request_reads_past_the_virtual_environment(kernel, start):
    refused = kernel.proves(MANAGED + start)
    assert "cpython-3.11.7-linux-x86_64-gnu" in refused, refused
