"""fix67pyname (found by fix67shebang): a program is a Python that hosts Warden's guard by
its real file, not by its name. ``guardless.hosts_guard`` trusted a program named
``python3.11`` (or beside a ``pyvenv.cfg``) as a Python that loads the guard; a copy of
/usr/bin/env so named runs ``-i PY -m pip install`` with an empty environment (no guard),
while Warden read a guarded Python start. Now only the kernel's interpreter, the machine's
program, or a byte-identical copy of one (a ``--copies`` venv) hosts the guard
(``commands._known_as``, the rule shells, env and wrappers have); anything else named as a
Python is a guardless Python.
"""

import os
import shutil
import subprocess
import sys

import pytest

from jupyterlab_warden.kernel.guard.installs import guardless

PY = sys.executable
INSTALL = (
    "'install', '-q', '--no-cache-dir', '--target', '{target}', '--index-url', '{index}', "
    "'warden-demo-pkg'"
)
ARGS = "'-m', 'pip', " + INSTALL
WORDS = "-m pip install -q --no-cache-dir --target {target} --index-url {index} warden-demo-pkg"
COPY = "import os, shutil, subprocess\nshutil.copy('/usr/bin/env', 'python3.11')\n"
# a script that installs with pip's own code, run by whatever Python its #! line starts (a
# script not named as an installer, whose words hold no install)
TOOL_BODY = (
    "import sys\nsys.argv[1:] = [" + INSTALL + "]\n"
    "from pip._internal.cli.main import main\nsys.exit(main())\n"
)
# the kernel's own Python's home and version: the venv a copy of env stands in
CFG = f"home = {os.path.dirname(os.path.realpath(PY))}\nversion = {sys.version.split()[0]}\n"
CELLS = {
    # the line: ./python3.11 (env) -i PY -m pip install ...
    "line": COPY + f"subprocess.run(['./python3.11', '-i', {PY!r}, {ARGS}])\n",
    # a script whose #! line runs the copy through env -S: PY runs the script, no guard
    "shebang": COPY
    + f"line = '#!/usr/bin/env -S ./python3.11 -i {PY}\\n'\n"
    + f"open('tool', 'w').write(line + {TOOL_BODY!r})\nos.chmod('tool', 0o755)\n"
    + "subprocess.run(['./tool'])\n",
    # env -S naming the copy
    "env -S": COPY + f"subprocess.run(['/usr/bin/env', '-S', './python3.11 -i {PY} {WORDS}'])\n",
    # a venv's layout made around a copy of env: bin/python and ../pyvenv.cfg
    "pyvenv.cfg": "import os, shutil, subprocess\nos.makedirs('v/bin', exist_ok=True)\n"
    "shutil.copy('/usr/bin/env', 'v/bin/python')\n"
    f"open('v/pyvenv.cfg', 'w').write({CFG!r})\n"
    f"subprocess.run(['v/bin/python', '-i', {PY!r}, {ARGS}])\n",
}


@pytest.mark.parametrize("case", sorted(CELLS))
def test_a_copy_of_env_named_as_a_python_is_no_guarded_python(kernel, case):
    code = CELLS[case]
    kernel.kept_from_refused_host(code)


# -- what stays a Python that hosts the guard (no false refusal) ----------------------------


def _venv(tmp_path, *options):
    folder = tmp_path / ("v" + "".join(options))
    subprocess.run([PY, "-m", "venv", "--without-pip", *options, str(folder)], check=True)
    return folder / "bin"


@pytest.mark.parametrize("options", [(), ("--copies",)])
def test_a_venv_of_the_kernels_python_hosts_the_guard(tmp_path, options):
    """``python -m venv v`` (links to its home's Python) and ``--copies`` (a byte-identical
    copy of it): its python, python3 and python3.X are the kernel's interpreter."""
    bin_folder = _venv(tmp_path, *options)
    version = f"python{sys.version_info[0]}.{sys.version_info[1]}"
    for name in ("python", "python3", version):
        assert guardless.hosts_guard(str(bin_folder / name), {}), name
    assert guardless.hosts_guard(sys.executable, {})


def test_a_uv_venv_of_the_kernels_python_hosts_the_guard(tmp_path):
    from real_uv import real_uv

    subprocess.run([real_uv(), "venv", "-q", "--python", PY, str(tmp_path / "u")], check=True)
    for name in ("python", "python3"):
        assert guardless.hosts_guard(str(tmp_path / "u" / "bin" / name), {}), name


def test_a_copy_of_env_named_as_a_python_does_not(tmp_path):
    """The copy by a version's name, and as a venv's python beside a ``pyvenv.cfg`` naming the
    kernel's home (a real venv's own file replaced by it)."""
    shutil.copy("/usr/bin/env", tmp_path / "python3.11")
    assert not guardless.hosts_guard(str(tmp_path / "python3.11"), {})
    bin_folder = _venv(tmp_path, "--copies")
    (bin_folder / "python").unlink()
    shutil.copy("/usr/bin/env", bin_folder / "python")
    assert not guardless.hosts_guard(str(bin_folder / "python"), {})


def test_a_python_that_is_a_copy_is_known_by_its_bytes(tmp_path):
    """A file the size of the kernel's interpreter but for one byte is no copy of it."""
    real = os.path.realpath(PY)
    data = bytearray(open(real, "rb").read())
    data[len(data) // 2] ^= 1
    (tmp_path / "python3.11").write_bytes(bytes(data))
    (tmp_path / "python3.11").chmod(0o755)
    assert not guardless.hosts_guard(str(tmp_path / "python3.11"), {})
    shutil.copy(real, tmp_path / "python3.12")
    assert guardless.hosts_guard(str(tmp_path / "python3.12"), {})
