"""Red team 36: the write rule of a guarded Python (``installs.start_writes``) reads paths with
the process's own ``os.path`` functions, looked up when a write is read: a guarded w.py that
rebinds one (``os.path.realpath``) steers where the rule thinks a write lands, and writes a
``.pth`` into the site folder; the next Python on the line runs it before its guard.

Fixed: the rule reads through ``frozen_os``' copies of the boot's ``os``, ``os.path`` and
``stat`` (their functions over copied globals: ``realpath``'s ``lstat`` is the boot's too), and
its re-entrancy marks are held in a closure (``start_writes._reading_marks``), not a module's
name.
"""

import pytest
from test_redteam32_places import _site_cell

WRITERS = {
    "realpath": (
        "import os, shutil, sysconfig\n"
        "site = sysconfig.get_paths()['purelib']\n"
        "open(site + '/r36_data.txt', 'w').close()  # the rule reads its own folders once\n"
        "real = os.path.realpath\n"
        "os.path.realpath = lambda p, *a, **k: '/tmp/r36' if p == site else real(p, *a, **k)\n"
        "shutil.copyfile('p.pth', site + '/zz.pth')\n"
    ),
    # what realpath itself calls: the site folder answers as a link to /tmp/r36
    "lstat": (
        "import os, shutil, sysconfig, tempfile\n"
        "site = sysconfig.get_paths()['purelib']\n"
        "open(site + '/r36_data.txt', 'w').close()  # the rule reads its own folders once\n"
        "lnk = tempfile.mkdtemp() + '/lnk'\n"
        "os.symlink('/tmp', lnk)\n"
        "lstat, readlink = os.lstat, os.readlink\n"
        "os.lstat = lambda p, *a, **k: lstat(lnk) if p == site else lstat(p, *a, **k)\n"
        "os.readlink = lambda p, *a, **k: '/tmp/r36' if p == site else readlink(p, *a, **k)\n"
        "shutil.copyfile('p.pth', site + '/zz.pth')\n"
    ),
    # the rule's own state: a thread it takes for one reading a write already
    "inside": (
        "import _thread, shutil, sys, sysconfig\n"
        "site = sysconfig.get_paths()['purelib']\n"
        "rule = sys.modules.get('jupyterlab_warden.kernel.guard.installs.start_writes')\n"
        "inside = getattr(rule, '_INSIDE', None)  # none without Warden (nor since R36-3)\n"
        "inside is not None and inside.add(_thread.get_ident())\n"
        "shutil.copyfile('p.pth', site + '/zz.pth')\n"
    ),
}


def _cell(writer: str) -> str:
    start = f"open('w.py', 'w').write({writer!r})\n    os.system(py + ' w.py; ' + py + ' -c pass')"
    return _site_cell(start)


@pytest.mark.parametrize("name", sorted(WRITERS))
def test_a_guarded_script_changing_what_the_rule_reads_with(own_kernel, name):
    blocked = own_kernel.child_refuses(_cell(WRITERS[name]))
    assert any("zz.pth" in e["message"] for e in blocked), blocked


LEGIT = (
    "import os, sys\n"
    "open('w.py', 'w').write(\n"
    "    'import os\\n'\n"
    "    'real = os.path.realpath\\n'\n"
    "    'os.path.realpath = lambda p, *a, **k: real(p, *a, **k)\\n'\n"
    '    \'open("data.csv", "w").write("1")\\n\'\n'
    ")\n"
    "py = sys.executable\n"
    "assert os.system(py + ' w.py && ' + py + ' -c pass') == 0\n"
    "assert open('data.csv').read() == '1'\n"
)


def test_a_guarded_python_that_wraps_os_path_writes_its_files(own_kernel):
    """No false refusal: a library's wrapper of ``os.path.realpath`` changes nothing the rule
    reads, and the Python's own files are written."""
    result = own_kernel.cell(LEGIT, launched=True)
    assert result["refused"] is None, result
