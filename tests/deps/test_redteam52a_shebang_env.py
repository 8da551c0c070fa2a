"""Red team 52a: a pip script's ``#!/usr/bin/env -S ...`` line read without what env does
before it starts the Python (R52a-1).

``shebang._started`` (used by ``commands._read_python_script_start`` for a pip console
script's start) skips env's ``-i`` and its NAME=VALUE words as if they changed nothing: a
``#!/usr/bin/env -S -i /path/python3 -m pip`` pip (or ``-S PYTHONPATH= /path/python3``)
starts its Python with the guard's PYTHONPATH entry gone, a guardless pip, which Warden
refuses as an install for ``#!/path/python3 -I`` (fix40) but not here. In a kernel of the
lab's launch environment the pip runs, its guard missing (guard.txt: False).
"""

import os
import subprocess
import sys

import pytest

from jupyterlab_warden.kernel.guard.installs import commands
from jupyterlab_warden.kernel.guard.installs.gate import read_requests

LAUNCHED = commands.LaunchGuard(True, ())
WHAT_TO_DO = "run pip without -I/-E/-S"


def _problems(tmp_path, argv):
    env = {"HOME": str(tmp_path), "PIP_CONFIG_FILE": os.devnull}
    found = read_requests(argv, None, env, str(tmp_path), launch=LAUNCHED)
    return [p for r in found for p in r.problems]


def _pip(tmp_path, line):
    pip = tmp_path / "pip"
    pip.write_text(f"{line}\nimport os, sys\nprint(repr(os.environ.get('PYTHONPATH')))\n")
    pip.chmod(0o755)
    return pip


LINES = {
    "ignore-environment": "#!/usr/bin/env -S -i {py}",
    "assignment": "#!/usr/bin/env -S PYTHONPATH= {py}",
    "dash": "#!/usr/bin/env -S - {py}",
}


@pytest.mark.parametrize("kind", sorted(LINES))
def test_control_the_python_starts_without_the_inherited_pythonpath(tmp_path, kind):
    """Without Warden: env empties (or blanks) PYTHONPATH before the Python starts, so a
    guard that comes in through PYTHONPATH is not loaded in that pip."""
    pip = _pip(tmp_path, LINES[kind].format(py=sys.executable))
    env = {**os.environ, "PYTHONPATH": "/guard/entry"}
    out = subprocess.run([str(pip)], env=env, capture_output=True, text=True, check=True)
    assert "/guard/entry" not in out.stdout


def test_control_a_plain_guardless_shebang_is_refused(tmp_path):
    pip = _pip(tmp_path, f"#!{sys.executable} -I")
    assert any(WHAT_TO_DO in p for p in _problems(tmp_path, [str(pip), "install", "x"]))


# -- in a kernel of the lab's launch environment -------------------------------------------
CELL = """
import os, subprocess, sys
line = {line!r}.replace("PY", sys.executable)
with open("pip", "w") as fh:
    fh.write(line + "\\nimport os, sys\\n"
             "open('guard.txt', 'w').write(repr('warden' in os.environ.get('PYTHONPATH', '')))\\n"
             "from pip._internal.cli.main import main\\nsys.exit(main())\\n")
os.chmod("pip", 0o755)
subprocess.run(["./pip", "install", "-q", "--no-index", "--no-deps", "--target", "{{target}}",
                "warden-demo-pkg"], capture_output=True)
"""


def test_control_kernel_a_guarded_env_s_pip_runs_with_its_guard(kernel):
    result = kernel.cell(CELL.format(line="#!/usr/bin/env -S PY"), launched=True)
    assert result["refused"] is None, result
    assert (kernel.work / "guard.txt").read_text() == "True"


def test_control_kernel_a_python_dash_i_pip_is_refused(kernel):
    result = kernel.cell(CELL.format(line="#!PY -I"), launched=True)
    assert result["refused"] and WHAT_TO_DO in result["refused"], result


@pytest.mark.parametrize("line", ["#!/usr/bin/env -S -i PY", "#!/usr/bin/env -S - PY"])
def test_r52a_1_kernel_env_s_i_pip_runs_guardless(kernel, line):
    """The pip starts with no PYTHONPATH (env -i): Warden's guard is not in it, and Warden
    let it start as a guarded pip."""
    kernel.reset()
    result = kernel.cell(CELL.format(line=line), launched=True)
    ran_guardless = (kernel.work / "guard.txt").exists()
    assert result["refused"], (result, ran_guardless and (kernel.work / "guard.txt").read_text())
