"""Red team 38c R38c-1: a warning category's module in the standard library.

A Python imports the module of each ``-W``/PYTHONWARNINGS category (``ignore::mod.W``) while it
starts, before ``site`` and so before the guard's ``sitecustomize`` (R13-6). The reading
(``commands._guarded_start_modules``) looks for that module only in the child's PYTHONPATH
folders, and the start-up file check (``start_files``) only at ``STDLIB_START``'s names: a NEW
module the cell writes into the kernel's standard library (the notebook user's to write under
pyenv, conda, a uv-managed Python: ``own_kernel``'s base) runs before the guard of every later
Python started with such a filter. These tests FAIL today (the payload installs under Warden).
"""

import sys

import pytest

# the cell: a module ``rt38w`` in the kernel's standard library whose import installs (once:
# the installer's own Python inherits the filter), then START, a Python started with a filter
# whose category is ``rt38w.W``
CELL = (
    "import os, sys, sysconfig\nlib = sysconfig.get_paths()['stdlib']\npy = sys.executable\n"
    'body = \'import os\\nos.environ.get("RT38") or (os.environ.__setitem__("RT38", "1"), '
    "os.system(' + repr(INSTALL) + '))\\nclass W(Warning): pass\\n'\n"
    "open(lib + '/rt38w.py', 'w').write(body)\n"
    "try:\n    START\nfinally:\n    os.remove(lib + '/rt38w.py')\n"
)

STARTS = {
    "line_variable": "os.system('PYTHONWARNINGS=ignore::rt38w.W ' + py + ' -c pass')",
    "w_option": "os.system(py + ' -W ignore::rt38w.W -c pass')",
    "kernel_environ": (
        "os.environ['PYTHONWARNINGS'] = 'ignore::rt38w.W'; import subprocess; "
        "subprocess.run([py, '-c', 'pass'])"
    ),
}


def _cell(kernel, start: str) -> str:
    # the installer's own query of its Python is another installation (no rt38w there)
    install = kernel.uv_install().replace(sys.executable, "/usr/bin/python3")
    code = CELL.replace("START", start).replace("INSTALL", repr(install))
    return code.replace("{", "{{").replace("}", "}}")


@pytest.mark.parametrize("start", sorted(STARTS))
def test_a_warning_category_module_written_into_the_standard_library(own_kernel, start):
    """Installs without Warden; under Warden the start must be refused (or the module never
    run): today the category's module runs in the child before its guard and installs."""
    code = _cell(own_kernel, STARTS[start])
    own_kernel.reset()
    plain = own_kernel.cell(code, launched=False)
    assert plain["refused"] is None and own_kernel.installed(), plain
    own_kernel.reset()
    guarded = own_kernel.cell(code, launched=True)
    assert own_kernel.index.requests == [] and not own_kernel.installed(), guarded


def test_a_builtin_or_absent_category_still_runs(own_kernel):
    """The ordinary forms: builtin categories, and a package's category not on the start path."""
    line = "PYTHONWARNINGS=ignore::DeprecationWarning,ignore::sklearn.exceptions.W {py} -c pass"
    code = "import os, sys\nassert os.system(" + repr(line) + ".format(py=sys.executable)) == 0\n"
    result = own_kernel.cell(code.replace("{", "{{").replace("}", "}}"), launched=True)
    assert result["refused"] is None, result
