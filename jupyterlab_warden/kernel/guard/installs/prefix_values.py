"""A command's assignment words read with the values the shell gives them.

``PATH=$PWD/venv/bin:$PATH python -V`` runs python with the PATH the shell makes from the
line's (or the inherited) values; ``export PATH=...:$PATH`` was read that way
(``_LineState.resolved``) while the prefix word was refused as an expansion Warden cannot
resolve (red team 88 FR2). A command's own prefix words and its wrappers' (``env X=V``,
``sudo X=V``) are rewritten to ``NAME=<value>`` before the command is read, so the program
lookup, the start's environment and the guard's PATH folder rules all see that value.

Left as written (and refused where the value decides how the line is read), fail closed:
- a value naming a variable the same command assigned in an earlier word (``X=a Y=$X cmd``:
  bash sees the earlier prefix word, dash does not);
- a value ``resolve`` does not tell (another expansion, a quoted ``'$X'``, an unknown name,
  a name the start does not hold: ``_LineState._told``);
- a resolved value that holds shell text (``$``, a backquote, a backslash), which the reading
  would take for an expansion again, or a substitution's marker;
- in a wrapper's word (an argument, which the shell splits and globs, unlike an
  assignment): a value with a blank or a pattern character, or any once the line sets IFS.
"""

import re
from typing import Callable, List, Optional

_ASSIGN = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)=(.*)$", re.DOTALL)
# the names a value expands (`$NAME`, `${NAME...`): what an earlier word may have assigned
_NAMED = re.compile(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)")
# what the reading would read again as shell text (and the line's substitution marker)
_SHELL_TEXT = re.compile(r"[$`\\\x01]")
# what splits or globs an argument (an assignment is neither split nor globbed)
_SPLIT = re.compile(r"[ \t\n*?\[]")


def resolved_words(
    words: List[str],
    own: int,
    end: int,
    reads: Callable[[str], bool],
    resolve: Callable[[str], Optional[str]],
    splits_plainly: bool,
) -> List[str]:
    """``words`` with the assignment words of ``words[:end]`` whose variable ``reads`` (a
    variable that changes how the line is read) holds expansions ``resolve`` tells, as
    ``NAME=<value>``. ``words[:own]`` are the command's own prefix words, the others up to
    ``end`` its wrappers' arguments; ``splits_plainly``: the line has not touched IFS."""
    out = list(words)
    earlier = set()  # the names the command's words before this one assign
    for i in range(min(end, len(words))):
        found = _ASSIGN.match(words[i])
        if not found:
            continue  # a wrapper's option (`env -u X`)
        name, value = found.groups()
        named = set(_NAMED.findall(value))
        argument = i >= own  # split and globbed by the shell, unlike an assignment
        if "$" in value and reads(name) and not named & earlier:
            if not (argument and not splits_plainly):
                out[i] = _resolved(name, value, named, resolve, argument)
        earlier.add(name)
    return out


def _resolved(
    name: str,
    value: str,
    named: set,
    resolve: Callable[[str], Optional[str]],
    argument: bool,
) -> str:
    word = name + "=" + value
    full = resolve(value)
    if full is None or _SHELL_TEXT.search(full):
        return word
    # an argument's expanded values are split at blanks and globbed
    parts = [resolve("${" + each + "}") for each in named] if argument else []
    if any(part is None or _SPLIT.search(part) for part in parts):
        return word
    return name + "=" + full
