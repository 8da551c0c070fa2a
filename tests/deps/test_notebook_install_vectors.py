"""The shared notebook-install vectors (schema/vectors/notebook-installs.json) in a real IPython
shell with the kernel guard installed: the cells run in order, each vector in a fresh child
Python. src/deps/notebookvectors.spec.ts runs the same cells through warden-scan, so both sides
decide what IPython itself makes of a cell (the line ``%conda`` builds, a ``%%script`` head's
start, an ``%alias_magic`` alias) alike (red team 45c R45c-5, -7, -8, -9)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from install_env import child_env, spooled

ROOT = Path(__file__).resolve().parents[2]
VECTORS = json.loads((ROOT / "schema" / "vectors" / "notebook-installs.json").read_text())[
    "vectors"
]

RUN = r"""
import json, sys
from pathlib import Path
from jupyterlab_warden.kernel import guard
assert guard.install({"schema_version": 1, "revision": 1}) is not None
# %conda / %mamba run only in a conda environment (IPython's is_conda_environment): this
# child's prefix stands for one, so IPython builds and starts the line it would there
prefix = Path(sys.argv[2])
(prefix / "conda-meta").mkdir(parents=True, exist_ok=True)
(prefix / "conda-meta" / "history").write_text("")
sys.prefix = str(prefix)
from IPython.core.interactiveshell import InteractiveShell
shell = InteractiveShell.instance()
errors = []
for cell in json.loads(sys.argv[1]):
    result = shell.run_cell(cell)
    error = result.error_in_exec or result.error_before_exec
    if error:
        errors.append(str(error)[:500])
print(json.dumps({"errors": errors}))
"""


@pytest.mark.parametrize("vector", VECTORS, ids=[v["name"] for v in VECTORS])
def test_the_kernel_decides_the_cells_as_warden_scan(tmp_path, vector):
    for name, text in vector.get("files", {}).items():
        (tmp_path / name).write_text(text)
    spool, home = tmp_path / "spool", tmp_path / "home"
    spool.mkdir(mode=0o700)
    home.mkdir()
    done = subprocess.run(
        [sys.executable, "-c", RUN, json.dumps(vector["cells"]), str(tmp_path / "prefix")],
        env=child_env(spool, home), cwd=str(tmp_path), capture_output=True, text=True,
        timeout=180, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    output = done.stdout + done.stderr  # IPython's system() prints a refusal, %%script raises
    blocked = {e["rule_id"] for e in spooled(spool) if e.get("action") == "blocked"}
    assert ("Jupyter Warden refused" in output) == vector["expect"]["refused"], output
    assert bool(blocked) == vector["expect"]["refused"], (blocked, output)
    assert set(vector["expect"]["rules"]) <= blocked, (blocked, output)
