"""Red team 56d R56d-2 (MED, false refusal): fix70startpath refuses every guarded Python start
whose PYTHONPATH folder holds a module named like ANY standard module ``start_files.start_reach``
finds reachable from the start's modules (function-level imports included), not only the ones
Python imports while it starts. A data scientist's ``src`` on PYTHONPATH with ``secrets.py``
(the API keys file many tutorials tell you to write), ``statistics.py``, ``calendar.py`` or
``pipeline``-style helpers named ``queue.py``/``string.py`` is never imported by a Python start
(shown: a marker each module would write stays absent), yet ``!python train.py``,
``subprocess.run([sys.executable, ...])`` and every other guarded start is refused.

Root cause: startup_modules.py:279 (``guarded_start_holder``) takes
``start_files.start_reach(sites)`` (the transitive closure with function-level imports) as
the names imported BEFORE the guard; only the names a start imports at module level before
``sitecustomize`` (``-X importtime``'s list plus the ``.pth`` lines' module-level closure)
run before the guard. FAILS today.
"""

import os
import subprocess
import sys

import pytest
from launched import reading_refusal

from jupyterlab_warden.kernel.boot.launch_env import SITE_DIR

START = [sys.executable, "-c", "pass"]
NAMES = ["secrets", "statistics", "calendar", "queue", "string"]


@pytest.fixture
def src(tmp_path, monkeypatch):
    folder = tmp_path / "src"
    folder.mkdir()
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([SITE_DIR, str(folder)]))
    return folder


@pytest.mark.parametrize("name", NAMES)
def test_a_project_module_no_start_imports_stays_allowed(src, tmp_path, name):
    marker = tmp_path / "imported"
    (src / f"{name}.py").write_text(f"open({str(marker)!r}, 'w').write('x')\n")
    # control: a Python started with this PYTHONPATH (the launch's, guard folder first) never
    # imports the project's module while it starts
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PYTHONPATH"] = str(src)
    subprocess.run([sys.executable, "-c", "pass"], env=env, cwd=tmp_path, check=True, timeout=30)
    assert not marker.exists()
    assert reading_refusal(START, tmp_path) == ""
