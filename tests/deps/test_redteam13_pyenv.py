"""Red team 13: what a child Python or another interpreter takes from its environment and
the folders around it rather than from the code Warden reads (R13-14, R13-15, R13-16,
R13-21).

Malicious cases prove themselves as in test_redteam13_startup: without Warden the cell's
child installs warden-demo-pkg from the local index; in a kernel of the lab's launch
environment the same cell is refused before the installer runs.
"""

import py_compile
import shlex
import sys

import pytest
from real_uv import real_uv
from test_redteam12_starts import Kernel

from jupyterlab_warden.kernel.guard.installs import commands

UV = real_uv()
PY = sys.executable


@pytest.fixture()
def kernel(tmp_path, index):
    return Kernel(tmp_path, index)


def _install(kernel) -> str:
    return shlex.join(
        [UV, "pip", "install", "-q", "--no-config", "--no-cache", "--python", PY,
         "--target", str(kernel.target), "--index-url", kernel.index.simple, "warden-demo-pkg"]
    )  # fmt: skip


def _payload(kernel) -> str:
    return f"import os\nos.system({_install(kernel)!r})\n"


def _system(line: str) -> str:
    return f"import os\nos.system({line!r})\n"


# -- R13-16: cached bytecode taken unchecked beside a local module of -c code or a script ----


def test_a_checked_pyc_taken_unchecked_beside_a_scripts_module_is_refused(kernel):
    app = kernel.work / "app"
    (app / "__pycache__").mkdir(parents=True)
    (app / "helper.py").write_text("NAME = 'helper'\n")
    (app / "train.py").write_text("import helper\nprint(helper.NAME)\n")
    payload = app / "payload_src.py"
    payload.write_text(_payload(kernel) + "NAME = 'helper'\n")
    cache = app / "__pycache__" / f"helper.{sys.implementation.cache_tag}.pyc"
    py_compile.compile(str(payload), cfile=str(cache), doraise=True,
                       invalidation_mode=py_compile.PycInvalidationMode.CHECKED_HASH)  # fmt: skip
    payload.unlink()
    line = f"{PY} -E --check-hash-based-pycs never app/train.py"
    assert "helper" in kernel.proves(_system(line))
    # checked as usual, the same pyc is recompiled from the source Warden read: it runs
    assert commands.invocations([PY, "-E", str(app / "train.py")]) == []
