"""Red team 45c R45c-8 (static MISS, proof in src/deps/scripthead.redteam45c.spec.ts): a
``%%script`` cell magic whose HEAD starts an installer, ``%%script pip install torcj``,
``%%script pip install -r /dev/stdin`` (the body is the requirements), ``%%bash -c '...'``,
``%%script env uv pip install ...``.

Controls (they pass today): in an IPython shell, unguarded, the head's program runs (a stub
``pip`` on PATH writes a marker); guarded (the policy as the lab gives it), the start is
refused before it runs, because the kernel decides the process IPython starts. warden-scan
reads only the body of such a cell (as the program's stdin, or as a shell script for a shell)
and never the head's own argv, so it calls each cell clean (the jest proof)."""

import json
import os
import subprocess
import sys

import pytest
from install_env import child_env

RUN = r"""
import json, sys
guarded = sys.argv[2] == "guarded"
if guarded:
    from jupyterlab_warden.kernel import guard
    assert guard.install({"schema_version": 1, "revision": 1}) is not None
from IPython.core.interactiveshell import InteractiveShell
shell = InteractiveShell.instance()
result = shell.run_cell(sys.argv[1])
error = result.error_in_exec or result.error_before_exec
print(json.dumps({"error": type(error).__name__ if error else None, "text": str(error)[:500]}))
"""

CELLS = [
    "%%script pip install torcj\n# a body (IPython refuses an empty one)\n",
    "%%script pip install -r /dev/stdin\ntorcj\n",
    "%%bash -c 'pip install torcj'\n# a body\n",
]


def _run(tmp_path, cell: str, mode: str) -> dict:
    marker = tmp_path / "pip-ran"
    if marker.exists():
        marker.unlink()
    stub = tmp_path / "bin" / "pip"
    stub.parent.mkdir(exist_ok=True)
    stub.write_text(f'#!/bin/sh\necho "$@" > {marker}\n')
    stub.chmod(0o755)
    spool, home = tmp_path / "spool", tmp_path / "home"
    spool.mkdir(mode=0o700, exist_ok=True)
    home.mkdir(exist_ok=True)
    env = child_env(spool, home)
    env["PATH"] = f"{stub.parent}{os.pathsep}{env.get('PATH', '/usr/bin:/bin')}"
    done = subprocess.run(
        [sys.executable, "-c", RUN, cell, mode], env=env, cwd=str(tmp_path),
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["ran"] = marker.exists()
    return result


@pytest.mark.parametrize("cell", CELLS)
def test_r45c_8_head_installer_runs_unguarded_and_is_refused_guarded(tmp_path, cell):
    plain = _run(tmp_path, cell, "plain")
    assert plain["ran"], plain
    guarded = _run(tmp_path, cell, "guarded")
    assert not guarded["ran"] and guarded["error"], guarded
    assert "Jupyter Warden refused `pip install`" in guarded["text"], guarded
