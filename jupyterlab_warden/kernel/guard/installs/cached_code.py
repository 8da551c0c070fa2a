"""Whether a Python runs the source file Warden read, or compiled code standing in for it
(red team 11 R11-8).

Importing ``mod`` (``python -m mod``, a package's ``__init__``) loads
``__pycache__/mod.<tag>.pyc`` instead of ``mod.py`` whenever the import system calls that pyc
valid, and the 16-byte header alone says when (PEP 552): flags 0 is a timestamp pyc, valid
when its recorded source mtime and size equal the source's (both are easy to forge: write the
benign source, ``os.utime`` it); flags 1 an UNCHECKED hash pyc, valid whatever the source says;
flags 3 a checked hash pyc, compared with the source's hash (unless the Python runs with
``--check-hash-based-pycs never``). An extension module (``mod.*.so``) next to the source is
preferred to it by every Python, and tags of other Python versions are other files again.

So a source file is what runs only when no pyc of any tag would be taken without reading it,
or the one that would is the kernel's own compilation of that very source (an ordinary
project's cache, written by an earlier import)."""

import glob
import importlib.util
import marshal
import os
from typing import Optional

_HEADER = 16


def stand_in(source: str, never_check: bool = False) -> str:
    """Why ``source`` may not be the code a Python importing it runs ('' when it is)."""
    folder, name = os.path.split(source)
    stem = name[: -len(".py")] if name.endswith(".py") else name
    for pattern in (f"{stem}.*.so", f"{stem}.so", f"{stem}.*.pyd", f"{stem}.pyd"):
        found = glob.glob(os.path.join(glob.escape(folder), pattern))
        if found:
            return f"{os.path.basename(found[0])}, an extension module, stands in for {name}"
    cached = glob.glob(
        os.path.join(glob.escape(folder), "__pycache__", glob.escape(stem) + ".*.pyc")
    )
    for pyc in sorted(cached):
        why = _taken_unread(pyc, source, never_check)
        if why:
            return f"{os.path.relpath(pyc, folder)} {why} and may run instead of {name}"
    return ""


def _taken_unread(pyc: str, source: str, never_check: bool) -> str:
    """Why a Python could load ``pyc`` without reading ``source`` ('' when it cannot, or when
    the pyc is the kernel's own compilation of that source)."""
    try:
        with open(pyc, "rb") as fh:
            header = fh.read(_HEADER)
        stat = os.stat(source)
    except OSError:
        return "cannot be read"
    if len(header) < _HEADER:
        return ""  # the import system rejects a truncated header and compiles the source
    flags = int.from_bytes(header[4:8], "little")
    if flags & ~0b11:
        return ""  # invalid flags: the import system rejects it
    if flags == 0:
        mtime = int.from_bytes(header[8:12], "little")
        size = int.from_bytes(header[12:16], "little")
        if mtime != int(stat.st_mtime) & 0xFFFFFFFF or size != stat.st_size & 0xFFFFFFFF:
            return ""  # stale: recompiled from the source
        if _compiled_from(pyc, header, source):
            return ""
        return "matches the source's time and size (not its code)"
    if flags & 0b10 and not never_check:
        return ""  # checked against the source's hash
    if _compiled_from(pyc, header, source):
        return ""
    return "is a hash-based pyc that is not checked against its source"


def _compiled_from(pyc: str, header: bytes, source: str) -> bool:
    """Whether ``pyc`` holds this Python's compilation of ``source`` (code objects compared,
    not bytes: marshal output varies with reference counts)."""
    if header[:4] != importlib.util.MAGIC_NUMBER:
        return False  # another Python's: Warden cannot compile as it would
    optimize = _optimization(os.path.basename(pyc))
    if optimize is None:
        return False
    try:
        with open(pyc, "rb") as fh:
            # loading builds objects and runs nothing; a malformed file can at worst fail
            # (or crash this kernel, which the cell that wrote it could do anyway)
            cached = marshal.loads(fh.read()[_HEADER:])  # noqa: S302
        with open(source, "rb") as fh:
            compiled = compile(fh.read(), source, "exec", dont_inherit=True, optimize=optimize)
    except (OSError, ValueError, EOFError, TypeError, SyntaxError, RecursionError, MemoryError):
        return False
    return cached == compiled


def _optimization(name: str) -> Optional[int]:
    """The -O level a ``mod.<tag>[.opt-N].pyc`` name was written for (None: not this
    Python's tag)."""
    tag = importlib.util.cache_from_source("x.py")
    base = os.path.basename(tag)[len("x") : -len(".pyc")]  # ".cpython-311"
    rest = name.split(".", 1)[1] if "." in name else ""
    rest = "." + rest[: -len(".pyc")]
    if rest == base:
        return 0
    for level in (1, 2):
        if rest == f"{base}.opt-{level}":
            return level
    return None
