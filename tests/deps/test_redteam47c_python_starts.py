"""Red team 47c R47c-3 / R47c-4 (HIGH for the static side, false clean): installs a notebook
cell starts that the kernel guard refuses in a real IPython shell and warden-scan reports
clean (the static half: src/deps/redteam47c-cellstarts.spec.ts, which fails today).

R47c-3: ``%run -m pip install torcj`` (also ``%run -e -m pip``, ``%run -m uv pip install``):
IPython's ``%run -m`` runs the module in the kernel; the guard decides pip's start. The
static IPython reader (src/analyzer/ipython.ts ``maskMagic``) has no case for ``%run``.

R47c-4: a literal start in Python code: ``get_ipython().system('pip install torcj')`` (what
IPython itself builds from ``!pip install torcj``), its autocall escape
``;get_ipython().system pip install torcj``, ``get_ipython().run_line_magic('pip', ...)``,
``os.system('pip install torcj')``, ``subprocess.run(['pip', 'install', 'torcj'])``. The
analyzer extracts these literals (callrules.ts ``shellCommand``) for its static-layer shell
rules only; no install decision is made on them (src/deps/scan.ts reads only the IPython
reader's shell texts).

These pass today: the kernel refuses each cell (the parity the static side must reach).
"""

import json
import subprocess
import sys

import pytest
from install_env import child_env, spooled
from test_notebook_install_vectors import RUN

CELLS = [
    "%run -m pip install torcj",
    "%run -e -m pip install torcj",
    "%run -m uv pip install torcj",
    "get_ipython().system('pip install torcj')",
    ";get_ipython().system pip install torcj",
    "get_ipython().run_line_magic('pip', 'install torcj')",
    "import os\nos.system('pip install torcj')",
    "import subprocess\nsubprocess.run(['pip', 'install', 'torcj'])",
]


@pytest.mark.parametrize("cell", CELLS)
def test_the_kernel_refuses_the_cell(cell, tmp_path):
    spool, home = tmp_path / "spool", tmp_path / "home"
    spool.mkdir(mode=0o700)
    home.mkdir()
    done = subprocess.run(
        [sys.executable, "-c", RUN, json.dumps([cell]), str(tmp_path / "prefix")],
        env=child_env(spool, home), cwd=str(tmp_path), capture_output=True, text=True,
        timeout=180, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    blocked = {e["rule_id"] for e in spooled(spool) if e.get("action") == "blocked"}
    assert "Jupyter Warden refused" in done.stdout + done.stderr
    assert "install-imitation-name" in blocked
