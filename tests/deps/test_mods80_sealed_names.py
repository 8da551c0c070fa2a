"""Mods 80 (mods74's finding): the names of the guard's sealed modules and its shipped data,
out of a cell's reach.

The guard's boot loads ``frozen_os`` (the boot's ``os``), ``shipped_data`` (where the shipped
data and the contract files are) and ``frozen_builtins`` (the boot's builtins, ``FROZEN``)
before any cell, so the seal found them: they stay in ``sys.modules``, their attributes the
process's to rebind. A guard module loaded after the seal (``names``, ``data``, ``decide``,
``kernel_age``, the guard's ``contracts``) took ``from .shipped_data import DEPS_FOLDER``,
``data_path``, ``FROZEN_OS`` or ``FROZEN`` as the cell had left them; and the shipped data files
were read as they were on the guard's first install, whatever the cell wrote there meanwhile.

Each cell here tampers, then installs ``torcj`` (an imitation of ``torch``) from the test
index, trusted by the kernel's policy, so only the name check stands in the way: without
Warden it installs, and with Warden on main it installed too (the tampering emptied the name
check). Now each is refused: the guard's modules read the names recorded as the seal ran
(``private_modules``), and a shipped data file changed since the kernel started is refused
(``GuardLoadError``: "restart the kernel").

Controls: the plain install is refused by the name check; a cell that rebinds nothing still
installs a benign package (the shipped data reads, unchanged).
"""

import json
import os
import shlex
import shutil
import sys
import time
from pathlib import Path

import pytest
from lane_copies import copy_tree
from launched import KERNEL_POLICY
from real_uv import real_uv

from jupyterlab_warden.kernel.boot.launch_env import SITE_DIR
from jupyterlab_warden.kernel.environ import DEFERRED_PYTHONPATH_ENV

GUARD = "jupyterlab_warden.kernel.guard"
PACKAGE = Path(__file__).resolve().parents[2] / "jupyterlab_warden"
SHIPPED = ("top-packages.txt", "imitation-rules.json")

# the cell's head: the sealed modules, found by name in sys.modules (as the process may; the
# same modules imported where Warden is off), and
# a copy of the shipped data folder whose ranking lists torcj (names on it are never flagged)
HEAD = """import importlib, json, os, shutil, sys
shipped = importlib.import_module(GUARD_NAME + ".installs.shipped_data")
frozen_os = importlib.import_module(GUARD_NAME + ".installs.frozen_os")
frozen = importlib.import_module(GUARD_NAME + ".frozen_builtins").FROZEN
fake = os.path.abspath("fake-deps")
shutil.rmtree(fake, ignore_errors=True)
shutil.copytree(shipped.DEPS_FOLDER, fake)
with open(os.path.join(fake, "top-packages.txt"), "a") as fh:
    fh.write("torcj\\n")
"""

# how the cell tampers (the install line follows)
ATTACKS = {
    # the folder the guard's data_path joins with
    "deps folder": "shipped.DEPS_FOLDER = fake\n",
    # the function the guard's names module imports after the seal
    "data_path": "shipped.data_path = lambda name: os.path.join(fake, name)\n",
    # the builtins of the guard's decide module (loaded after the seal): its enumerate skips
    # torcj, so no name check runs on it
    "FROZEN": (
        "real_enumerate = enumerate\n"
        "def skipping(items, *rest):\n"
        "    if type(items) is list and 'torcj' in items:\n"
        "        items = [n for n in items if n != 'torcj']\n"
        "    return real_enumerate(items, *rest)\n"
        "frozen['enumerate'] = skipping\n"
    ),
    # the boot's os the guard's kernel_age reads ages with (loaded after the seal): its stat
    # answers for the shipped files as older than the kernel; then the shipped ranking itself
    # is rewritten to list torcj (in the test's own copy of the package: ``private``)
    "FROZEN_OS": (
        "real_os = frozen_os.FROZEN_OS\n"
        "class Old:\n"
        "    def __init__(self, found):\n"
        "        self.found = found\n"
        "    def __getattr__(self, name):\n"
        "        return 0.0 if name in ('st_ctime', 'st_mtime') else getattr(self.found, name)\n"
        "def aged(look):\n"
        "    def stat(path, *a, **k):\n"
        "        found = look(path, *a, **k)\n"
        "        return Old(found) if 'kernel/deps' in str(path) else found\n"
        "    return stat\n"
        "class FakeOS:\n"
        "    def __getattr__(self, name):\n"
        "        value = getattr(real_os, name)\n"
        "        return aged(value) if name in ('lstat', 'stat') else value\n"
        "frozen_os.FROZEN_OS = FakeOS()\n"
        "shutil.copy(os.path.join(fake, 'top-packages.txt'), shipped.DEPS_FOLDER)\n"
    ),
}


def _rewrite(name: str) -> str:
    """A cell that rewrites the shipped data file ``name`` (the test puts it back) so that torcj
    is no imitation: the ranking lists it, or the rules count only the first name a target."""
    if name == "top-packages.txt":
        return "shutil.copy(os.path.join(fake, 'top-packages.txt'), shipped.DEPS_FOLDER)\n"
    return (
        "path = os.path.join(shipped.DEPS_FOLDER, 'imitation-rules.json')\n"
        "rules = json.load(open(path))\n"
        "rules['targets'] = 1\n"
        "json.dump(rules, open(path, 'w'))\n"
    )


def _install(kernel, name: str = "torcj") -> str:
    line = shlex.join(
        [real_uv(), "pip", "install", "-q", "--no-config", "--no-cache", "--no-deps", "--python",
         sys.executable, "--target", str(kernel.target), "--index-url", kernel.index.simple, name]
    )  # fmt: skip
    return f"os.system({line!r})\n"


def _cell(kernel, tamper: str, name: str = "torcj") -> str:
    code = HEAD.replace("GUARD_NAME", repr(GUARD)) + tamper + _install(kernel, name)
    return code.replace("{", "{{").replace("}", "}}")


@pytest.fixture()
def trusted(kernel):
    """The kernel, its policy trusting the test index (only the name check refuses torcj)."""
    policy = dict(KERNEL_POLICY, trusted_sources={"package_indexes": [kernel.index.simple]})
    kernel.policy.write_text(json.dumps(policy))
    return kernel


@pytest.fixture()
def private(tmp_path):
    """A copy of the kernel package for this test's cells, guarded or not (the guard boots from
    its site folder by location, the cell imports the package by name: both the copy's). The
    cells rewrite the shipped data files: in the repository's own package, every kernel of a
    test running beside this one (CI runs two lanes at once) would read them as changed since
    its start and refuse its installs."""
    root = tmp_path / "package"
    copied = root / "jupyterlab_warden"
    skip = shutil.ignore_patterns("__pycache__", "labextension", "lab")
    copy_tree(PACKAGE, copied, ignore=skip)  # what the other lane makes there meanwhile: skipped
    # the contract files where a wheel has them (the source tree's schema/ is the repository's)
    shutil.copytree(PACKAGE.parent / "schema", copied / "kernel" / "contracts")
    site = str(copied / Path(SITE_DIR).relative_to(PACKAGE))
    return root, site


def _env(kernel, private, launched: bool) -> dict:
    """The kernel's environment with the package copy in place of the repository's (its site
    folder for the guard's, its root for the repository on PYTHONPATH)."""
    root, site = private
    swap = {SITE_DIR: site, str(PACKAGE.parent): str(root)}
    env = kernel.env(launched)
    for name in ("PYTHONPATH", DEFERRED_PYTHONPATH_ENV):
        if name in env:
            env[name] = os.pathsep.join(swap.get(p, p) for p in env[name].split(os.pathsep))
    assert str(root) in env["PYTHONPATH"], env["PYTHONPATH"]
    return env


def _run(kernel, private, code: str, launched: bool) -> dict:
    return kernel.cell(code, launched=launched, env=_env(kernel, private, launched))


def test_the_plain_install_is_refused_as_an_imitation(trusted):
    refused = trusted.proves(_cell(trusted, ""), name="torcj")
    assert "imitation of the popular package 'torch'" in refused, refused


@pytest.mark.parametrize("how", sorted(ATTACKS))
def test_a_rebound_sealed_name_keeps_the_refusal(trusted, private, how):
    trusted.reset()
    plain = _run(trusted, private, _cell(trusted, ATTACKS[how]), launched=False)
    assert plain["refused"] is None and trusted.installed("torcj"), plain
    _fresh(private)
    trusted.reset()
    guarded = _run(trusted, private, _cell(trusted, ATTACKS[how]), launched=True)
    # before (main): no refusal, torcj fetched and installed
    assert guarded["refused"], guarded
    assert trusted.index.requests == [] and not trusted.installed("torcj"), guarded
    if how == "FROZEN_OS":  # the shipped ranking itself was rewritten: read as changed
        assert "top-packages.txt" in guarded["refused"], guarded
        assert "restart the kernel" in guarded["refused"], guarded
    else:
        assert "imitation of the popular package 'torch'" in guarded["refused"], guarded


@pytest.mark.parametrize("name", ["top-packages.txt", "imitation-rules.json"])
def test_a_shipped_file_rewritten_after_the_start_is_refused(trusted, private, name):
    trusted.reset()
    plain = _run(trusted, private, _cell(trusted, _rewrite(name)), launched=False)
    assert plain["refused"] is None and trusted.installed("torcj"), plain
    _fresh(private)
    trusted.reset()
    guarded = _run(trusted, private, _cell(trusted, _rewrite(name)), launched=True)
    # before (main): no refusal, the rewritten file read, torcj installed
    assert guarded["refused"], guarded
    assert trusted.index.requests == [] and not trusted.installed("torcj"), guarded
    assert name in guarded["refused"] and "restart the kernel" in guarded["refused"], guarded


def _fresh(private) -> None:
    """The copy's shipped data put back as shipped after the unguarded run rewrote it, and its
    change left a second and a half behind (the guard counts a file changed up to a second
    before the kernel started as changed since)."""
    root, _ = private
    deps = root / "jupyterlab_warden" / "kernel" / "deps"
    for name in SHIPPED:
        (deps / name).write_bytes((PACKAGE / "kernel" / "deps" / name).read_bytes())
    changed = max((deps / name).stat().st_ctime for name in SHIPPED)
    while time.time() < changed + 1.5:
        time.sleep(changed + 1.5 - time.time())


def test_an_untampered_cell_installs_a_benign_package(trusted):
    """No false refusal: the shipped data reads (unchanged since the start), the name check
    passes warden-demo-pkg, and a tampered sealed name does not stop it either."""
    for tamper in ("", ATTACKS["deps folder"]):
        trusted.reset()
        guarded = trusted.cell(_cell(trusted, tamper, "warden-demo-pkg"), launched=True)
        assert guarded["refused"] is None and trusted.installed(), guarded
