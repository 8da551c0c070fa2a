"""fix70writers: the kernel's reading of what makes an installer's reading command write (red
team 55b R55b-3, R55b-7) where the static side cannot look: pip's config files (a pip.conf
``log =``), and the folder `uv venv` makes its environment in (an existing folder with files:
older uvs replaced it unasked). The shared vectors (``R55b-3``/``R55b-7`` in
schema/vectors/install-decision.json) hold the options and variables."""

import pytest
from test_install_vectors import outcome

from jupyterlab_warden.kernel.guard.installs.installer_writes import writes_nothing

REFUSED = {"rules": ["install-unreadable"], "runs": False}
ALLOWED = {"rules": [], "runs": True}
AFTER = " && uv pip install -r r.txt"


def _vector(command, files=None, env=None):
    return {"policy": {}, "command": command, "files": {"r.txt": "black\n", **(files or {})},
            "env": env or {}}  # fmt: skip


@pytest.mark.parametrize(
    "conf",
    [
        "[global]\nlog = r.txt\n",
        "[list]\nlog-file = r.txt\n",
        "[list]\nLOCAL_LOG = r.txt\n",
        "[global]\ncache-dir = c\n",
        "[global\nbroken",
    ],
)
def test_a_pip_conf_that_makes_pip_list_write_makes_it_a_writer(tmp_path, monkeypatch, conf):
    vector = _vector("pip list" + AFTER, {"pip.conf": conf}, {"PIP_CONFIG_FILE": "pip.conf"})
    assert outcome(vector, tmp_path, monkeypatch) == REFUSED


def test_a_pip_conf_of_other_settings_or_another_command_keeps_pip_list_a_reader(
    tmp_path, monkeypatch
):
    conf = "[global]\nindex-url = https://pypi.org/simple\ntimeout = 60\n[install]\nlog = r.txt\n"
    vector = _vector("pip list" + AFTER, {"pip.conf": conf}, {"PIP_CONFIG_FILE": "pip.conf"})
    assert outcome(vector, tmp_path, monkeypatch) == ALLOWED


@pytest.mark.parametrize(
    "command, files",
    [
        ("uv venv d", {"d/uv.toml": "[pip]\nno-index = true\n"}),  # the proof's folder
        ("uv venv -q d", {"d/pyvenv.cfg": "home = /usr/bin\n"}),  # an old environment
        ("uv venv", {".venv/pyvenv.cfg": "home = /usr/bin\n"}),  # its default folder
        ("cd sub && uv venv", {"sub/.venv/x": "", "sub/r.txt": ""}),
        ("uv venv --directory sub d", {"sub/d/x": ""}),
        ("uv venv .", {}),  # the folder the line runs in: r.txt is there
    ],
)
def test_uv_venv_into_a_folder_with_files_is_a_writer(tmp_path, monkeypatch, command, files):
    # uv 0.13 refuses such a folder without --clear; an older uv replaced an environment unasked
    assert outcome(_vector(command + AFTER, files), tmp_path, monkeypatch) == REFUSED


@pytest.mark.parametrize("command", ["uv venv d", "uv venv", "mkdir d && uv venv d"])
def test_uv_venv_into_a_new_folder_stays_no_writer(tmp_path, monkeypatch, command):
    assert outcome(_vector(command + AFTER), tmp_path, monkeypatch) == ALLOWED


def test_uv_venv_into_an_empty_folder_stays_no_writer(tmp_path, monkeypatch):
    (tmp_path / "d").mkdir()
    assert outcome(_vector("uv venv d" + AFTER), tmp_path, monkeypatch) == ALLOWED


def test_a_default_venv_of_a_parent_project_counts(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'p'\nversion = '0'\n")
    (tmp_path / ".venv").mkdir()
    (tmp_path / ".venv" / "pyvenv.cfg").write_text("home = /usr/bin\n")
    (tmp_path / "nb").mkdir()
    here = str(tmp_path / "nb")
    assert not writes_nothing("uv", ["venv"], {}, "uv", here)  # uv makes the project's .venv
    assert writes_nothing("uv", ["venv", "x"], {}, "uv", here)  # a new folder of its own
    (tmp_path / "pyproject.toml").unlink()
    assert writes_nothing("uv", ["venv"], {}, "uv", here)  # no project: nb/.venv


@pytest.mark.parametrize(
    "args, env",
    [
        (["venv", "$D"], {}),  # a name Warden cannot place
        (["venv"], {"UV_PROJECT": "p"}),  # a project found from elsewhere
        (["venv", "d"], {"UV_VENV_SEED": "${unknown}"}),  # a value the line does not tell
    ],
)
def test_a_uv_venv_folder_or_setting_warden_cannot_tell_is_a_writer(tmp_path, args, env):
    assert not writes_nothing("uv", args, env, "uv", str(tmp_path))
    assert not writes_nothing("uv", ["venv", "d"], {}, "uv", None)  # folder not known


def test_a_pip_reader_from_a_folder_warden_cannot_place_is_a_writer():
    # its pip.conf files may be relative to the folder pip starts in (R14-26)
    assert not writes_nothing("pip", ["list"], {}, "pip", None)
    assert writes_nothing("pip", ["list"])  # the options alone (the static side's reading)


def test_the_reader_tables_list_no_writing_option_and_only_options_uv_takes():
    """schema/installer-readers.json: each uv reader's options are ones that uv command takes
    (schema/uv-cli.json ``by_command``), and no table lists an option that writes or fetches."""
    from jupyterlab_warden.kernel.contracts import load_contract

    readers, uv = load_contract("installer-readers.json"), load_contract("uv-cli.json")
    for command, own in readers["uv"]["commands"].items():
        if command not in ("", "help"):
            takes = uv["by_command"]["uv " + command]
            assert set(own["valued"]) <= set(takes["valued"]), command
            assert set(own["flags"]) <= set(takes["flags"]), command
    writing = set(
        "--log --log-file --local-log --cache-dir --outdated --uptodate --index-url "
        "--extra-index-url --find-links --python-fetch --seed --clear --force --allow-existing "
        "--report --keyring-provider".split()
    )
    tables = [readers["pip"]["general"], readers["conda"]["general"]]
    for tool in ("pip", "uv", "conda"):
        tables += readers[tool]["commands"].values()
    for table in tables:
        assert not writing & set(table["valued"] + table["flags"])
    assert "--python" not in readers["pip"]["general"]["valued"]  # pip's re-runs another pip
