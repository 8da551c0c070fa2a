"""The words bash reads as a variable NAME or as an arithmetic expression, and whether their
text may run a command (red team 90 F5).

bash evaluates an array subscript as arithmetic, and expands it first: ``$(...)`` and
backticks in it run. That happens wherever a word reaches a builtin as a name (``test -v``,
``[[ -v ]]``, ``printf -v``, ``read``, ``unset``, ``wait -p``, ``getopts``, a declaring
builtin's operand, a nameref's target, a compound ``=(...)`` value) or an arithmetic operand
(``let``, ``[[ A -eq B ]]``, ``((...))``, ``$((...))``, ``$[...]``, ``${x:O:L}``,
``${a[...]}``), whatever quotes the word was written in: quote removal happens first, so
``test -v 'a[$(cmd)]'`` runs cmd although the line reads as a plain single-quoted word, and
``[[ $(cat f) -ge 2 ]]`` evaluates the file's text (bash 5.2.15, measured: every form listed
in tests/deps/test_redteam90_subscript_names.py ran its command).

This module finds those words (quotes removed, as the line's reader gives them, and the
expansions' text from the line itself) and says why one may run a command: a command
substitution or backtick, a backslash or ``$'...'`` escape (which may spell one), a ``$``
form whose value Warden does not know (a positional parameter, a command substitution's
output). A plain ``$NAME`` stays allowed: its value is judged by ``shell_values.evaluated``'s
rule on the names arithmetic evaluates (``texts`` hands it the subscripts and expansions)."""

import re
from typing import Iterable, List, Optional, Set, Tuple

from . import line_flow, shell_text

_ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?\+?=")
_RESERVED = frozenset(("if", "then", "else", "elif", "while", "until", "do", "!", "{", "}"))
_DECLARING = frozenset(("declare", "typeset", "local", "readonly", "export"))
_ARRAY_FLAGS = frozenset("aA")
_LABELS = {"name": "name", "arithmetic": "arithmetic", "literal": "numeric (zsh/ksh: arithmetic)"}
_TEST_ARITHMETIC = frozenset(("-eq", "-ne", "-lt", "-le", "-gt", "-ge"))
# options taking a value: read's and mapfile's (the value a separate word or glued)
_READ_VALUES = "adinNptu"
_MAPFILE_VALUES = "dnOsuCc"
# a `$(...)` whose output is a number (`$(nproc)`): shell_values' _NUMBER_PROGRAM
_NUMBER = re.compile(r"\$\(\s*(?:nproc(?:\s+--all)?|getconf\s+_?NPROCESSORS_(?:ONLN|CONF))\s*\)")
# what in such a text may run a command or stand for a value Warden does not know: a command
# substitution (not `$((`), a backtick, a backslash (an escape the shell removes; not a
# line join), `$'...'`/`$"..."`, a positional parameter or `$@`/`$*`/`$-`, a substitution's
# marker (``commands._SUBSTITUTION``: the reader's word for a `$(...)`)
_CODE = re.compile(r"\$\((?!\()|`|\\(?!\n)|\$['\"]|\$[0-9@*-]|\$\{[0-9@*-]|\x01")
# a command substitution as the line's reader writes it in a word (`$(` `)` masked as `:`)
_MARKER = re.compile("(?:\\$[:(])?\x01[0-9]+\x01[:)]?")
# the `$` forms arithmetic reads through a name (judged by the name's value)
_PLAIN_DOLLAR = re.compile(r"\$\{?[A-Za-z_][A-Za-z0-9_]*\}?")


def _why(text: str, numbers: bool) -> str:
    if numbers:  # every command substitution of the line prints a number
        text = _MARKER.sub("0", _NUMBER.sub("0", text))
    found = _CODE.search(text)
    if found is None:
        return ""
    piece = found.group(0)
    if piece in ("`", "$(", "\x01"):
        return "a command substitution (its text or output)"
    if piece.startswith("\\") or piece in ("$'", '$"'):
        return "an escape the shell removes (it may spell a command substitution)"
    return f"the expansion {piece!r}, whose value Warden does not know"


def _subscript(word: str) -> Tuple[str, str]:
    """(name part, subscript text with its brackets) of a name word (``a[i]`` -> ``a``,
    ``[i]``); the subscript runs to the word's end (fail closed)."""
    k = word.find("[")
    return (word, "") if k < 0 else (word[:k], word[k:])


def _split_assignment(word: str) -> Tuple[str, Optional[str]]:
    """(name with its subscript, value or None) of a declaring builtin's operand."""
    eq = word.find("=")
    name, sub = _subscript(word if eq < 0 or "[" in word[:eq] else word[:eq])
    if sub:
        close = sub.find("]")
        head = name + (sub[: close + 1] if close >= 0 else sub)
        rest = word[len(head) :]
        if rest.startswith("+="):
            return head, rest[2:]
        return head, rest[1:] if rest.startswith("=") else None
    left, eq, value = word.partition("=")
    return left.rstrip("+"), value if eq else None


def _options(args: List[str], valued: str) -> Tuple[List[Tuple[str, str]], List[str]]:
    """([(option letter, value)] of the options taking a value, operands) of a builtin whose
    options ``valued`` take one (``-v NAME``, ``-vNAME``)."""
    values, k = [], 0
    while k < len(args):
        word = args[k]
        if word == "--":
            return values, args[k + 1 :]
        if not word.startswith("-") or len(word) == 1:
            break
        for j, letter in enumerate(word[1:], 1):
            if letter in valued:
                value = word[j + 1 :]
                if not value and k + 1 < len(args):
                    k += 1
                    value = args[k]
                values.append((letter, value))
                break
        k += 1
    return values, args[k:]


def operands(command: List[str], arrays: Set[str] = frozenset()) -> Iterable[Tuple[str, str]]:
    """(kind, word) of the words one simple command (quotes removed) hands bash as a variable
    name ("name") or an arithmetic expression ("arithmetic"); ``arrays``: the names the line
    may make arrays (``array_names``)."""
    words = list(command)
    while words and words[0] in _RESERVED:
        words = words[1:]
    i = 0
    while i < len(words) and _ASSIGNMENT.match(words[i]):
        if "[" in words[i].split("=", 1)[0]:  # `a[i]=v`: the subscript is arithmetic
            yield "name", _split_assignment(words[i])[0]
        i += 1
    inner = line_flow.unwrap_builtin(words[i:])
    if not inner:
        return
    program, args = inner[0], inner[1:]
    if program in ("test", "[", "[["):
        for k, word in enumerate(args[:-1]):
            if word in ("-v", "-R"):
                yield "name", args[k + 1]
            elif word in _TEST_ARITHMETIC:
                # bash's test and [ read -eq's operands as numbers; zsh's and ksh's (read as
                # bash here) evaluate them: their literal text is judged ("literal")
                kind = "arithmetic" if program == "[[" else "literal"
                yield kind, args[k - 1] if k else ""
                yield kind, args[k + 1]
    elif program == "let":
        for word in args:
            yield "arithmetic", word
    elif program == "printf":
        values, _ = _options(args, "v")
        for _letter, value in values:
            yield "name", value
    elif program == "read":
        values, rest = _options(args, _READ_VALUES)
        for letter, value in values:
            if letter == "a":
                yield "name", value
        for word in rest:
            yield "name", word
    elif program in ("mapfile", "readarray"):
        _values, rest = _options(args, _MAPFILE_VALUES)
        for word in rest[:1]:
            yield "name", word
    elif program == "wait":
        values, _ = _options(args, "p")
        for _letter, value in values:
            yield "name", value
    elif program == "getopts":
        for word in args[1:2]:
            yield "name", word
    elif program == "unset":
        for word in args:
            if not (word.startswith("-") and len(word) > 1):
                yield "name", word
    elif program in _DECLARING:
        flags, k = "", 0
        while k < len(args) and args[k][:1] in "-+" and len(args[k]) > 1 and args[k] != "--":
            flags += args[k][1:]
            k += 1
        for word in args[k + (args[k : k + 1] == ["--"]) :]:
            name, value = _split_assignment(word)
            if "[" in name or "$" not in name:
                # (a name the operand computes, `export $V`, is shell_values.computed_operand's:
                # every name is then unknown to the line)
                yield "name", name
            if value is None:
                continue
            if "n" in flags:  # a nameref's target: a name, evaluated where it is used
                yield "name", value
            if value.startswith("("):  # a compound value: its `[...]=` subscripts
                yield "arithmetic", value
            elif _ARRAY_FLAGS & set(flags) or (
                program != "export" and program != "readonly" and _subscript(name)[0] in arrays
            ):
                # an array's value given by an expansion is read as a compound value when it
                # expands to `(...)` (`Y='([$(cmd)]=1)'; declare -a X=$Y` runs cmd)
                yield "name", value


def _contexts(original: str) -> List[str]:
    """The texts of the line's arithmetic expansions bash evaluates (``$((...))``,
    ``((...))`` and ``for ((...))``, ``$[...]``, a ``${...}``'s subscript and substring offset
    and length), as written (quotes and all), where the shell reads them: not in a
    single-quoted string (an awk program's ``a[$1]``). Nested ones too (a command
    substitution's are read with it again: fail closed)."""
    scan = _Contexts(original)
    try:
        scan.commands(0, "")
    except shell_text.Uncertain:
        return []  # the caller's reading refuses or reads the line as plain words
    texts = []
    for start, end, closer in scan.found:
        inside = original[start:end]
        if closer == "}":
            texts.extend(_parameter_arithmetic(inside))
        else:
            texts.append(inside)
    return texts


def _parameter_arithmetic(inside: str) -> List[str]:
    """The arithmetic pieces of a ``${...}`` (its inside): a subscript (``a[...]``) and a
    substring's offset and length (``x:O:L``; not ``x:-d``, ``x:=d``...)."""
    found = re.match(r"[!#]?(?:[A-Za-z_][A-Za-z0-9_]*|[0-9]+|[@*#?$!-])", inside)
    if found is None:
        return [inside]  # not a form read here: all of it (fail closed)
    rest, texts = inside[found.end() :], []
    if rest.startswith("["):
        depth, end = 0, len(rest)
        for at, char in enumerate(rest):
            depth += {"[": 1, "]": -1}.get(char, 0)
            if depth == 0:
                end = at + 1
                break
        texts.append(rest[:end])
        rest = rest[end:]
    if rest.startswith(":") and rest[1:2] not in ("-", "=", "?", "+"):
        texts.append(rest[1:])
    return texts


class _Contexts(shell_text._Scan):
    """shell_text's scan of the line, noting each arithmetic or parameter expansion it meets
    ((start, end, closer) of its inside)."""

    def __init__(self, text: str):
        super().__init__(text)
        self.found: List[Tuple[int, int, str]] = []

    def parameter(self, i: int, closer: str, in_double: bool = False) -> int:
        end = super().parameter(i, closer, in_double)
        self.found.append((i, end - len(closer), closer))
        return end

    def word_piece(self, i: int, in_double: bool) -> int:
        end = super().word_piece(i, in_double)
        if self.text.startswith("$[", i):  # bash's old `$[...]`: up to its first `]`
            close = self.text.find("]", i)
            self.found.append((i + 2, close if close > 0 else len(self.text), "]"))
        return end


def refusal(commands: Iterable[List[str]], original: str) -> str:
    """Why a name or arithmetic operand of the line (``commands``: the simple commands'
    words, quotes removed; ``original``: the line as written) may run a command bash
    evaluates in it ('' when none)."""
    numbers = not re.search(r"(?<![\w$])PATH\b|\$\{?PATH\b", original) and all(
        _NUMBER.fullmatch(found.group(0))
        for found in re.finditer(r"\$\((?!\()[^()]*\)?|`", original)
    )
    commands = list(commands)
    arrays = array_names(commands, original)
    for command in commands:
        for kind, word in operands(command, arrays):
            why = _why(_MARKER.sub("0", word) if kind == "literal" else word, numbers)
            if not why and kind == "name":
                why = _name_why(word)
            if why:
                shown = _MARKER.sub("$(...)", word)
                label = _LABELS[kind]
                return (
                    f"the {label} operand {shown!r} of {_program(command)} holds {why}: bash "
                    "evaluates a subscript in it as arithmetic, which runs command "
                    "substitutions; write the name or number out"
                )
    for text in _contexts(original):
        why = _why(text, numbers)
        if why:
            return (
                f"the arithmetic {text.strip()!r} holds {why}: bash evaluates it, and a "
                "subscript in it runs command substitutions; write the number or name out"
            )
    return ""


def _name_why(word: str) -> str:
    """What else in a name operand may run a command: a ``$`` form other than a plain
    ``$NAME``/``${NAME}`` (whose value ``texts`` hands on), in the name or its subscript."""
    if "$" in _PLAIN_DOLLAR.sub("", word):
        return "an expansion whose value Warden does not know"
    return ""


def _program(command: List[str]) -> str:
    words = [w for w in command if w not in _RESERVED and not _ASSIGNMENT.match(w)]
    inner = line_flow.unwrap_builtin(words)
    return inner[0] if inner else "the command"


def texts(commands: Iterable[List[str]], original: str = "") -> Iterable[str]:
    """The pieces of the line's name and arithmetic operands whose names' VALUES bash
    evaluates: a name's subscript and the ``$NAME`` it is built from (``test -v "$X"``: X's
    value is the name), an arithmetic operand whole (``[[ $n -eq 1 ]]``, ``let 'i = i + 1'``).
    A plain name (``test -v HOME``, ``read line``) is not evaluated: none."""
    commands = list(commands)
    arrays = array_names(commands, original)
    for command in commands:
        for kind, word in operands(command, arrays):
            if kind != "name":
                yield word if kind == "arithmetic" else ""
                continue
            name, sub = _subscript(word)
            yield " ".join([sub] + [m.group(0) for m in _PLAIN_DOLLAR.finditer(name)])


# a name the line may make an array: assigned a compound value or a subscript, in its text
# (quoted text too: an `eval`'s), or given to an option that makes one
_ARRAY_TEXT = re.compile(r"(?<![\w$])([A-Za-z_][A-Za-z0-9_]*)(?:\[|\+?=\()")


def array_names(commands: List[List[str]], original: str) -> Set[str]:
    """The names the line may make arrays (``_ARRAY_TEXT``; ``declare -a``, ``read -a``,
    ``mapfile``'s): a declaring builtin then reads an expansion given as their value as a
    compound value, whatever its options."""
    names = {found.group(1) for found in _ARRAY_TEXT.finditer(original)}
    for command in commands:
        words = [w for w in command if w not in _RESERVED]
        inner = line_flow.unwrap_builtin(words)
        if not inner:
            continue
        program, args = inner[0], inner[1:]
        if program in ("mapfile", "readarray"):
            names.update(_options(args, _MAPFILE_VALUES)[1][:1] or ["MAPFILE"])
        elif program == "read":
            names.update(v for letter, v in _options(args, _READ_VALUES)[0] if letter == "a")
        elif program in _DECLARING and any(
            a[:1] in "-+" and _ARRAY_FLAGS & set(a[1:]) for a in args
        ):
            names.update(w.split("=", 1)[0].split("[", 1)[0] for w in args if w[:1] not in "-+")
    return names
