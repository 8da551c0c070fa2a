import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(HERE))

from local_index import LocalIndex, build_wheel  # noqa: E402

# Served by the local index: a benign package, a listed malicious name and imitation names.
# Their module records that it was imported, so "installed" is checked on disk.
PACKAGES = ("warden-demo-pkg", "aiohtt", "torcj", "scikit-lean", "tranformers")


@pytest.fixture(scope="session")
def event_validator():
    schema = json.loads((REPO / "schema" / "event.schema.json").read_text())
    return jsonschema.Draft202012Validator(schema)


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    root = tmp_path_factory.mktemp("index")
    wheels = [build_wheel(root, name) for name in PACKAGES]
    server = LocalIndex(root, wheels)
    yield server
    server.close()


def child_env(spool: Path, home: Path) -> dict:
    """A child environment without this machine's pip config or caches: only what the test
    names decides where pip looks."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "UV_", "WARDEN_"))}
    env.update(
        PYTHONPATH=str(REPO),
        WARDEN_EVENT_SPOOL=str(spool),
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_CONFIG_DIRS=str(home / "xdg"),
        PIP_CONFIG_FILE=os.devnull,
        PIP_NO_CACHE_DIR="1",
        PIP_DISABLE_PIP_VERSION_CHECK="1",
        PIP_NO_INPUT="1",
    )
    return env


def spooled(spool: Path) -> list:
    events = []
    for path in sorted(spool.glob("*.jsonl")):
        events += [json.loads(line) for line in path.read_text().splitlines()]
    return events


class GuardedRun:
    """Runs commands in guarded child processes with a policy; keeps the evidence."""

    def __init__(self, tmp_path: Path, validator):
        self.tmp = tmp_path
        self.spool = tmp_path / "spool"
        self.spool.mkdir(mode=0o700)
        self.home = tmp_path / "home"
        self.home.mkdir()
        self.validator = validator

    def __call__(self, policy: dict, command, guarded=True):
        policy_file = self.tmp / "policy.json"
        policy_file.write_text(json.dumps(policy))
        env = child_env(self.spool, self.home)
        if guarded:
            args = [sys.executable, str(HERE / "guarded_run.py"), str(policy_file)]
            args.append(json.dumps(command))
        else:
            args = command if isinstance(command, list) else ["/bin/sh", "-c", command]
        done = subprocess.run(
            args, env=env, capture_output=True, text=True, timeout=240, cwd=str(self.tmp)
        )
        result = {"stdout": done.stdout, "stderr": done.stderr, "exit": done.returncode}
        if guarded:
            assert done.returncode == 0, done.stderr
            result.update(json.loads(done.stdout.strip().splitlines()[-1]))
        return result

    def events(self) -> list:
        found = spooled(self.spool)
        for event in found:
            self.validator.validate(event)
        return found


@pytest.fixture()
def guarded(tmp_path, event_validator):
    return GuardedRun(tmp_path, event_validator)
