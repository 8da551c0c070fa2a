"""Fix 56cwdenv: a start's folder and an emptied environment, read as the system has them.

R48a-2: a start folder written with a link and ``..`` (``cwd="lnk/../x"``, lnk -> other/deep)
is other/x to the system, x beside lnk's target; the text's normalisation (abspath,
normpath) made it work/x. The gate's note (tests/deps/test_redteam48a_dotdot_folder.py) and
every reader naming the start's folder in full now join it unnormalised
(``folders.in_full``): here, the ``$PWD`` a shell started there expands
(``export UV_CONFIG_FILE=$PWD/u.toml``).

R48a-3: ``env -i`` (``-``, ``--ignore-environment``) and bash's ``exec -c`` start the command
with an empty environment: every inherited variable and every one the line set is read as
unset, not only PYTHONPATH (tests/deps/test_redteam48a_env_empty.py; the shared vectors
"R48a-3: ..." pin the index read on both sides). Here what only the kernel reads: the
guarded kernel's UV_NO_CACHE is dropped too, so uv answers from its cache.
"""

import os

import pytest
from install_env import GUARDED_ENV
from test_install_vectors import outcome

from jupyterlab_warden.kernel.guard.installs import decide, inherited_env
from jupyterlab_warden.kernel.guard.installs.data import DepsData
from jupyterlab_warden.kernel.guard.installs.gate import read_requests

EVIL = "https://evil.example/simple"


@pytest.mark.parametrize(
    "line",
    [
        "env -i uv pip install six",
        "env - HOME=/tmp uv pip install six",
        "exec -c uv pip install six",
    ],
)
def test_an_emptied_environment_drops_the_kernels_uv_no_cache(tmp_path, monkeypatch, line):
    """Read as the kernel's UV_NO_CACHE=1 before the fix: the install ran."""
    vector = {"policy": {}, "command": line}
    assert outcome(vector, tmp_path, monkeypatch) == {
        "rules": ["install-unreadable"],
        "runs": False,
    }


def test_the_assignments_after_env_i_are_read(tmp_path, monkeypatch):
    vector = {"policy": {}, "command": "env -i UV_NO_CACHE=1 uv pip install six"}
    assert outcome(vector, tmp_path, monkeypatch) == {"rules": [], "runs": True}


def _pwd_rules(tmp_path, monkeypatch, cwd: str) -> list:
    work, other = tmp_path / "work", tmp_path / "other"
    (work / "x").mkdir(parents=True)
    (work / "x" / "u.toml").write_text('index-url = "https://pypi.org/simple"\n')
    (other / "deep").mkdir(parents=True)
    (other / "x").mkdir()
    (other / "x" / "u.toml").write_text(f'index-url = "{EVIL}"\n')
    (work / "lnk").symlink_to(other / "deep")
    (tmp_path / "home").mkdir()
    monkeypatch.chdir(work)
    env = {"HOME": str(tmp_path / "home"), "PIP_CONFIG_FILE": os.devnull, **GUARDED_ENV}
    monkeypatch.setattr(inherited_env, "_LAUNCH", dict(env))
    line = "export UV_CONFIG_FILE=$PWD/u.toml && uv pip install six"
    data = DepsData()
    return sorted(
        {f.rule_id for r in read_requests(None, line, env, cwd) for f in decide.decide(r, {}, data)}
    )


def test_pwd_of_a_start_folder_through_a_link_and_dotdot_is_where_sh_runs(tmp_path, monkeypatch):
    """sh started in lnk/../x runs in other/x: its $PWD/u.toml names the refused index. Read
    as work/x/u.toml (PyPI) before the fix."""
    assert _pwd_rules(tmp_path, monkeypatch, "lnk/../x") == ["install-index-not-allowed"]


def test_pwd_of_a_plain_start_folder(tmp_path, monkeypatch):
    """The control: x is work/x, whose u.toml names PyPI."""
    assert _pwd_rules(tmp_path, monkeypatch, "x") == []
