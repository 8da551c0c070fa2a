"""bash's appending assignment ``NAME+=VALUE``, read as the assignment it is.

``PATH=; PATH+=DIR:/usr/bin:/bin; tar ...`` gives PATH the old value with VALUE after it:
tar runs DIR/gzip. The line reading (``commands._LineState``, a command's prefix words)
models ``NAME=VALUE`` only, so a command's ``+=`` words are rewritten to that form before it
is read: ``NAME=OLDVALUE`` when the line knows NAME's value at that point, else
``NAME=${NAME}VALUE`` with NAME handed back as unknown, which the line counts as assigned a
value it cannot tell (PATH: ``refuse_unknown_path``; red team 88 F2).
Covers the prefix words (``PATH= PATH+=DIR tar``, in order) and a declaring builtin's
operands (``export PATH+=DIR``, ``declare``, ``local``...). dash has no ``+=``: there the
word is a command name, and reading it as an assignment only makes the reading stricter.
"""

import re
from typing import Callable, Dict, List, Optional, Set, Tuple

_APPEND = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)\+=(.*)$", re.DOTALL)
_ASSIGN = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)=(.*)$", re.DOTALL)
# characters the reading would read again as shell text in an old value put into a word
_SHELL_TEXT = re.compile(r"[$`\\]")


def rewritten(
    words: List[str],
    current: Callable[[str], Optional[str]],
    declaring: Set[str],
    unwrap: Callable[[List[str]], List[str]],
) -> Tuple[List[str], Set[str]]:
    """``words`` (a simple command) with each appending assignment as a plain one, and the
    names appended to whose old value is unknown.
    ``current(NAME)``: the line's value of NAME before the command (None: unknown);
    ``declaring``: the builtins whose operands are assignments; ``unwrap``: the builtin a
    command runs behind ``command``/``builtin``."""
    out, unknown = list(words), set()
    own: Dict[str, Optional[str]] = {}  # the command's earlier prefix words, in order
    i = 0
    while i < len(out):
        appended = _APPEND.match(out[i])
        plain = _ASSIGN.match(out[i])
        if appended:
            out[i] = _as_plain(appended.group(1), appended.group(2), own, current, unknown)
        elif not plain:
            break
        name, value = _ASSIGN.match(out[i]).groups()
        own[name] = None if _SHELL_TEXT.search(value) else value
        i += 1
    rest = unwrap(out[i:])
    if rest and rest[0] in declaring:
        # the operands a builtin assigns hold for the line after it: no prefix values
        start = len(out) - len(rest) + 1
        for k in range(start, len(out)):
            appended = _APPEND.match(out[k])
            if appended:
                out[k] = _as_plain(appended.group(1), appended.group(2), {}, current, unknown)
    return out, unknown


def _as_plain(
    name: str,
    value: str,
    own: Dict[str, Optional[str]],
    current: Callable[[str], Optional[str]],
    unknown: Set[str],
) -> str:
    old = own[name] if name in own else current(name)
    if old is None or _SHELL_TEXT.search(old):
        unknown.add(name)
        return f"{name}=${{{name}}}{value}"  # an expansion of a name read as unknown
    return f"{name}={old}{value}"


def appends(words: List[str]) -> bool:
    """Whether a word of ``words`` is an appending assignment."""
    return any(_APPEND.match(word) for word in words)
