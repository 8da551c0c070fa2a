"""Red team 11 R11-2: uv (and pyenv) search the folders above the one they run in from the
PHYSICAL folder ``getcwd()`` returns, links resolved. Warden walked up the path as written, so
``Popen(uv pip install ..., cwd="link")`` or ``cd link && uv pip install ...``, link to far/sub
and far/uv.toml naming a refused index, installed from that index. Every upward search now
starts from ``folders.child_folder`` (installs/folders.py)."""

import os
import pathlib
import subprocess
from pathlib import Path

import pytest
from install_env import GUARDED_ENV
from real_uv import real_uv
from test_install_config_files import EVIL, _decided
from test_install_gate import POLICY, _policy

from jupyterlab_warden.kernel.guard import catalog
from jupyterlab_warden.kernel.guard.frozen_builtins import note_pathlib
from jupyterlab_warden.kernel.guard.installs import commands, decide, folders, guardless
from jupyterlab_warden.kernel.guard.installs.data import DepsData
from jupyterlab_warden.kernel.guard.installs.gate import (
    InstallGate,
    WardenBlockedInstall,
    read_requests,
)
from jupyterlab_warden.kernel.guard.state import GuardState

UV = real_uv()
DATA = DepsData()
RULES = catalog.Rules()
EVIL_TOML = f'index-url = "{EVIL}"\n'


def _linked(tmp_path: Path, files: dict, target: str = "far/sub", link: str = "work/link"):
    """``link`` → ``target`` under tmp_path, with ``files`` written (paths from tmp_path);
    returns the folder the kernel runs in (work)."""
    (tmp_path / target).mkdir(parents=True, exist_ok=True)
    (tmp_path / link).parent.mkdir(parents=True, exist_ok=True)
    os.symlink(tmp_path / target, tmp_path / link)
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    home = tmp_path / "work" / "home"
    home.mkdir(exist_ok=True)
    return tmp_path / "work"


def _argv_decided(argv, cwd, kernel_folder: Path):
    """(rules, whether it runs, sources) of ``argv`` started with Popen's ``cwd``."""
    env = {
        "HOME": str(kernel_folder / "home"),
        "PIP_CONFIG_FILE": os.devnull,
        "XDG_CONFIG_DIRS": str(kernel_folder / "home" / "x"),
        **GUARDED_ENV,
    }
    rules, runs, urls = set(), True, set()
    start = cwd if os.path.isabs(cwd) else os.path.join(kernel_folder, cwd)
    for request in read_requests(argv, None, env, start):
        urls |= {s.url for s in request.sources}
        for finding in decide.decide(request, POLICY, DATA):
            rules.add(finding.rule_id)
            runs = runs and RULES.action_for(finding.rule_id, POLICY) not in ("block", "confirm")
    return sorted(rules), runs, urls


# -- the proof: a real uv installs from the refused index without the fix, not with it ------


@pytest.mark.parametrize("how", ["popen-cwd", "cd-line"])
def test_uv_config_above_a_linked_folder_stops_a_real_uv(how, guarded, index, tmp_path):
    target = tmp_path / "target"
    far = tmp_path / "far"
    (far / "sub").mkdir(parents=True)
    (far / "uv.toml").write_text(f'index-url = "{index.simple}"\n')
    os.symlink(far / "sub", tmp_path / "link")  # guarded() runs from tmp_path
    args = [UV, "pip", "install", "-q", "--no-deps", "--target", str(target), "warden-demo-pkg"]
    shell = "cd link && " + " ".join(args)
    command = {"argv": args, "cwd": "link"} if how == "popen-cwd" else shell
    # control: uv follows far/uv.toml (nothing else names an index) and installs from it
    assert guarded(POLICY, command, guarded=False)["exit"] == 0
    assert (target / "warden_demo_pkg_mod").exists() and index.requests
    subprocess.run(["rm", "-rf", str(target)], check=True)
    served = len(index.requests)
    result = guarded(POLICY, command)
    assert result["type"] == "WardenBlockedInstall"
    assert f"{far / 'uv.toml'}" in result["refused"] and index.simple in result["refused"]
    assert not target.exists() and len(index.requests) == served
    # the same index, trusted: the install is decided on far/uv.toml and runs
    assert guarded(_policy(index), command)["refused"] is None
    assert (target / "warden_demo_pkg_mod").exists()


# -- the variants, decided ----------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "cd link && uv pip install numpy",
        "cd ./link/ && uv pip install numpy",
        "cd mid/link/deep && uv pip install numpy",  # a link in the middle of the path
        "cd link && uv add numpy",
        "cd link && uvx black",
    ],
)
def test_a_line_cd_into_a_link_reads_the_config_above_its_target(line, tmp_path):
    work = _linked(tmp_path, {"far/uv.toml": EVIL_TOML, "far/sub/deep/.keep": ""})
    os.symlink(tmp_path / "far" / "sub", tmp_path / "mid-target")
    (work / "mid").mkdir()
    os.symlink(tmp_path / "far" / "sub", work / "mid" / "link")
    rules, runs, urls, _ = _decided(line, work)
    assert EVIL in urls and not runs, rules


@pytest.mark.parametrize(
    "cwd",
    ["link", "link/", "./link", "link/../sub", "mid/link/deep"],
)
def test_a_popen_cwd_through_a_link_reads_the_config_above_its_target(cwd, tmp_path):
    work = _linked(tmp_path, {"far/uv.toml": EVIL_TOML, "far/sub/deep/.keep": ""})
    (work / "mid").mkdir()
    os.symlink(tmp_path / "far" / "sub", work / "mid" / "link")
    rules, runs, urls = _argv_decided([UV, "pip", "install", "numpy"], cwd, work)
    assert EVIL in urls and not runs, rules


def test_popen_cwd_link_dotdot_is_the_targets_parent(tmp_path):
    """chdir("link/..") lands in the target's parent (far), not the kernel's folder: the
    text normalization Warden made ("." ) read the wrong folder's files."""
    work = _linked(tmp_path, {"far/uv.toml": EVIL_TOML})
    rules, runs, urls = _argv_decided([UV, "pip", "install", "numpy"], "link/..", work)
    assert EVIL in urls and not runs, rules


def test_a_shell_cd_link_dotdot_leaves_the_folder_unknown(tmp_path):
    """The shell's own `cd link/..` is logical (R11-1) but bash falls back to the physical
    path when the logical one fails (red team 12 R12-1): a `..` after a folder name leaves the
    folder unknown, so uv, whose config depends on it, is refused rather than read in either."""
    work = _linked(tmp_path, {"far/uv.toml": EVIL_TOML})
    assert _decided("cd link/.. && uv pip install numpy", work)[:2] == (
        ["install-unreadable"],
        False,
    )


def test_a_pyproject_tool_uv_two_folders_above_the_target(tmp_path):
    work = _linked(
        tmp_path,
        {"far/pyproject.toml": f'[project]\nname = "p"\n[tool.uv]\nindex-url = "{EVIL}"\n'},
        target="far/a/b",
    )
    for decided in (
        _decided("cd link && uv pip install numpy", work)[:3],
        _argv_decided([UV, "pip", "install", "numpy"], "link", work),
    ):
        assert EVIL in decided[2] and not decided[1]


@pytest.mark.parametrize("cwd_type", [str, os.fsencode, Path])
def test_the_gate_reads_every_cwd_type_through_the_link(cwd_type, tmp_path, monkeypatch):
    """``subprocess.run(..., cwd=Path("link"))`` and ``cwd=b"link"`` as the audit event gives
    them: refused before uv starts."""
    work = _linked(tmp_path, {"far/uv.toml": EVIL_TOML})
    # a guarded Python notes the library's pathlib classes at its boot (R38a-3); this test
    # process has no boot
    note_pathlib(pathlib, pathlib.__file__)
    monkeypatch.chdir(work)
    monkeypatch.setenv("HOME", str(work / "home"))
    gate = InstallGate(GuardState(dict(POLICY)))
    env = {"PATH": os.environ["PATH"], "HOME": str(work / "home"), "PIP_CONFIG_FILE": os.devnull}
    with pytest.raises(WardenBlockedInstall, match="far/uv.toml"):
        gate.check("subprocess.Popen", (UV, [UV, "pip", "install", "numpy"], cwd_type("link"), env))


@pytest.mark.parametrize("command", ["uv sync", "uv lock", "uv run python -V", "uv add numpy"])
def test_a_project_reached_through_a_link_is_the_targets(command, tmp_path):
    """`cd link && uv sync`: uv syncs the project above the link's TARGET (far/pyproject.toml,
    a refused index); a harmless pyproject.toml above the link's own folder is not it."""
    work = _linked(
        tmp_path,
        {
            "far/pyproject.toml": (
                '[project]\nname = "p"\ndependencies = ["numpy"]\n'
                f'[tool.uv]\nindex-url = "{EVIL}"\n'
            ),
            "pyproject.toml": '[project]\nname = "decoy"\ndependencies = ["numpy"]\n',
        },
    )
    rules, runs, urls, _ = _decided(f"cd link && {command}", work)
    assert EVIL in urls and not runs, rules
    rules, runs, urls = _argv_decided([UV, *command.split()[1:]], "link", work)
    assert EVIL in urls and not runs, rules


def test_a_workspace_root_above_a_linked_member_is_read(tmp_path):
    """`uv pip install ./link`, link → far/member, far/pyproject.toml a workspace root with a
    refused index (uv also walks the path as written: both chains are read)."""
    work = _linked(
        tmp_path,
        {
            "far/pyproject.toml": (
                f'[project]\nname = "root"\n[tool.uv.workspace]\nmembers = ["member"]\n'
                f'[tool.uv]\nindex-url = "{EVIL}"\n'
            ),
            "far/member/pyproject.toml": '[project]\nname = "member"\n',
        },
        target="far/member",
    )
    rules, runs, urls, _ = _decided("uv pip install ./link", work)
    assert EVIL in urls and not runs, rules


# -- no false refusals ----------------------------------------------------------------------


def test_ordinary_uv_installs_through_links_still_run(tmp_path):
    """A folder with no config passes `uv pip install numpy`, and so does a project reached
    through a link whose real parents hold nothing, even with an evil uv.toml on the LINK's
    side (uv reads the target's parents, not those)."""
    work = _linked(tmp_path, {"far/sub/pyproject.toml": '[project]\nname = "p"\n'})
    assert _decided("uv pip install numpy", work)[:2] == ([], True)
    (work / "uv.toml").write_text(EVIL_TOML)  # beside the link, not above its target
    assert _decided("cd link && uv pip install numpy", work)[:2] == ([], True)
    assert _decided("cd link && uv sync", work)[:2] == ([], True)
    assert _argv_decided([UV, "pip", "install", "numpy"], "link", work)[:2] == ([], True)
    assert _argv_decided([UV, "sync"], "link", work)[:2] == ([], True)


# -- pyenv's .python-version walk ------------------------------------------------------------


def _shim(tmp_path: Path) -> str:
    root = tmp_path / "pyenv"
    (root / "shims").mkdir(parents=True)
    (root / "version").write_text("3.12\n")
    shim = root / "shims" / "python"
    shim.write_text(
        f'#!/usr/bin/env bash\nset -e\nexport PYENV_ROOT="{root}"\n'
        f'exec "{root}/libexec/pyenv" exec "$program" "$@"\n'
    )
    shim.chmod(0o755)
    return str(shim)


@pytest.mark.parametrize("folder", ["link", "link/..", "sub-of-logical"])
def test_pyenv_version_file_is_read_where_the_shim_runs(folder, tmp_path, monkeypatch):
    """A pyenv shim picks the ``.python-version`` up from where it runs (the start's folder,
    links resolved, and the logical path the shell's PWD may give): a 3.7 there cannot host
    the guard. Warden read it up from the kernel's own folder."""
    shim = _shim(tmp_path)
    work = _linked(tmp_path, {"far/.python-version": "3.7\n"})
    monkeypatch.chdir(work)
    env = {}
    monkeypatch.delenv("PYENV_VERSION", raising=False)
    monkeypatch.delenv("PYENV_DIR", raising=False)
    assert guardless.hosts_guard(shim, env)  # the kernel's folder: the global 3.12
    if folder == "sub-of-logical":  # pyenv walks $PWD: the link's side (work) counts too
        os.remove(tmp_path / "far" / ".python-version")
        (work / ".python-version").write_text("3.7\n")
        folder = "link"
    with commands.start_folder(folder):
        assert not guardless.hosts_guard(shim, env)
    with commands.start_folder(None):  # a `cd` Warden cannot follow: this folder, as before
        assert guardless.hosts_guard(shim, env) == (not (work / ".python-version").exists())


def test_folders_walks_are_physical_with_the_written_chain_beside(tmp_path):
    work = _linked(tmp_path, {})
    real = str(tmp_path / "far" / "sub")
    assert folders.child_folder(str(work), "link") == os.path.realpath(real)
    assert folders.upward(str(work / "link"))[:2] == [
        os.path.realpath(real),
        os.path.realpath(tmp_path / "far"),
    ]
    physical, written = folders.chains(str(work / "link"))
    assert physical[0] == os.path.realpath(real) and written[0] == str(work / "link")
    assert folders.chains(real) == [folders.upward(real)]
