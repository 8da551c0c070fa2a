"""Where each simple command of a shell line stands in its control flow, and which variables
a command assigns by name (red team 12 R12-11, R12-16).

The line state (``commands._LineState``: the folder a ``cd`` moves to, the variables an
assignment sets) is applied in text order. That is only true for a command that runs once,
in the shell itself, where it stands: not for one in a loop body (run 0 or many times, and
before the commands above it in the next round), a function body (run where it is called),
an ``if``/``case`` branch or condition, a brace group, or after ``!``. ``place`` tells which
commands are such; the caller makes the state they change unknown. Text only: the static
port (src/deps/commands.ts ``linePlaces``, ``namesAssigned``) reads the same.
"""

import re
from typing import List, NamedTuple, Optional

# reserved words that open a compound command, and those that close one
_OPENERS = frozenset(("if", "while", "until", "for", "select", "case", "{"))
_CLOSERS = frozenset(("fi", "done", "esac", "}"))
# openers whose body runs again, or later than where it stands
_REPEATING = frozenset(("while", "until", "for", "select"))
_MIDDLE = frozenset(("then", "else", "elif", "do", "!"))
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_ASSIGNMENT = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)(\[[^\]]*\])?\+?=")
# bash builtins that assign the variables named by their operands (`read NAME`, `mapfile
# NAME`, `getopts OPTS NAME`, `coproc NAME { ...; }`, `wait -p NAME`, `printf -v NAME`,
# `declare -n REF=NAME`...). Every operand word that is a name counts: a prompt or a value
# that is one too, which only makes the reading stricter.
_NAMING_BUILTINS = frozenset(
    (
        "read", "mapfile", "readarray", "getopts", "wait", "coproc", "let", "declare",
        "typeset", "local", "export", "readonly", "unset", "for", "select", "printf",
    )
)  # fmt: skip
# prefixes that run the builtin after them in the shell itself (`command cd d`, `builtin
# read X`, bash's `time cd d`), with their options
BUILTIN_PREFIXES = frozenset(("command", "builtin", "time"))


class Place(NamedTuple):
    nested: bool  # inside a compound command, a function body, or after `!`
    loop: Optional[int]  # index of the outermost loop or function body opener around it
    in_function: bool  # inside a function body: it runs where the function is called


def places(commands: List[List[str]], defines: List[bool]) -> List[Place]:
    """The place of each simple command (its words as split, reserved words first);
    ``defines[k]``: command k is a function header (``NAME()``), so the compound command after
    it is the function's body."""
    out: List[Place] = []
    stack: List[tuple] = []  # (opener, index, function body)
    header = False
    for k, words in enumerate(commands):
        nested = bool(stack)
        i = 0
        while i < len(words) and (
            words[i] in _OPENERS | _CLOSERS | _MIDDLE or words[i] == "function"
        ):
            word = words[i]
            if word == "function":
                header, i = True, i + 2  # `function NAME {`: NAME is no command
                continue
            if word in _OPENERS:
                stack.append((word, k, header))
                header, nested = False, True
            elif word in _CLOSERS and stack:
                stack.pop()
            elif word == "!":
                nested = True  # `! cd d && x`: x runs when the cd failed
            i += 1
        loops = [n for opener, n, body in stack if body or opener in _REPEATING]
        out.append(Place(nested, loops[0] if loops else None, any(b for _, _, b in stack)))
        header = defines[k] if k < len(defines) else False
    return out


def unwrap_builtin(words: List[str]) -> List[str]:
    """The words of the builtin a command runs in the shell itself once ``command``,
    ``builtin`` and ``time`` (and their options) are followed; [] for ``command -v``/``-V``,
    which only print (red team 12 R12-3)."""
    while words and words[0] in BUILTIN_PREFIXES:
        prefix, words = words[0], words[1:]
        while words and words[0].startswith("-") and words[0] != "-":
            if prefix == "command" and re.search(r"[vV]", words[0]):
                return []
            option, words = words[0], words[1:]
            if option == "--":
                break
    return words


def names_assigned(words: List[str]) -> List[str]:
    """The variables a simple command assigns by name: its prefix assignments (``X=v cmd``)
    and the operands of a naming builtin (``_NAMING_BUILTINS``), option values included
    (``-vNAME``, ``-p NAME``)."""
    names = []
    i = 0
    while i < len(words) and _ASSIGNMENT.match(words[i]):
        names.append(_ASSIGNMENT.match(words[i]).group(1))
        i += 1
    rest = unwrap_builtin(words[i:])
    if not rest or rest[0] not in _NAMING_BUILTINS:
        return names
    program, operands = rest[0], rest[1:]
    if program == "printf" and not any(w.startswith("-v") for w in operands):
        return names  # printf without -v only prints
    if program == "wait" and not any(re.match(r"^-[a-z]*p", w) for w in operands):
        return names
    # `declare -n REF=NAME`: an assignment to REF assigns NAME
    refs = program in ("declare", "typeset", "local") and any(w[:1] in "-+" for w in operands)
    for word in operands:
        if refs and "=" in word and _NAME.match(word.split("=", 1)[1]):
            names.append(word.split("=", 1)[1])
        if re.match(r"^-[A-Za-z]+", word):
            word = re.sub(r"^-[a-z]*[vpa]", "", word) if re.match(r"^-[a-z]*[vpa].", word) else ""
        found = _ASSIGNMENT.match(word)
        name = found.group(1) if found else word
        if _NAME.match(name):
            names.append(name)
    return names
