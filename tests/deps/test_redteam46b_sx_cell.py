"""Red team 46b R46b-7 (LOW, static MISS): IPython's ``sx`` is a line AND cell magic
(``OSMagics.sx``, ``@line_cell_magic``; ``system = line_cell_magic('system')(sx)``,
``bang = cell_magic('!')(sx)``), so ``%%sx`` and ``%%!`` run their body in a shell exactly as
``%%system`` does. The kernel refuses ``pip install torcj`` in such a body (this file: the
control, a real IPython shell with the guard); warden-scan reads only ``%%system`` as a shell
cell (``SHELL_CELL_MAGICS = new Set(['system'])``, src/analyzer/ipython.ts:38) and calls the
cells clean (src/deps/ipython.redteam46b.spec.ts, FAILS today), also through
``%alias_magic -c q sx``.

Fix: SHELL_CELL_MAGICS = {system, sx, !} (``%%sx``'s ``--out``/``-o`` option on the head is
no command); add the cells to schema/vectors/notebook-installs.json.
"""

import json
import subprocess
import sys

import pytest
from install_env import child_env, spooled
from test_notebook_install_vectors import RUN

CELLS = {
    "sx": ["%%sx\npip install torcj\n"],
    "sx-out": ["%%sx --out o\npip install torcj\n"],
    "bang": ["%%!\npip install torcj\n"],
    "alias": ["%alias_magic -c q sx", "%%q\npip install torcj\n"],
}


@pytest.mark.parametrize("key", sorted(CELLS))
def test_r46b_7_control_the_kernel_refuses_a_shell_cell_body(key, tmp_path):
    spool, home = tmp_path / "spool", tmp_path / "home"
    spool.mkdir(mode=0o700)
    home.mkdir()
    done = subprocess.run(
        [sys.executable, "-c", RUN, json.dumps(CELLS[key]), str(tmp_path / "prefix")],
        env=child_env(spool, home), cwd=str(tmp_path), capture_output=True, text=True,
        timeout=180, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    blocked = {e["rule_id"] for e in spooled(spool) if e.get("action") == "blocked"}
    assert "install-imitation-name" in blocked, (blocked, done.stdout + done.stderr)
