"""Package installs started from a kernel, decided before they run (issue 20).

``gate.InstallGate`` is called by the guard's audit hook on every process start; it reads the
command (``commands``), the installer's arguments and files (``arguments``, ``requirements``,
``environment_file``), environment and config (``sources``), and decides by policy and the
shipped data (``decide``, ``data``: OSV snapshot and popular names in ``kernel/deps/``).
Only ``gate``, ``fastpath`` and ``inherited_env`` load at interpreter start; the rest on the
first install.
"""

from ..frozen_builtins import note_pathlib
from ..frozen_builtins import seal as seal_imports
from .fastpath import PROCESS_EVENTS
from .gate import PATCH_TARGETS, InstallGate, WardenBlockedInstall, maker
from .inherited_env import ENVIRON_EVENTS
from .native_writers import REFUSED_IMPORTS, refuse_import, refused_here
from .start_writes import EVENTS as START_WRITE_EVENTS

__all__ = [
    "InstallGate", "PROCESS_EVENTS", "ENVIRON_EVENTS", "START_WRITE_EVENTS", "PATCH_TARGETS",
    "WardenBlockedInstall", "maker", "REFUSED_IMPORTS", "refuse_import", "refused_here",
    "note_pathlib", "seal_imports",
]  # fmt: skip
