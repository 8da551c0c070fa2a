"""The shared install-decision vectors (schema/vectors/install-decision.json) through the
kernel guard's reading and decision code (the same functions the audit hook calls)."""

import json
import os
from pathlib import Path

import pytest
from install_env import GUARDED_ENV

from jupyterlab_warden.kernel.guard import catalog
from jupyterlab_warden.kernel.guard.installs import decide, inherited_env
from jupyterlab_warden.kernel.guard.installs.data import DepsData
from jupyterlab_warden.kernel.guard.installs.gate import read_requests

REPO = Path(__file__).resolve().parents[2]
VECTORS = json.loads((REPO / "schema" / "vectors" / "install-decision.json").read_text())["vectors"]
DATA = DepsData()
RULES = catalog.Rules()


def _write_wheel(path: Path) -> None:
    """A real wheel of the file's name (NAME-VERSION-...whl) that carries no start-up code:
    what the vectors' '<wheel>' stands for (they are text)."""
    import zipfile

    name, version = path.name.split("-")[:2]
    info = f"{name}-{version}.dist-info"
    with zipfile.ZipFile(path, "w") as wheel:
        wheel.writestr(f"{name}/__init__.py", "")
        wheel.writestr(
            f"{info}/METADATA", f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"
        )
        wheel.writestr(
            f"{info}/WHEEL", "Wheel-Version: 1.0\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
        )
        wheel.writestr(f"{info}/RECORD", "")


def outcome(vector, workdir: Path, monkeypatch=None) -> dict:
    for name, text in (vector.get("files") or {}).items():
        (workdir / name).parent.mkdir(parents=True, exist_ok=True)
        if text == "<wheel>":
            _write_wheel(workdir / name)
        else:
            (workdir / name).write_text(text)
    home = workdir / "home"
    home.mkdir(exist_ok=True)
    env = {"HOME": str(home), "PIP_CONFIG_FILE": os.devnull, "XDG_CONFIG_DIRS": str(home)}
    env.update(GUARDED_ENV)  # what every guarded Python keeps in its environment (uv_cache)
    env.update(vector.get("env") or {})
    if monkeypatch is not None:
        # the start's environment is the one the kernel was launched with: only the line's
        # assignments are the cell's (commands._refuse_environment_folders)
        monkeypatch.setattr(inherited_env, "_LAUNCH", dict(env))
    command = vector["command"]
    shell = command if isinstance(command, str) else None
    argv = None if shell is not None else command
    policy = vector["policy"]
    rules, runs = set(), True
    for request in read_requests(argv, shell, env, str(workdir)):
        for finding in decide.decide(request, policy, DATA):
            action = RULES.action_for(finding.rule_id, policy)
            if action == "off":
                continue
            rules.add(finding.rule_id)
            runs = runs and action not in ("block", "confirm")
    return {"rules": sorted(rules), "runs": runs}


def test_vector_names_are_unique():
    names = [v["name"] for v in VECTORS]
    assert len(names) == len(set(names))


@pytest.mark.parametrize("vector", VECTORS, ids=[v["name"] for v in VECTORS])
def test_install_decision_vector(vector, tmp_path, monkeypatch):
    assert outcome(vector, tmp_path, monkeypatch) == vector["expect"]
