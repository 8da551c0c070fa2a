"""Mend 81: a ``cd``/``pushd``/``popd`` in a pipeline's stage before its last moves nothing.

bash and dash run each stage of ``a | b`` in a subshell of its own (only the last may run in
the shell itself, under bash's ``lastpipe``), so ``cd sub | true; x`` runs x in the line's
start folder, as does the stage after it (``pushd sub |& uvx ...``). Both sides read such a cd
as one they cannot follow, every later command's folder unknown (refused); the kernel, refusing
the uv start there before reading its packages, gave shell-lines.json's ``pushd sub >
/dev/null |& uvx pip install torcj`` another rule than the static side. Both now read those
commands from the start folder (``_LineState.update``; ``LineState.update`` in
src/deps/commands.ts): src/deps/pipelinecd.spec.ts reads the lines of
src/deps/testdata/pipeline-cd-lines.json as this file does. A cd as the pipeline's last stage
stays unknown (lastpipe, which BASHOPTS may turn on), and ``cd sub && x`` is still followed.

The kernel lines: the payload is a user site's ``.pth`` under a relative HOME (``rel``), which
``site`` runs before the guard's ``sitecustomize`` (red team 57b R57b-1); where the shell
really starts the Python is where Warden must read it.
"""

import json
import os
import sys
import tempfile
from pathlib import Path

import pytest
from install_env import GUARDED_ENV
from launched import shell_line_cell

from jupyterlab_warden.kernel.guard.installs import decide
from jupyterlab_warden.kernel.guard.installs.data import DepsData
from jupyterlab_warden.kernel.guard.installs.gate import read_requests

BASE = os.path.realpath(getattr(sys, "_base_executable", sys.executable))  # has a user site
VERSION = f"python{sys.version_info[0]}.{sys.version_info[1]}"
PTH = "import os; open({marker!r}, 'w').close()\n"
DATA = DepsData()

PIPED = {
    "cd": f"cd sub | true; {BASE} -c pass",
    "pushd": f"bash -c 'pushd sub >/dev/null |& true; {BASE} -c pass'",
    "stage": f"cd sub | {BASE} -c pass",
}
FOLLOWED = f"cd sub && {BASE} -c pass"


def _user_site(kernel, folder: str) -> None:
    """A user site under ``folder/rel`` whose ``.pth`` writes the marker ``ran``."""
    site = kernel.work / folder / "rel" / ".local" / "lib" / VERSION / "site-packages"
    site.mkdir(parents=True)
    (site / "zz.pth").write_text(PTH.format(marker=str(kernel.work / "ran")))


def _runs(kernel, line: str, launched: bool) -> dict:
    """The cell sets HOME=rel (relative: found from where each start runs), then runs
    ``line``; ``ran``: whether the payload wrote its marker; ``out``: status and output."""
    marker, out = kernel.work / "ran", kernel.work / "out.txt"
    marker.unlink(missing_ok=True)
    out.unlink(missing_ok=True)
    code = "import os\nos.environ['HOME'] = 'rel'\n" + shell_line_cell(line)
    result = kernel.cell(code, launched=launched)
    result["out"] = out.read_text() if out.exists() else None
    result["ran"] = marker.exists()
    return result


@pytest.mark.parametrize("how", sorted(PIPED))
def test_a_payload_in_the_start_folder_after_a_piped_cd_is_refused(kernel, how):
    (kernel.work / "sub").mkdir()
    _user_site(kernel, ".")
    plain = _runs(kernel, PIPED[how], launched=False)
    assert plain["ran"], plain  # the shell starts the Python in the start folder
    guarded = _runs(kernel, PIPED[how], launched=True)
    assert guarded["refused"] and not guarded["ran"], guarded
    # read from the start folder, where it is: not refused as a folder left unknown
    assert "zz.pth" in guarded["refused"], guarded


@pytest.mark.parametrize("how", sorted(PIPED))
def test_a_payload_in_the_piped_cd_s_folder_is_not_read_and_the_start_runs(kernel, how):
    _user_site(kernel, "sub")
    plain = _runs(kernel, PIPED[how], launched=False)
    assert not plain["ran"] and plain["out"].startswith("0\n"), plain  # sub is never entered
    guarded = _runs(kernel, PIPED[how], launched=True)
    assert guarded["refused"] is None and guarded["out"].startswith("0\n"), guarded
    assert not guarded["ran"], guarded


def test_a_cd_joined_by_and_is_still_followed(kernel):
    _user_site(kernel, "sub")
    plain = _runs(kernel, FOLLOWED, launched=False)
    assert plain["ran"], plain
    guarded = _runs(kernel, FOLLOWED, launched=True)
    assert guarded["refused"] and "zz.pth" in guarded["refused"] and not guarded["ran"], guarded


# -- the reading both sides share (src/deps/pipelinecd.spec.ts reads the same lines) ---------

LINES = json.loads(
    (Path(__file__).resolve().parents[2] / "src/deps/testdata/pipeline-cd-lines.json").read_text()
)


@pytest.mark.parametrize("case", LINES["cases"], ids=[c["line"] for c in LINES["cases"]])
def test_the_folder_the_line_reads_after_a_piped_cd(case):
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        (work / "sub").mkdir()
        (work / "r.txt").write_text("black\n")
        (work / "sub" / "r.txt").write_text(LINES["sub_requirements"])
        env = {"HOME": str(work / "home"), "PIP_CONFIG_FILE": os.devnull, **GUARDED_ENV}
        env["XDG_CONFIG_DIRS"] = str(work / "home")
        requests = read_requests(None, case["line"], env, folder)
        rules = sorted({f.rule_id for r in requests for f in decide.decide(r, {}, DATA)})
    assert rules == case["rules"], case
