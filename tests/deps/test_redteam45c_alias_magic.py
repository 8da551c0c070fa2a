"""Red team 45c R45c-9 (static MISS, proof in src/deps/aliasmagic.redteam45c.spec.ts):
``%alias_magic p pip`` then ``%p install torcj`` (or ``%alias_magic -p "install torcj" p
pip`` then ``%p``) runs ``%pip install torcj``.

Controls (they pass today), in a real IPython shell: unguarded, the line the alias runs is
``python -m pip install torcj`` (``shell.system`` recorded, nothing started); guarded, the
start is refused (IPython's ``system`` prints the refusal). warden-scan follows ``%alias``
but not ``%alias_magic`` and calls the cell clean (the jest proof)."""

import json
import subprocess
import sys

import pytest
from install_env import child_env

RUN = r"""
import json, sys
mode = sys.argv[2]
if mode == "guarded":
    from jupyterlab_warden.kernel import guard
    assert guard.install({"schema_version": 1, "revision": 1}) is not None
from IPython.core.interactiveshell import InteractiveShell
shell = InteractiveShell.instance()
ran = []
if mode == "recorded":
    shell.system = ran.append
result = None
for cell in sys.argv[1].split("\n---\n"):
    result = shell.run_cell(cell)
error = result.error_in_exec or result.error_before_exec
print(json.dumps({"ran": ran, "error": type(error).__name__ if error else None,
                  "text": str(error)[:300]}))
"""

CELLS = [
    "%alias_magic p pip\n---\n%p install torcj",
    '%alias_magic -p "install torcj" p pip\n---\n%p',
]


def _run(tmp_path, cells: str, mode: str) -> dict:
    spool, home = tmp_path / "spool", tmp_path / "home"
    spool.mkdir(mode=0o700, exist_ok=True)
    home.mkdir(exist_ok=True)
    done = subprocess.run(
        [sys.executable, "-c", RUN, cells, mode], env=child_env(spool, home),
        cwd=str(tmp_path), capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["output"] = done.stdout + done.stderr  # IPython's system() shows a refusal
    return result


@pytest.mark.parametrize("cells", CELLS)
def test_r45c_9_alias_magic_runs_pip_and_the_kernel_refuses(tmp_path, cells):
    recorded = _run(tmp_path, cells, "recorded")
    ran = recorded["ran"]
    assert len(ran) == 1 and ran[0].rstrip().endswith("-m pip install torcj")
    guarded = _run(tmp_path, cells, "guarded")
    assert "Jupyter Warden refused `pip install`" in guarded["output"], guarded
    assert "'torcj' looks like an imitation" in guarded["output"]
