"""Package installs started from a kernel, decided before they run (issue 20).

``gate.InstallGate`` is called by the guard's audit hook on every process start; it reads the
command (``commands``), the installer's arguments and files (``arguments``, ``requirements``,
``environment_file``), environment and config (``sources``), and decides by policy and the
shipped data (``decide``, ``data``: OSV snapshot and popular names in ``kernel/deps/``).
Only ``gate`` and ``fastpath`` load at interpreter start; the rest on the first install.
"""

from .fastpath import PROCESS_EVENTS
from .gate import PATCH_TARGETS, InstallGate, WardenBlockedInstall, maker

__all__ = ["InstallGate", "PROCESS_EVENTS", "PATCH_TARGETS", "WardenBlockedInstall", "maker"]
