"""The standard library's modules a Python imports from their files before Warden's guard
decides (``start_files`` checks them at a start, ``start_writes`` refuses writing them). No
imports: every guarded Python reads these at its first file write."""

# What CPython (3.8-3.13) imports from its standard library's files before ``site`` has run
# the guard, or, for -m, before the module (runpy and what it imports): the frozen ones too
# (3.10 and older, debug builds and `-X frozen_modules=off` take them from the files), and
# the names site would import from the library folder itself. A package counts by all its
# files (``encodings`` picks its codec by the locale and PYTHONIOENCODING). 3.8 and 3.9 import
# ``_bootlocale`` before ``site`` runs the guard (``-X importtime``, fix 70startpath).
STDLIB_START = (
    "encodings", "codecs", "io", "abc", "site", "os", "stat", "posixpath", "genericpath",
    "_collections_abc", "_sitebuiltins", "zipimport", "warnings", "runpy", "types",
    "importlib", "sitecustomize", "usercustomize", "_bootlocale",
)  # fmt: skip

# What the guard's own boot (``boot/site_boot.py`` and what it imports before its audit hook
# is in) loads from the standard library's FILES besides ``STDLIB_START`` (red team 31 R31-9):
# pure-Python modules (``from __future__ import annotations``, pickle's name tables) and
# the extensions a build keeps in lib-dynload (built in elsewhere; ``_pickle``: a
# multiprocessing child's boot, ``mp_children``). It cannot fall behind the boot's imports:
# tests/deps/test_redteam31_stdlib.py boots the guard in a child and fails when it loaded a
# standard-library file of a module neither list names.
GUARD_BOOT = (
    "__future__", "_compat_pickle", "_json", "_sha256", "fcntl", "_pickle", "_contextvars",
)  # fmt: skip

# What says where the pyenv hooks a guard refuses writes under lie (``pyenv_places.
# guarded_places``): kept by ``start_writes`` as its Python started, so a cell that changes
# HOME or PATH before its first write moves none of them.
PYENV_VARIABLES = ("PYENV_ROOT", "HOME", "PATH", "PYENV_HOOK_PATH")
