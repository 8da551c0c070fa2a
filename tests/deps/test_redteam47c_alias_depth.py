"""Red team 47c R47c-5 (HIGH for the static side, false clean): a chain of more than eight
``%alias_magic`` aliases (``a1 -> a0 -> pip``, ... ``a9``; ``-c`` cell aliases alike) runs its
target in IPython (``MagicAlias`` only refuses calling itself again, a cycle), and the kernel
guard refuses the install it starts; warden-scan stops following at MAX_ALIAS_DEPTH = 8
(src/analyzer/ipython.ts:100, 234, 689) and drops the line silently: clean.

This half passes today (the kernel refuses); the static half is
src/deps/redteam47c-aliasdepth.spec.ts (fails today).
"""

import json
import subprocess
import sys

import pytest
from install_env import child_env, spooled
from test_notebook_install_vectors import RUN

LINE = [
    "%alias_magic a0 pip\n" + "".join(f"%alias_magic a{i} a{i - 1}\n" for i in range(1, 40)),
    "%a39 install torcj",
]
CELL = [
    "%alias_magic -c c0 bash\n" + "".join(f"%alias_magic -c c{i} c{i - 1}\n" for i in range(1, 10)),
    "%%c9\npip install torcj\n",
]


@pytest.mark.parametrize("cells", [LINE, CELL], ids=["line-40", "cell-10"])
def test_the_kernel_follows_a_long_alias_chain_and_refuses(cells, tmp_path):
    spool, home = tmp_path / "spool", tmp_path / "home"
    spool.mkdir(mode=0o700)
    home.mkdir()
    done = subprocess.run(
        [sys.executable, "-c", RUN, json.dumps(cells), str(tmp_path / "prefix")],
        env=child_env(spool, home), cwd=str(tmp_path), capture_output=True, text=True,
        timeout=180, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    blocked = {e["rule_id"] for e in spooled(spool) if e.get("action") == "blocked"}
    assert "Jupyter Warden refused" in done.stdout + done.stderr
    assert "install-imitation-name" in blocked
