"""Whether a module an editable install's ``.pth`` imports is setuptools' own finder, written
from its template with only the template's three values filled in.

``pip install -e .`` (setuptools 64 and later) writes ``__editable__.NAME.pth``, whose one line
imports ``__editable___NAME_finder`` and calls its ``install()``, and that module: setuptools'
``_FINDER_TEMPLATE`` (command/editable_wheel.py) formatted with ``mapping`` (top-level package
-> its source folder), ``namespaces`` and ``name``. Both are new after an install the gate
allowed, so every Python started after it was refused until the kernel restarted
(``start_files``: "a module its .pth files import, changed since the kernel started").

The module runs only the template's code at start: it appends a finder to ``sys.meta_path``
(and a path hook for namespaces), which imports the project's packages, the notebook's own code
by design, when they are imported and nothing earlier on the path has them. It is vouched for
when its text, with the three values set back to the template's empty ones, is one of the
templates shipped in ``editable-finders.json`` (by digest; scripts/editable-finder-shapes.py
writes it from setuptools' own wheels), and the values are the plain literals the template
writes. No package it maps may be one ``site`` imports by name at start (``sitecustomize``,
``usercustomize``): the finder would run the project's file there, before a guardless start's
first line of its own; ``start_files`` refuses one that maps a name another ``.pth`` line
imports and no folder holds (``mapped_names``).
"""

import ast
import hashlib
import json
import re
from typing import FrozenSet, Optional, Tuple

from .names import data_path

SHAPES_FILE = "editable-finders.json"
FINDER_NAME = re.compile(r"__editable___[\w.]+_finder\.py")
# the three values the template formats (``{mapping!r}``...), as the file's lines assign them,
# and the empty ones the shipped digests were taken with
_PLACEHOLDER_SUFFIX = ' + ".__path_hook__"'
_EMPTY = {"MAPPING": "{}", "NAMESPACES": "{}", "PATH_PLACEHOLDER": "''" + _PLACEHOLDER_SUFFIX}
_ASSIGNED = re.compile(r"(MAPPING|NAMESPACES|PATH_PLACEHOLDER)(: [^=]*)? = (.*)")
# modules ``site`` imports by name while a Python starts
_START_NAMES = frozenset(("sitecustomize", "usercustomize"))

_shapes: Optional[FrozenSet[str]] = None


def shape(text: str) -> Optional[str]:
    """The digest of ``text`` with the three values set back to empty ones, or None when a
    value is not the plain literal the template writes (or a line is missing or repeated)."""
    read = _read(text)
    return read[0] if read is not None else None


def _read(text: str) -> Optional[Tuple[str, FrozenSet[str]]]:
    """(``shape``, the top-level names the finder maps), or None."""
    lines = text.split("\n")
    seen, names = set(), set()
    for number, line in enumerate(lines):
        match = _ASSIGNED.fullmatch(line)
        if match is None:
            continue
        name, annotation, value = match.groups()
        literal = _plain_value(name, value) if name not in seen else None
        if literal is None:
            return None
        seen.add(name)
        names.update(key.split(".")[0] for key in literal if name != "PATH_PLACEHOLDER")
        lines[number] = f"{name}{annotation or ''} = {_EMPTY[name]}"
    if seen != set(_EMPTY) or names & _START_NAMES:
        return None
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest(), frozenset(names)


def _plain_value(name: str, value: str):
    """The literal ``value`` holds when it is one of the kind the template writes for
    ``name``, else None."""
    if name == "PATH_PLACEHOLDER":
        if not value.endswith(_PLACEHOLDER_SUFFIX):
            return None
        value = value[: -len(_PLACEHOLDER_SUFFIX)]
    try:
        literal = ast.literal_eval(value)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return None
    if name == "PATH_PLACEHOLDER":
        return literal if isinstance(literal, str) else None
    if not isinstance(literal, dict) or not all(isinstance(k, str) for k in literal):
        return None
    values = literal.values()
    if name == "MAPPING":
        plain = all(isinstance(v, str) for v in values)
    else:
        plain = all(isinstance(v, list) and all(isinstance(p, str) for p in v) for v in values)
    return literal if plain else None


def mapped_names(path: str) -> Optional[FrozenSet[str]]:
    """The top-level names the finder at ``path`` maps to the project's folders when it is
    setuptools' editable finder as above, else None (not vouched for)."""
    if FINDER_NAME.fullmatch(path.rsplit("/", 1)[-1]) is None:
        return None
    try:
        with open(path, "rb") as handle:
            text = handle.read(1 << 20).decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    read = _read(text)
    if read is None or read[0] not in known_shapes():
        return None
    return read[1]


def vouched(path: str) -> bool:
    """Whether the file at ``path`` is setuptools' editable finder, as above."""
    return mapped_names(path) is not None


def known_shapes() -> FrozenSet[str]:
    """The digests shipped in ``editable-finders.json`` (none when it cannot be read: no
    finder is vouched for, and the start is refused as before)."""
    global _shapes
    if _shapes is None:
        try:
            with open(data_path(SHAPES_FILE), encoding="utf-8") as handle:
                table = json.load(handle)
            _shapes = frozenset(entry["sha256"] for entry in table["shapes"])
        except (OSError, ValueError, KeyError, TypeError):
            _shapes = frozenset()
    return _shapes
