"""Red team 88 F6's class for conda (fix88d; read from conda's activation, conda is not
installed here, so read through ``gate.read_requests`` as the kernel's gate reads a line):
``conda run -p ENV CMD`` (``-n NAME``, micromamba's and mamba's) activates ENV, ENV/bin first
on CMD's PATH, and sources ENV/etc/conda/activate.d's scripts: a new ENV/bin/gzip ran unread
when tar ran gzip (the line read with the kernel's PATH: no problem found before the fix).
Now CMD is read with each environment ``conda_run_path`` says conda may activate in front
(``commands._conda_run_env``): the new gzip is read as a start and refused; an activation
script written since the kernel started is refused. No false refusals: an environment with
no new program runs."""

import os

import pytest
from install_env import GUARDED_ENV
from launched import installed

from jupyterlab_warden.kernel.guard.installs import conda_run_path
from jupyterlab_warden.kernel.guard.installs.gate import read_requests

# a program that installs, its installer's name built from pieces (red team 18's perl)
GZIP = '#!/usr/bin/perl\nmy $p = "p" . "ip";\nsystem($p, "install", "warden-demo-pkg");\n'


def _problems(line: str, cwd, **more) -> list:
    env = {"PATH": os.environ["PATH"], "HOME": str(cwd), **GUARDED_ENV, **more}
    return [p for r in read_requests(None, line, env, str(cwd)) for p in r.problems]


def _env(prefix) -> None:
    (prefix / "bin").mkdir(parents=True)
    gzip = prefix / "bin" / "gzip"
    gzip.write_text(GZIP)
    gzip.chmod(0o755)


@pytest.mark.parametrize(
    "where, line, more",
    [
        ("envx", "conda run -p envx tar czf o.tgz a.txt", {}),
        ("envx", "conda run --prefix=envx --no-capture-output tar czf o.tgz a.txt", {}),
        ("r/envs/ev", "micromamba run -n ev tar czf o.tgz a.txt", {"MAMBA_ROOT_PREFIX": "r"}),
        ("r/envs/ev", "mamba run -r r -n ev tar czf o.tgz a.txt", {}),
        ("e/ev", "conda run -n ev tar czf o.tgz a.txt", {"CONDA_ENVS_PATH": "e"}),
        ("active", "conda run tar czf o.tgz a.txt", {"CONDA_PREFIX": "active"}),
    ],
)
def test_a_new_program_of_the_environment_is_read(tmp_path, monkeypatch, where, line, more):
    installed("perl")
    monkeypatch.chdir(tmp_path)
    _env(tmp_path / where)
    more = {k: str(tmp_path / v) for k, v in more.items()}
    found = _problems(line, tmp_path, **more)
    assert any("gzip" in p and "written since the kernel started" in p for p in found), found


def test_a_new_activation_script_is_refused(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "envx" / "bin").mkdir(parents=True)
    (tmp_path / "envx" / "etc" / "conda" / "activate.d").mkdir(parents=True)
    (tmp_path / "envx" / "etc" / "conda" / "activate.d" / "x.sh").write_text("pip install x\n")
    found = _problems("conda run -p envx tar czf o.tgz a.txt", tmp_path)
    assert any("activation script" in p for p in found), found


@pytest.mark.parametrize(
    "line",
    ["conda run -p envx tar czf o.tgz a.txt", "conda run -n other python -c 1", "conda list"],
)
def test_an_environment_with_no_new_program_runs(tmp_path, monkeypatch, line):
    """No new program in the environment's bin (another environment's is not on the PATH of
    ``-p envx``): nothing refused."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "envx" / "bin").mkdir(parents=True)
    assert _problems(line, tmp_path) == []


def test_the_environments_conda_may_activate(tmp_path):
    home = os.path.expanduser("~/.conda/envs/ev")
    root = str(tmp_path / "r")
    env = {"MAMBA_ROOT_PREFIX": root, "CONDA_PREFIX": "/opt/act"}
    assert conda_run_path.prefixes(["-p", "e"], env, "", str(tmp_path)) == [str(tmp_path / "e")]
    assert conda_run_path.prefixes(["-pe"], env, "", str(tmp_path)) == [str(tmp_path / "e")]
    assert conda_run_path.prefixes(["-n", "ev"], env, "", "/") == [f"{root}/envs/ev", home]
    assert conda_run_path.prefixes(["-n", "base"], env, "", "/") == [root]
    assert conda_run_path.prefixes([], env, "", "/") == ["/opt/act", root]
    (tmp_path / "e" / "bin").mkdir(parents=True)
    assert conda_run_path.bin_folders([str(tmp_path / "e"), "/nowhere"]) == [
        str(tmp_path / "e" / "bin")
    ]
