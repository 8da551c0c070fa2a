"""This Python's own installation, as it was when the guard installed (red team 28b R28b-1,
R28b-2): the gate decides on where the kernel's interpreter, standard library and site folders
are, and a cell can assign every one of ``sys.prefix``, ``sys.base_prefix``,
``sys.executable``, ``sys.version_info``, ``site.PREFIXES``... (``sys.base_prefix = h`` made a
PYTHONHOME of the cell's count as the kernel's own, and its copy of ``encodings`` ran before a
child's guard). So they are read once, when this module is first imported: ``installs.gate``
imports it as the guard installs, before any user code.
"""

from __future__ import annotations

import os
import site
import sys
from typing import FrozenSet, NamedTuple, Tuple


class OwnPython(NamedTuple):
    executable: str  # realpath
    base_executable: str  # realpath (a venv's: the Python it was made from)
    base_bin: str  # the realpath of the folder sys._base_executable names (not its target's)
    prefix: str
    base_prefix: str
    exec_prefix: str
    base_exec_prefix: str
    platlibdir: str
    version: Tuple[int, int]
    site_packages: Tuple[str, ...]
    user_site: str
    stdlib_module_names: FrozenSet[str]

    def interpreters(self) -> Tuple[str, str]:
        return (self.executable, self.base_executable)


def _snapshot() -> OwnPython:
    return OwnPython(
        executable=os.path.realpath(sys.executable),
        base_executable=os.path.realpath(getattr(sys, "_base_executable", sys.executable)),
        base_bin=os.path.realpath(os.path.dirname(getattr(sys, "_base_executable", "") or "")),
        prefix=sys.prefix,
        base_prefix=sys.base_prefix,
        exec_prefix=sys.exec_prefix,
        base_exec_prefix=sys.base_exec_prefix,
        platlibdir=getattr(sys, "platlibdir", "lib"),  # 3.9+
        version=(sys.version_info[0], sys.version_info[1]),
        site_packages=tuple(site.getsitepackages()),
        user_site=site.getusersitepackages(),
        stdlib_module_names=frozenset(getattr(sys, "stdlib_module_names", ())),  # 3.10+
    )


OWN = _snapshot()
