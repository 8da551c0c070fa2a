"""Red team 39c R39c-1b: the standard-library ``traceback`` that site imports when a
``.pth`` line fails, before the guard.

``site.addpackage`` runs a site folder's ``.pth`` import lines before ``sitecustomize`` (the
guard); when a line raises, it does ``import traceback`` to print the error, and
``traceback`` imports ``linecache`` (-> ``tokenize``, ``re``...), ``textwrap``,
``contextlib``, ``collections``. setuptools' ``distutils-precedence.pth`` (in every venv with
setuptools; ``own_kernel``'s site holds it) imports ``_distutils_hack``: a cell that moves that
package away (the kernel's own site-packages, the user's) makes the line raise at every later
start. ``start_files._stdlib_changed`` checks only ``STDLIB_START``/``GUARD_BOOT`` names of
the kernel's own standard library, and ``_pth_module_changed`` a MISSING module not at all,
so a ``traceback.py`` the cell changed (the notebook user's to write under pyenv, as this
machine's kernel Python is; conda; a uv-managed Python) runs in the child before its guard:
it installs. These tests FAIL today.
"""

import sys

import pytest

# traceback (and its pyc) copied into own_kernel's base, never the machine's file
OWN_KERNEL_COPIES = ("traceback",)

CELL = (
    "import os, sys, sysconfig\nlib = sysconfig.get_paths()['stdlib']\npy = sys.executable\n"
    "site = sysconfig.get_paths()['purelib']\n"
    "path = lib + '/traceback.py'\nsrc = open(path).read()\n"
    'body = \'\\nimport os as _o\\n_o.environ.get("RT39") or (_o.environ.__setitem__("RT39", '
    "\"1\"), _o.system(' + repr(INSTALL) + '))\\n'\n"
    "open(path, 'w').write(src + body)\n"
    "os.rename(site + '/_distutils_hack', site + '/_distutils_hack.moved')\n"
    "try:\n    START\nfinally:\n    open(path, 'w').write(src)\n"
    "    os.rename(site + '/_distutils_hack.moved', site + '/_distutils_hack')\n"
)

STARTS = {
    "os_system": "os.system(py + ' -c pass')",
    "subprocess": "import subprocess; subprocess.run([py, '-c', 'pass'])",
}


def _cell(kernel, start: str) -> str:
    # the installer's own query of its Python is another installation (no changed traceback)
    install = kernel.uv_install().replace(sys.executable, "/usr/bin/python3")
    code = CELL.replace("START", start).replace("INSTALL", repr(install))
    return code.replace("{", "{{").replace("}", "}}")


@pytest.mark.parametrize("start", sorted(STARTS))
def test_traceback_site_imports_for_a_failing_pth_line(own_kernel, start):
    """Installs without Warden; under Warden the start must be refused (or the module never
    run): today traceback runs in the child before its guard and installs."""
    code = _cell(own_kernel, STARTS[start])
    own_kernel.reset()
    plain = own_kernel.cell(code, launched=False)
    assert plain["refused"] is None and own_kernel.installed(), plain
    own_kernel.reset()
    guarded = own_kernel.cell(code, launched=True)
    assert own_kernel.index.requests == [] and not own_kernel.installed(), guarded


def test_a_start_with_a_failing_pth_line_still_runs(own_kernel):
    """The ordinary form: a broken setuptools shim (its package removed), the library
    unchanged: site prints the error and the Python runs."""
    marker = own_kernel.work / "ran.txt"
    line = f"{{py}} -c \"open({str(marker)!r}, 'w').write('1')\""
    code = (
        "import os, sys, sysconfig\nsite = sysconfig.get_paths()['purelib']\n"
        "os.rename(site + '/_distutils_hack', site + '/_distutils_hack.moved')\n"
        "assert os.system(" + repr(line) + ".format(py=sys.executable)) == 0\n"
    )
    result = own_kernel.cell(code.replace("{", "{{").replace("}", "}}"), launched=True)
    assert result["refused"] is None and marker.exists(), result
