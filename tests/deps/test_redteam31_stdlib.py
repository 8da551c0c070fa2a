"""Red team 31: the kernel's own standard library, beyond R29a-10's start-up modules
(``start_files``). R31-8: a module a ``.pth`` line imports (setuptools' ``_distutils_hack``) is
found where Python finds it while ``site`` runs: the standard library's folders come before the
site folders, so a ``_distutils_hack.py`` written there shadows the site-packages package. R31-9:
the guard's own boot imports standard-library files (``__future__``, ``_compat_pickle``...)
before its audit hook is in; they are checked like ``STDLIB_START``'s (``GUARD_BOOT``), and a
guarded child's boot is listed so that the set cannot fall behind the guard's imports.

The kernel's own installation is written only in a copy, as in test_redteam29_site.py:
conftest's ``own_kernel`` runs the cell in a kernel that is a venv of a base Python laid out in
the test's folder (links to this Python's standard library but COPIES of ``encodings`` and the
modules these tests write: ``OWN_KERNEL_COPIES``, and a ``__pycache__`` folder of its own), so
nothing of the machine's is touched.
"""

import os
import sys

import pytest

from jupyterlab_warden.kernel.guard.installs import start_files, startup_modules

MAJOR, MINOR = sys.version_info[:2]
VERSION = f"python{MAJOR}.{MINOR}"
# the standard library's modules the tests write: copies in the test's own installation
# (conftest's ``own_kernel``)
WRITTEN = OWN_KERNEL_COPIES = ("__future__", "_compat_pickle")
_NOT_STDLIB = ("site-packages", "dist-packages")


def _cell(kernel, code: str, payload: str) -> str:
    """``code`` with PAYLOAD a Python literal of ``payload`` (INSTALL in it a literal of the
    installing shell line) and VERSION the library folder's name, braces kept from
    Kernel.cell's format."""
    payload = payload.replace("INSTALL", repr(kernel.uv_install()))
    code = code.replace("PAYLOAD", repr(payload)).replace("VERSION", VERSION)
    return code.replace("{", "{{").replace("}", "}}")


# -- R31-8: a .pth line's module in the standard library ----------------------------------------

HACK = "import os\nos.system(INSTALL)\ndef add_shim(): pass\n"
STDLIB_HACK = """
import os, sys, subprocess
P = os.path.join(sys.base_prefix, 'lib', 'VERSION', 'NAME')
os.makedirs(os.path.dirname(P), exist_ok=True)
open(P, 'w').write(PAYLOAD)
try:
    START
finally:
    os.remove(P)
"""


@pytest.mark.parametrize(
    "start",
    [
        "subprocess.run([sys.executable, '-c', 'pass'])",
        "subprocess.run([sys.executable, '-I', '-c', 'pass'])",
        "os.system(sys.executable + ' -c pass')",
    ],
    ids=["guarded", "isolated", "system"],
)
@pytest.mark.parametrize("name", ["_distutils_hack.py", "_distutils_hack/__init__.py"])
def test_r31_8_a_pth_lines_module_written_into_the_own_standard_library(own_kernel, start, name):
    code = STDLIB_HACK.replace("NAME", name).replace("START", start)
    refused = own_kernel.proves(_cell(own_kernel, code, HACK))
    assert str(own_kernel.lib / "_distutils_hack") in refused, refused
    assert ".pth files import" in refused, refused


# -- R31-9: what the guard's own boot imports from the standard library -------------------------

APPENDED = "\nimport os as _o\n_o.system(INSTALL)\n"
OWN_MODULE = """
import os, sys, shutil, subprocess
P = os.path.join(sys.base_prefix, 'lib', 'VERSION', 'NAME.py')
shutil.copy2(P, 'module.bak')
open(P, 'a').write(PAYLOAD)
try:
    START
finally:
    shutil.copy2('module.bak', P)
"""


@pytest.mark.parametrize("name", WRITTEN)
@pytest.mark.parametrize(
    "start",
    [
        "subprocess.run([sys.executable, '-c', 'import NAME'])",
        "os.system(sys.executable + ' -I -c \"import NAME\"')",
    ],
    ids=["guarded", "isolated"],
)
def test_r31_9_a_module_the_guards_boot_imports_changed_in_the_own_standard_library(
    own_kernel, name, start
):
    code = OWN_MODULE.replace("START", start).replace("NAME", name)
    refused = own_kernel.proves(_cell(own_kernel, code, APPENDED))
    assert str(own_kernel.lib / name) in refused and "standard library" in refused, refused


# what a guarded child has loaded when its own code starts: every module's name and file
LIST_MODULES = (
    "import sys\n"
    "open('modules.txt', 'w').write('\\n'.join(n + '\\t' + str(getattr(m, '__file__', None)) "
    "for n, m in list(sys.modules.items())))\n"
)


def test_r31_9_every_standard_library_file_the_guards_boot_loads_is_checked(kernel):
    """A guarded child of the kernel: each module it loaded from a file of the standard library
    (its folder, not site-packages, or lib-dynload) by the time its own code runs (the guard's
    boot, and site's start before it) is one ``start_files`` checks (``STDLIB_START`` or
    ``GUARD_BOOT``). A new import in the guard's boot path fails here until it is listed."""
    code = f"import subprocess, sys\nsubprocess.run([sys.executable, '-c', {LIST_MODULES!r}])\n"
    result = kernel.cell(code.replace("{", "{{").replace("}", "}}"), launched=True)
    assert result["refused"] is None, result
    lines = (kernel.work / "modules.txt").read_text().splitlines()
    loaded = dict(line.split("\t") for line in lines)
    assert "jupyterlab_warden.kernel.guard" in loaded  # the guard booted
    _archive, stdlib, dynload = map(os.path.realpath, startup_modules.stdlib_folders())
    checked = set(start_files.STDLIB_START) | set(start_files.GUARD_BOOT)
    unchecked = []
    for name, path in loaded.items():
        real = os.path.realpath(path) if path not in ("None", "") else ""
        for folder in (dynload, stdlib):
            if real.startswith(os.path.join(folder, "")):
                # the file's module or package, by its place (as start_files checks it)
                top = os.path.relpath(real, folder).split(os.sep)[0]
                if top not in _NOT_STDLIB and top.partition(".")[0] not in checked:
                    unchecked.append(f"{name}: {path}")
                break
    assert not unchecked, unchecked
    # and the list names only what the boot loads from a file, or a build keeps in one
    assert {"__future__", "_compat_pickle"} <= set(loaded), sorted(loaded)


# -- controls --------------------------------------------------------------------------------


def _runs(kernel, code: str) -> None:
    """With Warden the cell is not refused and its start ran (it wrote ``ran``)."""
    marker = kernel.work / "ran"
    marker.unlink(missing_ok=True)
    result = kernel.cell(code.replace("{", "{{").replace("}", "}}"), launched=True)
    assert result["refused"] is None, result
    assert marker.exists(), result


def test_the_own_kernels_children_run_with_nothing_changed(own_kernel):
    """The test's own installation, unchanged (its copied modules and caches too): its
    children run, guarded, isolated, and its base Python's."""
    _runs(
        own_kernel,
        "import subprocess, sys, __future__, _compat_pickle\n"
        "open('train.py', 'w').write('import __future__\\nopen(\"ran\", \"w\").write(\"1\")\\n')\n"
        "subprocess.run([sys.executable, 'train.py'], check=True)\n"
        "subprocess.run([sys.executable, '-I', 'train.py'], check=True)\n"
        "subprocess.run([sys._base_executable, '-E', 'train.py'], check=True)\n",
    )
