import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from guard_owner import event_validator  # noqa: E402, F401 (fixture)
from install_env import child_env, spooled  # noqa: E402
from launched import Kernel  # noqa: E402
from local_index import LocalIndex, build_wheel  # noqa: E402

# Served by the local index: a benign package, a listed malicious name and imitation names.
# Their module records that it was imported, so "installed" is checked on disk.
PACKAGES = ("warden-demo-pkg", "aiohtt", "torcj", "scikit-lean", "tranformers")


class _TestProcessLaunch(dict):
    """The launch environment of a reading made in the test process itself, with no guard
    installed: whatever the process's environment holds now (PYTEST_CURRENT_TEST changes per
    test), as a kernel's values are its launcher's until the cell sets one."""

    def get(self, name, default=None):
        return os.environ.get(name, default)


@pytest.fixture(autouse=True)
def launch_environment(monkeypatch):
    from jupyterlab_warden.kernel.guard.installs import inherited_env

    monkeypatch.setattr(inherited_env, "_LAUNCH", _TestProcessLaunch())


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    root = tmp_path_factory.mktemp("index")
    wheels = [build_wheel(root, name) for name in PACKAGES]
    server = LocalIndex(root, wheels)
    yield server
    server.close()


@pytest.fixture()
def kernel(tmp_path, index):
    """A kernel of the lab's launch environment, or the same without Warden (launched.Kernel)."""
    return Kernel(tmp_path, index)


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
        # The command travels as JSON to a helper process, never as this process's own argv:
        # in a whole-suite run this pytest process holds a guard installed by other tests, whose
        # install gate would decide an unguarded control run itself.
        mode = str(policy_file) if guarded else "--unguarded"
        args = [sys.executable, str(HERE / "guarded_run.py"), mode, json.dumps(command)]
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
def guarded(tmp_path, event_validator):  # noqa: F811 (the fixture imported above)
    return GuardedRun(tmp_path, event_validator)
