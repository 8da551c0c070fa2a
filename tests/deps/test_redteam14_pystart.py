"""Red team 14: where a child Python's start-up code and standard library come from
(R14-11, R14-12, R14-25, R14-26, R14-39, R14-40; ``startup_modules``, ``commands``).

Malicious cases prove themselves as in test_redteam13_pyenv: without Warden the cell's child
installs warden-demo-pkg from the local index; in a kernel of the lab's launch environment the
same cell is refused before the installer runs.
"""

import os
import sys

import pytest
from launched import system_cell
from real_uv import real_uv

from jupyterlab_warden.kernel.guard.installs import commands, condarc, sources, startup_modules

UV = real_uv()
PY = sys.executable
SYSTEM_PY = "/usr/bin/python3"  # a non-venv Python: its user site is read


def _venv_pth(name: str, line: str) -> str:
    """A cell that makes a venv, writes ``line`` into its site-packages' ``name`` and starts
    the venv's Python (a guarded child: it keeps the kernel's PYTHONPATH)."""
    return (
        "import glob, os, subprocess, sys\n"
        "subprocess.run([sys.executable, '-m', 'venv', '--without-pip', 'v'], check=True)\n"
        "site = glob.glob('v/lib/python*/site-packages')[0]\n"
        f"open(os.path.join(site, {name!r}), 'w').write({line!r} + '\\n')\n"
        "subprocess.run(['v/bin/python', '-c', 'print(1)'], stdout=subprocess.DEVNULL)\n"
    )


# -- R14-39: the old namespace-package line is matched in full ----------------------------

NSPKG_PREFIX = (
    "import sys, types, os;has_mfs = sys.version_info > (3, 5);p = os.path.join("
    "sys._getframe(1).f_locals.get('sitedir', ''), *('x',));"
)


def test_code_after_the_namespace_lines_prefix_is_refused(kernel):
    line = NSPKG_PREFIX + f"os.system({kernel.uv_install()!r})"
    assert "zz.pth" in kernel.proves(_venv_pth("zz.pth", line))


# what setuptools wrote (setuptools/namespaces.py: current, before 60 with has_mfs, oldest)
NSPKG_LINES = [
    "import sys, types, os;p = os.path.join(sys._getframe(1).f_locals['sitedir'], "
    "*('google', 'cloud'));importlib = __import__('importlib.util');"
    "__import__('importlib.machinery');m = sys.modules.setdefault('google.cloud', "
    "importlib.util.module_from_spec(importlib.machinery.PathFinder.find_spec('google.cloud', "
    "[os.path.dirname(p)])));m = m or sys.modules.setdefault('google.cloud', "
    "types.ModuleType('google.cloud'));mp = (m or []) and "
    "m.__dict__.setdefault('__path__',[]);(p not in mp) and mp.append(p);"
    "m and setattr(sys.modules['google'], 'cloud', m)",
    "import sys, types, os;has_mfs = sys.version_info > (3, 5);p = os.path.join("
    "sys._getframe(1).f_locals['sitedir'], *('google',));importlib = has_mfs and "
    "__import__('importlib.util');has_mfs and __import__('importlib.machinery');m = has_mfs "
    "and sys.modules.setdefault('google', importlib.util.module_from_spec("
    "importlib.machinery.PathFinder.find_spec('google', [os.path.dirname(p)])));m = m or "
    "sys.modules.setdefault('google', types.ModuleType('google'));mp = (m or []) and "
    "m.__dict__.setdefault('__path__',[]);(p not in mp) and mp.append(p)",
    "import sys, types, os;p = os.path.join(sys._getframe(1).f_locals['sitedir'], "
    "*('zope',));ie = os.path.exists(os.path.join(p,'__init__.py'));m = not ie and "
    "sys.modules.setdefault('zope', types.ModuleType('zope'));mp = (m or []) and "
    "m.__dict__.setdefault('__path__',[]);(p not in mp) and mp.append(p)",
]


@pytest.mark.parametrize("line", NSPKG_LINES)
def test_installers_namespace_lines_stay_benign_and_nothing_may_follow(tmp_path, line):
    site = tmp_path / "site"
    site.mkdir()
    (site / "google-nspkg.pth").write_text(line + "\n")
    assert startup_modules.pth_code([str(site)]) == ""
    (site / "google-nspkg.pth").write_text(line + ";import os\n")
    assert startup_modules.pth_code([str(site)]).endswith("google-nspkg.pth")


# -- R14-40: a hidden .pth file is read as site reads it ----------------------------------


def test_a_hidden_pth_file_is_refused(kernel):
    line = f"import os;os.system({kernel.uv_install()!r})"
    assert ".zz.pth" in kernel.proves(_venv_pth(".zz.pth", line))


def test_a_hidden_pth_files_imports_count(tmp_path):
    (tmp_path / ".zz.pth").write_text("import _shim_hidden\n")
    assert startup_modules.pth_imports([str(tmp_path)]) == {"_shim_hidden"}


# -- R14-11: -i (or PYTHONINSPECT) runs the input after the code ---------------------------


@pytest.mark.parametrize(
    "start",
    [
        "python -I -i -c pass < x.py",
        "cat x.py | python -Ii -c 'print(1)'",
        "python -Si y.py < x.py",
    ],
)
def test_a_guardless_python_inspecting_its_input_is_refused(kernel, start):
    (kernel.work / "x.py").write_text(kernel.install_cell())
    (kernel.work / "y.py").write_text("print(1)\n")
    line = start.replace("python", PY, 1) if start.startswith("python") else start
    line = line.replace(" python ", f" {PY} ")
    assert "runs code from its input" in kernel.proves(system_cell(line + " > /dev/null"))


def test_a_guardless_python_inspecting_an_argv_input_is_refused(kernel):
    cell = kernel.install_cell()
    code = (
        "import subprocess, sys\n"
        f"subprocess.run([sys.executable, '-E', '-i', '-c', 'pass'], input={cell!r},"
        " text=True, stdout=subprocess.DEVNULL)\n"
    )
    assert "runs code from its input" in kernel.proves(code)


def test_pythoninspect_counts_where_the_child_reads_its_environment(monkeypatch):
    """PYTHONINSPECT runs a terminal input after the code (CPython's pymain_repl): a pty the
    cell made is one; counted whatever the input is."""
    monkeypatch.delenv("PYTHONINSPECT", raising=False)
    with pytest.raises(commands.Unreadable, match="runs code from its input"):
        commands.invocations([PY, "-c", "pass"], env={"PYTHONPATH": "", "PYTHONINSPECT": "1"})
    assert commands.invocations([PY, "-I", "-c", "print(1)"]) == []
    assert commands.invocations([PY, "-E", "-c", "print(1)"], env={"PYTHONINSPECT": "1"}) == []


# -- R14-12: PYTHONHOME / PYTHONPLATLIBDIR move the standard library -----------------------


def _stdlib_with_encodings(kernel, home) -> None:
    """``home``/lib/python3.X: links to the real standard library but ``encodings``, whose
    __init__ installs, then hands over to the real one."""
    version = f"python{sys.version_info[0]}.{sys.version_info[1]}"
    real = os.path.join(sys.base_prefix, "lib", version)
    lib = home / "lib" / version
    lib.mkdir(parents=True)
    for name in os.listdir(real):
        if name != "encodings":
            os.symlink(os.path.join(real, name), lib / name)
    (lib / "encodings").mkdir()
    for name in os.listdir(os.path.join(real, "encodings")):
        if name not in ("__init__.py", "__pycache__"):
            os.symlink(os.path.join(real, "encodings", name), lib / "encodings" / name)
    source = open(os.path.join(real, "encodings", "__init__.py")).read()
    head = f"import posix\nposix.system({kernel.uv_install()!r})\n"
    (lib / "encodings" / "__init__.py").write_text(head + source)


def test_a_pythonhome_of_the_cells_is_refused(kernel):
    home = kernel.work / "h"
    _stdlib_with_encodings(kernel, home)
    assert "standard library" in kernel.proves(
        system_cell(f"PYTHONHOME={home} {PY} -c 'print(1)' > /dev/null 2>&1")
    )


@pytest.mark.parametrize("name", ["PYTHONHOME", "PYTHONPLATLIBDIR"])
def test_a_moved_standard_library_is_unreadable_and_the_own_one_is_not(name):
    with pytest.raises(commands.Unreadable, match="standard library"):
        commands.invocations([PY, "-c", "print(1)"], env={name: "/tmp/elsewhere"})
    own = {"PYTHONHOME": sys.base_prefix, "PYTHONPLATLIBDIR": sys.platlibdir}[name]
    assert commands.invocations([PY, "-c", "print(1)"], env={name: own}) == []
    assert commands.invocations([PY, "-I", "-c", "print(1)"], env={name: "/x"}) == []


def test_setting_pythonplatlibdir_in_the_kernel_drops_the_guard():
    assert commands.environ_change_drops_guard("PYTHONPLATLIBDIR", "../../tmp/x")


# -- R14-25, R14-26: relative paths are the child's start folder's -------------------------


@pytest.mark.parametrize("how", ["cd", "popen-cwd"])
def test_a_relative_userbase_is_read_from_the_childs_start_folder(kernel, how):
    assert os.path.exists(SYSTEM_PY), f"{SYSTEM_PY} (a non-venv Python) is needed to prove this"
    import subprocess

    version = subprocess.run(
        [SYSTEM_PY, "-c", "import sys; print('python%d.%d' % sys.version_info[:2])"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    site = kernel.work / "sub" / "ub" / "lib" / version / "site-packages"
    site.mkdir(parents=True)
    line = f"import os;os.system({kernel.uv_install()!r})"
    if how == "cd":
        code = system_cell(f"cd sub && PYTHONUSERBASE=ub {SYSTEM_PY} -c 'print(1)' > /dev/null")
    else:
        code = (
            "import os, subprocess\n"
            f"subprocess.run([{SYSTEM_PY!r}, '-c', 'print(1)'], cwd='sub', "
            "env=dict(os.environ, PYTHONUSERBASE='ub'), stdout=subprocess.DEVNULL)\n"
        )
    code = f"open({str(site / 'zz.pth')!r}, 'w').write({line!r} + '\\n')\n" + code
    assert "zz.pth" in kernel.proves(code)


def test_relative_installer_config_files_are_the_start_folders(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    sub = tmp_path / "sub"
    env = {"PIP_CONFIG_FILE": "pip.conf", "CONDARC": "condarc", "HOME": str(tmp_path)}
    assert sources.pip_config_files(env, "pip", str(sub))[-1] == str(sub / "pip.conf")
    assert str(sub / "condarc") in condarc.files(env, "conda", None, str(sub))
    assert str(tmp_path / "condarc") not in condarc.files(env, "conda", None, str(sub))


# -- R14-19: a venv's home names where its standard library comes from --------------------


def test_a_venv_whose_home_is_the_cells_is_refused(kernel):
    fake = kernel.work / "fake"
    _stdlib_with_encodings(kernel, fake)
    (fake / "bin").mkdir()
    venv = kernel.work / "v"
    (venv / "bin").mkdir(parents=True)
    version = f"python{sys.version_info[0]}.{sys.version_info[1]}"
    os.symlink(os.path.realpath(PY), venv / "bin" / version)
    (venv / "pyvenv.cfg").write_text(f"home = {fake / 'bin'}\n")
    line = f"v/bin/{version} -c 'print(1)' > /dev/null 2>&1"
    assert "pyvenv.cfg" in kernel.proves(system_cell(line))


def test_an_ordinary_venvs_python_still_runs(tmp_path):
    import subprocess

    subprocess.run([PY, "-m", "venv", "--without-pip", str(tmp_path / "v")], check=True)
    assert startup_modules.foreign_home(str(tmp_path / "v" / "bin" / "python")) == ""
    assert commands.invocations([str(tmp_path / "v" / "bin" / "python"), "-c", "print(1)"]) == []
    (tmp_path / "v" / "pyvenv.cfg").write_text(f"home = {tmp_path}\n")
    with pytest.raises(commands.Unreadable, match="pyvenv.cfg"):
        commands.invocations([str(tmp_path / "v" / "bin" / "python"), "-c", "print(1)"])


def test_a_venv_home_is_its_python_installation_or_the_kernels(tmp_path):
    """A copied program's own folder is not an installation (its venv's files would be the
    standard library); the kernel's base installation is (a `--copies` venv)."""
    venv = tmp_path / "v"
    (venv / "bin").mkdir(parents=True)
    program = venv / "bin" / "python3"
    program.write_bytes(b"")
    (venv / "pyvenv.cfg").write_text(f"home = {venv / 'bin'}\n")
    assert startup_modules.foreign_home(str(program)) == str(venv / "pyvenv.cfg")
    base = os.path.dirname(getattr(sys, "_base_executable", sys.executable))
    (venv / "pyvenv.cfg").write_text(f"home = {base}\n")
    assert startup_modules.foreign_home(str(program)) == ""
