"""Red team 32: Python starts the shell reading did not read as starts.

R32-11, R32-13, R32-1: a program read by its name (pip, conda, the front ends) returned its
installer invocation before its ``#!`` Python start was read, so ``PYTHONPATH=d pip list`` ran
d/sitecustomize.py without the guard, and ``cp p.pth <site>/zz.pth; pip --version`` ran the new
.pth before pip's guard. The console script's start is now read as ``python -m pip``'s is
(``commands._refuse_console_script_start``). R32-5, R32-4: a Python behind a launcher Warden
has no table for (``taskset -c 0``, ``chrt -o 0``, ``choom``) was never read as a start; every
Python word among such a program's operands now is (``commands._refuse_operand_python``).

The console scripts here are stand-ins the cell writes (``#!<the kernel's Python>``), as pip's,
conda's and poetry's are in a venv or a conda base. Each vector installs without Warden and is
refused with it; the ordinary lines still run.
"""

import os
import sys

import pytest

from jupyterlab_warden.kernel.guard.installs import commands

INSTALL = (
    "import os; os.system('{uv} pip install -q --no-config --no-cache --python /usr/bin/python3 "
    "--target {target} --index-url {index} warden-demo-pkg')\n"
)
# a console script of the kernel's Python, named NAME, in the cell's tools folder
TOOL = (
    "import os, sys, shutil\npy = sys.executable\nos.makedirs('tools', exist_ok=True)\n"
    "def tool(name):\n    path = os.path.abspath('tools/' + name)\n"
    "    open(path, 'w').write('#!' + py + chr(10) + 'import sys; sys.exit(0)' + chr(10))\n"
    "    os.chmod(path, 0o755)\n    return path\n"
    "open('t.py', 'w').write('print(1)')\n"
)
# a start-up module in d, written before the line (no writer on the line itself)
D = (
    TOOL + "shutil.rmtree('d', ignore_errors=True); os.makedirs('d')\n"
    f"open('d/sitecustomize.py', 'w').write({INSTALL!r})\n"
)


@pytest.mark.parametrize("name", ["pip", "conda", "poetry"])
def test_pythonpath_before_a_console_script(kernel, name):
    """R32-11 (pip), R32-13 (conda's and the front ends' branches)."""
    refused = kernel.proves(D + f"os.system('PYTHONPATH=d ' + tool({name!r}) + ' --version')\n")
    assert "is a Python's script" in refused, refused


def test_pythonpath_before_a_launched_python(kernel):
    """R32-5: the launcher's environment reaches the Python it starts."""
    refused = kernel.proves(D + "os.system('PYTHONPATH=d taskset -c 0 ' + py + ' -c pass')\n")
    assert "sitecustomize" in refused, refused


# R31-6's shape: a .pth copied into the kernel's site earlier on the line
SITE = (
    TOOL + "import sysconfig\nsite = sysconfig.get_paths()['purelib']\n"
    f"open('p.pth', 'w').write({INSTALL!r})\n"
    "try:\n    os.system('cp p.pth ' + site + '/zz.pth; ' + START)\nfinally:\n"
    "    os.path.exists(site + '/zz.pth') and os.remove(site + '/zz.pth')\n"
)


def test_a_pth_written_before_a_console_script_or_a_launched_python(own_kernel):
    """R32-1 (pip's console script) and R32-4 (taskset): one kernel, two lines."""
    for start in ("tool('pip') + ' --version'", "'taskset -c 0 ' + py + ' -c pass'"):
        refused = own_kernel.proves(SITE.replace("START", start))
        assert str(own_kernel.site) in refused, refused


def test_ordinary_launched_pythons_and_console_scripts_still_run(kernel):
    """CPU pinning, and console scripts after a writer that writes no start-up folder."""
    lines = (
        "'taskset -c 0 ' + py + ' t.py'",
        "'nice ' + py + ' t.py'",
        "'mkdir -p out && cp t.py out/ && ' + tool('pip') + ' --version'",
        "'PYTHONUNBUFFERED=1 ' + tool('conda') + ' info'",
    )
    code = TOOL + "".join(f"assert os.system({line}) == 0\n" for line in lines)
    result = kernel.cell(code + "open('ran', 'w').close()\n", launched=True)
    assert result["refused"] is None and (kernel.work / "ran").exists(), result["refused"]


def test_an_unread_start_variable_before_a_console_script(tmp_path):
    """The line's PYTHONPATH in a form Warden does not read as a value (`read`) reaches pip's
    Python as it reaches `python`'s; a binary named pip starts no Python to read."""
    script = tmp_path / "pip"
    script.write_text(f"#!{os.path.realpath(sys.executable)}\n")
    script.chmod(0o755)
    env = {"PATH": str(tmp_path)}
    with pytest.raises(commands.Unreadable, match="is a Python's script"):
        commands.shell_invocations("read PYTHONPATH < f; pip list", 0, env)
    script.write_bytes(b"\x7fELF\x02\x01\x01")
    assert commands.shell_invocations("read PYTHONPATH < f; pip list", 0, env)
