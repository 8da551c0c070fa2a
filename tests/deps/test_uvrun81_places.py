"""R81-5 (false refusal): a ``uv run`` after an earlier writer of its line is weighed by where
the writer writes (``uv_line_writes``), not refused for any writer.

``cp data.csv out/ && uv run train.py`` was refused: the line's earlier-writer rule (red team 7
R7-16) refused every install request after any writer, and ``uv_run_reads.written_request``
(R57c-3/-4) made every ``uv run`` that reads a file one. The line reading places its writers
(``commands._write_places``): the run is now refused only when one may write a file it reads
(the script, its lock, the project's pyproject.toml and uv.lock) or where uv's own Python
discovery looks, or when Warden cannot place one. The refused lines below each install torcj
from the test index without Warden (the proofs of ``test_fix80_uvrun``).
"""

import os
import sys

import pytest
from launched import system_call
from real_uv import real_uv
from test_fix80_uvrun import RUN_SCRIPT, _cell, _files, _proves


@pytest.mark.parametrize(
    "line",
    ["cp data.csv out/ && uv run train.py", "cp data.csv out/ && uv run --no-project train.py"],
)
def test_uv_run_after_an_unrelated_cp_runs(kernel, line):
    """The red team's lines, uv finding its Python on its own (no --python): they run."""
    (kernel.work / "out").mkdir()
    (kernel.work / "data.csv").write_text("a\n")
    (kernel.work / "train.py").write_text("open('ran', 'w').write('1')\n")
    line = line.replace("uv ", real_uv() + " ", 1)
    code = "import os\nos.environ.pop('VIRTUAL_ENV', None)\n" + system_call(line)
    result = kernel.cell(code, launched=True)
    assert result["refused"] is None, result
    assert (kernel.work / "ran").exists(), result


def test_a_script_copied_into_another_folder_runs(kernel):
    """The real script copied into out/: s.py (asking for nothing) runs as Warden read it."""
    _files(kernel)
    (kernel.work / "out").mkdir(exist_ok=True)
    kernel.reset()
    line = f"cp real.txt out/ && {RUN_SCRIPT}"
    guarded = kernel.cell(_cell(line), launched=True)
    assert guarded["refused"] is None and (kernel.work / "ran").exists(), guarded
    assert not kernel.index.requests, guarded


REFUSED = {
    # the script itself, after an unrelated writer
    "onto the script": f"cp data.csv out/ && cp real.txt s.py && {RUN_SCRIPT}",
    # a folder: ./s.py
    "into the folder": f"cp packed/s.py . && {RUN_SCRIPT}",
    "a tree into the folder": f"cp -r packed/. . && {RUN_SCRIPT}",
    # a name the shell computes
    "an unplaced writer": f'cp real.txt "$(echo s.py)" && {RUN_SCRIPT}',
    # the writer inside the line a shell runs
    "a nested line": "sh -c " + repr(f"cp data.csv out/ && cp real.txt s.py && {RUN_SCRIPT}"),
    # out/s.py written, then run from out/ (the cd followed)
    "from a cd": f"cp real.txt out/s.py && cd out && {RUN_SCRIPT} && mv ran ../ran",
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_a_writer_of_the_script_is_refused(kernel, case):
    (kernel.work / "out").mkdir(exist_ok=True)
    (kernel.work / "data.csv").write_text("a\n")
    refused = _proves(kernel, REFUSED[case])
    assert "earlier command on the line" in refused or "uv run" in refused, refused


def test_a_writer_through_a_link_is_refused(kernel):
    """s.py a link into out/ (a plain script there now): cp writes the script through it."""
    line = f"cp real.txt out/s.py && {RUN_SCRIPT}"

    def files() -> None:
        _files(kernel, now=None)
        (kernel.work / "out").mkdir(exist_ok=True)
        (kernel.work / "out" / "s.py").write_text('open("ran", "w").write("1")\n')
        os.symlink("out/s.py", kernel.work / "s.py")
        kernel.reset()

    files()
    plain = kernel.cell(_cell(line), launched=False)
    assert plain["refused"] is None and kernel.index.requests, plain
    assert (kernel.work / "ran").exists(), ("the payload did not run without Warden", plain)
    files()
    guarded = kernel.cell(_cell(line), launched=True)
    assert not kernel.index.requests and not (kernel.work / "ran").exists(), guarded
    assert "earlier command on the line" in (guarded["refused"] or ""), guarded


# -- the reading: which files a writer's places reach ---------------------------------------------


def _uv_problem(tmp_path, line: str) -> list:
    """The problems of the line's `uv run` request as the gate reads them in ``tmp_path``."""
    from jupyterlab_warden.kernel.guard.installs import commands, gate

    (tmp_path / "out").mkdir(exist_ok=True)
    (tmp_path / "s.py").write_text("print(1)\n")
    before = os.getcwd()
    os.chdir(tmp_path)
    try:
        invs = [i for i in commands.shell_invocations(line) if i.tool == "uv"]
        env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path / "home")}
        requests = [gate._request(i, env, str(tmp_path)) for i in invs]
    finally:
        os.chdir(before)
    return [p for r in requests if r is not None for p in r.problems]


PY = sys.executable


@pytest.mark.parametrize(
    "line",
    [
        f"cp x uv.lock && uv run --python {PY} s.py",
        f"cp x s.py.lock && uv run --python {PY} s.py",
        f"cp x pyproject.toml && uv run --python {PY} s.py",
        f"cp x s.py && uv run --python {PY} --no-project s.py",
        "cp x .python-version && uv run s.py",
        "cp -r kit/.venv . && uv run --no-project s.py",
        f"tar xPf k.tar -C out && uv run --python {PY} s.py",  # -P: members anywhere
        f"tar xf k.tar && uv run --python {PY} s.py",
        f"./gen.sh out && uv run --python {PY} s.py",
        f"for i in 1 2; do cp x out/ && uv run --python {PY} s.py; cp y s.py; done",
    ],
)
def test_a_writer_of_what_uv_reads_is_refused(tmp_path, line):
    from jupyterlab_warden.kernel.guard.installs import commands

    try:
        problems = _uv_problem(tmp_path, line)
    except commands.Unreadable:
        return  # refused by the line reading itself
    assert problems and any("earlier command" in p or "loop" in p for p in problems), problems


@pytest.mark.parametrize(
    "line",
    [
        f"cp x out/ && uv run --python {PY} s.py",
        f"cp x out/y.py && uv run --python {PY} --no-project s.py",
        "cp x out/ && uv run s.py",
        f"echo hi > out/log.txt && uv run --python {PY} s.py",
        # tar without -P keeps its members under -C's folder (fixG, ``unpack_reach``)
        f"tar xf k.tar -C out && uv run --python {PY} s.py",
    ],
)
def test_a_writer_elsewhere_leaves_the_run_as_read(tmp_path, line):
    assert not _uv_problem(tmp_path, line)
