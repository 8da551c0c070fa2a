"""Fix round 42 (R38b-5's false refusal): ``$PWD`` in an exported value names the folder the
command runs in (the start's real folder, then the line's ``cd``), so the ordinary
``export PYTHONPATH=$PWD/src && python train.py`` runs; a PWD the line changes itself, or a
folder Warden cannot follow, stays unresolved and refused."""

import os
import sys

import pytest
from launched import system_cell

from jupyterlab_warden.kernel.guard.installs import commands

PY = sys.executable


def _state_after(line: str) -> "commands._LineState":
    state = commands._LineState(False, {})
    commands.shell_invocations(line, 0, None, state)
    return state


def test_pwd_is_the_start_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    state = _state_after("export PYTHONPATH=$PWD/src && ls")
    assert state.env["PYTHONPATH"] == os.path.join(os.getcwd(), "src")
    assert _state_after("export PYTHONPATH=${PWD}/x; ls").env["PYTHONPATH"] == f"{os.getcwd()}/x"


def test_pwd_after_a_cd_is_the_folder_moved_to(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "sub").mkdir()
    state = _state_after("cd sub && export PYTHONPATH=$PWD && ls")
    assert state.env["PYTHONPATH"] == os.path.join(os.getcwd(), "sub")


@pytest.mark.parametrize(
    "line",
    [
        'cd "$D" && export PYTHONPATH=$PWD/x; ls',  # a folder Warden cannot tell
        "cd d; export PYTHONPATH=$PWD/x; ls",  # the cd may have failed
        "cd - && export PYTHONPATH=$PWD/x; ls",
        "PWD=/tmp; export PYTHONPATH=$PWD/x; ls",  # the line's own PWD
        "unset PWD; export PYTHONPATH=$PWD/x; ls",
        "export PYTHONUSERBASE=$OLDPWD/ub; ls",  # every other shell variable stays unresolved
    ],
)
def test_a_pwd_warden_cannot_follow_is_refused(line):
    with pytest.raises(commands.Unreadable, match="shell expansion"):
        commands.shell_invocations(line)


@pytest.mark.parametrize(
    "line",
    [
        "export PYTHONPATH=$PWD/src && {py} -c 'import mod'",
        "cd sub && export PYTHONPATH=$PWD && {py} -c 'import mod'",
    ],
)
def test_an_ordinary_pwd_export_runs_in_a_kernel(kernel, line):
    marker = kernel.work / "imported.txt"
    code = f"open({str(marker)!r}, 'w').write('1')\n"
    for folder in ("src", "sub"):
        (kernel.work / folder).mkdir(exist_ok=True)
        (kernel.work / folder / "mod.py").write_text(code)
    result = kernel.cell(system_cell(line.format(py=PY)), launched=True)
    assert result["refused"] is None and marker.exists(), result
