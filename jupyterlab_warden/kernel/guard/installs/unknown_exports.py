"""Exported variables whose value the line sets in a way Warden does not read (red team 90 F7).

``read NAME``, ``printf -v NAME``, ``mapfile``/``readarray``, ``getopts``, ``wait -p``,
``${NAME:=v}``/``${NAME=v}``, ``let``/``(( NAME = ... ))``, ``eval TEXT``, ``declare
-u/-l/-i/-n``, an ``export``/``declare`` of a name the line computes (``export $V``,
``export $(cat .env | xargs)``)... give NAME a value Warden never reads (the line state keeps
it in ``unknown_names``). When NAME reaches a program's environment (the kernel's environment
holds it, the line exports it anywhere, ``set -a``, ``declare -x``, an eval'd ``export``),
that program starts with a value Warden cannot tell. Only PATH and the Python variables were
read as unknown there; every other rule read the name's OLD value (or skipped the marker
value): ``read npm_config_script_shell <<< tools/x; export npm_config_script_shell; npm test``,
``printf -v SSH_CLIENT %s 1; export SSH_CLIENT; bash -c ...``, ``read HOME; git ...`` ran with
values no rule read.

Rules read environment names in dozens of places (installer settings, config-file and home
names, program variables, a shell's start-up variables, git's, ssh's...), with no single
table, and a table misses the next name a rule learns to read. So this reads deny by default:
a start of a program (not a builtin or a function of the line) whose environment holds ANY
such name is refused, but for the few names the shell itself sets while parsing options and
reading lines (``_HARMLESS``), which no rule reads. The start's environment (``mark``) carries
the names as ``UnknownValue``s flagged ``unknown_export``, so a nested reading (an ``eval``'s
text, ``bash -c``) sees them too. A name that stays the shell's own (``read -r line < f; echo
$line``: not exported, not in the kernel's environment) reaches no program and passes.
"""

import re
from typing import Callable, Dict, Iterable, List, Optional, Set

# what a name computed by the line stands for (``shell_values.ANY``): any variable
ANY = "*"
# variables the shell sets itself for its own builtins (getopts, read, the terminal size):
# exported only when the kernel's environment holds them, and read by no rule
_HARMLESS = frozenset(("OPTIND", "OPTARG", "OPTERR", "REPLY", "COLUMNS", "LINES"))
# variables the shells export themselves whatever the environment holds (bash 5.2, dash 0.5.12:
# `env -i bash -c 'cd /tmp; cd /; env'`): `let SHLVL=0; bash -c ...` reaches the child
_SHELL_EXPORTED = frozenset(("SHLVL", "PWD", "OLDPWD", "_"))
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_RESERVED = frozenset(("if", "then", "else", "elif", "while", "until", "do", "!", "{", "}"))
_DECLARING = frozenset(("declare", "typeset", "local", "readonly"))
# eval text that may export what it assigns
_EXPORTING_TEXT = re.compile(r"(?<![\w-])(export|declare|typeset|local|readonly|set)(?![\w-])")
# `(( NAME = ... ))`, `$(( NAME += 1 ))`, `(( NAME++ ))`, `(( --NAME ))`, `$[ NAME = 1 ]`
_ARITHMETIC = re.compile(r"\$?\(\((.*?)\)\)|\$\[(.*?)\]", re.S)
_ARITHMETIC_ASSIGNED = re.compile(
    r"([A-Za-z_][A-Za-z0-9_]*)\s*(?:\[[^\]]*\]\s*)?(?:(?:[-+*/%&|^]|<<|>>)?=(?!=)|\+\+|--)"
    r"|(?:\+\+|--)\s*([A-Za-z_][A-Za-z0-9_]*)"
)
_MARK = "unknown_export"


def arithmetic_names(script: str) -> Set[str]:
    """The names an arithmetic command or expansion of the line assigns (``(( N = 1 ))``,
    ``$(( N++ ))``, ``$[ N += 2 ]``), as written (quotes and all: stricter)."""
    names: Set[str] = set()
    for found in _ARITHMETIC.finditer(script):
        text = found.group(1) if found.group(1) is not None else found.group(2)
        for name in _ARITHMETIC_ASSIGNED.finditer(text or ""):
            names.add(name.group(1) or name.group(2))
    return names


def exported(
    commands: Iterable[List[str]], eval_names: Callable[[List[str]], Set[str]]
) -> Set[str]:
    """The names the line exports anywhere (``export NAME``, ``export NAME=v``, ``declare -x``,
    an ``eval`` whose text may export: each name it spells), ``ANY`` under ``set -a`` /
    ``set -o allexport`` (every assignment exported). Wherever the command stands: the export
    attribute holds for an assignment before it too (``read X; export X``), and a loop or a
    function may run it first."""
    from . import line_flow

    names: Set[str] = set()
    for command in commands:
        words = list(command)
        while words and words[0] in _RESERVED:
            words = words[1:]
        while words and "=" in words[0] and _NAME.match(words[0].split("=", 1)[0]):
            words = words[1:]
        inner = line_flow.unwrap_builtin(words)
        if not inner:
            continue
        program, args = inner[0], inner[1:]
        options = "".join(a[1:] for a in args if a[:1] == "-" and a != "--")
        if program == "export" or (program in _DECLARING and "x" in options):
            if (program == "export" and "n" in options) or set(options) & {"f", "F"}:
                continue  # `export -n X` unexports; `export -f f` exports a function
            for word in args:
                if word[:1] in ("-", "+"):
                    continue
                name = word.split("=", 1)[0].split("[", 1)[0].rstrip("+")
                names.add(name if _NAME.match(name) else ANY)
        elif program == "set" and (
            re.search(r"-[A-Za-z]*a", " ".join(args)) or "allexport" in args
        ):
            names.add(ANY)
        elif program == "eval" and _EXPORTING_TEXT.search(" ".join(args)):
            names |= eval_names(args)
    return names


def names(unknown: Set[str], env: Dict[str, str], unknown_type: type, exports: Set[str],
          inherited: Iterable[str]) -> Set[str]:  # fmt: skip
    """The names a program started at this point of the line holds with a value Warden does
    not know: assigned in a form read as no value (``unknown``, the line state's) or held as
    an ``unknown_type`` in ``env``, and exported (``exports``, the kernel's ``inherited``
    names); ``ANY`` when such a name is one the line computes."""
    held = {name for name, value in env.items() if isinstance(value, unknown_type)}
    candidates = (set(unknown) | held) - _HARMLESS
    if ANY in candidates:
        return {ANY}  # `export $V`, `${!R:=v}`: it may be any name, an exported one too
    if ANY in exports:
        return candidates  # `set -a`: every assignment is exported
    outside = set(inherited) | _SHELL_EXPORTED
    return {name for name in candidates if name in exports or name in outside}


def mark(env: Dict[str, str], found: Set[str], unknown_type: type) -> Dict[str, str]:
    """``env`` with each of ``found`` held as an ``unknown_type`` value flagged as an exported
    unknown (a nested reading's starts read the flag)."""
    if not found:
        return env
    env = dict(env)
    for name in found:
        value = unknown_type()
        setattr(value, _MARK, True)
        env[name] = value
    return env


def held(env: Dict[str, str]) -> List[str]:
    """The names ``env`` holds flagged by ``mark``."""
    return sorted(name for name, value in env.items() if getattr(value, _MARK, False))


def refusal(
    command: List[str],
    env: Dict[str, str],
    not_starts: Iterable[str],
    handled: Optional[Callable[[str], object]] = None,
) -> Optional[str]:
    """Why ``command``, started with ``env``, is refused (None when it may start): it starts a
    program (its first word, past assignments, reserved words, ``command``/``builtin``, is no
    builtin or function of the line in ``not_starts``; ``exec`` starts one) and ``env`` holds
    a flagged name (but those ``handled`` says the start's own reading refuses)."""
    from . import line_flow

    if not held(env):
        return None
    words = [w for w in command if w not in _RESERVED]
    own = set()  # the command's own assignments give those names a value read as written
    while words and "=" in words[0] and _NAME.match(words[0].split("=", 1)[0]):
        own.add(words[0].split("=", 1)[0])
        words = words[1:]
    unknown = [n for n in held(env) if n not in own and not (handled and handled(n))]
    if not unknown:
        return None
    inner = line_flow.unwrap_builtin(words)
    if not inner or (inner[0] in not_starts and not (inner[0] == "exec" and inner[1:])):
        return None
    shown = "a variable whose name the line computes" if ANY in unknown else ", ".join(unknown)
    return (
        f"{inner[0]} starts with {shown} exported with a value the line sets where Warden "
        "cannot tell it (read, printf -v, mapfile, getopts, eval, ${NAME:=v}, let or (( )), "
        "declare with a transforming option or a computed name; or an assignment that may "
        "not hold there: in a subshell, the background, a branch, a function body, after "
        "||, in front of a special builtin): Warden cannot read what the program reads in "
        "it. Assign it plainly (NAME=value) on the line's main path, or set it in the cell "
        "(os.environ[...] = ...)"
    )
