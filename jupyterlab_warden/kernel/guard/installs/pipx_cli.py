"""A pipx command line read as pipx's argparse reads it (red team red5 F4, L1).

argparse accepts any unambiguous prefix of a long option (``--index-u=URL``, ``--pip-arg``), a
value attached to a short option (``-iURL``, ``-i=URL``) and combined short flags (``-qiURL``).
Each command's real option table is in schema/pipx-cli.json, generated from pipx's own parser
(scripts/pipx-cli-table.py); an option that table does not list, an ambiguous prefix, a valued
option without its value, or an option where a value belongs is a refusal with that reason
(deny by default: argparse refuses these too, or Warden would be guessing). Never raises.

``--`` is read as argparse reads it on the Python pipx runs with (3.11; red team 47b): the
words after it are positional; a fixed positional's ``(-*A-*)`` pattern takes a ``--`` among
or right after those words and drops it (``runpip VENV -- install X`` hands pip ``install X``);
a ``REMAINDER`` part keeps any later one. ``pipx inject`` given first is parsed with
``parse_intermixed_args``, which on 3.11 (and 3.12.1, 3.13.0) drops a ``--`` before the venv
name and reads the options after it, while its rewrite (CPython gh-125355: 3.12.8+, 3.13.1+)
reads them as names: that form is refused, as is a ``--`` taken as a name (which of several
``--`` argparse drops changed with gh-81691).

The same reading is in src/deps/pipxcli.ts; tests/deps/test_pipx_cli.py holds it to the real
pipx parser.
"""

import re
from typing import List, Optional, Tuple

from .request import redact_url as shown  # every word a message quotes: no credential in it


class PipxLine:
    """What one pipx command line says: the command (``"install"``, ``"interpreter list"``;
    ``""`` for none), its options in order as ``(dest, option, value)`` (value None for a flag,
    a list for a ``+`` option), its positional words and, for ``run``/``runpip``/``exec``, the
    words it hands on (the app's or pip's arguments, None when there is no such part)."""

    def __init__(self, command: str):
        self.command = command
        self.options: List[Tuple[str, str, object]] = []
        self.positionals: List[str] = []
        self.remainder: Optional[List[str]] = None

    def values(self, dest: str) -> list:
        return [v for d, _o, v in self.options if d == dest]


def table() -> dict:
    from ...contracts import load_contract

    return load_contract("pipx-cli.json")["commands"]


def parse(args: List[str], commands: Optional[dict] = None):
    """A ``PipxLine``, or a string saying why Warden cannot read the line as pipx would."""
    try:
        commands = table() if commands is None else commands
    except (OSError, ValueError, KeyError, TypeError) as exc:
        return f"Warden's table of pipx's options cannot be read ({exc.__class__.__name__})"
    key, i = "", 0
    while True:
        entry = commands[key]
        line = PipxLine(key)
        if "subcommands" not in entry:
            # pipx/main.py parse_pipx_args: `inject` as the first word is parsed with
            # parse_intermixed_args, every other line with parse_args
            found = _leaf(entry, line, args, i, intermixed=key == "inject" and i == 1)
            if isinstance(found, PipxLine) and "--" in found.positionals:
                return "a pipx `--` taken as a package or venv name is not read by Warden"
            return found
        i = _options(entry, line, args, i)
        if isinstance(i, str):
            return i
        if i < len(args) and args[i] == "--":
            return "pipx `--` before the command is not read by Warden"
        if i >= len(args):
            return line  # `pipx`, `pipx interpreter`: help or an error, no install
        word = args[i]
        if word not in entry["subcommands"]:
            label = f"pipx {key} {shown(word)}".replace("  ", " ")
            return f"`{label}` is not a pipx command Warden knows"
        key, i = f"{key} {word}".strip(), i + 1


def _leaf(entry: dict, line: PipxLine, args: List[str], i: int, intermixed: bool):
    specs = entry["positionals"]
    tail = next((n for n, (_d, nargs) in enumerate(specs) if nargs == "..."), None)
    while i < len(args):
        word = args[i]
        if word == "--":
            rest = args[i + 1 :]
            if (
                intermixed
                and not line.positionals
                and any(_is_option(entry["options"], w) for w in rest)
            ):
                return (
                    "pipx inject with `--` before the venv name and an option after it: Python "
                    "3.11's parse_intermixed_args drops the `--` and reads the option, Python "
                    "3.12.8+ and 3.13.1+ read it as a name; not read by Warden"
                )
            if tail is None:
                line.positionals += rest
            else:
                _split_tail(line, rest, tail)
            return line
        if _is_option(entry["options"], word):
            i = _options(entry, line, args, i)
            if isinstance(i, str):
                return i
            continue
        if tail is not None:
            # argparse matches the positionals and the words after them (options too) at once
            return _tail(entry, line, args[i:], tail)
        line.positionals.append(word)
        i += 1
    return line


def _tail(entry: dict, line: PipxLine, rest: List[str], tail: int):
    """``rest`` (from the first positional word on) split into the fixed positional words and
    the words ``run``/``runpip``/``exec`` hand on. Each fixed positional's pattern ``(-*A-*)``
    takes a first ``--`` among those words or right after them, and argparse drops it."""
    need = tail - len(line.positionals)
    dash = rest.index("--") if "--" in rest[: need + 1] else len(rest)
    if any(_is_option(entry["options"], w) for w in rest[: min(dash, need)]):
        return "a pipx option between a command's positional words is not read by Warden"
    if dash < len(rest):
        rest = rest[:dash] + rest[dash + 1 :]
    _split_tail(line, rest, tail)
    return line


def _split_tail(line: PipxLine, rest: List[str], tail: int) -> None:
    need = max(tail - len(line.positionals), 0)
    line.positionals += rest[:need]
    line.remainder = rest[need:]


# argparse's ``_negative_number_matcher``: pipx has no option that looks like one, so such a
# word is a value
_NEGATIVE_NUMBER = re.compile(r"^-\d+$|^-\d*\.\d+$")


def _is_option(options: dict, word: str) -> bool:
    """``word`` is an option as argparse's ``_parse_optional`` decides it: one that names an
    option (exactly, before ``=``, or by a prefix, even an ambiguous one) is; otherwise one that
    is ``-``, a negative number or holds a space is a value (``--pip-args "--no-cache-dir
    --pre"``), and any other word starting with ``-`` is an (unknown) option."""
    if not word.startswith("-") or word == "-":
        return False
    found = _resolve(options, word)
    if not isinstance(found, str) or " is ambiguous " in found:
        return True
    return not _NEGATIVE_NUMBER.match(word) and " " not in word


def _options(entry: dict, line: PipxLine, args: List[str], i: int):
    """Read options from ``args[i]`` up to the first positional word or ``--``; the index
    reached, or a string saying what Warden cannot read."""
    options = entry["options"]
    while i < len(args) and _is_option(options, args[i]) and args[i] != "--":
        word = args[i]
        i += 1
        found = _resolve(options, word)
        if isinstance(found, str):
            return found
        option, explicit, attached = found
        while True:
            dest, arity = options[option]
            if arity == 0:
                line.options.append((dest, option, None))
                if explicit is None:
                    break
                if not attached or not explicit:
                    return f"pipx option {option} takes no value (given {shown(word)})"
                # combined short flags: -qU, -qiURL
                option, explicit = "-" + explicit[0], explicit[1:] or None
                if option not in options:
                    return f"pipx option {option} (in {shown(word)}) is not one Warden knows"
                continue
            if arity == 1:
                if explicit is None:
                    if i >= len(args):
                        return f"pipx option {option} needs a value"
                    if _is_option(options, args[i]):
                        return f"pipx option {option} is followed by {shown(args[i])}, not a value"
                    explicit, i = args[i], i + 1
                if not explicit:
                    return f"pipx option {option} needs a value"
                line.options.append((dest, option, explicit))
                break
            # "+": an attached value is the only one (argparse), else the words up to an option
            values = [explicit] if explicit is not None else []
            while explicit is None and i < len(args) and not _is_option(options, args[i]):
                values.append(args[i])
                i += 1
            if not values or not all(values):
                return f"pipx option {option} needs a value"
            line.options.append((dest, option, values))
            break
    return i


def _resolve(options: dict, word: str):
    """``(option, explicit value or None, attached)`` as argparse resolves ``word``, or why
    not: the exact name, ``name=value``, a unique prefix of a long option, or a short option
    with its value (or more short flags) attached."""
    if word in options:
        return word, None, False
    name, eq, value = word.partition("=")
    if eq and name in options:
        return name, value, False
    if word.startswith("--"):
        matches = [o for o in options if o.startswith(name)]
        if len(matches) > 1:
            return f"pipx option {shown(name)} is ambiguous ({', '.join(sorted(matches))})"
        if not matches:
            return f"pipx option {shown(name)} is not one Warden knows"
        return matches[0], value if eq else None, False
    if word[:2] in options:
        return word[:2], word[2:], True
    return f"pipx option {shown(word[:2])} is not one Warden knows"


def app_commands(args: List[str]) -> List[List[str]]:
    """The commands ``pipx run APP ARGS`` or ``pipx exec VENV APP ARGS`` may start: the app
    with its arguments and, with ``--python-args``, ``python PYTHON-ARGS APP ARGS`` (pipx runs
    the app so: ``--python-args='-m pip install X'`` installs X)."""
    import shlex

    line = parse(args)
    if isinstance(line, str) or not line.remainder and line.command != "exec":
        return []
    if line.command == "run":
        app = line.remainder
    elif line.command == "exec" and len(line.positionals) > 1:
        app = [line.positionals[1]] + (line.remainder or [])
    else:
        return []
    commands = [app]
    for text in line.values("python_args"):
        try:
            commands.append(["python"] + shlex.split(text) + app)
        except ValueError:
            continue  # pipx refuses arguments it cannot split
    return commands
