"""fix71readers: a reading installer command counts only when what runs is that installer
(red team 56c R56c-1, R56c-5), read by the kernel where the static side cannot look: the
program file a name or a PATH finds (an executable of the cell's named pip, uv or conda), and
the module ``python -m`` runs (a ``pip/`` in the folder or on PYTHONPATH, a stand-in for a
standard module pip imports). The shared vectors (``R56c-*`` in
schema/vectors/install-decision.json) hold what both sides read; the kernel proofs are
tests/deps/test_redteam56c_*.py."""

import os
from pathlib import Path

import pytest
from test_install_vectors import outcome

SCRIPT = "#!/bin/sh\necho 'garbage [[[' >> pyproject.toml\n"
AFTER = " && uv pip install -r r.txt"
REFUSED = {"rules": ["install-unreadable"], "runs": False}
ALLOWED = {"rules": [], "runs": True}


def _outcome(command, files, tmp_path, monkeypatch):
    for name, text in files.items():  # executables: the vectors' files are not
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        os.chmod(path, 0o755)
    vector = {"policy": {}, "command": command, "files": {"r.txt": "black\n"}, "env": {}}
    return outcome(vector, tmp_path, monkeypatch)


@pytest.mark.parametrize(
    "command, files",
    [
        ("env PATH=bin:/usr/bin:/bin pip list", {"bin/pip": SCRIPT}),
        ("PATH=bin pip3 freeze", {"bin/pip3": SCRIPT}),
        ("PATH=bin:$PATH; pip list", {"bin/pip": SCRIPT}),
        ("export PATH=$PWD/bin:$PATH; uv pip list", {"bin/uv": SCRIPT}),
        ("ln -s bin/pip p; ./p list", {"bin/pip": SCRIPT}),
        ("python -m pip list", {"pip/__init__.py": "", "pip/__main__.py": SCRIPT}),
        ("python -m pip --version", {"pip.py": ""}),
        ("python -m pip freeze", {"optparse.py": ""}),  # a standard module pip imports
        ("PYTHONPATH=lib pip list", {"lib/pip/__init__.py": ""}),
        ("PYTHONPATH=. pip list", {"logging.py": ""}),
        ("python -m uv pip list", {"uv/__init__.py": "", "uv/__main__.py": ""}),
    ],
)
def test_a_reader_running_something_else_is_a_writer(tmp_path, monkeypatch, command, files):
    assert _outcome(command + AFTER, files, tmp_path, monkeypatch) == REFUSED


def test_a_reader_conda_through_python_with_a_conda_module_is_a_writer(tmp_path, monkeypatch):
    line = "python -m conda list && conda install -y black"
    assert _outcome(line, {"conda.py": ""}, tmp_path, monkeypatch) == REFUSED


@pytest.mark.parametrize(
    "command, files",
    [
        ("pip list", {}),
        ("python -m pip list", {}),
        ("python -I -m pip list", {"pip/__init__.py": ""}),  # -I: not the folder's
        ("pip list", {"pip/__init__.py": ""}),  # the script's own folder comes first
        ("env PATH=bin:/usr/bin:/bin pip list", {}),  # no pip there: nothing runs
    ],
)
def test_the_real_installer_stays_a_reader(tmp_path, monkeypatch, command, files):
    assert _outcome(command + AFTER, files, tmp_path, monkeypatch) == ALLOWED


def _with_conf(command, conf, tmp_path, monkeypatch):
    vector = {"policy": {}, "command": command + AFTER,
              "files": {"r.txt": "black\n", "pip.conf": conf},
              "env": {"PIP_CONFIG_FILE": "pip.conf"}}  # fmt: skip
    return outcome(vector, tmp_path, monkeypatch)


@pytest.mark.parametrize(
    "command, conf",
    [
        ("pip freeze", "[global]\nkeyring-provider = subprocess\n"),  # R56c-2 in pip.conf
        ("pip list", "[list]\noutdated = true\n"),
        ("pip list", "[global]\nproxy = http://127.0.0.1:9\n"),  # the version check steered
        ("pip list", "[global]\nindex-url = http://127.0.0.1:9/simple\n"),
    ],
)
def test_a_pip_conf_setting_not_inert_makes_the_reader_a_writer(
    tmp_path, monkeypatch, command, conf
):
    assert _with_conf(command, conf, tmp_path, monkeypatch) == REFUSED


@pytest.mark.parametrize(
    "command, conf",
    [
        ("pip freeze", "[global]\nindex-url = http://127.0.0.1:9/simple\n"),  # no check
        ("pip list", "[global]\nproxy = http://127.0.0.1:9\ndisable-pip-version-check = 1\n"),
        ("pip list", "[global]\nindex-url = https://pypi.org/simple\nconstraint = c.txt\n"),
    ],
)
def test_a_pip_conf_of_inert_settings_keeps_the_reader(tmp_path, monkeypatch, command, conf):
    assert _with_conf(command, conf, tmp_path, monkeypatch) == ALLOWED


def test_the_machines_pip_conf_does_not_steer_the_version_check(tmp_path, monkeypatch):
    # an admin's /etc/pip.conf `cert = /etc/ssl/...` (root's, unchanged since the start)
    from jupyterlab_warden.kernel.guard.installs import commands

    conf = "[global]\ncert = /etc/ssl/certs/ca-certificates.crt\n"
    assert _with_conf("pip list", conf, tmp_path, monkeypatch) == REFUSED  # the cell's file
    machine = str(tmp_path / "pip.conf")
    real = commands._machine_program
    monkeypatch.setattr(commands, "_machine_program", lambda p: p == machine or real(p))
    assert _with_conf("pip list", conf, tmp_path, monkeypatch) == ALLOWED


@pytest.mark.parametrize("beside, expect", [({}, ALLOWED), ({"optparse.py": ""}, REFUSED)])
def test_a_copy_of_the_kernels_pip_reads_its_own_folder_first(
    tmp_path, monkeypatch, beside, expect
):
    # byte for byte the kernel's pip, so that pip; but its folder comes first on its path: a
    # stand-in for a standard module pip imports there runs in it
    import sys

    (tmp_path / "bin").mkdir()
    text = (Path(sys.prefix) / "bin" / "pip").read_text()
    files = {"bin/pip": text, **{"bin/" + name: body for name, body in beside.items()}}
    assert _outcome("bin/pip list" + AFTER, files, tmp_path, monkeypatch) == expect
