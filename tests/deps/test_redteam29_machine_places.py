"""Red team 29a R29a-2 and R29a-6 (root kernels): old files put in a system place this session.

A ``#!`` program or a foreign Python's standard library counts as the machine's only when it
is root's, in a root-owned system folder, and settled there (``commands._settled_place``: no
folder between it and the system's standard folders changed since the kernel's tree started).
Two ways around it, each with an old clone (files from before the kernel started):

- R29a-2: ``mount --bind proj /usr/local/lib/X`` shows the clone's folders, with their old
  times, at X. A path under a mount made since the kernel booted (``boot/mounts.py``: the
  kernel notes its highest mount number) is no place of the machine's;
- R29a-6: ``os.rename('py', '/usr/local/lib/X')`` of an old copied Python, whose encodings
  installs, passed the standard-library check, which placed by ownership only. It now asks
  ``_settled_place`` too.
"""

import os
import subprocess
import sys

import pytest
from launched import installed
from test_redteam28_pythons import VERSION, old_clone, old_python  # noqa: F401 - fixtures

from jupyterlab_warden.kernel.boot import mounts

PLACE = "/usr/local/lib/warden-test-place"


@pytest.fixture
def root():
    assert os.geteuid() == 0, "a root kernel's case: the test writes into /usr/local/lib"
    assert not os.path.lexists(PLACE), f"{PLACE} is left from an earlier run"
    yield
    if os.path.ismount(PLACE):
        subprocess.run(["umount", PLACE], check=True)
    if os.path.isdir(PLACE) and not os.listdir(PLACE):
        os.rmdir(PLACE)


def test_an_old_clone_bind_mounted_into_a_system_folder_is_read(root, old_clone):  # noqa: F811
    installed("mount")
    cell = (
        "import os, subprocess\n"
        f"os.makedirs({PLACE!r})\n"
        f"subprocess.run(['mount', '--bind', os.path.abspath('proj'), {PLACE!r}], check=True)\n"
        "try:\n"
        f"    subprocess.run([{PLACE + '/py'!r}])\n"
        "finally:\n"
        f"    subprocess.run(['umount', {PLACE!r}], check=True)\n"
        f"    os.rmdir({PLACE!r})\n"
    )
    refused = old_clone.proves(cell)
    assert "not one of the system's" in refused and "#!/usr/bin/perl" in refused, refused


def test_an_old_python_moved_into_a_system_folder_is_refused(root, old_python):  # noqa: F811
    cell = (
        "import os, subprocess\n"
        f"os.rename('py', {PLACE!r})\n"
        "try:\n"
        f"    subprocess.run([{PLACE + '/bin/' + VERSION!r}, '-c', 'pass'])\n"
        "finally:\n"
        f"    os.rename({PLACE!r}, 'py')\n"
    )
    refused = old_python.proves(cell)
    assert "Warden cannot verify" in refused and PLACE in refused, refused


def test_mounts_are_marked_and_points_read_as_the_kernel_writes_them():
    table = mounts.table()
    known = frozenset(mounts.marks().split("\n"))
    assert table and known == {mark for mark, _p in table}
    assert "/" in {p for _m, p in table}
    assert mounts._unescaped("/mnt/a\\040b\\011c") == "/mnt/a b\tc"
    assert mounts.new_over("/usr/local/lib/x", known) == ""
    assert mounts.new_over(sys.prefix, frozenset()) == "/"  # no mark known: every mount is new
