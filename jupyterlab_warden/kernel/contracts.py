"""Locate and read the shared contract files (rule catalog, policy and event schemas).

They are defined once, in the repository's ``schema/`` folder; a built wheel carries them as
``jupyterlab_warden/kernel/contracts/``. Standard library only: the kernel guard reads the catalog.
"""

import os

from .json_read import loads

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


def contracts_dir():
    """The folder (a ``pathlib.Path``) holding rules.json and the JSON Schemas (wheel first,
    then source tree)."""
    from pathlib import Path

    return Path(_contracts_path())


def load_contract(name: str) -> dict:
    """Parse one contract file, e.g. ``load_contract("rules.json")`` (once per process)."""
    found = _CACHE.get(name)
    if found is None:
        with open(os.path.join(_contracts_path(), name), encoding="utf-8") as fh:
            found = _CACHE.setdefault(name, loads(fh.read()))
    return found


def rule_catalog() -> dict:
    """Rules keyed by id."""
    return {rule["id"]: rule for rule in load_contract("rules.json")["rules"]}
