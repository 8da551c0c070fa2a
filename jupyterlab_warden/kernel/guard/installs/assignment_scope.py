"""Where an assignment of a shell line holds, and where Warden cannot tell (red team 90 F8).

The line state (``commands._LineState``) reads the commands in text order and applies each
``X=v``, ``export X=v``, ``unset X`` to every command written after it. The shell does not:

- a command that runs in a subshell changes nothing after it: a background job (``X=v &``,
  ``{ X=v; } &``), a pipeline's stage (``X=v | true``; the last one too, unless bash's
  lastpipe), ``( X=v )``;
- a command that may not run changes nothing when it does not: ``false && X=v; cmd``, ``a ||
  X=v``, an ``if``/``case`` branch, a loop body that runs no round, a function body (which
  runs when, and each time, the function is called: ``f() { PATH=tools:$PATH; }; f; pip``);
- an assignment in front of a POSIX special builtin (``:``, ``.``, ``eval``, ``exec``,
  ``export``, ``readonly``, ``set``, ``shift``, ``times``, ``trap``, ``unset``, ``return``,
  ``break``, ``continue``, ``exit``) stays in sh (dash, ``bash --posix``, ``set -o posix``)
  and is dropped by bash: ``PATH=$PWD/tools:$PATH : ; tar czf o.tgz a.txt`` runs the line's
  tools/gzip under dash.

Read in text order, ``os.environ['npm_config_script_shell'] = 'tools/x'`` then ``f() {
npm_config_script_shell=/bin/true; }; npm test`` (or ``... & npm test``, ``false &&
...``) was read with /bin/true while npm ran tools/x. Here every name such a command
assigns or unsets is one whose value is unknown from then on (``unknown_names``: a Python or
PATH start refused, an installer setting unread, an exported one refused at any program
start by ``unknown_exports``); an assignment joined by ``&&`` holds for the commands joined
to it by ``&&`` alone (``cd d && export X=v && pip ...`` reads as before), and is unknown
once its and-or list ends (``pending``). A command's own prefix assignments (``X=v cmd &``)
are its environment, read with it, and never leak.
"""

import re
from typing import List, Set

from . import line_flow

_ASSIGNMENT = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)(\[[^\]]*\])?\+?=")
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# POSIX special builtins (XCU 2.14): their prefix assignments stay in sh, not in bash
SPECIAL_BUILTINS = frozenset(
    (":", ".", "break", "continue", "eval", "exec", "exit", "export", "readonly", "return",
     "set", "shift", "times", "trap", "unset")
)  # fmt: skip
_DECLARING = frozenset(("export", "declare", "typeset", "readonly", "local", "unset"))
# operators whose command runs in a subshell of its own: a pipeline's stages, the background
_APART = frozenset(("|", "|&"))


def assigned(command: List[str]) -> Set[str]:
    """The names ``command`` (reserved words removed) sets or unsets in the shell itself for
    the commands after it: a bare assignment's, a special builtin's prefix assignments, a
    declaring builtin's or ``unset``'s operands."""
    i = 0
    names = set()
    while i < len(command) and _ASSIGNMENT.match(command[i]):
        names.add(_ASSIGNMENT.match(command[i]).group(1))
        i += 1
    inner = line_flow.unwrap_builtin(command[i:])
    if not inner:
        return names
    if inner[0] not in SPECIAL_BUILTINS:
        names = set()
    if inner[0] in _DECLARING:
        for word in inner[1:]:
            name = word.split("=", 1)[0].split("[", 1)[0].rstrip("+")
            if _NAME.match(name):
                names.add(name)
    return names


def special_prefix(command: List[str]) -> Set[str]:
    """The names assigned in front of a special builtin (kept by sh, dropped by bash)."""
    i = 0
    while i < len(command) and _ASSIGNMENT.match(command[i]):
        i += 1
    inner = line_flow.unwrap_builtin(command[i:])
    if i and inner and inner[0] in SPECIAL_BUILTINS:
        return {_ASSIGNMENT.match(w).group(1) for w in command[:i]}
    return set()


def unsure(command: List[str], nested: bool, before: str, after: str, either: bool) -> Set[str]:
    """The names ``command`` sets that the commands after it (in text order) may see with
    another value than it sets: it runs in a subshell (a pipeline's stage, the background), may
    not run (nested in a compound or a function body, after ``||`` in its and-or list), or is
    a special builtin's prefix."""
    names = assigned(command)
    if not names:
        return set()
    if nested or either or before in _APART or after in _APART or after == "&":
        return names
    if before == "||":
        return names
    return special_prefix(command)


def pending(command: List[str], before: str) -> Set[str]:
    """The names ``command`` sets when it runs only if the commands before it in its and-or
    list succeeded (joined by ``&&``): known for the commands joined to it by ``&&``, unknown
    once the list ends."""
    return assigned(command) if before == "&&" else set()


# what ends a simple command in the token stream (``commands._OPERATORS``' separators)
_ENDS = frozenset((";", "&&", "||", "|", "&", "\n", "(", ")", ";;", "|&", "{", "}"))
_AMP_REDIRECTS = frozenset(("&>", "&>>"))


def scope_unsure(tokens: List[str]) -> bool:
    """Whether a line's tokens hold a command whose assignments may run apart from the line's
    shell though Warden cannot tell which (every assignment then read as unsure): a ``(``
    or ``)`` (the reader drops a subshell's parentheses), or an ``&>``/``&>>`` redirection of a
    command that assigns in the shell (dash reads ``export X=1 &>f`` as ``export X=1 &`` and
    ``>f``: a background job). A ``&>`` of any other command (``python3 train.py &> log.txt``)
    leaves every assignment where it was: that command's own prefix assignments never leak."""
    if any(t in ("(", ")") for t in tokens):
        return True
    for k, token in enumerate(tokens):
        if token not in _AMP_REDIRECTS:
            continue
        start = k
        while start > 0 and tokens[start - 1] not in _ENDS:
            start -= 1
        words = [t for t in tokens[start:k] if not re.match(r"^\d*[<>]", t)]
        if not words or assigned(words) or _calls_or_assigns(words):
            return True
    return False


def _calls_or_assigns(words: List[str]) -> bool:
    """A command that may assign in the shell: a bare assignment, a declaring or special
    builtin, or any word Warden cannot place (a function call, ``eval``)."""
    i = 0
    while i < len(words) and _ASSIGNMENT.match(words[i]):
        i += 1
    inner = line_flow.unwrap_builtin(words[i:])
    return (
        not inner
        or inner[0] in SPECIAL_BUILTINS
        or inner[0] in _DECLARING
        or (not re.match(r"^[\w./+-]+$", inner[0]))
    )
