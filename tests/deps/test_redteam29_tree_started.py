"""A program file the kernel wrote counts as new in every Python of the kernel's tree.

Warden reads a ``#!`` program as the machine's (by its words only) when it is root's, in a
root-owned system folder, and unchanged since the start. "The start" was each process's own:
a root kernel wrote a perl program into /usr/local/bin, waited a moment, and started a guarded
child Python (PATH without /usr/local/bin, so the kernel's own check of new programs on the
child's PATH did not see it); the child took the program for the machine's, and it installed.
The lab now gives the kernel its launch time (``WARDEN_TREE_STARTED``), every Python of the
tree counts from the earlier of that and its own start, and the variable is handed on as
launched (``child_path``); a change of it in the kernel, or on a start Warden cannot rewrite,
drops the guard like any launch variable.
"""

import os

from jupyterlab_warden.kernel.environ import TREE_STARTED_ENV
from jupyterlab_warden.kernel.guard.installs import commands

TOOL = "/usr/local/bin/warden-test-tree-tool"
WRITE = (
    "import os, sys, subprocess, time\n"
    f"p = {TOOL!r}\n"
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
)


def test_a_child_counts_from_the_kernels_launch(kernel):
    assert os.geteuid() == 0, "the kernel writes into /usr/local/bin as root does"
    code = WRITE.replace("{install!r}", repr(kernel.uv_install())) + CHILD
    blocked = kernel.child_refuses(code)
    # the child reads it as the new script it is, not as the machine's
    assert any("#!/usr/bin/perl" in e["message"] for e in blocked), blocked
    assert not os.path.exists(TOOL)


def test_the_launch_time_is_a_launch_variable():
    assert TREE_STARTED_ENV in commands.LAUNCH_VARIABLES
    assert commands.environ_change_drops_guard(TREE_STARTED_ENV, "9999999999.0")
    assert commands.environ_change_drops_guard(TREE_STARTED_ENV, None)
