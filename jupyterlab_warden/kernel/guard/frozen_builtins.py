"""The builtins, the import system and the file-system encoding as the guard booted, for the
guard's own decision path (red team 38a R38a-1, R38a-2, R38a-3, R38a-5, R38a-6).

The guard decides inside a process whose code is the attacker's: every name its rule looks up
when it runs is the process's to rebind. ``frozen_os`` froze ``os``/``os.path``/``stat``
(R36-3); this freezes the rest the rule reads:

* ``FROZEN``: a copy of ``builtins``' names taken now. The modules of the decision path bind it
  as their ``__builtins__`` before their first ``def``, so their functions call the boot's
  ``type``, ``isinstance``, ``len``... (a rebound ``builtins.type`` that reads a ``str``
  subclass as ``str`` reaches none of them) and import through ``guard_import``.
* ``guard_import``: an import the guard's code makes of a module not loaded yet runs with the
  import system of the boot (``builtins.__import__``, ``sys.meta_path`` and ``sys.path`` as
  ``seal`` kept them), so neither a hook the process added nor its script's folder (a
  ``contextvars.py`` beside it) takes part. A module already loaded is taken from
  ``sys.modules`` as it is (open: a module object put there by the process). Until ``seal``:
  then ``FROZEN``'s ``__import__`` is ``private_modules.sealed_import``.
* ``fs_decode``: bytes read with the encoding the interpreter started with (what C code
  converts them with), not the live ``sys.getfilesystemencoding``; utf-8 (and ascii, latin-1)
  by CPython's own decoder, which no ``codecs.register`` reaches.
* ``PATH_CLASSES``: the standard library's pathlib classes, noted when that module was loaded
  from the library's file (``note_pathlib``), not looked up in ``sys.modules`` at each read.

Imports ``builtins`` and ``sys`` only (both built in): every guarded Python loads it at boot.
"""

import builtins
import sys

_IMPORT = builtins.__import__
FS_ENCODING = sys.getfilesystemencoding()
_IMPORT_SYSTEM = {"meta_path": tuple(sys.meta_path), "path": tuple(sys.path)}
# the library's modules the guard takes as the process's own (open), sealed or not: the
# import system itself; those whose body changes the process (threading's main-thread
# sentinel, site's .pth files) or whose state is the process's (warnings' filters, logging's
# handlers). ``private_modules`` copies every other library module.
SHARED = frozenset(("importlib", "threading", "warnings", "logging", "site"))
# the types of the standard library's pathlib paths (``note_pathlib``): filled once, when
# pathlib is loaded from the library's own file
PATH_CLASSES = set()


def seal() -> None:
    """The import system of the boot, once the guard's own finder is in (``patches.install``):
    what the guard's late imports load with. From now on ``FROZEN``'s ``__import__`` is
    ``private_modules``' (red team 39a), which hands out the modules loaded now (Warden's
    guard and what it and the interpreter loaded before any code of the process ran) under
    their names, and its own copies of the rest.

    ``private_modules`` itself then leaves ``sys.modules`` and its package (mods 67): its
    tables hold every copy and every Warden module the guard loads later, so the process
    must not find it by name. The guard reaches it through ``FROZEN``'s ``__import__`` and the
    functions its sealed modules bound at their import (``own_module``); its own table of the
    sealed modules holds it, so the guard's later ``from ..private_modules import x`` is that
    object, never a fresh copy the process's import would run and note."""
    if FROZEN["__import__"] is not guard_import:
        return  # sealed already: one private_modules a process
    from . import private_modules  # built-in modules only: loaded at the boot, before the seal

    _IMPORT_SYSTEM["meta_path"] = tuple(sys.meta_path)
    _IMPORT_SYSTEM["path"] = tuple(sys.path)
    FROZEN["__import__"] = private_modules.seal(dict(sys.modules))
    name = private_modules.__name__
    if sys.modules.get(name) is private_modules:
        del sys.modules[name]
    package = getattr(sys.modules.get(name.rpartition(".")[0]), "__dict__", {})
    if package.get("private_modules") is private_modules:
        del package["private_modules"]


def _loaded(name: str, globals, fromlist, level: int) -> bool:
    """Whether the import names only modules (and names of modules) loaded already: then the
    import system reads ``sys.modules`` alone, no finder."""
    modules = sys.modules
    if level:
        package = (globals or {}).get("__package__") or ""
        base = package.rsplit(".", level - 1)[0] if level > 1 else package
        name = f"{base}.{name}" if name else base
    module = modules.get(name)
    if module is None:
        return False
    for item in fromlist or ():
        if item != "*" and f"{name}.{item}" not in modules and not hasattr(module, item):
            return False
    return True


def guard_import(name, globals=None, locals=None, fromlist=(), level=0):
    """``__import__`` of the guard's modules (``FROZEN``) until ``seal`` ran (the lab, tests
    importing the guard's modules, a guarded Python's boot): what is loaded is read from
    ``sys.modules``, anything else is loaded with the import system of the boot. ``seal``
    puts ``private_modules.sealed_import`` in its place (red team 39a: no module, class or
    cache the process can reach or plant)."""
    if not level and not fromlist and name in SHARED and sys.modules.get(name) is not None:
        # a shared module loaded already: the process's own from ``sys.modules``
        # (``boot_import``), here without its frames
        return _IMPORT(name, globals, locals, fromlist, level)
    return boot_import(name, globals, locals, fromlist, level)


def boot_import(name, globals=None, locals=None, fromlist=(), level=0):
    """``__import__`` with the import system of the boot. The swap is process-wide for the
    load's time (the import lock does not cover another thread's import statements): a first
    load happens once per module."""
    if _loaded(name, globals, fromlist, level):
        return _IMPORT(name, globals, locals, fromlist, level)
    # the modules it loads (the library's too: ``re`` runs ``enum``) run their bodies with
    # the builtins module itself: its names rebound since the boot are put back meanwhile
    names = vars(builtins)
    changed = {k: names.get(k, _GONE) for k, v in _BOOT.items() if names.get(k, _GONE) is not v}
    held = sys.meta_path, sys.path
    names.update({k: _BOOT[k] for k in changed})
    sys.meta_path = list(_IMPORT_SYSTEM["meta_path"])
    sys.path = list(_IMPORT_SYSTEM["path"])
    try:
        return _IMPORT(name, globals, locals, fromlist, level)
    finally:
        sys.meta_path, sys.path = held
        for key, value in changed.items():
            if value is _GONE:
                names.pop(key, None)
            else:
                names[key] = value


_BOOT = dict(vars(builtins))
_GONE = object()
FROZEN = dict(_BOOT, __import__=guard_import)


def fs_decode(data: bytes) -> str:
    """``data`` (exact bytes) as C code reads a bytes path or word: the interpreter's own
    file-system encoding, surrogateescape."""
    return bytes.decode(data, FS_ENCODING, "surrogateescape")


_TYPE = type  # the boot's, as the rest of this module's names


def path_text(path, fspath):
    """The text of ``path``, a path of the standard library's pathlib (``PATH_CLASSES``), as
    the exact str ``fspath`` answers, or None when that answer is not an exact str (red team 41a
    R41a-1: a path's ``_str`` is an instance attribute the process may set to a ``str``
    subclass, which C converts by its data while Python code, Warden's reading or
    ``os.fsencode`` in subprocess, calls its own methods): such a path is refused, its text
    read once, here, and handed on as that exact str."""
    try:
        text = fspath(path)
    except Exception:  # noqa: BLE001 - a text that is no str at all (str() refused it)
        return None
    return text if _TYPE(text) is str else None


def note_pathlib(module, origin) -> None:
    """Notes the path classes of ``module``, pathlib loaded from ``origin``: only the standard
    library's own file counts (``patches``' finder, or pathlib loaded before the guard)."""
    library = getattr(sys, "_stdlib_dir", None) or _library()
    if type(origin) is not str or not origin.startswith(library + "/pathlib"):
        return
    for name in ("PurePath", "PurePosixPath", "PosixPath", "Path"):
        cls = getattr(module, name, None)
        if type(cls) is type:
            PATH_CLASSES.add(cls)


def _library() -> str:
    import os  # the guard's boot loaded it

    return os.path.dirname(os.__file__)
