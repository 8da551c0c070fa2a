"""Red team 55a R55a-3 (HIGH): fix67argv0's ``argv_zero.moved_python`` compares the place an
argv[0] names with the program's by ``os.path.realpath`` of its folder and its parent
(installs/argv_zero.py ``_same_place``), which resolves a link BEFORE a following ``..``; CPython
3.11's getpath takes the path through ``abspath``, which normalises ``..`` LEXICALLY
(``_Py_normpath``): ``A/../bin/python``, ``A`` a link to the kernel's own ``bin`` folder, is
the kernel's Python for Warden (realpath: ``<venv>/bin``, parent ``<venv>``) and
``<notebook>/bin/python`` for getpath, which reads ``<notebook>/pyvenv.cfg`` and runs the
``.pth`` files of ``<notebook>/lib/python3.X/site-packages`` before the guard's
sitecustomize. The cell: a link, a pyvenv.cfg and a .pth written in its folder, then
``subprocess.run(['A/../bin/python', '-c', 'pass'], executable=sys.executable)``; and
``PYTHONEXECUTABLE=A/../bin/python`` (same cause). Held (control): the same path as the
program itself, no executable= (``[path]`` case: refused today, keep it so).
"""

import sys

import pytest
from launched import installed

STARTS = {
    # argv[0] a name other than the program's text (fix67argv0's case, spelled with `..`)
    "executable": "subprocess.run(['A/../bin/python', '-c', 'pass'], "
    "executable=sys.executable, timeout=90)\n",
    # the program's own text: moved_python's first test (argv0 == program) passes it unread,
    # and every other reading follows the link the kernel's way (realpath)
    "path": "subprocess.run(['A/../bin/python', '-c', 'pass'], timeout=90)\n",
    # PYTHONEXECUTABLE, the other name getpath places itself by (read on Linux too)
    "variable": "subprocess.run([sys.executable, '-c', 'pass'], "
    "env=dict(os.environ, PYTHONEXECUTABLE='A/../bin/python'), timeout=90)\n",
}


def _cell(kernel, case: str) -> str:
    installed("uv")
    line = kernel.uv_install()
    # bounded: the install runs once, without the variable (uv's own Python starts would
    # otherwise run this .pth again, and again)
    pth = (
        "import os, subprocess; e = dict(os.environ); e.pop('PYTHONEXECUTABLE', None); "
        f"'RT55A_PTH' in e or subprocess.run({line!r}, shell=True, timeout=60, "
        "env=dict(e, RT55A_PTH='1'))\n"
    )
    code = (
        "import os, sys, subprocess, sysconfig\n"
        "os.symlink(os.path.dirname(sys.executable), 'A')\n"
        "home = [l for l in open(os.path.join(sys.prefix, 'pyvenv.cfg')) if l.startswith('home')]\n"
        "open('pyvenv.cfg', 'w').write(''.join(home))\n"
        "site = 'lib/python%d.%d/site-packages' % sys.version_info[:2]\n"
        "os.makedirs(site)\n"
        f"open(site + '/zz.pth', 'w').write({pth!r})\n" + STARTS[case]
    )
    return code.replace("{", "{{").replace("}", "}}")


def _clean(kernel):
    import shutil

    for name in ("A", "pyvenv.cfg"):
        (kernel.work / name).unlink(missing_ok=True)
    shutil.rmtree(kernel.work / "lib", ignore_errors=True)


@pytest.mark.parametrize("case", sorted(STARTS))
def test_r55a_3_argv0_dotdot_after_link(kernel, case):
    assert sys.prefix != sys.base_prefix, "the kernel's Python must be a venv's (pyvenv.cfg)"
    code = _cell(kernel, case)
    kernel.reset()
    _clean(kernel)
    plain = kernel.cell(code, launched=False)
    assert plain["refused"] is None and kernel.installed(), plain  # the attack works
    kernel.reset()
    _clean(kernel)
    guarded = kernel.cell(code, launched=True)
    fetched = list(kernel.index.requests)
    assert not fetched and not kernel.installed(), ("installed under Warden", case, guarded)
