"""Values the shell assigns or evaluates in ways the line state does not follow as text (red
team 13 R13-13, R13-19, R13-20). Text only: the static port (src/deps/shellvalues.ts) reads
the same.

- ``unknown_names``: every variable a line assigns by a form other than ``NAME=value`` (a
  ``for``/``select`` header, ``${NAME:=v}``, ``read``, ``printf -v``, ``mapfile``,
  ``getopts``, ``wait -p``, ``coproc NAME``, a nameref, ``let``...), whatever its name: its
  value is unknown to a later reading (``commands._LineState.unknown_names``); ``ANY`` when
  a declaring builtin's operand computes the name (``export $V``: R14-2).
- ``keyword_words``: after bash's ``set -k`` (``-o keyword``) every ``NAME=value`` word of a
  command goes to its environment, wherever it stands; read as if written in front.
- ``evaluated``: a value bash evaluates as shell text (a prompt variable under ``set -x``,
  ``${x@P}``, ``mapfile -C``, ``compgen``, arithmetic on a variable that holds a subscript)
  runs a command the line never writes out (``d='$'; PS4="${d}(uv ...)"``): refused.
"""

import os
import re
from typing import Callable, Dict, Iterable, List, Optional, Pattern, Set, Tuple

from . import line_flow, name_operands, shell_options

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_ASSIGNMENT_WORD = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?\+?=")
_RESERVED = frozenset(("if", "then", "else", "elif", "while", "until", "do", "!", "{", "}"))
# builtins whose plain `NAME=value` operands the line state reads as values
_DECLARING = frozenset(("export", "declare", "typeset", "readonly", "local"))
# `${NAME:=v}`, `${NAME=v}`, `${NAME[i]:=v}`; `${!REF:=v}` assigns the name REF holds
_DEFAULT_ASSIGN = re.compile(r"\$\{(!?)([A-Za-z_][A-Za-z0-9_]*)(\[[^\]]*\])?:?=")
# a name standing for any variable: an indirect assignment Warden cannot name
ANY = "*"


def _words(command: List[str]) -> List[str]:
    while command and command[0] in _RESERVED:
        command = command[1:]
    return command


def computed_operand(word: str) -> bool:
    """Whether a declaring builtin's operand names its variable by an expansion, a glob or a
    brace list (``$V``, ``$V=x``, ``"$@"``, ``$(echo A=B)``, ``U*``, ``{A,B}=x``): the shell
    assigns a name Warden cannot read (red team 14 R14-2)."""
    return not (word[:1] in ("-", "+") or _NAME.match(word) or _ASSIGNMENT_WORD.match(word))


def unknown_names(commands: Iterable[List[str]], script: str) -> Set[str]:
    """The names the line assigns in a form the line state does not read as a value (``ANY``
    for ``${!REF:=v}``), wherever the command stands (a loop or a function may run it before
    a command written above it)."""
    names: Set[str] = set()
    for found in _DEFAULT_ASSIGN.finditer(script):
        names.add(ANY if found.group(1) else found.group(2))
    for command in commands:
        words = _words(list(command))
        i = 0
        while i < len(words) and _ASSIGNMENT_WORD.match(words[i]):
            i += 1
        inner = line_flow.unwrap_builtin(words[i:])
        if not inner:
            continue
        if inner[0] in _DECLARING and any(computed_operand(a) for a in inner[1:]):
            names.add(ANY)  # `export $V`, `export "$@"`, `export U*`: names Warden cannot read
        if inner[0] in _DECLARING | {"unset"} and not any(a[:1] in "-+" for a in inner[1:]):
            continue  # `export X=v`, `unset X`: read as the value they set
        if inner[0] in _DECLARING and options_read_as_value(inner[0], inner[1:]):
            continue  # `declare -x X=v`, `export -n X`: the line state's `_declare` reads them
        names.update(line_flow.names_assigned(inner))
    return names


# the options of a declaring builtin that leave its value as written (export, -g global, -r
# read-only, -t trace): commands._LineState._declare assigns, exports or unsets with them; any
# other (-i, -l, -u, -n, -a, -A, -I transform the value; -f, -p) leaves the names unknown
_VALUE_OPTIONS = "xgrt"


def options_read_as_value(builtin: str, args: List[str]) -> bool:
    """Whether every option of ``builtin ARGS`` (before its first operand or ``--``) is one the
    line state reads the value through (red team 18 R18-8: `declare -x PYTHONPATH=.` was read
    as an assignment and as a form read as no value at once); export's ``-n`` unexports."""
    letters = _VALUE_OPTIONS + ("n" if builtin == "export" else "")
    for word in args:
        if word == "--" or word[:1] not in ("-", "+") or len(word) == 1:
            return True
        if any(letter not in letters for letter in word[1:]):
            return False
    return True


def keyword_option(args: List[str]) -> bool:
    """Whether ``set ARGS`` turns on keyword (``-k``, ``-o keyword``, in any bundle or order:
    ``-ko pipefail``, ``+k -k``; R14-32). An option ``set`` refuses counts as on (fail closed)."""
    try:
        return shell_options.parse(args, long_options=False).on("k", "keyword")
    except shell_options.UnknownOption:
        return True


def keyword_set(commands: Iterable[List[str]]) -> bool:
    """Whether a command of the line runs ``set -k`` / ``set -o keyword`` (anywhere: a loop or
    a function may run it before the commands written above it)."""
    for command in commands:
        words = line_flow.unwrap_builtin(_words(list(command)))
        if words[:1] == ["set"] and keyword_option(words[1:]):
            return True
    return False


def keyword_words(command: List[str]) -> List[str]:
    """A command as bash runs it under ``set -k``: its ``NAME=value`` words, wherever they
    stand, are assignments in front of it (a declaring builtin's operands stay its own)."""
    words = _words(command)
    reserved = command[: len(command) - len(words)]
    i = 0
    while i < len(words) and _ASSIGNMENT_WORD.match(words[i]):
        i += 1
    if i == len(words) or words[i] in _DECLARING or words[i] in ("for", "select", "case"):
        return command
    moved = [w for w in words[i + 1 :] if _ASSIGNMENT_WORD.match(w)]
    rest = [w for w in words[i + 1 :] if not _ASSIGNMENT_WORD.match(w)]
    return reserved + words[:i] + moved + [words[i]] + rest


# The parameters a shell sets itself, whatever the environment it starts with or the line's
# assignments hold: what Warden reads for them is not what the shell expands (red team 28a
# R28a-4: npm's `sh -c './$# pip ...'` runs ./0). One list, read by every reading of a `$`
# (``shell_sets``: the line state's ``resolve``, ``command_values``, their TypeScript twins):
# - SPECIAL, the variables bash (bash manual, "Shell Variables") or dash sets at its start or
#   as it runs: RANDOM is a number whatever the environment holds, IFS is reset, HOSTNAME and
#   SHELL are set when the environment has none. Derived from the shells themselves (red team
#   28b R28b-3: dash's default PS1/PS2/PS4 were missing, and `./$PS4 pip` ran a link `./+`),
#   2026-12-03, dash 0.5.12 and bash 5.2 (Debian), as root and as nobody (`setpriv
#   --reuid=65534 --regid=65534 --clear-groups`):
#     for s in dash sh bash 'bash --posix' 'bash -i' 'dash -i'; do env -i $s -c set; done
#   plus what each does with an inherited value (`env -i PS4=X bash -c 'echo $PS4'`):
#   dash sets IFS OPTIND PATH PPID PS1 ('# ' as root, '$ ' otherwise) PS2 ('> ') PS4 ('+ ')
#   PWD; bash sets TERM (dumb when unset), PS4 ('+ ': as root it ignores an inherited one),
#   unsets an inherited PS1 and PS2 when not interactive, sets POSIXLY_CORRECT under --posix
#   and PS1 PS2 HISTFILE MAILCHECK when interactive (what ~/.bashrc sets is no shell's own);
#   every name those commands list is here, but PATH (``shell_sets``). PS0 and PS3 for
#   completeness (prompts bash reads; ``select`` uses '#? ' when PS3 is unset).
# - SPECIAL_PARAMETER, the special and positional parameters ($# $? $- $$ $! $0..$9 $@ $*
#   $_, braced too: ${#}, ${10}), which no environment holds.
SPECIAL = frozenset(
    (
        "RANDOM", "SRANDOM", "BASHPID", "SECONDS", "PPID", "UID", "EUID", "HOSTNAME", "LINENO",
        "PWD", "OLDPWD", "IFS", "FUNCNAME", "GROUPS", "EPOCHSECONDS", "EPOCHREALTIME", "SHLVL",
        "OPTIND", "OPTARG", "OPTERR", "REPLY", "PIPESTATUS", "DIRSTACK", "HISTCMD",
        "SHELLOPTS", "BASHOPTS", "BASH_COMMAND", "BASH_SOURCE", "BASH_LINENO", "BASH_REMATCH",
        "BASH_ARGV", "BASH_ARGC", "BASH_SUBSHELL", "BASH_ARGV0", "BASH_ALIASES", "BASH_CMDS",
        "BASH_EXECUTION_STRING", "BASH_LOADABLES_PATH", "BASH_MONOSECONDS", "BASH_TRAPSIG",
        "COLUMNS", "LINES", "HOSTTYPE", "MACHTYPE", "OSTYPE", "BASH", "BASH_VERSION",
        "BASH_VERSINFO", "SHELL", "COMP_CWORD", "COMP_KEY", "COMP_LINE", "COMP_POINT",
        "COMP_TYPE", "COMP_WORDBREAKS", "COMP_WORDS", "COPROC", "MAPFILE", "READLINE_ARGUMENT",
        "READLINE_LINE", "READLINE_MARK", "READLINE_POINT",
        "PS0", "PS1", "PS2", "PS3", "PS4", "TERM", "POSIXLY_CORRECT", "HISTFILE", "MAILCHECK",
    )
)  # fmt: skip
SPECIAL_PARAMETER = re.compile(r"[0-9]+|[#?$!@*_-]")


def shell_sets(name: str, lookup: Optional[Callable[[str], Optional[str]]] = None) -> bool:
    """Whether the shell sets the parameter ``name`` (``#``, ``10``, ``_``, ``RANDOM``, ``PS4``)
    itself: its value where the shell expands it is not one Warden reads. PATH only when the
    environment the shell starts with has none (``lookup``, that environment; the kernel's when
    None): the shell then uses its own default, which dash's and bash's differ on (bash's ends
    in ``.``); a PATH that is set is the shell's PATH, read as held."""
    if name == "PATH":
        return (os.environ.get if lookup is None else lookup)("PATH") is None
    return name in SPECIAL or SPECIAL_PARAMETER.fullmatch(name) is not None


_PLAIN = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)|\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


def resolve(
    value: str,
    lookup: Callable[[str], Optional[str]],
    expansion: Pattern[str],
    substitution: Pattern[str],
    shell_value: Optional[Callable[[str], Optional[str]]] = None,
) -> Optional[str]:
    """``value`` with its plain ``$NAME``/``${NAME}`` expansions replaced by ``lookup``'s
    values; None when ``lookup`` has none for one, one is a parameter the shell sets itself
    (``shell_sets``) that ``shell_value`` does not tell (the line's reading: PWD, R38b-5), or
    another expansion is left (``${X:-d}``, ``$(...)``, ``$1``, a backtick, a brace list)."""
    if expansion.search(_PLAIN.sub("", value)) or substitution.search(_PLAIN.sub("", value)):
        return None
    values = {}
    for found in _PLAIN.finditer(value):
        name = found.group(1) or found.group(2)
        # `$_`, `$RANDOM`: the shell's value, not the line's or the environment's (R28a-4)
        known = (shell_value and shell_value(name)) if shell_sets(name) else lookup(name)
        if known is None:
            return None
        values[name] = known
    return _PLAIN.sub(lambda found: values[found.group(1) or found.group(2)], value)


# a tilde-prefix of an assignment's value: at its start and after each `:` (R14-14)
_TILDE_PREFIX = re.compile(r"(?:(?<==)|(?<=:))~([^/:]*)")


def tilde_in_assignment(word: str) -> bool:
    """Whether an assignment word's value holds a tilde-prefix bash expands (``X=~/a``,
    ``PATH=~/bin:$PATH``, ``X=a:~b``)."""
    return bool(_ASSIGNMENT_WORD.match(word)) and bool(_TILDE_PREFIX.search(word, word.index("=")))


def tilde_assignment(word: str, home: Optional[str]) -> str:
    """An assignment word with the tilde-prefixes of its value as bash expands them: ``~`` to
    ``home`` (``${HOME}`` when None), ``~+``/``~-`` to ``${PWD}``/``${OLDPWD}`` (the line
    state leaves those unknown, fail closed), ``~user`` to that user's folder when there is
    one (red team 14 R14-14: ``HOME=<url>; export UV_INDEX_URL=~/simple``)."""
    if not tilde_in_assignment(word):
        return word
    name, value = word.split("=", 1)

    def expand(found: "re.Match[str]") -> str:
        user = found.group(1)
        if user == "":
            return "${HOME}" if home is None else home
        if user in ("+", "-"):
            return "${PWD}" if user == "+" else "${OLDPWD}"
        expanded = os.path.expanduser("~" + user)
        return expanded if expanded != "~" + user else found.group(0)

    return name + "=" + _TILDE_PREFIX.sub(expand, "=" + value)[1:]


def literal_text(script: str) -> str:
    """The text of ``script`` the shell does not expand: its single-quoted pieces and its
    backslash escapes (so ``'$X'`` and ``\\$X`` read as no expansion of X)."""
    out, quote, k = [], "", 0
    while k < len(script):
        char = script[k]
        if quote == "'":
            if char == "'":
                quote = ""
            else:
                out.append(char)
        elif char == "\\":
            out.append(script[k : k + 2])
            k += 1
        elif char == '"':
            quote = "" if quote else '"'
        elif char == "'" and not quote:
            quote = "'"
            out.append(" ")
        k += 1
    return "".join(out)


# bash builtins and reserved words: not looked up on PATH
BUILTINS = frozenset(
    (
        ":", ".", "[", "alias", "bg", "bind", "break", "builtin", "caller", "cd", "command",
        "compgen", "complete", "compopt", "continue", "declare", "dirs", "disown", "echo",
        "enable", "eval", "exec", "exit", "export", "false", "fc", "fg", "getopts", "hash",
        "help", "history", "jobs", "kill", "let", "local", "logout", "mapfile", "popd",
        "printf", "pushd", "pwd", "read", "readarray", "readonly", "return", "set", "shift",
        "shopt", "source", "suspend", "test", "times", "trap", "true", "type", "typeset",
        "ulimit", "umask", "unalias", "unset", "wait", "for", "select", "case", "esac", "in",
        "function", "time", "coproc", "[[", "]]", "done", "fi",
    )
)  # fmt: skip

# variables bash expands as prompts (PS4 under xtrace; the others in an interactive shell)
_PROMPTS = frozenset(("PS0", "PS1", "PS2", "PS3", "PS4", "PROMPT_COMMAND"))
_PROMPT_TEXT = re.compile(r"(?<![$\w{])(PS[0-4]|PROMPT_COMMAND)\b|\$\{(PS[0-4]|PROMPT_COMMAND)[:=]")
_PROMPT_EXPANSION = re.compile(r"\$\{[^}]*@[\\'\"]*P")
# the text of arithmetic contexts as the masked line holds it: `$((...))` (masked `$::...`),
# an indirection `${!x}` (x's value is a name, its subscript evaluated), `((...))`, an
# arithmetic `for ((...))` header (masked `for ::...`: red team 34 R34-5), `$[...]`, `[[...]]`
# (only some of its operands: _arithmetic_texts), a subscript, a substring's offset and length
# (group 1), `let`, `declare -i` (in any option word: `-x -i`, `+x -i`); `let` and the
# integer attribute are read on the command's words too (`_arithmetic_commands`: quoted)
_ARITHMETIC = re.compile(
    r"\$::[^\s;&|]*|\$\(\([^\s;&|]*|\$\{![^}]*\}|\(\(.*?\)\)|\$\[[^\]]*\]|\[\[.*?\]\]|\w\[[^\]]*\]|\$\{\w+:([^-=?+}][^}]*)\}"
    r"|(?<![\w$])for[ \t]*::[^\s;&|]*"
    r"|(?:^|[\s;&|(])(?:let\s|(?:declare|typeset|local)(?:\s+\+\w*|\s+-\w*)*?\s+-\w*i)[^;&|\n]*"
)
# the declaring builtins with bash's integer attribute (`-i`): a value assigned to such a name
# (by any form: `declare -i y; read y`) is evaluated as arithmetic
_INTEGER_DECLARING = frozenset(("declare", "typeset", "local"))
# in `[[ ... ]]` bash evaluates as arithmetic only the operands of these (and `-v`'s subscript)
_TEST_ARITHMETIC = frozenset(("-eq", "-ne", "-lt", "-le", "-gt", "-ge"))
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_CODE_IN_VALUE = re.compile(r"[$`\[]")
# a `for` word that expands to itself (no expansion, glob, quote left by the reader) or a
# numeric brace sequence (`{1..5}`): the loop's values are written on the line (R14-35)
_LITERAL_WORD = re.compile(r"[A-Za-z0-9_.,:/+%@=-]*|\{-?[0-9]+\.\.-?[0-9]+(\.\.-?[0-9]+)?\}")
# `N=$(nproc)`: a command substitution whose output is a number (R14-35)
_NUMBER_PROGRAM = r"\s*(?:nproc(?:\s+--all)?|getconf\s+_?NPROCESSORS_(?:ONLN|CONF))\s*"


def _arithmetic_texts(script: str) -> Iterable[str]:
    """The texts bash evaluates as arithmetic on the masked line: in ``[[ ]]`` only the
    operands of ``-eq``... and ``-v`` (``[[ -s $f ]]``, ``[[ $f == *x* ]]`` evaluate nothing),
    in ``${x:o:l}`` only ``o`` and ``l`` (red team 14 R14-35)."""
    for context in _ARITHMETIC.finditer(script):
        text = context.group(0)
        if text.startswith("[["):
            words = text[2:-2].split()
            for k, word in enumerate(words):
                if word in _TEST_ARITHMETIC:
                    yield " ".join(words[max(k - 1, 0) : k + 2])
                elif word == "-v":
                    yield " ".join(words[k + 1 : k + 2])
            yield from _arithmetic_texts(text[2:-2])  # its own `$((...))`, subscripts
        elif context.group(1) is not None:
            yield context.group(1)
        else:
            yield text


def _integer_options(args: List[str]) -> bool:
    """Whether a declaring builtin's options (before its first operand or ``--``) give the
    integer attribute: an ``i`` in any ``-`` word (``-i``, ``-xi``, ``-x -i``, ``+x -i``), or a
    word Warden cannot read, which may expand to one (``declare $o y=x``: red team 34 R34-5)."""
    for word in args:
        if word == "--":
            return False
        if word[:1] == "-" and len(word) > 1:
            if "i" in word:
                return True
        elif word[:1] != "+" or len(word) == 1:
            return computed_operand(word)
    return False


def _arithmetic_command(words: List[str]) -> bool:
    """Whether a command (reserved words cut) evaluates its operands as arithmetic: ``let``,
    ``declare``/``typeset``/``local`` with the integer attribute (its words as bash reads them,
    quotes removed: ``'let' x``, ``declare '-i' y=x``)."""
    i = 0
    while i < len(words) and _ASSIGNMENT_WORD.match(words[i]):
        i += 1
    inner = line_flow.unwrap_builtin(words[i:])
    if inner[:1] == ["let"]:
        return True
    return bool(inner) and inner[0] in _INTEGER_DECLARING and _integer_options(inner[1:])


def _arithmetic_commands(commands: List[List[str]]) -> Iterable[str]:
    """The operands of the line's arithmetic commands (``_arithmetic_command``); an array
    value (``declare -ai a=(x)``: the reader splits its parentheses off) with the command."""
    for k, words in enumerate(commands):
        if _arithmetic_command(words):
            text = " ".join(words)
            if words[-1:] and words[-1].endswith("=") and k + 1 < len(commands):
                text += " " + " ".join(commands[k + 1])
            yield text


def literal_loops(commands: Iterable[List[str]]) -> Dict[str, List[str]]:
    """The names only ``for NAME in WORDS`` headers with literal words assign, with their
    words (``for i in 1 2 3``): their values are on the line."""
    loops: Dict[str, List[str]] = {}
    other: Set[str] = set()
    for command in commands:
        words = _words(list(command))
        if (
            words[:1] == ["for"]
            and words[2:3] == ["in"]
            and _NAME.match(words[1] if len(words) > 1 else "")
        ):
            if all(_LITERAL_WORD.fullmatch(w) for w in words[3:]):
                loops.setdefault(words[1], []).extend(words[3:])
                continue
        other.update(names_assigned_in(words))
    return {name: values for name, values in loops.items() if name not in other}


def names_assigned_in(words: List[str]) -> List[str]:
    """The names a command (reserved words already cut) assigns by any form."""
    i = 0
    while i < len(words) and _ASSIGNMENT_WORD.match(words[i]):
        i += 1
    return [w.split("=", 1)[0].split("[")[0].rstrip("+") for w in words[:i]] + list(
        line_flow.names_assigned(line_flow.unwrap_builtin(words[i:]))
    )


def numeric_names(original: str) -> Set[str]:
    """The names the line assigns only ``$(nproc)``-like outputs (a number), in its text;
    none on a line that names PATH (a cell-made ``nproc`` may print anything)."""
    if re.search(r"(?<![\w$])PATH\b|\$\{?PATH\b", original):
        return set()
    found = re.findall(
        r"(?:^|[\s;&|(])([A-Za-z_][A-Za-z0-9_]*)=\$\(" + _NUMBER_PROGRAM + r"\)(?=$|[\s;&|)])",
        original,
    )
    return {
        name
        for name in set(found)
        if len(re.findall(r"(?<![\w$])" + name + r"(\[[^\]]*\])?\+?=", original))
        == found.count(name)
    }


def evaluated(
    commands: Iterable[List[str]],
    script: str,
    unknown: Set[str],
    env: Dict[str, str],
    original: str = "",
) -> str:
    """Why the line holds a value bash evaluates as shell text ('' when none): ``unknown``:
    the names whose value the line leaves unknown (the loops' names as ``literal_loops`` reads
    them excepted); ``env``: the values Warden knows; ``original``: the unmasked line."""
    if _PROMPT_EXPANSION.search(script):
        return "a ${...@P} expansion (bash runs the value as a prompt, command substitutions too)"
    if _PROMPT_TEXT.search(script):
        return "it assigns a prompt variable (PS4 runs under set -x as shell text)"
    commands = [_words(list(c)) for c in commands]
    for words in commands:
        i = 0
        while i < len(words) and _ASSIGNMENT_WORD.match(words[i]):
            if words[i].split("=", 1)[0].split("[")[0] in _PROMPTS:
                return "it assigns a prompt variable (PS4 runs under set -x as shell text)"
            i += 1
        inner = line_flow.unwrap_builtin(words[i:])
        program, args = (inner[0], inner[1:]) if inner else ("", [])
        if program in ("mapfile", "readarray") and any(re.match(r"^-[A-Za-z]*C", a) for a in args):
            return f"{program} -C runs its callback as shell text"
        if program in ("compgen", "complete"):
            return f"{program} runs the shell text and functions its options name"
        if program in ("fc", "history"):
            return f"{program} runs or edits the history bash runs again as shell text"
        if program == "enable" and any(re.match(r"^-[A-Za-z]*f", a) for a in args):
            return "enable -f loads a builtin's code from a file"
        if _PROMPTS & set(line_flow.names_assigned(inner)):
            return "it assigns a prompt variable (PS4 runs under set -x as shell text)"
    # arithmetic evaluates a variable's value as an expression, and a subscript in it (`a[$(
    # cmd)]`) as shell text: a name in an arithmetic context whose value is unknown (assigned
    # an expansion, or by a form the line state does not read) or holds `$`, a backtick or `[`;
    # a literal loop's values are judged as values, a `$(nproc)` is a number (R14-35)
    # a name only `let` or an integer declaration assigns holds a number (`i=0; let i=i+1`,
    # `declare -i n=5`); its operands are read as arithmetic themselves
    loops = literal_loops(commands)
    numbers = numeric_names(original)
    assigning = [words for words in commands if not _arithmetic_command(words)]
    unknown = (
        set(unknown)
        | (unknown_names(assigning, script) - set(loops))
        | (_assigned_expansions(commands) - numbers)
    )
    # what the line itself assigns (`y=x` after `declare -i y`), besides what it started with;
    # a `$(nproc)` is a number
    assigned = {n: v for n, v in _assigned_values(commands).items() if n not in numbers}

    def unreadable(name: str, seen: Set[str]) -> bool:
        # bash evaluates a value's names' values in turn (`y=foo; x=y; $((x))` evaluates foo's)
        if name in seen:
            return False
        seen.add(name)
        if name in unknown or ANY in unknown:
            return True
        return any(
            _CODE_IN_VALUE.search(value)
            or any(unreadable(n, seen) for n in _IDENTIFIER.findall(value))
            for value in loops.get(name, assigned.get(name, []) + [env.get(name, "")])
        )

    # a builtin's name operand (`test -v 'a[$(cmd)]'`) and an arithmetic operand written
    # quoted or given by a command substitution run code themselves (red team 90 F5)
    why = name_operands.refusal(commands, original or script)
    if why:
        return why
    texts = list(_arithmetic_texts(script)) + list(_arithmetic_commands(commands))
    texts += list(name_operands.texts(commands, original or script))
    for text in texts:
        for name in _IDENTIFIER.findall(text):
            if unreadable(name, set()):
                return (
                    f"arithmetic on the line evaluates {name}, whose value Warden cannot read "
                    "(a subscript in it runs as shell text): give it a number written on "
                    "the line"
                )
    return ""


def unmasked_evaluated(script: str, unknown: Set[str], env: Dict[str, str]) -> str:
    """``evaluated`` for a line ``shell_text.mask`` could not read (a blank-padded ``(( x ))``)
    but that holds no expansion, quote-built program or installer word (``shell_text.unseen``,
    ``has_hint``): read as plain words, its quotes removed and split at every operator. Such a
    line was run unread, so ``read -r x < f; (( x ))`` evaluated the file's ``c[$(cmd)]`` (red
    team 34 R34-5)."""
    text = re.sub(r"['\"]", "", script)
    commands = [piece.split() for piece in re.split(r"[;&|()<>\n]+", text)]
    return evaluated([words for words in commands if words], text, unknown, env, script)


def _assignment_words(commands: List[List[str]]) -> Iterable[Tuple[str, str]]:
    """(name, value) of each ``NAME=value`` word of the line: assignments in front of a
    command and a declaring builtin's operands; an array's (``a=(x y)``, which the reader
    splits off as a command of its own) is the words of the command after."""
    for k, words in enumerate(commands):
        i = 0
        while i < len(words) and _ASSIGNMENT_WORD.match(words[i]):
            i += 1
        operands = list(range(i))
        if words[i : i + 1] and words[i] in _DECLARING:
            operands += range(i + 1, len(words))
        for n in operands:
            name, eq, value = words[n].partition("=")
            if not (eq and _ASSIGNMENT_WORD.match(words[n])):
                continue
            if not value and n == len(words) - 1 and k + 1 < len(commands):
                value = " ".join(commands[k + 1])
            yield name.split("[")[0].rstrip("+"), value


def _assigned_values(commands: List[List[str]]) -> Dict[str, List[str]]:
    """The values the line assigns each name by ``NAME=value`` (``_assignment_words``)."""
    values: Dict[str, List[str]] = {}
    for name, value in _assignment_words(commands):
        values.setdefault(name, []).append(value)
    return values


def _assigned_expansions(commands: List[List[str]]) -> Set[str]:
    """The names the line assigns a value holding an expansion (``x="a[${d}(...)]"``)."""
    return {name for name, value in _assignment_words(commands) if re.search(r"[$`]", value)}
