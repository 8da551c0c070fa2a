"""Locate and read the shared contract files (rule catalog, policy and event schemas).

They are defined once, in the repository's ``schema/`` folder; a built wheel carries them as
``jupyterlab_warden/kernel/contracts/``. Standard library only: the kernel guard reads the catalog.
"""

import builtins
import os

from .json_read import loads

# The kernel guard runs its own copy of this module (``guard/private_modules``: mods 70), with
# builtins of its own (``FROZEN`` as at the seal: the boot's ``open``), never the one the
# process holds in ``sys.modules``: that one the guard's boot loaded (the rule catalog), so its
# cache, its folder, its ``os.path`` and its ``open`` were a cell's to rebind before the guard's
# first lazy read of a table. The guard's copy reads from the folder fixed as the guard booted,
# with the boot's ``os.path`` (``_guard_file``)
_GUARD_COPY = __builtins__ is not vars(builtins)

# os.path, not pathlib: the kernel guard reads the catalog at every interpreter start, and
# pathlib's imports cost more than the rest of this read.
_PACKAGE_DIR = os.path.dirname(os.path.realpath(__file__))
_SOURCE_SCHEMA = os.path.join(os.path.dirname(os.path.dirname(_PACKAGE_DIR)), "schema")


# Read once per process (dicts, not functools.lru_cache: the kernel guard reads the catalog at
# every interpreter start, where functools is not loaded)
_FOLDER = {}  # "found" -> the contracts folder
_CACHE = {}  # file name -> parsed contract


def _contracts_path() -> str:
    found = _FOLDER.get("found")
    if found is not None:
        return found
    for candidate in (os.path.join(_PACKAGE_DIR, "contracts"), _SOURCE_SCHEMA):
        if os.path.isfile(os.path.join(candidate, "rules.json")):
            return _FOLDER.setdefault("found", candidate)
    raise FileNotFoundError(
        "Jupyter Warden contract files not found: expected rules.json in "
        f"{os.path.join(_PACKAGE_DIR, 'contracts')} or {_SOURCE_SCHEMA}"
    )


def contracts_folder() -> str:
    """The folder holding rules.json and the JSON Schemas, as a str (wheel first, then source
    tree)."""
    return _contracts_path()


def contracts_dir():
    """The folder (a ``pathlib.Path``) holding rules.json and the JSON Schemas (wheel first,
    then source tree)."""
    from pathlib import Path

    return Path(_contracts_path())


def load_contract(name: str) -> dict:
    """Parse one contract file, e.g. ``load_contract("rules.json")`` (once per process)."""
    found = _CACHE.get(name)
    if found is None:
        path = _guard_file(name) if _GUARD_COPY else os.path.join(_contracts_path(), name)
        with open(path, encoding="utf-8") as fh:
            found = _CACHE.setdefault(name, loads(fh.read()))
    return found


def _guard_file(name: str) -> str:
    """The path of the contract file ``name`` for the guard's copy: in the folder found as the
    guard booted (``shipped_data``), joined with the boot's ``os.path`` (``frozen_os``); a file
    changed since the kernel started may be the notebook's (a user's own installation is
    writable): refused as a changed file of the guard's code is (``GuardLoadError``, which
    goes through every reader to the gate's refusal)."""
    from .guard.installs.frozen_os import FROZEN_OS
    from .guard.installs.kernel_age import changed_since_start
    from .guard.installs.shipped_data import CONTRACTS_FOLDER
    from .guard.private_modules import GuardLoadError

    if CONTRACTS_FOLDER is None:
        raise FileNotFoundError(f"{name}: this guard was bootstrapped without its contracts")
    path = FROZEN_OS.path.join(CONTRACTS_FOLDER, name)
    if changed_since_start(path):
        raise GuardLoadError(
            f"{path}, a contract file of Warden's guard, changed since the kernel started, so "
            "the guard does not read it; restart the kernel (reinstall Warden if you did not "
            "change it)"
        )
    return path


def rule_catalog() -> dict:
    """Rules keyed by id."""
    return {rule["id"]: rule for rule in load_contract("rules.json")["rules"]}
