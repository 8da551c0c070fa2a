"""Run one of this folder's format scripts in a fresh interpreter, with or without Warden.

The format tests prove each malicious file twice: its payload runs in a plain interpreter
(the marker appears) and not under the guard. Each script takes an output folder and a step
name and prints a JSON object as its last line; this runs it and returns that object.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent


def run_script(script, out, step, *, with_warden, path=(), env=None, timeout=600):
    """``script`` (a file name in tests/guard) run as ``script out step``. PYTHONPATH is
    ``path`` plus the repository when ``with_warden`` (nothing else from this process);
    ``env`` adds variables."""
    full = dict(os.environ, **(env or {}))
    entries = [str(p) for p in path] + ([str(REPO)] if with_warden else [])
    full.pop("PYTHONPATH", None)
    if entries:
        full["PYTHONPATH"] = os.pathsep.join(entries)
    proc = subprocess.run(
        [sys.executable, str(HERE / script), str(out), step],
        env=full,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])
