"""Red team 36: Warden's own package is known to the write rule by its folders' inodes, read
once, at the process's first write (``start_writes._guard_folders``), and ``os.mkdir`` there
is not refused (threat model, red team 35 "Open": "only what is written in it"). A folder made
after that first write is no folder of Warden's package to the rule: a guarded w.py writes a
harmless file, makes ``kernel/boot/mp_children/`` and writes its ``__init__.py``. A package
folder comes before a module file of the same name (``FileFinder``), and every later guarded
Python's boot imports ``jupyterlab_warden.kernel.boot.mp_children`` before it installs its
guard (``site_boot.boot``): the payload runs unguarded in the next Python on the line.

Fixed: ``os.mkdir`` under Warden's package is refused (``StartWrites._check_made``), and a write
in a folder of the package's device whose inode is unknown is judged by its real path
(``start_writes._guard_real``: a folder a `mkdir` child made).
"""

import os
import shutil

import pytest
from lane_copies import copy_tree_cell
from test_redteam32_places import _site_cell

import jupyterlab_warden.kernel.boot.launch_env as launch_env

BOOT = os.path.dirname(launch_env.SITE_DIR)
SHADOW = os.path.join(BOOT, "mp_children")
ROOT_PARENT = os.path.dirname(os.path.dirname(os.path.dirname(BOOT)))

WRITER = (
    "import os\n"
    "open('r36_first.txt', 'w').close()  # the rule reads Warden's folders at a first write\n"
    "os.mkdir(SHADOW)\n"
    "open(SHADOW + '/__init__.py', 'w').write(\n"
    "    'import os as _o\\n'\n"
    "    'if not _o.environ.get(\"RT36_RAN\"):\\n'\n"
    '    \'    _o.environ["RT36_RAN"] = "1"\\n\'\n'
    "    '    exec(open(%r).read())\\n' % os.path.abspath('p.pth'))\n"
)
# without Warden no boot imports mp_children: the line's Python imports it as the boot does
# (from Warden's package); with Warden every guarded Python's boot imports it first
IMPORT_AS_THE_BOOT = (
    '-c "import sys; sys.path.insert(0, ROOT); import jupyterlab_warden.kernel.boot.mp_children"'
)
CLEAN = f"    import shutil\n    shutil.rmtree({SHADOW!r}, ignore_errors=True)\n"


# the folder made by a program the guarded Python starts (no os.mkdir event in it)
MAKERS = {"os.mkdir": "os.mkdir(SHADOW)\n", "mkdir program": "os.system('mkdir ' + SHADOW)\n"}


def _cell(maker: str) -> str:
    """The attack on Warden's installed package with Warden; without it (no guard in the
    kernel) on a copy of the package, so the plain run never puts ``mp_children/`` in the
    package every other test's guarded Pythons boot from (a rehearsal's parallel lane did). The
    copy skips what the other lane's tests make and remove there meanwhile (``lane_copies``)."""
    writer = WRITER.replace("os.mkdir(SHADOW)\n", maker)
    start = (
        "import shutil as _sh, tempfile as _tf\n"
        f"    _root = {ROOT_PARENT!r}\n"
        "    if not any(n.startswith('jupyterlab_warden.kernel.guard') for n in sys.modules):\n"
        "        _copy = _tf.mkdtemp()\n"
        + copy_tree_cell("_root + '/jupyterlab_warden'", "_copy + '/jupyterlab_warden'", " " * 8)
        + "        _root = _copy\n"
        "    _shadow = _root + '/jupyterlab_warden/kernel/boot/mp_children'\n"
        f"    open('w.py', 'w').write({writer!r}.replace('SHADOW', repr(_shadow)))\n"
        f"    _line = {IMPORT_AS_THE_BOOT!r}.replace('ROOT', repr(_root))\n"
        "    os.system(py + ' w.py; ' + py + ' ' + _line)"
    )
    return _site_cell(start) + CLEAN


@pytest.mark.parametrize("maker", sorted(MAKERS))
def test_a_folder_made_in_warden_s_boot_after_the_first_write(own_kernel, maker):
    shutil.rmtree(SHADOW, ignore_errors=True)
    try:
        blocked = own_kernel.child_refuses(_cell(MAKERS[maker]))
    finally:
        shutil.rmtree(SHADOW, ignore_errors=True)
    assert any("mp_children" in e["message"] for e in blocked), blocked


LEGIT = (
    "import os, sys, tempfile\n"
    "open('w.py', 'w').write(\n"
    "    'import os, tempfile\\n'\n"
    '    \'open("r36_first.txt", "w").close()\\n\'\n'
    "    'os.makedirs(\"out/run1\", exist_ok=True)\\n'\n"
    '    \'open("out/run1/data.csv", "w").write("1")\\n\'\n'
    "    'd = tempfile.mkdtemp()\\n'\n"
    '    \'open(os.path.join(d, "x.txt"), "w").close()\\n\'\n'
    ")\n"
    "py = sys.executable\n"
    "assert os.system(py + ' w.py && ' + py + ' -c pass') == 0\n"
    "assert open('out/run1/data.csv').read() == '1'\n"
)


def test_a_guarded_python_makes_and_fills_its_own_folders(own_kernel):
    """No false refusal: folders made outside Warden's package are a guarded Python's."""
    result = own_kernel.cell(LEGIT, launched=True)
    assert result["refused"] is None, result
