"""Locate and read the shared contract files (rule catalog, policy and event schemas).

They are defined once, in the repository's ``schema/`` folder; a built wheel carries them as
``jupyterlab_warden/kernel/contracts/``. Standard library only: the kernel guard reads the catalog.
"""

import json
from functools import lru_cache
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent
_SOURCE_SCHEMA = _PACKAGE_DIR.parent.parent / "schema"  # a source checkout


def contracts_dir() -> Path:
    """The folder holding rules.json and the JSON Schemas (wheel first, then source tree)."""
    for candidate in (_PACKAGE_DIR / "contracts", _SOURCE_SCHEMA):
        if (candidate / "rules.json").is_file():
            return candidate
    raise FileNotFoundError(
        "Jupyter Warden contract files not found: expected rules.json in "
        f"{_PACKAGE_DIR / 'contracts'} or {_SOURCE_SCHEMA}"
    )


@lru_cache(maxsize=None)
def load_contract(name: str) -> dict:
    """Parse one contract file, e.g. ``load_contract("rules.json")``."""
    with open(contracts_dir() / name, encoding="utf-8") as fh:
        return json.load(fh)


def rule_catalog() -> dict:
    """Rules keyed by id."""
    return {rule["id"]: rule for rule in load_contract("rules.json")["rules"]}
