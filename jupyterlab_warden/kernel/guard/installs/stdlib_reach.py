"""A local file named like a standard-library module that the standard library itself imports
(red team 13 R13-21).

A guardless Python whose ``sys.path`` puts a folder before its standard library (the script's
folder without ``-I``/``-P``, the working folder for ``-c``/``-m``, PYTHONPATH's folders)
imports a module of that folder named like a standard-library one in its place: not only when
the code Warden reads imports it (R12-7 refuses that: ``guardless.local_modules``) but when a
standard-library module the code imports does (``import json`` -> json.decoder -> ``re``;
``tempfile`` -> ``random``; ``logging`` -> ``traceback`` -> ``linecache`` -> ``tokenize``).

Refusing every standard-library name would refuse ordinary projects with a ``test.py`` or
``code.py`` beside a script, so the rule is the reach: the standard-library modules the code
imports (and Python's start-up ones), then every standard-library module those import,
anywhere in their files (a function's import runs when it is called), a package by all of its
files. A folder entry named like one of them is a stand-in. The roots are the code's imports
as its syntax tree has them (``guardless.imported_tops``: R14-8, an import after a ``;`` or in
a one-line ``try:`` is no import LINE); the reach below them is read from this kernel's own
standard library, by the import lines of its sources (a cheap over-reading: an import line in
a docstring counts too), once per name; a child of another Python version imports much the
same names.
"""

import functools
import os
import re
from typing import Dict, Iterable, List, Set

from ..boot_sys import BOOT_SYS  # sys as at the boot (red team 49a)

# Modules the standard library imports by a COMPUTED top-level name (red team 29a R29a-11),
# which no import line shows and ``sys.stdlib_module_names`` does not list: the importing
# module -> the name's prefix; a folder entry whose name starts with it stands in for all of
# them. sysconfig: ``__import__(_get_sysconfigdata_name())``, ``_sysconfigdata_{abiflags}_
# {platform}_{multiarch}`` (3.11's stdlib, grepped for ``__import__``/``import_module`` of a
# computed name: the others are submodules of their own package, or names the caller gives:
# encodings' codecs, dbm's, pickle's classes, logging.config's; PY_SAX_PARSER is R17-2's).
COMPUTED = {"sysconfig": "_sysconfigdata_"}

# names a folder entry can stand in for: built-in modules are never looked up on sys.path
SHADOWABLE = (
    frozenset(getattr(BOOT_SYS, "stdlib_module_names", ()))
    - frozenset(BOOT_SYS.builtin_module_names)
) | frozenset(COMPUTED.values())
# what a Python imports once the folder is on its path and before the code: runpy, for -m
# (site's start-up imports come before the script's folder is on the path: R13-10 reads a
# PYTHONPATH folder's); counted for every start, a small over-reading
START_UP = ("runpy",)

_IMPORT = re.compile(r"^[ \t]*import[ \t]+([^\n#;\\(]+)", re.M)
_FROM = re.compile(r"^[ \t]*from[ \t]+([A-Za-z_]\w*)[\w.]*[ \t]+import\b", re.M)


def imported_names(text: str) -> Set[str]:
    """The top-level module names ``text``'s import lines name (anywhere in it): for the
    standard library's own sources only, where reading too many is the safe side; the code
    Warden reads is read by its syntax tree (``guardless.imported_tops``)."""
    names = set(_FROM.findall(text))
    for line in _IMPORT.findall(text):
        for part in line.split(","):
            word = part.strip().split(" ")[0].split(".")[0]
            if word.isidentifier():
                names.add(word)
    return names


def _stdlib() -> str:
    from .own_python import OWN  # as the guard installed: a cell may patch sysconfig (R28c-1)

    return OWN.stdlib()


@functools.lru_cache(maxsize=None)
def _direct(name: str) -> frozenset:
    """The standard-library names the module or package ``name`` imports (all its files)."""
    base = os.path.join(_stdlib(), name)
    files: List[str] = []
    if os.path.isdir(base):
        for folder, _subs, names in os.walk(base):
            files += [os.path.join(folder, n) for n in names if n.endswith(".py")]
    elif os.path.isfile(base + ".py"):
        files.append(base + ".py")
    found: Set[str] = set()
    for path in files:
        try:
            with open(path, encoding="utf-8", errors="replace") as fh:
                found |= imported_names(fh.read())
        except OSError:
            continue
    if name in COMPUTED:
        found.add(COMPUTED[name])
    return frozenset(found & SHADOWABLE)


def reaches(roots: Iterable[str], wanted: Set[str]) -> str:
    """The first of ``wanted`` that importing ``roots`` (standard-library names) reaches
    through the standard library's own imports ('' when none)."""
    seen: Set[str] = set()
    todo = [name for name in roots if name in SHADOWABLE]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        if name in wanted:
            return name
        todo += [n for n in _direct(name) if n not in seen]
    return ""


@functools.lru_cache(maxsize=64)
def closure(roots: frozenset) -> frozenset:
    """``roots`` (standard-library names) and every standard-library name importing them
    reaches through the standard library's own imports (red team 39c: what a Python start may
    import before its guard, ``start_files.start_reach``)."""
    seen: Set[str] = set()
    todo = [name for name in roots if name in SHADOWABLE]
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo += [n for n in _direct(name) if n not in seen]
    return frozenset(seen)


def stand_ins(folders: Iterable[str]) -> Dict[str, str]:
    """Entries of ``folders`` the import system takes for a standard-library module of that
    name (a module, compiled or extension, or a regular package) -> its path; the first
    folder's wins, as on ``sys.path``."""
    found: Dict[str, str] = {}
    for folder in folders:
        try:
            entries = os.listdir(folder)
        except OSError:
            continue
        for entry in entries:
            path = os.path.join(folder, entry)
            stem = _stem(entry)
            if stem not in SHADOWABLE or stem in found:
                continue
            real = entry.split(".")[0]  # a computed name's own
            if os.path.isdir(path):
                if any(
                    os.path.exists(os.path.join(path, init))
                    for init in ("__init__.py", "__init__.pyc")
                ) or any(n.startswith("__init__.") for n in _names(path)):
                    found[stem] = path
            elif entry in (real + ".py", real + ".pyc", real + ".so") or (
                entry.endswith(".so") and entry.startswith(real + ".")
            ):
                found[stem] = path
    return found


def _stem(entry: str) -> str:
    """The module name a folder entry is imported by, a computed name's prefix for any name
    it starts (``_sysconfigdata__linux_x86_64-linux-gnu.py`` -> ``_sysconfigdata_``)."""
    stem = entry.split(".")[0]
    return next((p for p in COMPUTED.values() if stem.startswith(p)), stem)


def _names(folder: str) -> List[str]:
    try:
        return os.listdir(folder)
    except OSError:
        return []
