"""R82-4 (red team 82, on uvrun81): ``cp evil.env e.env && uv run --env-file e.env bash -c true``.

uv_line_writes (R81-5) drops the earlier-writer refusal of a ``uv run`` Warden read as
installing nothing when no writer of the line may write a file ``uv_run_reads.uv_files`` names
or a place of uv's Python discovery. The dotenv files ``uv run`` loads into its command
(``--env-file``, ``UV_ENV_FILE``) are neither: Warden reads e.env as it is BEFORE the line
(``gate._read_requests``: benign), cp then replaces it, and uv starts bash with BASH_ENV set
by the new file: bash sources p.sh, which installs. Before uvrun81 any writer refused the
project form; the ``--no-project`` form was open before it too. Now the dotenv files are among
the files ``uv run`` reads (``uv_run_reads.uv_files`` with the run's environment), weighed
against the line's writers: refused. A writer elsewhere still lets the run go (R81-5)."""

import shlex
import sys

import pytest
from real_uv import real_uv


def _esc(text: str) -> str:
    return text.replace("{", "{{").replace("}", "}}")


@pytest.mark.parametrize("flag", [["--env-file", "e.env"], []], ids=["env-file", "UV_ENV_FILE"])
@pytest.mark.parametrize("project", [["--no-project"], []], ids=["no-project", "project"])
def test_r82_4_env_file_written_on_the_line(kernel, flag, project):
    work = kernel.work
    install = shlex.join(
        [real_uv(), "pip", "install", "-q", "--no-config", "--no-cache", "--python",
         sys.executable, "--target", str(kernel.target), "--index-url", kernel.index.simple,
         "warden-demo-pkg"]
    )  # fmt: skip
    (work / "p.sh").write_text(install + "\n")  # never read by Warden
    (work / "evil.env").write_text("BASH_ENV=p.sh\n")
    run = [real_uv(), "run", "-q", "--no-config", "--no-cache", *project, "--python",
           sys.executable, *flag, "bash", "-c", "true"]  # fmt: skip
    prefix = "" if flag else "UV_ENV_FILE=e.env "
    line = f"cp evil.env e.env && {prefix}{shlex.join(run)}"
    cell = _esc(f"import os\nos.system({line!r})\n")

    def benign():
        kernel.reset()
        (work / "e.env").write_text("A=1\n")  # what Warden reads before the line runs

    benign()
    plain = kernel.cell(cell, launched=False)
    assert plain["refused"] is None and kernel.installed(), ("control failed", plain)
    benign()
    guarded = kernel.cell(cell, launched=True)
    assert guarded["refused"] and "e.env" in guarded["refused"], guarded
    assert not kernel.installed() and not kernel.index.requests, guarded


def test_a_writer_elsewhere_still_lets_an_env_file_run_go(kernel):
    """R81-5's narrowing holds: `cp data.csv out/` writes no file the run reads."""
    work = kernel.work
    (work / "out").mkdir()
    (work / "data.csv").write_text("a\n")
    (work / "e.env").write_text("A=1\n")
    run = [real_uv(), "run", "-q", "--no-config", "--no-cache", "--no-project", "--python",
           sys.executable, "--env-file", "e.env", "true"]  # fmt: skip
    line = f"cp data.csv out/ && {shlex.join(run)}"
    result = kernel.cell(_esc(f"import os\nos.system({line!r})\n"), launched=True)
    assert result["refused"] is None, result
