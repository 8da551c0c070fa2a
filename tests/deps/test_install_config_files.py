"""Installs decided on the files their installer reads besides the command line (red-team
findings F18, F12, F19, F7 in notes/red3): uv's config files, .condarc in every place conda
looks, `uv sync` / `uv run` projects and PEP 723 scripts, pip's `--group`, and the front ends
pipx, poetry, pdm, pipenv, hatch and `conda run`. Each case is a project folder as a cloned
repository would hold it."""

import json
import os
import sys
from pathlib import Path

import pytest
from install_env import GUARDED_ENV
from test_install_gate import POLICY

from jupyterlab_warden.kernel.guard import catalog
from jupyterlab_warden.kernel.guard.installs import decide
from jupyterlab_warden.kernel.guard.installs.data import DepsData
from jupyterlab_warden.kernel.guard.installs.gate import read_requests
from jupyterlab_warden.kernel.guard.installs.own_python import OWN

DATA = DepsData()
RULES = catalog.Rules()
EVIL = "https://evil.example/simple"


def _decided(command, project: Path, **env_words):
    """(rules that fire, whether it runs, the sources named, the package names)."""
    home = project / "home"
    home.mkdir(exist_ok=True)
    env = {"HOME": str(home), "PIP_CONFIG_FILE": os.devnull, "XDG_CONFIG_DIRS": str(home / "x")}
    env.update(GUARDED_ENV)  # what every guarded Python keeps in its environment (uv_cache)
    env.update(env_words)
    rules, runs, urls, names = set(), True, set(), set()
    for request in read_requests(None, command, env, str(project)):
        urls |= {s.url for s in request.sources}
        names |= set(request.names())
        for finding in decide.decide(request, POLICY, DATA):
            action = RULES.action_for(finding.rule_id, POLICY)
            rules.add(finding.rule_id)
            runs = runs and action not in ("block", "confirm")
    return sorted(rules), runs, urls, names


def _write(root: Path, files: dict) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


# -- F18: uv's own config files ---------------------------------------------------------------

UV_LAYOUTS = {
    "project uv.toml": ({"uv.toml": f'index-url = "{EVIL}"\n'}, {}),
    "uv.toml in a parent folder": ({"../uv.toml": f'extra-index-url = ["{EVIL}"]\n'}, {}),
    "pyproject [tool.uv] index-url": (
        {"pyproject.toml": f'[project]\nname = "p"\n[tool.uv]\nindex-url = "{EVIL}"\n'},
        {},
    ),
    "pyproject [[tool.uv.index]]": (
        {"pyproject.toml": f'[[tool.uv.index]]\nname = "x"\nurl = "{EVIL}"\n'},
        {},
    ),
    "uv.toml [pip] section": ({"uv.toml": f'[pip]\nfind-links = ["{EVIL}"]\n'}, {}),
    "user ~/.config/uv/uv.toml": ({"home/.config/uv/uv.toml": f'index-url = "{EVIL}"\n'}, {}),
    "XDG_CONFIG_HOME": ({"xdg/uv/uv.toml": f'index-url = "{EVIL}"\n'}, {"XDG_CONFIG_HOME": "xdg"}),
    "system XDG_CONFIG_DIRS": (
        {"sys/uv/uv.toml": f'index-url = "{EVIL}"\n'},
        {"XDG_CONFIG_DIRS": "sys"},
    ),
    "UV_CONFIG_FILE": (
        {"conf/any.toml": f'index-url = "{EVIL}"\n'},
        {"UV_CONFIG_FILE": "conf/any.toml"},
    ),
}


@pytest.mark.parametrize("layout", list(UV_LAYOUTS))
@pytest.mark.parametrize("command", ["uv pip install numpy", "uv add numpy", "uvx black"])
def test_an_index_in_any_uv_config_file_is_decided(tmp_path, layout, command):
    project = tmp_path / "repo"
    project.mkdir()
    files, env = UV_LAYOUTS[layout]
    _write(project, files)
    env = {k: str(project / v) for k, v in env.items()}
    rules, runs, urls, _ = _decided(command, project, **env)
    assert EVIL in urls and rules == ["install-index-not-allowed"] and not runs


def test_no_config_stops_discovery_but_not_a_named_file(tmp_path):
    _write(tmp_path, {"uv.toml": f'index-url = "{EVIL}"\n', "ok.toml": "native-tls = true\n"})
    assert _decided("uv --no-config pip install numpy", tmp_path)[:2] == ([], True)
    assert _decided("uv pip install numpy", tmp_path, UV_NO_CONFIG="1")[:2] == ([], True)
    assert not _decided("uv --no-config --config-file ok.toml pip install numpy", tmp_path)[0]
    _write(tmp_path, {"ok.toml": f'index-url = "{EVIL}"\n'})
    rules = _decided("uv pip install --no-config --config-file=ok.toml numpy", tmp_path)[0]
    assert rules == ["install-index-not-allowed"]


@pytest.mark.parametrize(
    "files",
    [
        {"uv.toml": 'index-url = "https://evil.example/simple\n'},  # not TOML
        {"pyproject.toml": "[tool.uv]\nindex-url = [\n"},
        {"uv.toml": "index-url = 3\n"},
    ],
)
def test_a_uv_config_file_warden_cannot_read_refuses_the_install(tmp_path, files):
    _write(tmp_path, files)
    rules, runs, urls, _ = _decided("uv pip install numpy", tmp_path)
    assert "install-unreadable" in rules and not runs


def test_without_tomllib_pips_own_tomli_reads_the_files(tmp_path, monkeypatch):
    """Python 3.8-3.10 kernels have no tomllib: pip's vendored tomli (the same parser) reads
    uv config and local projects, so `pip install -e .` is decided, not refused."""
    _write(tmp_path, {"uv.toml": f'index-url = "{EVIL}"\n'})
    # the version as the guard installed decides, never an ImportError (red team 48a R48a-4)
    monkeypatch.setattr(OWN, "version", (3, 10))
    monkeypatch.setitem(sys.modules, "tomllib", None)  # and there is none to import
    rules, runs, _, _ = _decided("uv pip install numpy", tmp_path)
    assert rules == ["install-index-not-allowed"] and not runs
    (tmp_path / "uv.toml").unlink()
    _write(tmp_path, {"pyproject.toml": '[project]\nname = "x"\ndependencies = ["torcj"]\n'})
    assert _decided("pip install -e .", tmp_path)[:2] == (["install-imitation-name"], False)


def test_without_a_toml_reader_uv_config_is_unreadable_never_pypi(tmp_path, monkeypatch):
    """No tomllib and no pip to borrow tomli from: the install is refused, not decided as
    PyPI."""
    _write(tmp_path, {"uv.toml": f'index-url = "{EVIL}"\n'})
    monkeypatch.setattr(OWN, "version", (3, 10))  # a Python without tomllib
    monkeypatch.setitem(sys.modules, "pip._vendor", None)  # and pip's tomli raises ImportError
    rules, runs, _, _ = _decided("uv pip install numpy", tmp_path)
    assert rules == ["install-unreadable"] and not runs
    (tmp_path / "uv.toml").unlink()
    _write(tmp_path, {"pyproject.toml": '[project]\nname = "no-uv-here"\n'})
    assert _decided("uv pip install numpy", tmp_path)[:2] == ([], True)  # nothing of uv in it


def test_a_cloned_repo_uv_toml_stops_a_real_uv_process(guarded, tmp_path):
    """`!uv pip install numpy` in a repository whose uv.toml names another index: without
    Warden the (stand-in) uv runs; with Warden it is refused before it starts, with an event."""
    marker = tmp_path / "uv-ran"
    fake = tmp_path / "bin" / "uv"
    fake.parent.mkdir()
    fake.write_text(f"#!/bin/sh\ntouch {marker}\n")
    fake.chmod(0o755)
    (tmp_path / "uv.toml").write_text(f'index-url = "{EVIL}"\n')
    command = f"{fake} pip install numpy"
    assert guarded(POLICY, command, guarded=False)["exit"] == 0 and marker.exists()
    marker.unlink()
    result = guarded(POLICY, command)
    assert result["type"] == "WardenBlockedInstall" and "evil.example" in result["refused"]
    assert not marker.exists()
    events = guarded.events()
    assert [e["action"] for e in events if e["rule_id"] == "install-index-not-allowed"] == [
        "blocked"
    ]
    assert "evil.example" in json.dumps(events)


def test_uv_directory_to_a_cloned_repo_stops_a_real_uv_process(guarded, tmp_path):
    """Red team 4 F2: `!uv pip install numpy --directory repo`, repo/uv.toml naming another
    index. Warden does not follow uv to another folder: the install is refused, never decided
    on the caller's (clean) folder."""
    marker = tmp_path / "uv-ran"
    fake = tmp_path / "bin" / "uv"
    fake.parent.mkdir()
    fake.write_text(f"#!/bin/sh\ntouch {marker}\n")
    fake.chmod(0o755)
    _write(tmp_path, {"repo/uv.toml": f'index-url = "{EVIL}"\n'})
    command = f"{fake} pip install numpy --directory repo"
    assert guarded(POLICY, command, guarded=False)["exit"] == 0 and marker.exists()
    marker.unlink()
    result = guarded(POLICY, command)
    assert result["type"] == "WardenBlockedInstall" and "--directory" in result["refused"]
    assert not marker.exists()
    assert "install-unreadable" in {e["rule_id"] for e in guarded.events()}


# -- F18: .condarc everywhere conda looks, flow lists ----------------------------------------

CONDARCS = {
    "flow list in ~/.condarc": ("home/.condarc", "channels: [conda-forge, '{u}']\n", {}),
    "~/.conda/.condarc": ("home/.conda/.condarc", "channels:\n- {u}\n", {}),
    "condarc.d folder": ("home/.conda/condarc.d/extra.yml", "channels:\n  - {u}\n", {}),
    "CONDA_ROOT": ("root/condarc", "default_channels: [{u}]\n", {"CONDA_ROOT": "root"}),
    "CONDARC file": ("x/rc.yml", "channel_alias: {u}\n", {"CONDARC": "x/rc.yml"}),
    "custom_channels redirect a trusted name": (
        "home/.condarc",
        "custom_channels:\n  conda-forge: {u}\n",
        {},
    ),
    "flow map": ("home/.condarc", "custom_channels: {{pytorch: {u}}}\n", {}),
    # red7 R7-19: package specs conda adds to installs carry their channel or URL
    "create_default_packages": ("home/.condarc", "create_default_packages:\n  - {u}::six\n", {}),
    "pinned_packages bracket": ("home/.condarc", "pinned_packages: ['numpy[channel={u}]']\n", {}),
    "aggressive_update_packages URL": (
        "home/.condarc",
        "aggressive_update_packages:\n  - {u}/linux-64/openssl-3-0.conda\n",
        {},
    ),
}


@pytest.mark.parametrize("case", list(CONDARCS))
def test_conda_channels_in_every_condarc_location_are_decided(tmp_path, case):
    name, text, env = CONDARCS[case]
    url = "https://evil.example/conda"
    _write(tmp_path, {name: text.format(u=url)})
    env = {k: str(tmp_path / v) for k, v in env.items()}
    rules, runs, urls, _ = _decided("conda install numpy", tmp_path, **env)
    assert any(u.startswith(url) for u in urls), urls
    assert rules == ["install-index-not-allowed"] and not runs


def test_condarc_use_local_is_the_local_channel(tmp_path):
    """red7 R7-19: `use_local: true` adds conda-build's local channel to every install."""
    _write(tmp_path, {"home/.condarc": "use_local: true\n"})
    rules, runs, urls, _ = _decided("conda install numpy", tmp_path)
    assert "local" in urls and rules == ["install-index-not-allowed"] and not runs
    _write(tmp_path, {"home/.condarc": "use_local: false\n"})
    assert _decided("conda install numpy", tmp_path)[0] == []


@pytest.mark.parametrize(
    "text",
    ["channels: &c [a]\n", "channels: [a, [b]]\n", "channels:\n  - !!str evil\n", "channels: *x\n"],
)
def test_condarc_yaml_beyond_the_reader_is_refused(tmp_path, text):
    _write(tmp_path, {"home/.condarc": text})
    rules, runs, _, _ = _decided("conda install numpy", tmp_path)
    assert "install-unreadable" in rules and not runs


@pytest.mark.parametrize(
    "variable",
    [
        "CONDA_CHANNEL_ALIAS",
        "CONDA_DEFAULT_CHANNELS",
        "MAMBA_CUSTOM_CHANNELS",
        "CONDA_PINNED_PACKAGES",
        "CONDA_CREATE_DEFAULT_PACKAGES",
        "MAMBA_USE_LOCAL",
    ],
)
def test_conda_channel_redirects_in_the_environment_are_refused(tmp_path, variable):
    # red team 2026-11-30 (F7): a channel alias or `defaults` list set in the environment
    # points `conda-forge`/`defaults` at another server; Warden does not read it, so it refuses
    rules, runs, _, _ = _decided(
        "conda install -c conda-forge numpy", tmp_path, **{variable: "https://evil.example/conda"}
    )
    assert "install-unreadable" in rules and not runs
    clean_rules, _, _, _ = _decided("conda install -c conda-forge numpy", tmp_path)
    assert "install-unreadable" not in clean_rules


# -- F12: uv sync, uv run (project and PEP 723 scripts) --------------------------------------

PROJECT = """[project]
name = "demo"
dependencies = ["numpy>=1.26"]
[project.optional-dependencies]
nlp = ["tranformers==4.0"]
[dependency-groups]
dev = ["pytest", {include-group = "lint"}]
lint = ["aiohtt==3.8"]
"""
SCRIPT = """# /// script
# requires-python = ">=3.11"
# dependencies = ["scikit-lean", "numpy"]
# [tool.uv]
# extra-index-url = ["https://evil.example/simple"]
# ///
import numpy
"""


def test_uv_sync_reads_the_project_dependencies_extras_and_groups(tmp_path):
    _write(tmp_path, {"pyproject.toml": PROJECT})
    (tmp_path / "src").mkdir()
    rules, runs, _, names = _decided("uv sync --all-extras", tmp_path / "src")  # a subfolder
    assert {"numpy", "tranformers", "pytest", "aiohtt"} <= names
    assert {"install-known-malicious", "install-imitation-name"} <= set(rules) and not runs


def test_uv_sync_follows_the_lock_file_sources(tmp_path):
    lock = (
        'version = 1\n[[package]]\nname = "numpy"\nversion = "2.0"\n'
        f'source = {{ registry = "{EVIL}" }}\n'
        '[[package]]\nname = "demo"\nversion = "0.1"\nsource = { editable = "." }\n'
    )
    _write(tmp_path, {"pyproject.toml": '[project]\nname = "demo"\n', "uv.lock": lock})
    rules, runs, urls, names = _decided("uv sync --frozen", tmp_path)
    assert EVIL in urls and "numpy" in names and "demo" not in names and not runs


def test_uv_sync_decides_the_projects_own_indexes_even_without_config(tmp_path):
    text = PROJECT + f'[[tool.uv.index]]\nname = "m"\nurl = "{EVIL}"\ndefault = true\n'
    _write(tmp_path, {"pyproject.toml": text})
    for command in ("uv sync", "uv --no-config sync"):
        rules, runs, urls, _ = _decided(command, tmp_path)
        assert EVIL in urls and "install-index-not-allowed" in rules and not runs


def test_a_large_lock_file_is_read_not_refused(tmp_path):
    """A big ML project's uv.lock (every wheel's hash) passes 1 MB: it is still read."""
    lock = 'version = 1\n[[package]]\nname = "torcj"\nversion = "1.0"\n'
    lock += 'source = { registry = "https://pypi.org/simple" }\n' + "#" * (2 << 20)
    _write(tmp_path, {"pyproject.toml": '[project]\nname = "demo"\n', "uv.lock": lock + "\n"})
    rules, runs, _, names = _decided("uv sync", tmp_path)
    assert names == {"torcj"} and rules == ["install-imitation-name"] and not runs


def test_uv_sync_without_a_project_or_readable_pyproject_is_unreadable(tmp_path):
    assert _decided("uv sync", tmp_path)[:2] == (["install-unreadable"], False)
    _write(tmp_path, {"pyproject.toml": "[project\n"})
    assert _decided("uv sync", tmp_path)[:2] == (["install-unreadable"], False)


@pytest.mark.parametrize(
    "command", ["uv run fit.py", "uv run --script fit.py", "uv sync --script fit.py"]
)
def test_uv_run_reads_a_scripts_inline_metadata(tmp_path, command):
    _write(tmp_path, {"fit.py": SCRIPT, "pyproject.toml": PROJECT})
    rules, runs, urls, names = _decided(command, tmp_path)
    assert "scikit-lean" in names and EVIL in urls and not runs
    assert "aiohtt" not in names  # a script with metadata runs apart from the project
    assert {"install-imitation-name", "install-index-not-allowed"} <= set(rules)


def test_uv_run_in_a_project_syncs_it_unless_told_not_to(tmp_path):
    _write(tmp_path, {"pyproject.toml": PROJECT, "plain.py": "print(1)\n"})
    assert "aiohtt" in _decided("uv run plain.py", tmp_path)[3]
    assert "aiohtt" in _decided("uv run python -c 1", tmp_path)[3]
    assert _decided("uv run --no-project plain.py", tmp_path)[:2] == ([], True)
    assert _decided("uv run --with torcj --no-sync plain.py", tmp_path)[3] == {"torcj"}


def test_an_unreadable_inline_block_is_refused(tmp_path):
    _write(tmp_path, {"fit.py": "# /// script\n# dependencies = [\n# ///\n"})
    assert _decided("uv run fit.py", tmp_path)[:2] == (["install-unreadable"], False)


# -- F19: pip install --group -----------------------------------------------------------------


def test_pip_group_reads_the_dependency_group_and_its_includes(tmp_path):
    _write(tmp_path, {"pyproject.toml": PROJECT, "sub/pyproject.toml": PROJECT})
    rules, runs, _, names = _decided("pip install --group dev", tmp_path)
    assert names == {"pytest", "aiohtt"} and rules == ["install-known-malicious"] and not runs
    assert _decided("pip install --group sub/pyproject.toml:lint", tmp_path)[3] == {"aiohtt"}
    assert _decided("pip install --group nope", tmp_path)[:2] == (["install-unreadable"], False)


# -- F7: front ends ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "command, names, rules",
    [
        ("conda run pip install aiohtt", {"aiohtt"}, ["install-known-malicious"]),
        ("mamba run -n other python -m pip install torcj", {"torcj"}, ["install-imitation-name"]),
        ("pipx install torcj", {"torcj"}, ["install-imitation-name"]),
        ("pipx run --spec aiohtt tool", {"aiohtt"}, ["install-known-malicious"]),
        ("pipx install black --pip-args='-i https://evil.example/simple'", {"black"},
         ["install-index-not-allowed"]),
        ("poetry add numpy", {"numpy"}, ["install-unreadable"]),
        ("pdm add tranformers", {"tranformers"}, ["install-imitation-name", "install-unreadable"]),
        ("pipenv install", set(), ["install-unreadable"]),
        ("hatch run pip install torcj", {"torcj"},
         ["install-imitation-name", "install-unreadable"]),
        ("poetry run pip install torcj", {"torcj"}, ["install-imitation-name"]),
        ("micromamba run --bogus x pip install numpy", set(), ["install-unreadable"]),
    ],
)  # fmt: skip
def test_front_ends_are_decided(tmp_path, command, names, rules):
    got_rules, runs, _, got_names = _decided(command, tmp_path)
    assert got_names == names and got_rules == rules and not runs


def test_front_end_commands_that_install_nothing_pass(tmp_path):
    for command in ("poetry show", "pipenv run python x.py", "conda run -n x python t.py"):
        assert _decided(command, tmp_path)[:2] == ([], True)


def _problems(command, tmp_path, **env_words):
    env = {"HOME": str(tmp_path), "PIP_CONFIG_FILE": os.devnull, **env_words}
    return [p for r in read_requests(None, command, env, str(tmp_path)) for p in r.problems]


def test_front_ends_are_denied_by_default_with_a_reason(tmp_path):
    """issue 20: an unknown front-end command is refused naming the front end, the command and
    what to do; a redirecting variable is named, never its value."""
    assert _problems("hatch python install 3.12", tmp_path) == [
        "`hatch python install` is not a hatch command Warden knows to install nothing, and "
        "Warden does not read what it may resolve, build or install; install with %pip or uv "
        "(commands Warden reads), or ask your admin"
    ]
    assert _problems("hatch python show", tmp_path) == []
    [text] = _problems("pipx install black", tmp_path, PIPX_DEFAULT_PYTHON="/opt/secret-place/py")
    assert "PIPX_DEFAULT_PYTHON" in text and "secret-place" not in text
    assert _problems("pipx install black", tmp_path) == []


# -- issue 20 (red team 4, F2/F4): uv commands are denied by default --------------------------


@pytest.mark.parametrize(
    "command",
    ["uv --version", "uv -V", "uv help sync", "uv cache clean", "uv pip list", "uv pip freeze",
     "uv tool list", "uv python list", "uv venv .venv", "uv version --short", "uv"],
)  # fmt: skip
def test_harmless_uv_commands_are_not_installs(tmp_path, command):
    assert read_requests(None, command, {"HOME": str(tmp_path)}, str(tmp_path)) == []


@pytest.mark.parametrize(
    "command",
    ["uv build", "uv venv --seed", "uv python install 3.12", "uv tool upgrade ruff",
     "uv self update", "uv version --bump minor", "uv pip download x", "uv frobnicate",
     "uv run --project ../evil python -c 1", "uv -q pip install --directory=evil six"],
)  # fmt: skip
def test_other_uv_commands_and_moved_projects_are_refused_as_unreadable(tmp_path, command):
    assert _decided(command, tmp_path)[:2] == (["install-unreadable"], False)


def test_an_unknown_front_end_command_is_refused_before_it_starts(guarded, tmp_path):
    """issue 20, real processes: a stand-in `poetry` whose payload writes a marker. Without
    Warden `poetry publish` runs it; with Warden it is refused before it starts, with an event,
    while `poetry show` (known to install nothing) still runs."""
    marker = tmp_path / "ran.txt"
    poetry = tmp_path / "bin" / "poetry"
    poetry.parent.mkdir()
    poetry.write_text(f'#!/bin/sh\necho "$@" >> {marker}\n')
    poetry.chmod(0o755)
    unguarded = guarded(POLICY, [str(poetry), "publish"], guarded=False)
    assert unguarded["exit"] == 0 and marker.read_text() == "publish\n"  # the payload runs
    marker.unlink()
    refused = guarded(POLICY, [str(poetry), "publish"])
    assert refused["type"] == "WardenBlockedInstall", refused
    assert "`poetry publish` is not a poetry command Warden knows" in refused["refused"]
    assert not marker.exists(), "the front end started"
    events = guarded.events()
    assert [e["action"] for e in events if e["rule_id"] == "install-unreadable"] == ["blocked"]
    shown = guarded(POLICY, [str(poetry), "show"])
    assert shown["refused"] is None and marker.read_text() == "show\n"


# -- issue 20: pixi, rye and pip-tools are front ends, denied by default ----------------------


@pytest.mark.parametrize(
    "program", ["pixi", "/home/u/.pixi/bin/pixi", "rye", "pip-compile", "/opt/bin/pip-sync"]
)
def test_new_front_ends_pass_the_cheap_prefilter(program):
    """The prefilter every process start pays must let them through to the full reading."""
    from jupyterlab_warden.kernel.guard.installs import fastpath

    assert fastpath.may_install(program)


def test_new_front_ends_are_refused_naming_the_tool_and_the_command(tmp_path):
    advice = "install with %pip or uv (commands Warden reads), or ask your admin"
    assert _problems("pixi upload x.conda", tmp_path) == [
        "`pixi upload` is not a pixi command Warden knows to install nothing, and Warden does "
        f"not read what it may resolve, build or install; {advice}"
    ]
    assert _problems("pip-compile requirements.in", tmp_path) == [
        "`pip-compile` resolves, downloads and builds packages (an sdist's setup.py runs) to "
        f"compile its requirements, which Warden does not read; {advice}"
    ]
    assert _problems("python -m piptools sync r.txt", tmp_path) == [
        "`pip-sync` installs and uninstalls packages with pip, which Warden does not read; "
        + advice
    ]
    [text] = _problems("rye sync", tmp_path)
    assert text.startswith("rye installs from its own project files")
    for command in ("pixi info", "pixi search numpy", "rye show", "rye version", "pip-sync -h"):
        assert _problems(command, tmp_path) == [], command


@pytest.mark.parametrize(
    "tool, refused_args, shown_args",
    [("pixi", ["add", "numpy"], ["info"]), ("rye", ["sync"], ["show"]),
     ("pip-compile", ["requirements.in"], ["--version"])],
)  # fmt: skip
def test_new_front_ends_are_refused_before_they_start(
    guarded, tmp_path, tool, refused_args, shown_args
):
    """issue 20, real processes: a stand-in for the tool whose payload writes a marker.
    Without Warden the install command runs it; with Warden it is refused before it starts,
    with an event, while a command known to install nothing still runs."""
    marker = tmp_path / "ran.txt"
    program = tmp_path / "bin" / tool
    program.parent.mkdir()
    program.write_text(f'#!/bin/sh\necho "$@" >> {marker}\n')
    program.chmod(0o755)
    unguarded = guarded(POLICY, [str(program), *refused_args], guarded=False)
    assert unguarded["exit"] == 0 and marker.read_text() == " ".join(refused_args) + "\n"
    marker.unlink()
    refused = guarded(POLICY, [str(program), *refused_args])
    assert refused["type"] == "WardenBlockedInstall", refused
    assert f"`{tool}" in refused["refused"]
    assert not marker.exists(), "the front end started"
    events = guarded.events()
    assert [e["action"] for e in events if e["rule_id"] == "install-unreadable"] == ["blocked"]
    shown = guarded(POLICY, [str(program), *shown_args])
    assert shown["refused"] is None and marker.read_text() == " ".join(shown_args) + "\n"


def test_a_project_override_read_by_project_and_uv_config_is_decided_once(tmp_path):
    # `uv sync` reads [tool.uv] as the project's and as uv's config: one finding, not three
    url = "http://127.0.0.1:8766/files/black-99.0-py3-none-any.whl"
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\nversion = "0"\ndependencies = ["black"]\n'
        f'[tool.uv]\noverride-dependencies = ["black @ {url}"]\n'
    )
    env = {"HOME": str(tmp_path), "PIP_CONFIG_FILE": os.devnull}
    (request,) = read_requests(None, "uv sync", env, str(tmp_path))
    assert [r.text for r in request.requirements] == ["black", f"black @ {url}"]


LOCAL_SOURCES = (
    '[project]\nname = "demo"\nversion = "0.1"\ndependencies = ["black"]\n\n'
    '[tool.uv.sources]\nblack = { url = "https://evil.example/black-99.0-py3-none-any.whl" }\n'
)


@pytest.mark.parametrize(
    "command",
    [
        "uv pip install 'demo @ file://{proj}'",
        "uv pip install 'file://{proj}'",
        "uv pip install 'file://localhost{proj}'",
        "uv tool install 'demo @ file://{proj}'",
        "uv pip install -c c.txt numpy",  # c.txt: `demo @ file://...`
    ],
)
def test_a_local_folder_by_absolute_path_or_file_url_is_read_as_a_project(tmp_path, command):
    """red7 R7-8: absolute paths and file: URLs (the vectors' files live in a folder they cannot
    name) reach the same project reading as `./proj`."""
    proj = tmp_path / "proj"
    _write(tmp_path, {"proj/pyproject.toml": LOCAL_SOURCES, "c.txt": f"demo @ file://{proj}\n"})
    rules, runs, _, _ = _decided(command.format(proj=proj), tmp_path)
    assert rules == ["install-direct-reference"] and not runs


def test_name_at_a_local_file_url_is_a_path_not_a_download(tmp_path):
    """`name @ file:///folder` installs that folder: decided as its name and its project (it
    was refused as a direct URL, a false refusal of a local install)."""
    _write(tmp_path, {"clean/pyproject.toml": '[project]\nname = "clean"\nversion = "0.1"\n'})
    command = f"pip install 'clean @ file://{tmp_path / 'clean'}'"
    assert _decided(command, tmp_path)[:2] == ([], True)
    command = f"pip install 'torcj @ file://{tmp_path / 'clean'}'"
    assert _decided(command, tmp_path)[:2] == (["install-imitation-name"], False)


def test_uv_sync_in_a_workspace_member_reads_the_workspace_root_and_its_lock(tmp_path):
    """red team F6: in a member folder uv locks and syncs the whole workspace from its root
    (the root's dependencies, every member, the root's uv.lock): all of it is decided."""
    root = (
        '[project]\nname = "root"\nversion = "0.1"\n\n[tool.uv.workspace]\nmembers = ["a", "b"]\n'
    )
    member = '[project]\nname = "{}"\nversion = "0.1"\ndependencies = ["{}"]\n'
    lock = 'version = 1\n[[package]]\nname = "six"\nversion = "1"\n'
    lock += 'source = {{ registry = "https://pypi.org/simple" }}\nwheels = [{{ url = "{}" }}]\n'
    files = {
        "pyproject.toml": root,
        "a/pyproject.toml": member.format("a", "numpy"),
        "b/pyproject.toml": member.format("b", "tranformers"),
        "uv.lock": lock.format("https://files.pythonhosted.org/packages/six-1-py3-none-any.whl"),
    }
    _write(tmp_path, files)
    rules, runs, _, names = _decided("uv sync", tmp_path / "a")
    assert {"numpy", "tranformers", "six"} <= names
    assert rules == ["install-imitation-name"] and not runs
    _write(tmp_path, {"b/pyproject.toml": member.format("b", "requests")})
    assert _decided("uv sync", tmp_path / "a")[:2] == ([], True)
    _write(tmp_path, {"uv.lock": lock.format("https://evil.example/six-1-py3-none-any.whl")})
    assert _decided("uv run python -c 1", tmp_path / "a")[:2] == (
        ["install-direct-reference"],
        False,
    )


def test_a_chain_of_path_sources_longer_than_the_cap_is_unreadable(tmp_path):
    """Each folder's path source names the next: read up to MAX_PROJECTS folders, then
    refused (never a silent stop that would leave the rest unread)."""
    from jupyterlab_warden.kernel.guard.installs.local_projects import MAX_PROJECTS

    project = '[project]\nname = "p{0}"\nversion = "0"\ndependencies = ["p{1}"]\n\n'
    project += '[tool.uv.sources]\np{1} = {{ path = "../p{1}" }}\n'
    files = {f"p{i}/pyproject.toml": project.format(i, i + 1) for i in range(MAX_PROJECTS)}
    _write(tmp_path, files)
    assert "install-unreadable" not in _decided("uv pip install ./p1", tmp_path)[0]
    _write(tmp_path, {f"p{MAX_PROJECTS}/pyproject.toml": project.format(MAX_PROJECTS, "x")})
    rules, runs, _, _ = _decided("uv pip install ./p0", tmp_path)
    assert "install-unreadable" in rules and not runs


# -- red8 R8-7: conda expands $VAR in channel keys, libmamba in the whole file -----------------


@pytest.mark.parametrize(
    "command,text",
    [
        (
            "conda install numpy",
            "channels:\n  - https://$EVILHOST@conda.anaconda.org/conda-forge\n",
        ),
        ("conda install numpy", "channel_alias: https://$H\n"),
        ("conda install numpy", "custom_channels:\n  conda-forge: https://$H/x\n"),
        ("conda install numpy", "channels: [conda-forge, '$C']\n"),
        # libmamba expands the whole text before parsing: a variable may become a new key
        ("micromamba install numpy", "envs_dirs: [x]\n# $INJECT\nchannels: [conda-forge]\n"),
        ("mamba install numpy", "channels: [conda-forge]\nroot: '%INJECT%'\n"),
    ],
)
def test_condarc_with_a_variable_conda_expands_is_refused(tmp_path, command, text):
    _write(tmp_path, {"home/.condarc": text})
    rules, runs, _, _ = _decided(command, tmp_path, EVILHOST="evil.example/", H="evil.example")
    assert "install-unreadable" in rules and not runs


def test_condarc_without_variables_stays_allowed_and_conda_keeps_other_dollars(tmp_path):
    _write(tmp_path, {"home/.condarc": "channels: [conda-forge]\nenvs_dirs: [$HOME/envs]\n"})
    assert _decided("conda install numpy", tmp_path)[:2] == ([], True)
    _write(tmp_path, {"home/.condarc": "channels: [conda-forge]\n"})
    assert _decided("micromamba install numpy", tmp_path)[:2] == ([], True)


# -- red8 R8-8: micromamba / mamba 2 read libmamba's config files ------------------------------

MAMBARCS = {
    "target prefix -p": ("env/.condarc", "micromamba install -p ./env -y numpy", {}),
    "target prefix .mambarc": ("env/.mambarc", "micromamba install --prefix=env numpy", {}),
    "target prefix condarc.d": ("env/condarc.d/x.yml", "mamba install -p env numpy", {}),
    "-n NAME under MAMBA_ROOT_PREFIX": (
        "root/envs/x/condarc",
        "micromamba install -n x numpy",
        {"MAMBA_ROOT_PREFIX": "root"},
    ),
    "MAMBA_ROOT_PREFIX": (
        "root/.mambarc",
        "micromamba install numpy",
        {"MAMBA_ROOT_PREFIX": "root"},
    ),
    "-r ROOT before the command": ("r2/.condarc", "micromamba -r r2 install numpy", {}),
    "-r ROOT after the command": ("r2/.mambarc", "micromamba install -r r2 numpy", {}),
    "~/.config/mamba/.mambarc": ("home/.config/mamba/.mambarc", "micromamba install numpy", {}),
    "~/.mamba/mambarc": ("home/.mamba/mambarc", "mamba install numpy", {}),
    "~/.mamba/mambarc.d": ("home/.mamba/mambarc.d/a.yaml", "micromamba install numpy", {}),
    "~/micromamba default root": ("home/micromamba/.mambarc", "micromamba install numpy", {}),
}


@pytest.mark.parametrize("case", list(MAMBARCS))
def test_libmamba_config_files_are_decided(tmp_path, case):
    name, command, env = MAMBARCS[case]
    url = "http://127.0.0.1:8766/evilchan"
    _write(tmp_path, {name: f"channels:\n  - {url}\n"})
    env = {k: str(tmp_path / v) for k, v in env.items()}
    rules, runs, urls, _ = _decided(command, tmp_path, **env)
    assert url in urls, urls
    assert rules == ["install-index-not-allowed"] and not runs


def test_libmamba_rc_file_is_refused_and_plain_prefixes_stay_allowed(tmp_path):
    _write(
        tmp_path,
        {"rc.yml": "channels: [conda-forge]\n", "env/.condarc": "channels: [conda-forge]\n"},
    )
    for command in (
        "micromamba --rc-file rc.yml install numpy",
        "micromamba install --rc-file rc.yml numpy",
    ):
        rules, runs, _, _ = _decided(command, tmp_path)
        assert "install-unreadable" in rules and not runs, command
    assert _decided("micromamba install -p env -c conda-forge numpy", tmp_path)[:2] == ([], True)
    assert _decided("micromamba install -r env -n x numpy", tmp_path)[:2] == ([], True)


def test_libmamba_env_name_with_envs_dirs_configured_is_refused(tmp_path):
    """R8-8: `-n NAME` is a folder under `envs_dirs`, whose config files mamba reads."""
    _write(tmp_path, {"home/.condarc": "envs_dirs:\n  - /tmp/elsewhere\n"})
    rules, runs, _, _ = _decided("micromamba install -n x numpy", tmp_path)
    assert "install-unreadable" in rules and not runs
    assert _decided("micromamba install -p env numpy", tmp_path)[:2] == ([], True)
