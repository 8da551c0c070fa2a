"""This Python's own installation, as it was when the guard installed (red team 28b R28b-1,
R28b-2; 28c R28c-1, R28c-5): the gate decides on where the kernel's interpreter, standard
library and site folders are, and on the PYTHONPATH the kernel was started with, and a cell can
assign every one of ``sys.prefix``, ``sys.base_prefix``, ``sys.executable``,
``sys.version_info``, ``sys.path``, ``site.PREFIXES``, ``os.environ['PYTHONPATH']``...
(``sys.base_prefix = h`` made a PYTHONHOME of the cell's count as the kernel's own, and its
copy of ``encodings`` ran before a child's guard). So they are read once, when this module is
first imported: ``installs.gate`` imports it as the guard installs, before any user code.

Imported at every guarded Python's start: no ``typing``, ``collections`` or ``sysconfig``
(tests/guard/test_startup_imports.py); the site folders come from ``site``, which has run.
"""

from __future__ import annotations

import os
import site
import sys

from ...environ import TREE_MOUNTS_ENV, TREE_STARTED_ENV
from .frozen_os import FROZEN_OS  # the boot's os.path, for the write rule (red team 37a R37a-3)


class OwnPython:
    """What the guard found (attributes set once; see the module's docstring)."""

    __slots__ = (
        "executable", "base_executable", "base_bin", "prefix", "base_prefix", "exec_prefix",
        "base_exec_prefix", "platlibdir", "version", "site_packages", "user_site",
        "stdlib_module_names", "path_site_folders", "pythonpath", "start_folder", "tree_started",
        "tree_mounts",
    )  # fmt: skip

    def __init__(self) -> None:
        base = getattr(sys, "_base_executable", "") or sys.executable
        self.executable = os.path.realpath(sys.executable)
        self.base_executable = os.path.realpath(base)  # a venv's: the Python it was made from
        self.base_bin = os.path.realpath(os.path.dirname(base))  # the folder it names
        self.prefix = sys.prefix
        self.base_prefix = sys.base_prefix
        self.exec_prefix = sys.exec_prefix
        self.base_exec_prefix = sys.base_exec_prefix
        self.platlibdir = getattr(sys, "platlibdir", "lib")  # 3.9+
        self.version = (sys.version_info[0], sys.version_info[1])
        self.site_packages = tuple(site.getsitepackages())
        self.user_site = site.getusersitepackages()
        self.stdlib_module_names = frozenset(getattr(sys, "stdlib_module_names", ()))  # 3.10+
        # the site folders on sys.path as the guard installed (.pth-added ones included)
        self.path_site_folders = tuple(
            p for p in sys.path if os.path.basename(p) in ("site-packages", "dist-packages")
        )
        # the PYTHONPATH this process was started with: the folders the line rule allows
        # after the guard's (``commands._guard_loads``)
        self.pythonpath = os.environ.get("PYTHONPATH", "")
        # when the lab launched the kernel whose tree this Python is in (environ.TREE_STARTED_ENV,
        # read before any user code): None when not launched by the lab
        try:
            self.tree_started = float(os.environ.get(TREE_STARTED_ENV, ""))
        except ValueError:
            self.tree_started = None
        # the marks of the kernel's mounts at its boot (environ.TREE_MOUNTS_ENV): None when
        # not launched by the lab (no baseline: mounts are not compared)
        mounts = os.environ.get(TREE_MOUNTS_ENV)
        self.tree_mounts = None if mounts is None else frozenset(mounts.split("\n"))
        try:  # the folder the kernel started in: the notebook's
            self.start_folder = os.path.realpath(os.getcwd())
        except OSError:
            self.start_folder = ""

    def interpreters(self):
        return (self.executable, self.base_executable)

    def stdlib(self) -> str:
        """The standard library's folder (sysconfig's ``stdlib`` on CPython's layouts)."""
        return self.stdlib_folders()[1]

    def stdlib_folders(self) -> tuple:
        """Its standard-library entries of ``sys.path``, as its start computes them after the
        PYTHONPATH folders: its zip, its library, its lib-dynload. Joined with the boot's
        ``os.path`` (the write rule reads them: a cell's ``os.path.join = ...`` is not read)."""
        join = FROZEN_OS.path.join
        version = f"{self.version[0]}.{self.version[1]}"
        lib = join(self.base_prefix, self.platlibdir)
        return (
            join(lib, f"python{version.replace('.', '')}.zip"),
            join(lib, f"python{version}"),
            join(self.base_exec_prefix, self.platlibdir, f"python{version}", "lib-dynload"),
        )


OWN = OwnPython()
