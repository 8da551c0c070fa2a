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
import json, sys, time
from jupyterlab_warden.kernel.guard.installs import path_programs as pp
pp._started = time.time()
unlisted = []
found = pp.new_programs(sys.argv[1], None, None, [], unlisted)
print(json.dumps({"found": found, "unlisted": unlisted}))
"""


def _as_nobody(folder: str) -> dict:
    if shutil.which("setpriv") is None or os.geteuid() != 0:
        raise AssertionError("the check needs root and setpriv (to start a Python as nobody)")
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": _repo()}
    run = subprocess.run(
        ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all",
         "--bounding-set=-all", "/usr/bin/python3", "-c", PROBE, folder],
        capture_output=True, text=True, env=env, check=True,
    )  # fmt: skip
    return json.loads(run.stdout)


def _repo() -> str:
    return path_programs.__file__.rsplit("/jupyterlab_warden/", 1)[0]


def test_a_shared_search_only_folder_nobody_may_write_is_not_refused():
    """/tmp/red86-shared/tools: root's, 0711, an old program in it (nobody reaches /tmp)."""
    base = "/tmp/red86-shared"
    shutil.rmtree(base, ignore_errors=True)
    os.makedirs(base + "/tools")
    os.chmod(base, 0o755)
    with open(base + "/tools/tool", "w") as fh:
        fh.write("#!/bin/sh\necho tool\n")
    os.chmod(base + "/tools/tool", 0o755)
    os.chmod(base + "/tools", 0o711)  # root's: others may search, not list, not write
    try:
        result = _as_nobody(base + "/tools")
        assert result["unlisted"] == [], result
    finally:
        shutil.rmtree(base, ignore_errors=True)
