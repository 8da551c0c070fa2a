"""A guarded Python (not the kernel) writes no start-up name into a site folder or a standard
library (red team 32 R32-3).

A shell line ``python prep.py && python train.py`` is read before it runs; what prep.py writes
is its code's business, and the reading cannot know it. A ``.pth`` it copies into the kernel's
site folder (``sysconfig.get_paths()['purelib']``, named nowhere on the line) ran in the next
Python before its guard. So the guard of every Python the kernel starts refuses, in its audit
hook, creating or replacing one of these names:

- in a site folder (any ``site-packages``/``dist-packages``, this Python's own and its user
  site): a ``.pth``, an ``__editable__`` file, a module its ``.pth`` files import
  (``_distutils_hack``), ``sitecustomize``/``usercustomize``, a module of the standard
  library's start or of the guard's boot (``start_files.STDLIB_START``, ``GUARD_BOOT``);
- in a standard library (``lib*/python3.X``, ``lib-dynload``, this Python's own): the same
  modules, and the ``pythonXY.zip`` beside it;
- the site folder or library itself, or a folder holding this Python's (a rename or link
  puts another one there);

as a module file, its package folder's files or its bytecode in ``__pycache__``, by
``open`` for writing, ``os.rename``/``os.replace``, ``os.link`` and ``os.symlink`` (what
``shutil`` copies and moves with); and it refuses starting a writer of ``line_writers``' list
(``cp``, ``tar``, a redirection of a shell line) whose places are such names
(``CHILD_WRITES``). A process whose pip install the gate allowed writes them
(pip installs ``.pth`` files), and so does the kernel itself: a file its cell writes there is
read at its next line's start (``start_files``). ``commands._write_places`` then takes a
guarded Python on a line to write none of them (``commands.GuardedWriter``).

The ``open`` event fires for every file a Python opens: the mode decides first (most opens
read), then the name (string work only), and only a start-up name resolves its folder.
"""

from __future__ import annotations

import os
import re
from contextvars import ContextVar

from .own_python import OWN

# Set while a Python the kernel starts (not the kernel, not an allowed pip) decides a process
# start: the commands it starts may not write a start-up name either (``commands``' writers
# of ``line_writers``' list: `os.system('cp p.pth ' + site)`, a redirection), read by
# ``commands._write_places``.
CHILD_WRITES: ContextVar[bool] = ContextVar("warden_child_writes", default=False)

# the audit events that create or replace a file at a path (``os.replace`` is ``os.rename``'s)
EVENTS = frozenset(("open", "os.rename", "os.link", "os.symlink"))
_WRITING = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC
_SITE_NAMES = ("site-packages", "dist-packages")
_STDLIB = re.compile(r"^python3\.[0-9]+t?$")
_ARCHIVE = re.compile(r"^python3[0-9]+t?\.zip$")


class StartWrites:
    """The rule, for one gate: ``check(event, args)`` raises ``WardenBlockedInstall``."""

    def __init__(self, gate):
        self.gate = gate
        self._names = None  # start-up module names, read at the first write of a candidate
        self._own = None  # this Python's site folders and standard library, real paths

    def check(self, event: str, args: tuple) -> None:
        if event == "open":
            if len(args) < 3 or not (args[2] or 0) & _WRITING:
                return
            path = args[0]
        elif len(args) > 1:
            path = args[1]
        else:
            return
        if isinstance(path, bytes):
            path = os.fsdecode(path)
        elif not isinstance(path, str):
            return  # a descriptor: opened before
        names = self._names or self._read_names()
        named = any(_named(entry, names) for _, entry in _entries(path))
        if not named and "-packages" not in path and event == "open":
            return
        if self.gate.allowed_install:
            return
        found = self._refused(path, event != "open")
        if found:
            self._refuse(event, path, found)

    def _read_names(self) -> frozenset:
        from . import start_files, startup_modules

        names = set(start_files.STDLIB_START + start_files.GUARD_BOOT) | {"_sha2"}
        names |= startup_modules.pth_imports(self._own_folders()[0])
        self._names = frozenset(names)
        return self._names

    def _own_folders(self):
        if self._own is None:
            from .startup_modules import stdlib_folders

            sites = [f for f in list(OWN.site_packages) + [OWN.user_site] if f]
            self._own = (sites, [os.path.realpath(f) for f in sites + list(stdlib_folders())])
        return self._own

    def _refused(self, path: str, moved: bool) -> str:
        """The folder ``path`` writes a start-up name of ('' when none), by its real folder."""
        from .startup_modules import pth_imports

        path = os.path.abspath(path)
        real = os.path.join(os.path.realpath(os.path.dirname(path)), os.path.basename(path))
        if moved:  # a folder put in place of a site folder, a library or one holding them
            for own in self._own_folders()[1]:
                if own == real or own.startswith(real.rstrip("/") + "/"):
                    return own
            if os.path.basename(real) in _SITE_NAMES:
                return os.path.dirname(real)
        own = self._own_folders()[1]
        for candidate in dict.fromkeys((path, real)):
            for folder, entry in _entries(candidate):
                site = _site(folder, own)
                if _named(entry, self._names) and (site or _library(folder, entry, own)):
                    return folder
                if site and _stem(entry) in pth_imports([folder]):
                    return folder  # a module this site folder's own .pth files import
        return ""

    def _refuse(self, event: str, path: str, folder: str) -> None:
        from .request import InstallRequest

        request = InstallRequest("unknown", f"{event} {path}")
        request.problems.append(
            f"a Python the kernel starts may not create or replace a file a Python imports "
            f"from {folder} as it starts, before Warden's guard (a .pth, sitecustomize, a "
            "start-up module): install packages with pip, which Warden decides"
        )
        self.gate._enforce([request], event, in_process=True)


def _stem(name: str) -> str:
    return name.split(".")[0]


def _entries(path: str):
    """The (folder, entry name) pairs a write at ``path`` creates or changes an entry of, as a
    module finds them: the file itself; its package folder in the folder above; the module
    whose bytecode it is (``__pycache__/NAME.cpython-311.pyc``), or that module's package."""
    folder, name = os.path.split(path)
    outer, parent = os.path.split(folder)
    if parent != "__pycache__":
        return ((folder, name), (outer, parent))
    return ((folder, name), (outer, name), os.path.split(outer))


def _named(entry: str, names: frozenset) -> bool:
    """Whether a folder's entry is a start-up name of a site folder or library by its name."""
    if entry.endswith(".pth") or entry.startswith("__editable__") or _ARCHIVE.match(entry):
        return True
    return _stem(entry) in names


def _site(folder: str, own: list) -> bool:
    real = os.path.realpath(folder)
    return os.path.basename(real) in _SITE_NAMES or real in own


def _library(folder: str, entry: str, own: list) -> bool:
    """Whether ``folder`` is a standard library's (``lib*/python3.X``, ``lib-dynload``, this
    Python's own), or the ``lib`` folder a ``pythonXY.zip`` ``entry`` stands in."""
    real = os.path.realpath(folder)
    name = os.path.basename(real)
    if real in own or name == "lib-dynload":
        return True
    if _ARCHIVE.match(entry):
        return name.startswith("lib")
    return bool(_STDLIB.match(name)) and os.path.basename(os.path.dirname(real)).startswith("lib")
