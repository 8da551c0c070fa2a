"""Red team 86 F8 (fix87b): ``uv run CMD`` runs CMD with the environment's scripts folder
FIRST on its PATH (the project's ``.venv/bin``, or the ``.venv`` it finds with
``--no-project``), a folder the start's PATH does not hold: a new ``.venv/bin/gzip`` ran when
tar ran gzip. Warden read ``uv run -p FILE CMD`` with FILE's folder first (R32-12) only; now
CMD is read with every scripts folder uv may choose in front (``uv_run_path``).

The venv and the project are older than the kernel (an ordinary project); the cell only writes
the program. Without Warden it installs from the local index; with Warden the start is
refused, naming gzip."""

import subprocess
import sys

import pytest
from launched import Kernel, installed, system_cell
from real_uv import real_uv
from test_age81_old_path_programs import _older_than_a_start
from test_redteam82_path_link_target import _payload

WRITE = """import os, subprocess
with open('.venv/bin/gzip', 'w') as fh:
    fh.write({payload!r})
os.chmod('.venv/bin/gzip', 0o755)
"""

PROJECT = '[project]\nname = "p"\nversion = "0"\nrequires-python = ">=3.8"\ndependencies = []\n'


def _project(kernel: Kernel) -> None:
    installed("tar")
    work = kernel.work
    (work / "a.txt").write_text("a\n")
    if not (work / ".venv").exists():  # the kernel's reset removes it: made afresh
        (work / "pyproject.toml").write_text(PROJECT)
        subprocess.run(
            [real_uv(), "venv", "-q", "--python", sys.executable, str(work / ".venv")],
            check=True,
            cwd=work,
        )
        _older_than_a_start(work / ".venv" / "bin")


@pytest.mark.parametrize(
    "line",
    [
        "uv run --no-sync --offline tar czf o.tgz a.txt",
        "uv run --no-project --offline tar czf o.tgz a.txt",
    ],
)
def test_uv_runs_a_new_program_of_its_environment_by_name(kernel, line):
    def fresh() -> str:
        _project(kernel)
        (kernel.work / ".venv" / "bin" / "gzip").unlink(missing_ok=True)
        return WRITE.format(payload=_payload(kernel)) + system_cell(line).replace("import os\n", "")

    result = kernel.kept_from_refused_host(fresh)
    assert "gzip" in (result["refused"] or ""), result


# -- no false refusals ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "uv run --no-sync --offline python train.py",
        "uv run --no-project --offline python train.py",
        "uv run --no-sync --offline tar czf o.tgz a.txt",
    ],
)
def test_uv_run_in_an_ordinary_project_runs(kernel, line):
    """An ordinary project (its .venv older than the kernel, no new program there): the
    command runs in the project's environment, nothing refused."""
    _project(kernel)
    (kernel.work / "train.py").write_text("import sys\nopen('ran.txt', 'w').write(sys.prefix)\n")
    kernel.reset()
    _project(kernel)
    result = kernel.cell(system_cell(line), launched=True)
    assert result["refused"] is None, result
    if "train.py" in line:
        assert (kernel.work / "ran.txt").read_text().endswith(".venv"), result


def test_uv_run_in_a_venv_made_since_start_runs(kernel):
    """The project's .venv made by the cell (every file in it new): its python links to the
    kernel's Python under its own name, passed over; the command runs, nothing refused."""
    installed("tar")
    (kernel.work / "pyproject.toml").write_text(PROJECT)
    (kernel.work / "train.py").write_text("import sys\nopen('ran.txt', 'w').write(sys.prefix)\n")
    kernel.reset()
    cell = (
        "import subprocess, sys\n"
        f"subprocess.run([{real_uv()!r}, 'venv', '-q', '--python', sys.executable, '.venv'])\n"
        + system_cell("uv run --no-sync --offline python train.py").replace("import os\n", "")
    )
    result = kernel.cell("import os\n" + cell, launched=True)
    assert result["refused"] is None, result
    assert (kernel.work / "ran.txt").read_text().endswith(".venv"), result
