import json
import os
import shutil
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from guard_owner import event_validator  # noqa: E402, F401 (fixture)
from install_env import GUARDED_ENV, child_env, spooled  # noqa: E402
from launched import Kernel  # noqa: E402
from local_index import LocalIndex, build_wheel  # noqa: E402

# Served by the local index: a benign package, a listed malicious name and imitation names.
# Their module records that it was imported, so "installed" is checked on disk.
PACKAGES = ("warden-demo-pkg", "aiohtt", "torcj", "scikit-lean", "tranformers")


class _TestProcessLaunch(dict):
    """The launch environment of a reading made in the test process itself, with no guard
    installed: whatever the process's environment holds now (PYTEST_CURRENT_TEST changes per
    test), as a kernel's values are its launcher's until the cell sets one; with what every
    guarded Python keeps in its environment (``GUARDED_ENV``: set before its launch
    environment is taken)."""

    def get(self, name, default=None):
        return os.environ.get(name, GUARDED_ENV.get(name, default))


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


# setuptools' distutils-precedence.pth, the line a venv's site runs at every start
SETUPTOOLS_LINE = (
    "import os; var = 'SETUPTOOLS_USE_DISTUTILS'; enabled = os.environ.get(var, 'local') "
    "== 'local'; enabled and __import__('_distutils_hack').add_shim(); \n"
)


@pytest.fixture()
def own_kernel(request, tmp_path, index):
    """A kernel whose Python is a venv (``kv``) of a base installation (``base``) in the
    test's folder, so a test writes the kernel's own installation in a copy, never the
    machine's: the base's program a copy, its standard library links to this Python's but
    ``encodings`` (a copy) and an empty site-packages; kv's site-packages holds setuptools'
    ``distutils-precedence.pth`` and ``_distutils_hack`` (copies) and a path line to this
    venv's site-packages (the kernel's dependencies). A test module's ``OWN_KERNEL_COPIES``
    names standard-library modules copied too, with a ``__pycache__`` folder of the base's
    own (links to this Python's compiled files but the copied modules', copied: a recompiled
    file replaces the link, never the machine's file); without it the folder is a link.
    ``kernel.base``, ``kernel.lib`` (its library folder), ``kernel.site`` (kv's)."""
    copies = getattr(request.module, "OWN_KERNEL_COPIES", ())
    version = f"python{sys.version_info[0]}.{sys.version_info[1]}"
    real_base = os.path.realpath(getattr(sys, "_base_executable", sys.executable))
    stdlib = sysconfig.get_paths()["stdlib"]
    base = tmp_path / "base"
    (base / "bin").mkdir(parents=True)
    program = base / "bin" / os.path.basename(real_base)
    shutil.copy2(real_base, program)
    lib = base / "lib" / version
    lib.mkdir(parents=True)
    copied = {name + ".py" for name in copies}
    own_cache = ("__pycache__",) if copies else ()
    for name in os.listdir(stdlib):
        if name in copied:
            shutil.copy2(os.path.join(stdlib, name), lib / name)
        elif name not in ("encodings", "site-packages", *own_cache):
            os.symlink(os.path.join(stdlib, name), lib / name)
    if copies:
        (lib / "__pycache__").mkdir()
        cache = os.path.join(stdlib, "__pycache__")
        for name in os.listdir(cache):
            if name.partition(".")[0] in copies:
                shutil.copy2(os.path.join(cache, name), lib / "__pycache__" / name)
            else:
                os.symlink(os.path.join(cache, name), lib / "__pycache__" / name)
    shutil.copytree(os.path.join(stdlib, "encodings"), lib / "encodings")
    (lib / "site-packages").mkdir()
    kv = tmp_path / "kv"
    subprocess.run([str(program), "-m", "venv", "--without-pip", str(kv)], check=True)
    site = kv / "lib" / version / "site-packages"
    ours = sysconfig.get_paths()["purelib"]
    (site / "zz_deps.pth").write_text(ours + "\n")
    shutil.copytree(os.path.join(ours, "_distutils_hack"), site / "_distutils_hack")
    (site / "distutils-precedence.pth").write_text(SETUPTOOLS_LINE)
    time.sleep(2.5)  # older than the kernel's start by more than the check's slack
    (tmp_path / "k").mkdir()
    kernel = Kernel(tmp_path / "k", index, python=str(kv / "bin" / "python"))
    kernel.base, kernel.lib, kernel.site = base, lib, site
    return kernel
