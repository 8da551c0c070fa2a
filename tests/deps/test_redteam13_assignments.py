"""Red team 13 R13-9: a shell command whose first word is an assignment holding an expansion
(`CUDA_VISIBLE_DEVICES=$GPU python train.py`, `OUT=${HOME}/data; mkdir -p $OUT`) was refused
whatever it ran: the expansion rule judged the assignment word as if it were the program. The
program is now judged after the assignments; an assigned expansion is unreadable only where it
decides what runs or installs (the program word, an installer's argument, PATH and the other
variables that change the reading, an installer's setting the install starts with).

Ordinary lines run in a guarded process; the lines that must stay refused prove themselves
(without the guard they install warden-demo-pkg from the local index, with it nothing starts).
"""

import os
import sys

import pytest
from real_uv import real_uv
from test_install_gate import POLICY, _installed
from test_redteam_fixes import _installs_unguarded_then_refused

PIP = os.path.join(os.path.dirname(sys.executable), "pip")


def _trusting(index) -> dict:
    return dict(POLICY, trusted_sources={"package_indexes": [index.simple]})


@pytest.mark.parametrize(
    "line",
    [
        "CUDA_VISIBLE_DEVICES=$GPU {python} train.py",
        "OMP_NUM_THREADS=$(nproc) {python} train.py",
        "OUT=${{HOME}}/data; mkdir -p $OUT && {python} train.py",
        "TS=$(date +%s); mkdir run_$TS && {python} train.py",
        "for f in *.csv; do n=$(wc -l < $f); echo $n; done; {python} train.py",
    ],
)
def test_an_ordinary_line_with_an_assigned_expansion_runs(guarded, tmp_path, line):
    (tmp_path / "train.py").write_text("open('trained', 'w').write('epoch 1')\n")
    (tmp_path / "a.csv").write_text("x\n1\n")
    result = guarded(POLICY, line.format(python=sys.executable))
    assert result["refused"] is None and result["returncode"] == 0, result
    assert (tmp_path / "trained").read_text() == "epoch 1"


def test_an_install_after_an_arithmetic_assignment_runs(guarded, index, tmp_path):
    line = (
        f"x=$((1<<2)); {PIP} install --no-deps --target {tmp_path / 'target'} "
        f"-i {index.simple} warden-demo-pkg"
    )
    result = guarded(_trusting(index), line)
    assert result["refused"] is None and result["returncode"] == 0, result
    assert _installed(tmp_path, "warden-demo-pkg")


def _uv(tmp_path) -> str:
    # no -i: the index is the one UV_INDEX_URL names
    return (
        f"{real_uv()} pip install --no-cache --python {sys.executable} "
        f"--target {tmp_path / 'target'} warden-demo-pkg"
    )


@pytest.mark.parametrize(
    "how",
    [
        "exported-setting",  # `export UV_INDEX_URL=$U` was read as the literal "$U"
        "copied-setting",
        "bare-setting",
        "program",
        "installer-argument",
    ],
)
def test_an_assigned_expansion_that_decides_the_install_is_refused(guarded, index, tmp_path, how):
    """The install is decided by the assigned value: uv's index (an installer setting the
    install starts with, or one the line assigns, refused at the assignment), the program
    (`$X install`), an installer's argument (`-i $I`). The line holds no index Warden reads."""
    words = f"install --no-deps --target {tmp_path / 'target'} -i $I warden-demo-pkg"
    command = {
        "exported-setting": f"U={index.simple}; export UV_INDEX_URL=$U; {_uv(tmp_path)}",
        "copied-setting": f"U=$(echo {index.simple}); export UV_INDEX_URL=$U; {_uv(tmp_path)}",
        "bare-setting": f"UV_INDEX_URL=$(echo {index.simple}); export UV_INDEX_URL; "
        + _uv(tmp_path),
        "program": f"I={index.simple}; X=$(echo {PIP}); $X {words}",
        "installer-argument": f"I=$(echo {index.simple}); {PIP} {words}",
    }[how]
    _installs_unguarded_then_refused(guarded, index, tmp_path, command)
    assert index.requests == []
    assert not _installed(tmp_path, "warden-demo-pkg")
