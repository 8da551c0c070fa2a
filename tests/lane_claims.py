"""Test modules shared by the two lanes of `make test-python` (scripts/pytest-lanes.py).

tests/deps is the longest folder and must run in a process without the process guard. The
children lane runs it from its start; the rest lane runs it in a second process once its own
folders are done. Both collect every module and run a module only when they claim it first, so
the folder is split by how long each module really takes, on whatever machine, without a table
of timings to keep up to date.

A claim is a file created with O_EXCL in the folder WARDEN_LANE_CLAIMS names: the filesystem
decides which lane got a module, even when both ask at once. Without the variable every module
runs (a plain `pytest tests/deps`).
"""

import os
from typing import Optional

CLAIMS_FOLDER = "WARDEN_LANE_CLAIMS"


class ModuleClaims:
    def __init__(self, folder: str):
        self._folder = folder
        self._mine: dict = {}

    def ours(self, module_id: str) -> bool:
        """True when this process runs the module: claimed now or earlier by this process."""
        if module_id not in self._mine:
            name = module_id.replace(os.sep, "__").replace("/", "__")
            try:
                os.close(os.open(os.path.join(self._folder, name), os.O_CREAT | os.O_EXCL))
                self._mine[module_id] = True
            except FileExistsError:
                self._mine[module_id] = False
        return self._mine[module_id]


def from_environment() -> Optional[ModuleClaims]:
    folder = os.environ.get(CLAIMS_FOLDER)
    return ModuleClaims(folder) if folder else None
