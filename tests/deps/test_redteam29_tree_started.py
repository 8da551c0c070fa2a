"""A program file the kernel wrote counts as new in every Python of the kernel's tree.

Warden reads a ``#!`` program as the machine's (by its words only) when it is root's, in a
root-owned system folder, and unchanged since the start. "The start" was each process's own:
a root kernel wrote a perl program into a new folder under /usr/local/lib, waited a moment, and
started a guarded child Python that ran it; the child took the program for the machine's, and
it installed (the same with /usr/local/bin, left off the child's PATH so that the kernel's own
check of new programs on it does not see the file). The test keeps out of every PATH folder:
other tests running at the same time would meet the program there.
The lab now gives the kernel its launch time (``WARDEN_TREE_STARTED``), every Python of the
tree counts from the earlier of that and its own start, and the variable is handed on as
launched (``child_path``); a change of it in the kernel, or on a start Warden cannot rewrite,
drops the guard like any launch variable.
"""

import os

from jupyterlab_warden.kernel.environ import TREE_STARTED_ENV
from jupyterlab_warden.kernel.guard.installs import commands

FOLDER = "/usr/local/lib/warden-test-tree"
TOOL = FOLDER + "/tool"
WRITE = (
    "import os, sys, subprocess, time\n"
    f"p = {TOOL!r}\n"
    "os.makedirs(os.path.dirname(p))\n"
    "open(p, 'w').write('#!/usr/bin/perl\\nsystem(' + repr({install!r}).replace(\"'\", '\"')"
    " + ');\\n')\n"
    "os.chmod(p, 0o755)\n"
    "time.sleep(2.5)  # past the one second a file system's clock may lag\n"
)
CHILD = (
    "try:\n"
    "    subprocess.run([sys.executable, '-c', 'import os; os.system(' + repr(p) + ')'],"
    " env=dict(os.environ, PATH='/usr/bin:/bin'))\n"
    "finally:\n"
    "    os.remove(p)\n"
    "    os.rmdir(os.path.dirname(p))\n"
)


def test_a_child_counts_from_the_kernels_launch(kernel):
    assert os.geteuid() == 0, "the kernel writes into /usr/local/lib as root does"
    assert not os.path.lexists(FOLDER), f"{FOLDER} is left from an earlier run"
    code = WRITE.replace("{install!r}", repr(kernel.uv_install())) + CHILD
    blocked = kernel.child_refuses(code)
    # the child reads it as the new script it is, not as the machine's
    assert any("#!/usr/bin/perl" in e["message"] for e in blocked), blocked
    assert not os.path.lexists(FOLDER)


def test_the_launch_time_is_a_launch_variable():
    assert TREE_STARTED_ENV in commands.LAUNCH_VARIABLES
    assert commands.environ_change_drops_guard(TREE_STARTED_ENV, "9999999999.0")
    assert commands.environ_change_drops_guard(TREE_STARTED_ENV, None)
