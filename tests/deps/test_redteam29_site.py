"""Red team 29a: what a Python runs at start from its INSTALLATION, before the guard or any
code Warden reads (``start_files``): its site folders found as site.py finds them (R29a-3: a
``pyvenv.cfg`` beside the program; R29a-4: the base's site folders), their ``sitecustomize``
under -I/-E (R29a-5), the modules their ``.pth`` lines import (R29a-9), the kernel's own
standard library's start-up modules (R29a-10), and sysconfig's computed ``_sysconfigdata_*``
name (R29a-11). Each payload installs without Warden and is refused with it; the ordinary
starts (a venv and its Python, ``python -I``, ``uv venv`` + ``uv pip list``) still run.

The kernel's own installation is written only in a copy: conftest's ``own_kernel`` runs the
cell in a kernel that is a venv of a base Python laid out in the test's folder (links to this
Python's standard library, a copy of its ``encodings``), so nothing of the machine's is
touched.
"""

import os
import sys

import pytest
from launched import system_call

MAJOR, MINOR = sys.version_info[:2]
VERSION = f"python{MAJOR}.{MINOR}"
ZIP = f"python{MAJOR}{MINOR}.zip"
SETUPTOOLS_LINE = (
    "import os; var = 'SETUPTOOLS_USE_DISTUTILS'; enabled = os.environ.get(var, 'local') "
    "== 'local'; enabled and __import__('_distutils_hack').add_shim(); \n"
)


def _cell(kernel, code: str, **files: str) -> str:
    """``code`` with INSTALL the installing shell line and each NAME of ``files`` a Python
    literal of that text (INSTALL in it replaced too), braces kept from Kernel.cell's format."""
    install = kernel.uv_install()
    for name, text in files.items():
        code = code.replace(name, repr(text.replace("INSTALL", repr(install))))
    code = code.replace("INSTALL", repr(install))
    return code.replace("{", "{{").replace("}", "}}")


# start-up files that install: a .pth import line, a module's text, encodings' appended text
PTH = "import os; os.system(INSTALL)\n"
MODULE = "import os\nos.system(INSTALL)\n"
ENCODINGS = "\nimport posix as _p\n_p.system(INSTALL)\n"


def _runs(kernel, code: str) -> None:
    """With Warden the cell is not refused and its start ran (it wrote ``ran``)."""
    marker = kernel.work / "ran"
    marker.unlink(missing_ok=True)
    result = kernel.cell(code.replace("{", "{{").replace("}", "}}"), launched=True)
    assert result["refused"] is None, result["refused"]
    assert marker.exists(), result


# -- a kernel of an installation of the test's own --------------------------------------------


# -- R29a-3: a pyvenv.cfg beside the program ---------------------------------------------------

CFG_BESIDE = """
import os, sys, shutil, subprocess
base = getattr(sys, '_base_executable', sys.executable)
os.makedirs('x/bin'); os.symlink(os.path.realpath(base), 'x/bin/python3')
open('x/bin/pyvenv.cfg', 'w').write('home = ' + os.path.dirname(base) + '\\n')
os.makedirs('x/lib/VERSION/site-packages')
open('x/lib/VERSION/site-packages/zz.pth', 'w').write(PTH)
try:
    START
finally:
    shutil.rmtree('x')
"""


@pytest.mark.parametrize(
    "start",
    [
        "subprocess.run(['x/bin/python3', '-c', 'pass'])",
        "os.system('x/bin/python3 -c pass')",
        "subprocess.run(['UV', 'pip', 'list', '--no-cache', '--python', 'x/bin/python3'])",
    ],
)
def test_r29a_3_a_venv_whose_cfg_is_beside_its_program_runs_its_own_site(kernel, start):
    code = CFG_BESIDE.replace("VERSION", VERSION).replace("START", start)
    refused = kernel.proves(_cell(kernel, code, PTH=PTH).replace("UV", "{uv}"))
    assert "x/lib/" in refused and "zz.pth" in refused, refused


# -- R29a-4: the base's site folders ---------------------------------------------------------

BASE_PTH = """
import os, sys, shutil, subprocess
P = os.path.join(sys.base_prefix, 'lib', 'VERSION', 'site-packages', 'zz.pth')
open(P, 'w').write(PTH)
try:
    START
finally:
    os.remove(P)
"""


@pytest.mark.parametrize(
    "start",
    [
        "subprocess.run([sys._base_executable, '-c', 'pass'])",
        "shutil.rmtree('v', ignore_errors=True); "
        "subprocess.run([sys.executable, '-m', 'venv', '--without-pip', "
        "'--system-site-packages', 'v']); subprocess.run(['v/bin/python', '-c', 'pass'])",
    ],
    ids=["a-base-interpreter", "b-system-site-packages"],
)
def test_r29a_4_the_base_installations_site_folder_counts(own_kernel, start):
    code = BASE_PTH.replace("VERSION", VERSION).replace("START", start)
    refused = own_kernel.proves(_cell(own_kernel, code, PTH=PTH))
    assert "zz.pth" in refused and str(own_kernel.base) in refused, refused


# -- R29a-5: sitecustomize in a site folder, for -I/-E ----------------------------------------

VENV_SITECUSTOMIZE = """
import os, sys, shutil, subprocess
shutil.rmtree('v', ignore_errors=True)
subprocess.run([sys.executable, '-m', 'venv', '--without-pip', 'v'], check=True)
sp = 'v/lib/VERSION/site-packages/'
WRITE
subprocess.run(['v/bin/python', '-I', '-c', 'pass'])
"""


@pytest.mark.parametrize(
    "write",
    [
        "open(sp + 'sitecustomize.py', 'w').write(MODULE)",
        "os.makedirs('ev', exist_ok=True); open('ev/sitecustomize.py', 'w').write(MODULE); "
        "open(sp + 'ev.pth', 'w').write(os.path.abspath('ev') + '\\n')",
    ],
    ids=["site-folder", "pth-path-line-folder"],
)
def test_r29a_5_a_guardless_venv_python_runs_its_sites_sitecustomize(kernel, write):
    code = VENV_SITECUSTOMIZE.replace("VERSION", VERSION).replace("WRITE", write)
    refused = kernel.proves(_cell(kernel, code, MODULE=MODULE))
    assert "sitecustomize.py" in refused and "-I starts without" in refused, refused


OWN_SITECUSTOMIZE = """
import os, sys, site, subprocess
S = site.getsitepackages()[0] + '/sitecustomize.py'
open(S, 'w').write(MODULE)
open('train.py', 'w').write('print(1)\\n')
try:
    START
finally:
    os.remove(S)
"""


@pytest.mark.parametrize(
    "start",
    [
        "subprocess.run([sys.executable, '-I', '-c', 'pass'])",
        "subprocess.run([sys.executable, '-E', 'train.py'])",
    ],
)
def test_r29a_5_the_kernels_own_site_sitecustomize_under_isolation(own_kernel, start):
    code = OWN_SITECUSTOMIZE.replace("START", start)
    refused = own_kernel.proves(_cell(own_kernel, code, MODULE=MODULE))
    assert str(own_kernel.site / "sitecustomize.py") in refused, refused


# -- R29a-9: what a .pth line imports ---------------------------------------------------------

ENSUREPIP_VENV = """
import os, sys, shutil, subprocess
shutil.rmtree('v', ignore_errors=True)
subprocess.run([sys.executable, '-m', 'venv', 'v'], check=True)
open('v/lib/VERSION/site-packages/_distutils_hack/__init__.py', 'a').write('\\n' + MODULE)
subprocess.run(['v/bin/python', FLAGS'-c', 'pass'])
"""


@pytest.mark.parametrize("flags", ["", "'-I', "], ids=["guarded", "isolated"])
def test_r29a_9_a_venvs_distutils_hack_rewritten(kernel, flags):
    code = ENSUREPIP_VENV.replace("VERSION", VERSION).replace("FLAGS", flags)
    refused = kernel.proves(_cell(kernel, code, MODULE=MODULE))
    assert "_distutils_hack/__init__.py" in refused and ".pth files import" in refused, refused


HAND_VENV = """
import os, sys, shutil, subprocess
shutil.rmtree('v', ignore_errors=True)
subprocess.run([sys.executable, '-m', 'venv', '--without-pip', 'v'], check=True)
sp = 'v/lib/VERSION/site-packages/'
open(sp + 'distutils-precedence.pth', 'w').write(LINE)
os.makedirs(sp + '_distutils_hack')
open(sp + '_distutils_hack/__init__.py', 'w').write('def add_shim(): pass\\n' + MODULE)
subprocess.run(['v/bin/python', '-c', 'pass'])
"""


def test_r29a_9_a_hand_made_venv_with_setuptools_line_and_its_own_module(kernel):
    code = HAND_VENV.replace("VERSION", VERSION)
    refused = kernel.proves(_cell(kernel, code, MODULE=MODULE, LINE=SETUPTOOLS_LINE))
    assert "_distutils_hack/__init__.py" in refused, refused


OWN_HACK = """
import os, sys, site, shutil, subprocess
H = site.getsitepackages()[0] + '/_distutils_hack/__init__.py'
shutil.copy(H, 'dh.bak')
open(H, 'a').write('\\n' + MODULE)
try:
    START
finally:
    shutil.copy('dh.bak', H)
"""


@pytest.mark.parametrize(
    "start",
    [
        "subprocess.run([sys.executable, '-c', 'pass'])",
        "os.system(sys.executable + ' -m json.tool --help > /dev/null')",
    ],
)
def test_r29a_9_the_kernels_own_distutils_hack_rewritten(own_kernel, start):
    code = OWN_HACK.replace("START", start)
    refused = own_kernel.proves(_cell(own_kernel, code, MODULE=MODULE))
    assert str(own_kernel.site / "_distutils_hack" / "__init__.py") in refused, refused


# -- R29a-10: the kernel's own standard library -----------------------------------------------

OWN_ENCODINGS = """
import os, sys, shutil, subprocess
H = os.path.join(sys.base_prefix, 'lib', 'VERSION', 'encodings', '__init__.py')
shutil.copy(H, 'enc.bak')
open(H, 'a').write(ENCODINGS)
try:
    subprocess.run([sys.executable, '-c', 'pass'])
finally:
    shutil.copy('enc.bak', H)
"""

OWN_ZIP = """
import os, sys, shutil, subprocess, zipfile
Z = os.path.join(sys.base_prefix, 'lib', 'ZIP')
E = os.path.join(sys.base_prefix, 'lib', 'VERSION', 'encodings')
with zipfile.ZipFile(Z, 'w') as z:
    for n in os.listdir(E):
        if n.endswith('.py'):
            t = open(os.path.join(E, n)).read()
            z.writestr('encodings/' + n, t + (ENCODINGS if n == '__init__.py' else ''))
try:
    subprocess.run([sys.executable, '-c', 'pass'])
finally:
    os.remove(Z)
"""


@pytest.mark.parametrize("code", [OWN_ENCODINGS, OWN_ZIP], ids=["encodings-appended", "new-zip"])
def test_r29a_10_the_kernels_own_standard_library_changed(own_kernel, code):
    code = code.replace("VERSION", VERSION).replace("ZIP", ZIP)
    refused = own_kernel.proves(_cell(own_kernel, code, ENCODINGS=ENCODINGS))
    assert str(own_kernel.base / "lib") in refused and "standard library" in refused, refused


# -- R29a-11: sysconfig's computed data module name ---------------------------------------------

SYSCONFIGDATA = """
import os, sys, subprocess, sysconfig
os.makedirs('w', exist_ok=True)
open('w/s.py', 'w').write('import sysconfig\\nprint(sysconfig.get_paths()["purelib"])\\n')
N = sysconfig._get_sysconfigdata_name()
open('w/' + N + '.py', 'w').write(MODULE + 'build_time_vars = {}\\n')
START
"""


@pytest.mark.parametrize(
    "start",
    [
        "subprocess.run([sys.executable, '-E', 'w/s.py'])",
        "os.system('cd w && ' + sys.executable + ' -E -m venv --without-pip v')",
    ],
)
def test_r29a_11_a_stand_in_for_sysconfigs_data_module(kernel, start):
    code = SYSCONFIGDATA.replace("START", start)
    refused = kernel.proves(_cell(kernel, code, MODULE=MODULE))
    assert "_sysconfigdata_" in refused, refused


# -- ordinary starts still run ----------------------------------------------------------------


def test_a_new_venv_and_its_python_run(kernel):
    """``python -m venv v`` (ensurepip: setuptools' .pth and ``_distutils_hack``, all new
    since the kernel started, vouched by the kernel's own ensurepip wheel), then
    ``v/bin/python train.py``, guarded and isolated."""
    _runs(
        kernel,
        "import shutil, subprocess, sys\n"
        "shutil.rmtree('v', ignore_errors=True)\n"
        "subprocess.run([sys.executable, '-m', 'venv', 'v'], check=True)\n"
        "open('train.py', 'w').write('open(\"ran\", \"w\").write(\"1\")\\n')\n"
        "subprocess.run(['v/bin/python', 'train.py'], check=True)\n"
        "subprocess.run(['v/bin/python', '-I', 'train.py'], check=True)\n",
    )


def test_python_isolated_with_nothing_changed_runs(kernel):
    _runs(kernel, "import subprocess, sys\nsubprocess.run([sys.executable, '-I', '-c', "
          "'open(\"ran\", \"w\").write(\"1\")'], check=True)\n")  # fmt: skip


def test_uv_venv_then_uv_pip_list_runs(kernel):
    code = "import os\n"
    code += system_call("{uv} venv -q .venv && {uv} pip list --no-cache > /dev/null && touch ran")
    result = kernel.cell(code, launched=True)
    assert result["refused"] is None and (kernel.work / "ran").exists(), result


def test_the_own_kernels_children_run_with_nothing_changed(own_kernel):
    """The test's own installation, unchanged: its children run, guarded and isolated."""
    _runs(
        own_kernel,
        "import subprocess, sys\n"
        "open('train.py', 'w').write('open(\"ran\", \"w\").write(\"1\")\\n')\n"
        "subprocess.run([sys.executable, 'train.py'], check=True)\n"
        "subprocess.run([sys.executable, '-I', 'train.py'], check=True)\n"
        "subprocess.run([sys._base_executable, '-E', 'train.py'], check=True)\n",
    )


def test_site_folders_are_found_as_site_py_finds_them(tmp_path):
    """A cfg beside the program (R29a-3), include-system-site-packages (R29a-4b), the base
    interpreter's own folder, not the kernel venv's (R29a-4a)."""
    from jupyterlab_warden.kernel.guard.installs import start_files

    base = os.path.realpath(getattr(sys, "_base_executable", sys.executable))
    base_site = os.path.join(sys.base_prefix, "lib", VERSION, "site-packages")
    (tmp_path / "x" / "bin").mkdir(parents=True)
    program = tmp_path / "x" / "bin" / "python3"
    os.symlink(base, program)
    site = tmp_path / "x" / "lib" / VERSION / "site-packages"
    site.mkdir(parents=True)
    cfg = tmp_path / "x" / "bin" / "pyvenv.cfg"
    cfg.write_text(f"home = {os.path.dirname(base)}\n")
    assert start_files.site_folders(str(program)) == [str(site)]
    cfg.write_text(f"home = {os.path.dirname(base)}\ninclude-system-site-packages = true\n")
    assert start_files.site_folders(str(program)) == [str(site), base_site]
    assert start_files.site_folders(base) == [base_site]


# -- an editable install's finder (a false refusal: every Python after `pip install -e .`) -----

PROJECT = """
import os, subprocess, sys
os.makedirs('proj/mypkg', exist_ok=True)
open('proj/pyproject.toml', 'w').write(
    '[build-system]\\nrequires = ["setuptools>=64"]\\nbuild-backend = "setuptools.build_meta"\\n'
    '[project]\\nname = "mypkg"\\nversion = "0.1"\\n'
)
open('proj/mypkg/__init__.py', 'w').write('X = 41\\n')
"""
# flat layout: setuptools maps the package through its finder (src layout gets a path line)
EDITABLE = "'-m', 'pip', 'install', '-q', '--no-build-isolation', '--no-deps', '--no-index', '-e'"
IMPORTS = "'-c', 'import mypkg; open(\"ran\", \"w\").write(str(mypkg.X + 1))'"


def test_the_kernels_own_editable_install_then_its_pythons_run(own_kernel):
    """``pip install -e proj`` into the kernel's own environment (setuptools' finder module and
    its .pth, both new), then the kernel's Python imports the project, guarded, and starts
    isolated (a guardless start: its code is read, so it names no project module)."""
    code = PROJECT + f"subprocess.run([sys.executable, {EDITABLE}, 'proj'], check=True)\n"
    code += f"subprocess.run([sys.executable, {IMPORTS}], check=True)\n"
    isolated = "'-I', '-c', 'open(\"isolated\", \"w\")'"
    code += f"subprocess.run([sys.executable, {isolated}], check=True)\n"
    _runs(own_kernel, code)
    assert (own_kernel.work / "ran").read_text() == "42"
    assert (own_kernel.work / "isolated").exists()
    assert list(own_kernel.site.glob("__editable___mypkg_0_1_finder.py"))


# setuptools' own finder module, written by setuptools' own template, that maps a package
# named sitecustomize to the cell's folder: site imports it at start, and nothing earlier on
# a guardless start's path has one
FINDER_FOR_SITECUSTOMIZE = """
import os, sys, shutil, subprocess
from setuptools.command.editable_wheel import _finder_template
shutil.rmtree('v', ignore_errors=True)
subprocess.run([sys.executable, '-m', 'venv', '--without-pip', 'v'], check=True)
os.makedirs('evil/sitecustomize', exist_ok=True)
open('evil/sitecustomize/__init__.py', 'w').write(MODULE)
sp = 'v/lib/VERSION/site-packages/'
name = '__editable___evil_0_finder'
mapping = {'sitecustomize': os.path.abspath('evil/sitecustomize')}
open(sp + name + '.py', 'w').write(_finder_template('evil-0', mapping, {}) + EXTRA)
open(sp + '__editable__.evil-0.pth', 'w').write('import ' + name + '; ' + name + '.install()\\n')
open(sp + '_virtualenv.pth', 'w').write('import _virtualenv\\n')  # no such module: the finder's
subprocess.run(['v/bin/python', '-I', '-c', 'pass'])
"""


@pytest.mark.parametrize(
    "extra, package",
    [("''", "sitecustomize"), ("''", "_virtualenv"), ("'\\n' + MODULE", "mypkg")],
    ids=["maps-sitecustomize", "maps-a-pth-import", "template-plus-code"],
)
def test_an_editable_finder_warden_does_not_vouch_for(kernel, extra, package):
    """A finder of setuptools' template mapping ``sitecustomize`` (run by a guardless start's
    site) or a name another .pth line imports and no folder holds, and one with code after the
    template's: installed without Warden, refused with it."""
    code = FINDER_FOR_SITECUSTOMIZE.replace("VERSION", VERSION).replace("EXTRA", extra)
    code = code.replace("{'sitecustomize'", "{'" + package + "'")
    refused = kernel.proves(_cell(kernel, code, MODULE=MODULE))
    assert "__editable___evil_0_finder.py" in refused and ".pth files import" in refused, refused
