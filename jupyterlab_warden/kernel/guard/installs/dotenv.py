"""dotenv files ``uv run --env-file F`` / ``UV_ENV_FILE`` load into the command uv runs.

uv reads them with the ``dotenvy`` crate (python-dotenv's syntax: ``export``, quotes, ``#``
comments, ``$VAR`` expansion, multi-line quoted values). Warden reads a strict subset, one
``KEY=VALUE`` a line with a plain, single- or double-quoted value, and refuses what it cannot
read that way (an expansion, an escape, an open quote, a key given twice) rather than guess
what the command would see. The guard must start fast, so this is no library.
"""

import os
import re
from typing import Dict, List

from . import requirements

_LINE = re.compile(r"^(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_.]*)[ \t]*=[ \t]*(.*)$")
_PLAIN = re.compile(r"^([^'\"\\$#]*?)[ \t]*(?:[ \t]#.*)?$")
# a control character (a lone CR: does dotenvy end the line there?) or another line break
_ODD = re.compile("[\x00-\x08\x0b-\x1f\x7f\x85\u2028\u2029]")
_QUOTED = re.compile(r"^(?:'([^']*)'|\"([^\"\\$]*)\")[ \t]*(?:#.*)?$")


def read_files(paths: List[str], cwd: str) -> Dict[str, str]:
    """The variables of ``paths`` (relative to ``cwd``); ValueError or OSError saying what
    Warden cannot read."""
    found: Dict[str, str] = {}
    for path in paths:
        label = os.path.basename(path) or path
        text = requirements.read_regular_file(os.path.join(cwd, path))
        for number, (key, value) in enumerate(_pairs(text, label), 1):
            if key in found and found[key] != value:
                raise ValueError(f"{label} sets {key} a second time (entry {number})")
            found[key] = value
    return found


def _pairs(text: str, label: str):
    for number, line in enumerate(text.split("\n"), 1):
        line = line.removesuffix("\r")
        if _ODD.search(line):
            raise ValueError(f"{label} line {number} holds a control character")
        line = line.strip(" \t")
        if not line or line.startswith("#"):
            continue
        m = _LINE.match(line)
        value = _value(m.group(2)) if m else None
        if value is None:
            raise ValueError(f"{label} line {number} is not a KEY=VALUE line Warden reads")
        yield m.group(1), value


def _value(raw: str):
    if raw[:1] in ("'", '"'):
        m = _QUOTED.match(raw)
        return None if m is None else (m.group(1) if m.group(1) is not None else m.group(2))
    m = _PLAIN.match(raw)
    return None if m is None else m.group(1)
