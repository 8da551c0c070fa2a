"""Red team 31 R31-7: uv's ``python-preference`` from its config files.

``uv_discovery`` read the preference from ``--python-preference`` and ``UV_PYTHON_PREFERENCE``
only. uv 0.13.9 also takes it from its config files (a project's uv.toml or ``[tool.uv]``, the
user's and the system's uv.toml, a ``--config-file``): with ``"only-system"`` it skips its
managed Pythons, so Warden stopped at a trusted managed one (a link the cell makes to the
kernel's own interpreter) while uv ran PATH's first python3, an old ``#!/bin/sh`` payload
(an earlier session's file). With ``"only-managed"`` uv passes over a ``.venv`` made of a
system Python and runs a managed one. Now the discovery follows every preference uv may take
(``uv_config.python_preferences``), in uv's order, and a config file Warden cannot read
refuses the discovery.

The proofs install without Warden and are refused with it; the controls run.
"""

import os
import sys
import time

import pytest

from jupyterlab_warden.kernel.guard.installs import uv_inputs

# what the old payloads run: an install from the refused index, then the machine's Python (so
# uv's query gets its answer)
PAYLOAD = (
    "#!/bin/sh\n{uv} pip install -q --no-config --no-cache --python /usr/bin/python3 "
    '--target {target} --index-url {index} warden-demo-pkg\nexec /usr/bin/python3 "$@"\n'
)
KEY = "cpython-3.11.7-linux-x86_64-gnu"
# the cell: b/ first on PATH, uv's managed Pythons in m/, one of them a link to the kernel's
# own interpreter (trusted: Warden stopped there)
START = (
    "import os, sys, subprocess, shutil\n"
    "shutil.rmtree('m', ignore_errors=True)\n"
    "os.environ['PATH'] = os.path.abspath('b') + ':' + os.environ['PATH']\n"
    "os.environ['UV_PYTHON_INSTALL_DIR'] = os.path.abspath('m')\n"
    f"os.makedirs('m/{KEY}/bin')\n"
    f"os.symlink(os.path.realpath(sys.executable), 'm/{KEY}/bin/python3.11')\n"
)
ONLY_SYSTEM = 'python-preference = "only-system"\\n'


def _write(path, text) -> str:
    return f"os.makedirs(os.path.dirname(os.path.abspath({path!r})), exist_ok=True)\n" + (
        f"open({path!r}, 'w').write('{text}')\n"
    )


def _old_payload(kernel, relative: str) -> None:
    """The payload at ``relative`` in the kernel's folder, older than the kernel's start (an
    earlier session's file: what is new since the start is read elsewhere)."""
    from real_uv import real_uv

    path = kernel.work / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(PAYLOAD.format(uv=real_uv(), target=kernel.target, index=kernel.index.simple))
    path.chmod(0o755)
    time.sleep(1.5)


ONLY_SYSTEM_VECTORS = {
    "uv.toml, uv python find": _write("uv.toml", ONLY_SYSTEM) + "os.system('uv python find')\n",
    "uv.toml up the tree, uv python find from a subfolder": _write("uv.toml", ONLY_SYSTEM)
    + "os.makedirs('sub', exist_ok=True)\nsubprocess.run(['uv', 'python', 'find'], cwd='sub')\n",
    "pyproject [tool.uv], uv run --no-project": _write(
        "pyproject.toml", '[project]\\nname = "p"\\nversion = "0"\\n[tool.uv]\\n' + ONLY_SYSTEM
    )
    + "os.system('uv run --no-cache --no-project python -c pass')\n",
    "the user's uv.toml (XDG_CONFIG_HOME), uv python find": _write("cfg/uv/uv.toml", ONLY_SYSTEM)
    + "os.environ['XDG_CONFIG_HOME'] = os.path.abspath('cfg')\n"
    + "os.system('uv python find')\n",
    "--config-file, uv python find": _write("c.toml", ONLY_SYSTEM)
    + "os.system('uv python find --config-file c.toml')\n",
    "UV_CONFIG_FILE, uv venv": _write("c.toml", ONLY_SYSTEM)
    + "os.environ['UV_CONFIG_FILE'] = 'c.toml'\n"
    + "os.system('uv venv -q --no-cache v')\n",
}


@pytest.mark.parametrize("name", list(ONLY_SYSTEM_VECTORS))
def test_only_system_in_a_config_file(kernel, name):
    """uv skips the trusted managed link and runs b/python3; Warden now reaches it too."""
    _old_payload(kernel, "b/python3")
    refused = kernel.proves(START + ONLY_SYSTEM_VECTORS[name])
    assert "uv looks for a Python on its own and runs" in refused, refused
    assert "/b/python3 (PATH)" in refused, refused


def test_only_managed_passes_over_a_system_venv(kernel):
    """``python-preference = "only-managed"``: uv queries the .venv (a system Python's: the
    kernel's), passes over it and runs the managed Python, an old payload."""
    _old_payload(kernel, f"m2/{KEY}/bin/python3.11")
    cell = (
        "import os, subprocess\n"
        "os.system('uv venv -q --no-cache --python /usr/bin/python3 .venv')\n"
        "os.environ['UV_PYTHON_INSTALL_DIR'] = os.path.abspath('m2')\n"
        + _write("uv.toml", 'python-preference = "only-managed"\\n')
        + "os.system('uv python find')\n"
    )
    refused = kernel.proves(cell)
    assert f"m2/{KEY}/bin/python3.11 (uv's managed Pythons" in refused, refused


PIP_VECTORS = {
    "uv pip list --system (PATH first, whatever the preference)": (
        "os.system('uv pip list --system')\n"
    ),
    "UV_SYSTEM_PYTHON=1 uv pip list": "os.environ['UV_SYSTEM_PYTHON'] = '1'\n"
    + "os.system('uv pip list')\n",
    "uv.toml [pip] system = true, uv pip list": _write("uv.toml", "[pip]\\nsystem = true\\n")
    + "os.system('uv pip list')\n",
    "uv.toml [pip] python = b/python3, uv pip list": _write(
        "uv.toml", '[pip]\\npython = "b/python3"\\n'
    )
    + "os.system('uv pip list')\n",
}


@pytest.mark.parametrize("name", list(PIP_VECTORS))
def test_uv_pip_system_and_python_settings(kernel, name):
    """``uv pip`` with a system Python asked for (``--system``, ``UV_SYSTEM_PYTHON``, a
    config's ``[pip] system``) searches PATH before the managed Pythons, whatever the
    preference (uv 0.13.9: "Searching for default Python interpreter in search path or
    managed installations"); a config's ``[pip] python`` is the file it runs."""
    _old_payload(kernel, "b/python3")
    refused = kernel.proves(START + PIP_VECTORS[name])
    assert "/b/python3" in refused, refused


CONTROLS = {
    "only-system, trusted PATH: uv python find": _write("uv.toml", ONLY_SYSTEM)
    + "assert os.system('uv python find') == 0\n",
    "only-system, trusted PATH: uv run --no-project": _write("uv.toml", ONLY_SYSTEM)
    + "assert os.system('uv run -q --no-cache --no-project python -c pass') == 0\n",
    "only-managed, the trusted managed link: uv python find": _write(
        "uv.toml", 'python-preference = "only-managed"\\n'
    )
    + "assert os.system('uv python find') == 0\n",
    "system, UV_PYTHON_PREFERENCE: uv venv": "os.environ['UV_PYTHON_PREFERENCE'] = 'system'\n"
    + "assert os.system('uv venv -q --no-cache v') == 0\n",
}


@pytest.mark.parametrize("name", list(CONTROLS))
def test_a_preference_with_trusted_pythons_runs(kernel, name):
    """An ordinary uv command with a preference set, where every Python uv may run is
    trusted (no b/python3 here: PATH's first Python is the machine's)."""
    result = kernel.cell(START + CONTROLS[name], launched=True)
    assert result["refused"] is None, result
    assert "Jupyter Warden refused" not in result["stderr"], result


def _link(folder, target=None) -> str:
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, "python3.11")
    os.symlink(target or os.path.realpath(sys.executable), path)
    return path


def _planted(folder) -> str:
    """A sh script at folder/python3 (written now: newer than this process's start)."""
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, "python3")
    with open(path, "w") as handle:
        handle.write("#!/bin/sh\nexit 1\n")
    os.chmod(path, 0o755)
    return path


def test_the_preference_uv_takes(tmp_path):
    """In this process: which preference Warden follows, from where, with uv's precedence
    (checked against uv 0.13.9 by hand: ``uv python find`` with each)."""
    cwd = str(tmp_path / "proj" / "sub")
    os.makedirs(cwd)
    managed = tmp_path / "m"
    _link(str(managed / KEY / "bin"))
    planted = _planted(str(tmp_path / "b"))
    env = {
        "PATH": str(tmp_path / "b") + os.pathsep + os.environ["PATH"],
        "HOME": str(tmp_path / "home"),
        "UV_PYTHON_INSTALL_DIR": str(managed),
    }

    def problem(*args, **more):
        return uv_inputs.interpreter_problem(["python", "find", *args], {**env, **more}, cwd)

    assert problem() == ""  # managed first (the default): the trusted link
    uv_toml = tmp_path / "proj" / "uv.toml"
    uv_toml.write_text('python-preference = "only-system"\n')
    assert planted in problem()  # from the project's uv.toml, up the tree
    assert planted in problem("--no-managed-python")
    assert planted in problem(UV_NO_MANAGED_PYTHON="1")
    # the command line and the environment come before the config files
    assert problem("--python-preference", "managed") == ""
    assert problem("--managed-python") == ""
    assert problem(UV_PYTHON_PREFERENCE="managed") == ""
    assert problem(UV_MANAGED_PYTHON="true") == ""
    assert planted in problem(UV_NO_MANAGED_PYTHON="0")  # boolish: 0 is false
    # no config, or a named file alone (uv reads no other then)
    assert problem("--no-config") == ""
    assert problem(UV_NO_CONFIG="1") == ""
    (tmp_path / "c.toml").write_text("")
    assert problem("--config-file", str(tmp_path / "c.toml")) == ""
    assert problem(UV_CONFIG_FILE=str(tmp_path / "c.toml")) == ""
    (tmp_path / "c.toml").write_text('python-preference = "system"\n')
    assert planted in problem("--no-config", "--config-file", str(tmp_path / "c.toml"))
    # a pyproject's [tool.uv], the user's uv.toml
    uv_toml.unlink()
    (tmp_path / "proj" / "pyproject.toml").write_text(
        '[project]\nname = "p"\nversion = "0"\n[tool.uv]\npython-preference = "system"\n'
    )
    assert planted in problem()
    (tmp_path / "proj" / "pyproject.toml").unlink()
    user = tmp_path / "home" / ".config" / "uv"
    user.mkdir(parents=True)
    (user / "uv.toml").write_text('python-preference = "only-system"\n')
    assert planted in problem()
    assert problem("--no-config") == ""
    (user / "uv.toml").unlink()
    # only-managed: PATH is not searched (the planted python3 is not run)
    assert problem("--managed-python", UV_PYTHON_INSTALL_DIR=str(tmp_path / "none")) == ""

    # uv pip: --system searches PATH first whatever the preference; a config's [pip] system
    # may too (the venvs are read, and do not end the search); [pip] python is run
    def pip(*args, **more):
        return uv_inputs.interpreter_problem(["pip", "list", *args], {**env, **more}, cwd)

    assert pip() == ""
    assert planted in pip("--system")
    assert planted in pip("--system", "--python-preference", "only-managed")
    assert planted in pip(UV_SYSTEM_PYTHON="1")
    uv_toml.write_text("[pip]\nsystem = true\n")
    assert planted in pip()
    assert pip("--no-config") == ""
    assert problem() == ""  # not uv pip: [pip] is not read
    uv_toml.write_text(f'[pip]\npython = "{planted}"\n')
    found = pip(UV_PYTHON_INSTALL_DIR=str(tmp_path / "none"), PATH=os.environ["PATH"])
    assert "uv.toml [pip] python) to query it" in found, found
    assert pip("--python", sys.executable) == ""  # the command line's comes first
    uv_toml.unlink()


@pytest.mark.parametrize(
    "text",
    ['python-preference = "only-system"\n[broken\n', "python-preference = 'sometimes'\n"],
)
def test_a_config_warden_cannot_read_refuses(tmp_path, text):
    """uv's preference is unknown: the discovery is refused, with the reason."""
    (tmp_path / "uv.toml").write_text(text)
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path / "home")}
    found = uv_inputs.interpreter_problem(["python", "find"], env, str(tmp_path))
    assert "python-preference" in found and str(tmp_path / "uv.toml") in found, found
    assert (
        uv_inputs.interpreter_problem(["python", "find", "--no-config"], env, str(tmp_path)) == ""
    )
    found = uv_inputs.interpreter_problem(
        ["python", "find", "--no-config"], {**env, "UV_PYTHON_PREFERENCE": "x"}, str(tmp_path)
    )
    assert "python-preference Warden does not know" in found, found
    # uv reads the file whatever the command line sets: it is read too
    found = uv_inputs.interpreter_problem(
        ["python", "find", "--managed-python"], env, str(tmp_path)
    )
    assert str(tmp_path / "uv.toml") in found, found
