"""Fix 54spell: `env` in front of pip is decided by what it does to pip's environment.

fix51pip refused `env X=1 pip install x` as a pip that may lose its guard, because `env` was
in ``commands._ENVIRONMENT_CHANGERS``, while `X=1 pip install x` ran; ``_unwrap`` already
models env's -i, -u, -S, -C, `-`, `--` and NAME=value. Now env's assignments reach the same
``_guard_lost`` reading as a shell assignment: `env X=1 pip` keeps its guard, `env -i pip`,
`env PYTHONPATH= pip`, `env -u PYTHONPATH pip` lose it and are refused. env's options Warden
does not model (GNU coreutils and uutils env, below) still refuse a command naming an
installer. schema/vectors/install-decision.json holds the same cases for both sides.
"""

import sys

import pytest
from test_fix51pip import UNLAUNCHED, _problems, _refused

from jupyterlab_warden.kernel.guard.installs import commands

PY = sys.executable


@pytest.mark.parametrize(
    "line",
    [
        "env X=1 pip install x",
        "env -- X=1 pip install x",
        "env -u CUDA_VISIBLE_DEVICES pip install x",
        "env --unset=HOME pip install x",
        "env PYTHONHASHSEED=0 pip install x",  # a tuning variable, as `PYTHONHASHSEED=0 pip`
        "env X=1 env Y=2 pip install x",
        "env -S 'X=1 pip install x'",
        f"env X=1 {PY} -m pip install x",
        "env X=1 nice pip install x",
    ],
)
def test_env_that_keeps_the_guard_is_read_as_its_assignments(tmp_path, line):
    """Refused before the fix (env was a changer); `X=1 pip install x` ran."""
    assert _problems(tmp_path, shell=line) == [], line


@pytest.mark.parametrize(
    "line",
    [
        "env -i pip install x",
        "env - pip install x",
        "env --ignore-environment pip install x",
        "env -i PATH=/usr/bin:/bin pip install x",
        "env PYTHONPATH= pip install x",
        "env PYTHONPATH=/tmp pip install x",
        "env -u PYTHONPATH pip install x",
        "env --unset=PYTHONPATH pip download x",
        "env -S 'PYTHONPATH= pip install x'",
        "env WARDEN_POLICY_FILE=/tmp/p.json pip install x",
        "env -u WARDEN_POLICY_FILE pip install x",
        "env X=1 sudo pip install x",
        f"env -i HOME=/tmp {PY} -m pip install x",
    ],
)
def test_env_that_drops_the_guard_is_refused(tmp_path, line):
    assert _refused(_problems(tmp_path, shell=line)), line


def test_env_pythonhome_is_refused(tmp_path):
    """PYTHONHOME: another standard library (refused by the start reading, R14-12)."""
    assert _problems(tmp_path, shell="env PYTHONHOME=/x pip install x")


# env's options (GNU coreutils 9.7 env(1), uutils coreutils env, busybox env: -i, -u, -0) and
# what Warden does with each in front of `pip install x`: "read" (its effect on the start is
# modelled in ``_unwrap``), "refused" (not modelled: a command naming an installer is refused)
ENV_OPTIONS = {
    "-i": "guard lost",  # an empty environment: PYTHONPATH gone
    "--ignore-environment": "guard lost",
    "-": "guard lost",
    "-u CUDA_VISIBLE_DEVICES": "read",
    "--unset=CUDA_VISIBLE_DEVICES": "read",
    "-S 'X=1'": "read",  # split, then read as env's own words
    "-v": "read",  # --debug: writes to stderr only
    "--debug": "read",
    # --null: GNU and uutils refuse a COMMAND with it (exit 125), busybox ignores it
    "-0": "read",
    "--null": "read",
    "-C /tmp": "refused",  # another folder, which the reading does not follow
    "--chdir=/tmp": "refused",
    "-a x": "refused",  # GNU 9.5+, uutils: argv[0] of the command
    "--argv0=x": "refused",
    "-f .env": "refused",  # uutils: variables from a .env file
    "--file=.env": "refused",
    "--block-signal": "refused",
    "--block-signal=INT": "refused",
    "--default-signal=INT": "refused",
    "--ignore-signal": "refused",
    "--ignore-signal=INT": "refused",
    "--list-signal-handling": "refused",
    "--help": "refused",
    "--version": "refused",
    "-h": "refused",
    "-V": "refused",
}


@pytest.mark.parametrize("option", sorted(ENV_OPTIONS))
def test_each_env_option_is_read_or_refused(tmp_path, option):
    problems = _problems(tmp_path, shell=f"env {option} pip install x")
    outcome = ENV_OPTIONS[option]
    if outcome == "read":
        assert problems == [], (option, problems)
    elif outcome == "guard lost":
        assert _refused(problems), (option, problems)
    else:
        assert problems and not _refused(problems), (option, problems)


def test_env_is_no_changer_but_the_others_still_are():
    line = commands._LineState(False, {})
    lost = commands._guard_lost
    assert lost(["env", "X=1", "pip", "install", "x"], "pip", {"X": "1"}, line) == ""
    why = lost(["env", "-i", "pip", "install", "x"], "pip", {"PYTHONPATH": ""}, line)
    assert why.startswith("PYTHONPATH set")
    assert "sudo" in lost(["env", "sudo", "pip", "install", "x"], "pip", {}, line)
    assert "env" not in commands._ENVIRONMENT_CHANGERS


def test_a_reason_with_path_and_another_variable_names_the_other():
    """PATH sorts before PYTHONPATH: the reason names the variable that loses the guard (the
    static side took a reason reading 'PATH set...' for a PATH change it leaves the kernel)."""
    line = commands._LineState(False, {})
    why = commands._guard_lost(
        ["pip", "install", "x"], "pip", {"PATH": "/usr/bin", "PYTHONPATH": ""}, line
    )
    assert why == "PYTHONPATH set, changed or unset since the kernel started"


def _bin_with_pip(tmp_path, interpreter: str):
    folder = tmp_path / "venv-bin"
    folder.mkdir()
    pip = folder / "pip"
    pip.write_text(f"#!{interpreter}\nfrom pip._internal.cli.main import main\nmain()\n")
    pip.chmod(0o755)
    return folder


def test_env_path_is_read_as_a_path_assignment(tmp_path):
    """`env PATH=DIR pip` finds pip on that PATH as `PATH=DIR pip` does
    (``_path_loses_guard``): a pip of a Python that hosts the guard keeps it."""
    folder = _bin_with_pip(tmp_path, PY)
    path = f"{folder}:/usr/bin:/bin"
    assert _problems(tmp_path, shell=f"PATH={path} pip install x") == []
    assert _problems(tmp_path, shell=f"env PATH={path} pip install x") == []


def test_env_path_to_a_pip_that_cannot_host_the_guard_is_refused(tmp_path):
    folder = _bin_with_pip(tmp_path, "/usr/bin/python3.7")
    line = f"env PATH={folder}:/usr/bin:/bin pip install x"
    assert _refused(_problems(tmp_path, shell=line))


def test_a_kernel_without_the_launch_guard_is_unchanged(tmp_path):
    """Every pip is guardless there (R9-5): env changes nothing."""
    for line in ("env -i pip install x", "env X=1 pip install x"):
        assert not _refused(_problems(tmp_path, shell=line, launch=UNLAUNCHED)), line
