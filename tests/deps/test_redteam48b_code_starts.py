"""Red team 48b R48b-1..5 (HIGH for the static side, false clean): installs a notebook cell
starts from Python code that the kernel guard refuses in a real IPython shell and warden-scan
reports clean (the static half: src/deps/redteam48b-codestarts.spec.ts, which fails today).

R48b-1: escapes in a string literal (``'\\x74orcj'`` is ``torcj``): src/analyzer/syntax.ts
``decodeString`` reads ``\\x74`` as ``x74``. R48b-2: an argv list with ``shell=True`` (its first
item is the shell line). R48b-3: ``executable='pip'`` with an argv list. R48b-4: ``-m
pip.__pip-runner__`` (pip's runner). R48b-5: ``os.spawnlp``/``os.posix_spawnp``.

These pass today: the kernel refuses each cell (the parity the static side must reach). The
control shows pip's runner module is pip itself (it installs from a local folder).
"""

import json
import subprocess
import sys

import pytest
from install_env import child_env, spooled
from local_index import build_wheel
from test_notebook_install_vectors import RUN

CELLS = [
    "import os\nos.system('pip install \\x74orcj')",
    "import subprocess\nsubprocess.run(['pip', 'install', 'torc\\152'])",
    "get_ipython().system('pip install \\u0074orcj')",
    "import os\nos.system(f'pip install torcj')",
    "import subprocess\nsubprocess.run(['pip install torcj'], shell=True)",
    "import subprocess\nsubprocess.run(['x', 'install', 'torcj'], executable='pip')",
    "%run -m pip.__pip-runner__ install torcj",
    "import subprocess, sys\n"
    "subprocess.run([sys.executable, '-m', 'pip.__pip-runner__', 'install', 'torcj'])",
    "import os\nos.spawnlp(os.P_WAIT, 'pip', 'pip', 'install', 'torcj')",
    "import os\nos.posix_spawnp('pip', ['pip', 'install', 'torcj'], os.environ)",
]


def test_control_pips_runner_module_installs(tmp_path):
    """Without Warden: ``python -m pip.__pip-runner__ install X`` is a pip install."""
    wheels = tmp_path / "wheels"
    wheels.mkdir()
    build_wheel(wheels, "torcj", "1.0")
    target = tmp_path / "target"
    done = subprocess.run(
        [sys.executable, "-I", "-m", "pip.__pip-runner__", "install", "--no-index",
         "--find-links", str(wheels), "--target", str(target), "torcj"],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert any(p.name.startswith("torcj") for p in target.iterdir())


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
    assert "Jupyter Warden refused" in done.stdout + done.stderr, done.stdout + done.stderr
    assert blocked & {"install-imitation-name", "install-unreadable"}, blocked
