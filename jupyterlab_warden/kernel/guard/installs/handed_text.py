"""What a shell may make of a word that a program Warden has no table for hands to it.

Such a program may run any of its words as ``sh -c`` text (``npx -c TEXT``, ``npm exec
--call=TEXT``, ``gcc -wrapper sh,-c,TEXT``), and the inner shell removes quotes before it
looks a name up: ``u""v p""ip install`` and ``u\\v`` run uv (red team 25 R25-1), though no
piece of the word as written is an installer's name. Warden does not parse such a word as a
shell line (a jq filter or a SQL query is no line a shell reader would accept, and nothing
says the program hands it to one); it reads the word's text twice, as written and with the
quotes removed, and refuses the command names a shell would start there when they are a
shell, a wrapper or a code interpreter, whose code it cannot read inside another program's
argument (``echo B64 | base64 -d | bash``).

String operations only: the fast path (every process start) calls ``dequoted`` and
``command_names`` too.
"""

import os
import re
from typing import List, Optional

# quote removal: what the shell drops (a backslash-newline pair first: a line continuation)
_QUOTES = str.maketrans("", "", "'\"\\")
# where a new command starts in shell text
_COMMAND_BREAKS = str.maketrans({c: "\n" for c in ";&|()`{}"})
# the same, where a brace stays in its word (bash's brace expansion: ``{u..u}v``)
_BREAKS_BUT_BRACES = str.maketrans({c: "\n" for c in ";&|()`"})
# words before a command that are not its name
_RESERVED = frozenset(("!", "if", "then", "else", "elif", "do", "while", "until", "time"))
# variables that say where a shell looks a command or a folder up
_LOOKUP_VARIABLES = frozenset(("PATH", "CDPATH"))
# commands that move the shell to another folder
_MOVES = frozenset(("cd", "pushd", "popd"))
# a redirection before the command's name (`>/dev/null bash`, `2> e bash`, `<f bash`)
_REDIRECTION = re.compile(r"^[0-9]*(>>|>\||<>|<<<|<<-|<<|>|<)")


def quoted(word: str) -> bool:
    """Whether the shell would remove something from ``word`` (its quotes or backslashes)."""
    return "'" in word or '"' in word or "\\" in word


def dequoted(word: str) -> str:
    """``word`` as the shell hands it to the command it runs, quotes removed (a superset of
    the names: a quoted ``'a b'`` keeps its blank, and is read as two names, which can only
    find more)."""
    return word.replace("\\\n", "").translate(_QUOTES)


def may_be_command_text(word: str) -> bool:
    """Whether ``word`` may be a command with words of its own (a blank, or a break)."""
    return any(c in word for c in " \t\n;&|,`")


def command_tokens(word: str, braces: bool = True) -> List[str]:
    """The words in command position in ``word`` read as shell text, quotes removed: the
    first word of each command (after ``;``, ``&``, ``|``, a parenthesis, a brace or a
    newline), past leading ``NAME=value`` assignments, reserved words (``then bash``) and
    redirections with their files (``2>/dev/null bash``, ``> log bash``). ``braces=False``:
    a brace does not start a command (the words bash's brace expansion reads)."""
    tokens = []
    # `2>&1`, `<&3` are redirections, not command breaks
    text = dequoted(word).replace(">&", ">").replace("<&", "<")
    breaks = _COMMAND_BREAKS if braces else _BREAKS_BUT_BRACES
    for command in text.translate(breaks).split("\n"):
        target = False  # the next word is a redirection's file (`> /dev/null bash`)
        for token in command.split():
            if target or token in _RESERVED:
                target = False
                continue
            redirection = _REDIRECTION.match(token)
            if redirection:
                target = redirection.end() == len(token)  # `>` alone: its file comes next
                continue
            if "=" in token.split("/", 1)[0] and not token.startswith("="):
                continue  # an assignment before the command: `X=1 bash`
            tokens.append(token)
            break
    return tokens


def command_names(word: str) -> List[str]:
    """``command_tokens`` as names: each one's last path part, and cut at a comma too (gcc's
    ``-wrapper sh,-c,TEXT`` runs sh)."""
    names = []
    for token in command_tokens(word):
        names.append(token.rsplit("/", 1)[-1])
        if "," in token:
            names.append(token.split(",", 1)[0].rsplit("/", 1)[-1])
    return names


def option_values(word: str) -> List[str]:
    """What follows the last ``=`` of each word in ``word``, quotes removed: a program reads
    an option's value as a command of its own (``-XX:OnOutOfMemoryError=bash``)."""
    text = dequoted(word).translate(_COMMAND_BREAKS)
    return [token.rsplit("=", 1)[1] for token in text.split() if "=" in token]


def has_pattern(token: str) -> bool:
    return "*" in token or "?" in token or "[" in token


def unplaceable(word: str) -> str:
    """Why the programs ``word`` starts, read as shell text, are not the ones its names find
    now ('' when they are): it sets PATH or CDPATH (``PATH=s k``, ``export PATH=s``: names
    are looked up elsewhere), or moves (``cd``, ``pushd``, ``popd``) before a command found by
    a relative path (``cd s && ./k``: s/k runs, not ./k) (red team 26 R26-3)."""
    text = dequoted(word).translate(_COMMAND_BREAKS)
    for token in text.split():
        variable = token.split("=", 1)[0].rstrip("+")
        if variable in _LOOKUP_VARIABLES and "=" in token:
            return f"sets {variable}, where the names it runs are looked up"
    moved = ""
    for token in command_tokens(word):
        if moved and "/" in token and not token.startswith("/"):
            return f"runs {token} after {moved}, from a folder Warden does not follow"
        if token in _MOVES:
            moved = token
    return ""


def expand_tilde(path: str, home: Optional[str] = None, oldpwd: Optional[str] = None) -> str:
    """``path`` with the shell's tilde prefix expanded (``~/x``, ``~+/x``: the folder it runs
    in, as ``./x``; ``~-/x``: OLDPWD; ``~user/x``); as written where Warden cannot tell.
    ``home``, ``oldpwd``: HOME and OLDPWD (None: this process's, which a start inherits)."""
    if not path.startswith("~"):
        return path
    home = os.environ.get("HOME", "") if home is None else home
    oldpwd = os.environ.get("OLDPWD", "") if oldpwd is None else oldpwd
    head, sep, rest = path.partition("/")
    if head == "~":
        base = home
    elif head == "~+":
        base = "."
    elif head == "~-":
        base = oldpwd
    elif head.startswith("~"):
        base = os.path.expanduser(head)
        base = "" if base == head else base
    else:
        return path
    return base + sep + rest if base else path
