"""Red team 86 (part A), false refusal of red team 84 F4's rule: a PATH folder the kernel's user may
search but not list is named at every start (and the start refused) even when that user
cannot WRITE it either: a shared tools folder of another user or of root, ``0711`` (``rwx--x--x``:
others may run what they know the name of, as on shared servers), is refused at every process
start of every kernel whose PATH holds it, though no cell of that kernel can have put a
program there.

The check runs ``new_programs`` in a Python started as ``nobody`` (``setpriv``): the folder is
root's, mode 0711, with an old program in it."""

import json
import os
import shutil
import subprocess

from jupyterlab_warden.kernel.guard.installs import path_programs

PROBE = """
import json, os, sys
from jupyterlab_warden.kernel.guard.installs import path_programs as pp
# the kernel started after the folder was last changed (a shared folder set up before), or,
# with a second word, before it
pp._started = os.stat(sys.argv[1]).st_ctime + (-5 if sys.argv[2:] else 5)
unlisted = []
found = pp.new_programs(sys.argv[1], None, None, [], unlisted)
print(json.dumps({"found": found, "unlisted": unlisted}))
"""


def _as_nobody(folder: str, changed_since: bool = False) -> dict:
    if shutil.which("setpriv") is None or os.geteuid() != 0:
        raise AssertionError("the check needs root and setpriv (to start a Python as nobody)")
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": _repo()}
    run = subprocess.run(
        ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all",
         "--bounding-set=-all", "/usr/bin/python3", "-c", PROBE, folder]
        + (["changed"] if changed_since else []),
        capture_output=True, text=True, env=env, check=True,
    )  # fmt: skip
    return json.loads(run.stdout)


def _repo() -> str:
    return path_programs.__file__.rsplit("/jupyterlab_warden/", 1)[0]


def _shared(base: str, owner: int = 0, mode: int = 0o711) -> str:
    """``base``/tools: ``owner``'s, ``mode``, an old program in it (nobody reaches /tmp)."""
    shutil.rmtree(base, ignore_errors=True)
    os.makedirs(base + "/tools")
    os.chmod(base, 0o755)
    with open(base + "/tools/tool", "w") as fh:
        fh.write("#!/bin/sh\necho tool\n")
    os.chmod(base + "/tools/tool", 0o755)
    os.chown(base + "/tools", owner, owner)
    os.chmod(base + "/tools", mode)
    return base + "/tools"


def test_a_shared_search_only_folder_nobody_may_write_is_not_refused():
    """root's, 0711 (others may search, not list, not write), unchanged since the start."""
    base = "/tmp/redteam86a-shared"
    try:
        result = _as_nobody(_shared(base))
        assert result["unlisted"] == [], result
    finally:
        shutil.rmtree(base, ignore_errors=True)


def test_a_shared_folder_changed_since_the_start_is_still_refused():
    """The same folder changed after the kernel started: a file was put there (by whom,
    Warden cannot tell: a cell's ``sudo cp``), so it is refused as before."""
    base = "/tmp/redteam86a-changed"
    try:
        folder = _shared(base)
        result = _as_nobody(folder, changed_since=True)
        assert result["unlisted"] == [folder], result
    finally:
        shutil.rmtree(base, ignore_errors=True)


def test_a_search_only_folder_of_the_kernels_own_user_is_still_refused():
    """nobody's own folder, 0311 (red team 84 F4): its owner may write it, and chmod it."""
    base = "/tmp/redteam86a-own"
    try:
        folder = _shared(base, owner=65534, mode=0o311)
        result = _as_nobody(folder)
        assert result["unlisted"] == [folder], result
    finally:
        shutil.rmtree(base, ignore_errors=True)
