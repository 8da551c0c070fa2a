"""The probe only reads: no file opened for writing, no socket created, no process started.

Watched with CPython audit hooks in a fresh interpreter, on this machine's real /proc and on
the insecure fixture tree (which holds a runtime socket the probe must not touch).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .proctree import insecure

REPO = Path(__file__).resolve().parents[2]

WATCHER = r"""
import json, os, sys
events = []
WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
WATCHED = ("socket.", "subprocess.", "os.system", "os.exec", "os.posix_spawn", "os.fork",
           "os.mkdir", "os.remove", "os.rmdir", "os.rename", "os.chmod", "os.chown",
           "os.truncate", "os.symlink", "os.link", "shutil.", "urllib.")

def hook(event, args):
    if event == "open":
        path, mode, flags = args
        writing = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
            isinstance(flags, int) and flags & WRITE_FLAGS)
        if writing:
            events.append(["open-for-write", str(path)])
    elif event.startswith(WATCHED):
        events.append([event, repr(args)[:200]])

from jupyterlab_warden.kernel.probe import run_probe   # imports happen before the hook: only
sys.addaudithook(hook)                          # the probe's own run is judged
report = run_probe(sys.argv[1], json.loads(sys.argv[2]))
print(json.dumps({"events": events, "checks": len(report["checks"])}))
"""


def run_watched(root: str, environ: dict) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", WATCHER, root, json.dumps(environ)],
        check=True, capture_output=True, text=True, timeout=120,
        env=dict(os.environ, PYTHONPATH=str(REPO)),
    )  # fmt: skip
    return json.loads(out.stdout)


@pytest.mark.parametrize("where", ["this machine", "insecure fixture"])
def test_probe_neither_writes_nor_connects(tmp_path, where):
    if where == "this machine":
        result = run_watched("/", dict(os.environ))
    else:
        tree = insecure(tmp_path)
        result = run_watched(str(tree.root), tree.environ)
    assert result["checks"] > 0
    assert result["events"] == []
