"""Red team 56c R56c-3 (MED, false refusal): conda's own reading commands that are not in the
allow-list refuse the ordinary install after them. ``conda env list && conda install -y
black`` (also ``mamba env list``, ``micromamba env list``) is refused "run the install as its
own command", while ``conda info --envs && conda install -y black`` (the same listing) runs.

Root cause: schema/installer-readers.json "conda" "commands" (read by
installs/installer_writes.py:55-57, 94-97; static src/deps/installers.ts
installerWritesNothing) holds one-word commands only (list, info, search, help), so the
two-word reading command ``env list`` (its command word ``env``) is unknown, a writer. Fix: a
command table keyed by the command path (``env list``, ``env export`` without
``--file``, ``config --show``/``--show-sources``/``--get``/``--describe``), as uv's ``pip
list`` is. FAILS today.

R56c-4 (LOW): `uv venv`'s folder is taken from a misread of a short cluster ending in a valued
option: ``uv venv -qp 3.11`` (clap: -q, then -p 3.11) has ``3.11`` read as the folder operand
(installer_writes._venv_folders, installs/installer_writes.py:210-215, matches only exact
valued names), so the existing ``.venv`` the command really makes its environment in is not
looked at, and ``uv venv -qp 3.11 && uv pip install -r r.txt`` over an existing
environment runs while ``uv venv -q -p 3.11 && ...`` is refused (an older uv replaces that
environment unasked). Fix: read the words with the same cluster reader as
``_options_write_nothing``. FAILS today.
"""

import pytest
from test_install_vectors import outcome

REFUSED = {"rules": ["install-unreadable"], "runs": False}
ALLOWED = {"rules": [], "runs": True}


def _vector(command, files=None):
    return {"policy": {}, "command": command, "files": {"r.txt": "black\n", **(files or {})},
            "env": {}}  # fmt: skip


def test_control_conda_info_envs_before_an_install_runs(tmp_path, monkeypatch):
    assert outcome(_vector("conda info --envs && conda install -y black"), tmp_path,
                   monkeypatch) == ALLOWED  # fmt: skip


@pytest.mark.parametrize(
    "line",
    [
        "conda env list && conda install -y black",
        "mamba env list && mamba install -y black",
        "conda env list --json && conda install -y black",
        "conda config --show channels && conda install -y black",
    ],
)
def test_a_conda_reading_command_keeps_the_install_after_it(tmp_path, monkeypatch, line):
    assert outcome(_vector(line), tmp_path, monkeypatch) == ALLOWED


def test_control_uv_venv_over_an_environment_is_a_writer(tmp_path, monkeypatch):
    files = {".venv/pyvenv.cfg": "home = /usr/bin\n"}
    line = "uv venv -q -p 3.11 && uv pip install -r r.txt"
    assert outcome(_vector(line, files), tmp_path, monkeypatch) == REFUSED


@pytest.mark.parametrize("venv", ["uv venv -qp 3.11", "uv venv -vp 3.11", "uv venv -np 3.11"])
def test_uv_venv_with_a_clustered_python_over_an_environment_is_a_writer(
    tmp_path, monkeypatch, venv
):
    files = {".venv/pyvenv.cfg": "home = /usr/bin\n"}
    line = venv + " && uv pip install -r r.txt"
    assert outcome(_vector(line, files), tmp_path, monkeypatch) == REFUSED
