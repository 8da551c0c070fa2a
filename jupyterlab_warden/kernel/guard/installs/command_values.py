"""Environment values that carry a command (red team 25 R25-3).

Programs run commands named in variables Warden has no table for: every JVM reads
``JAVA_TOOL_OPTIONS`` (``-XX:OnOutOfMemoryError=CMD`` runs CMD with ``/bin/sh -c``), npm reads
every ``npm_config_*`` (``npm_config_call=CMD npm exec``), and a variable set in the kernel
reaches every later start, a PySpark driver's JVM included. No list of such variables is
complete, so a value the CELL set (not the launcher's: ``inherited_env.launch_value``) is
read for what a shell would start from it, whatever its name: one that may be command text
(a blank, a ``;``, a pipe) and names an installer, a shell, a code interpreter or a program
that runs its input as commands is refused, when it is set in the kernel
(``InstallGate.environ_changed``: libraries start processes no audit event shows), given to
one start (``env=``) and given on a line (``X=... cmd``, ``commands._simple``).

Red team 26 read it as the shell does: a parameter is what the environment it is expanded in
holds (``$C $D install``, C and D set apart; a change that makes an earlier value run an
installer is refused: ``refused_change``); shells, wrappers and interpreters count in command
position only (a note naming ``env`` is no command), by their names and by the program a link
there leads to; a pattern there counts by the files it matches; PATH or a cd the value sets
makes its names unplaceable; a shell's own code variable (``BASH_FUNC_*``, ``BASH_ENV``) is
refused whatever its value, since any program may start bash with it. Pythons are left out (a
Python the start runs is guarded).
"""

import glob as globlib
import os
import re
import shutil
from typing import Callable, Dict, List, Optional, Tuple

from . import fastpath, folders, handed_text, inherited_env, loader_variables, shell_values

# the words of a value, split where a shell or an option list splits them
_PIECES = re.compile(r"[^\s;&|()<>`'\"=,{}:\0]+")
# shells the fast path's names do not hold (it reads none of them), which still run a command
_OTHER_SHELLS = frozenset(("fish", "tcsh", "csh"))
# the variables commands.shell_code_variable reads (besides BASH_FUNC_*): looked at first
# (and pyenv's: R31-4)
_SHELL_CODE_NAMES = frozenset(
    ("BASH_ENV", "SHELLOPTS", "BASHOPTS", "GLOBIGNORE", "PS4", "PYENV_HOOK_PATH", "PYENV_ROOT")
)


# What stands in a value's text for what Warden cannot know where the value runs: a command
# substitution's output, a parameter the shell or the running program sets itself (no value
# Warden reads holds a NUL: the C environment cannot carry one)
_UNKNOWN = "\0"
# parameters the program that runs a value sets before its shell expands it, whatever the
# environment it was started with holds (red team 27 R27-3: npm exports its config as
# npm_config_*, ./package.json as npm_package_*, npm_lifecycle_*, INIT_CWD, NODE); the ones
# the shell sets itself ($#, $?, $1, RANDOM, OLDPWD...) are the one list of them,
# ``shell_values.shell_sets`` (red team 28a R28a-4; PWD is the folder it runs in: ``_parameter``)
# Red team 28c R28c-4 added what npm 11 assigns besides (`env.X =` in npm's lib/, @npmcli/*
# and libnpmexec, and `npm exec -c env` diffed with its parent's environment, 2026-12-03):
# COLOR ('0' or '1' whatever the environment holds: lib/npm.js), NODE_ENV ('production' when
# dev installs are omitted: @npmcli/config's definitions.js), NODE_PATH (rebuild), EDITOR,
# NODE_OPTIONS (@npmcli/config's set-envs.js). HOME (set-envs.js: `$HOME || os.homedir()`) is
# the start's when it holds one, unknown when unset or empty (``Place.home``); PATH and every
# `path`/`Path` variable are setPATH's merge (``Place.searches``, ``_PATH_VARIANTS``)
_PROGRAM_SET = frozenset(
    ("INIT_CWD", "NODE", "EDITOR", "NODE_OPTIONS", "NODE_PATH", "COLOR", "NODE_ENV")
)
_PROGRAM_SET_PREFIXES = ("npm_",)
# folders a program puts before PATH for the commands it runs, under the folder it runs in
# and each parent (npm and npx: node_modules/.bin, R27-3; @npmcli/run-script's set-path.js)
_PROGRAM_PATH_FOLDERS = ("node_modules/.bin",)
# the names @npmcli/run-script's setPATH merges into PATH (`/^path$/i`: `path`, `Path`...),
# each set to the merge, in the order the environment holds them (R28c-4)
_PATH_VARIANTS = tuple(
    "".join(c.upper() if bit & (1 << i) else c for i, c in enumerate("path")) for bit in range(16)
)


# where a shell looks a name up when PATH is unset, and what it sets PATH to (red team 28b
# R28b-3; `env -i dash -c 'echo $PATH'`, `env -i bash -c 'echo $PATH'`, 2026-12-03): dash's
# (sh), and bash's, which differs in order and ends in `.` (the folder it runs in)
SHELL_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
BASH_PATH = "/usr/local/bin:/usr/local/sbin:/usr/bin:/usr/sbin:/bin:/sbin:."
# where bash's `command -p` looks its program up (red team 50b R50b-2): the system's path,
# glibc's confstr(_CS_PATH) (`getconf PATH`); dash's `command -p` searches SHELL_PATH
SYSTEM_PATH = "/bin:/usr/bin"


class Place:
    """Where a value runs: the folder of the start that runs it (absolute; None where a ``cd``
    Warden cannot follow left it unknown) and that start's environment (``lookup``: PATH,
    HOME, the variables its parameters name), not this process's (red team 27 R27-1)."""

    __slots__ = ("folder", "lookup", "searches", "merged", "home", "pwd")

    def __init__(self, folder: Optional[str], lookup: Callable[[str], Optional[str]]):
        self.folder = None if folder is None else folders.in_full(folder)  # `..` as the system's
        self.lookup = lookup
        search = lookup("PATH")
        # PATH unset: the shell's default, dash's or bash's (either may be the one)
        self.searches: Tuple[str, ...] = (SHELL_PATH, BASH_PATH) if search is None else (search,)
        # npm merges every `path`/`Path` into PATH (R28c-4), in an order Warden does not
        # know: each of them is searched after PATH and before it
        others = [lookup(v) for v in _PATH_VARIANTS if v != "PATH"]
        others = [v for v in others if v]
        if others:
            orders = [
                order for held in self.searches for order in ([held] + others, others + [held])
            ]
            self.searches += tuple(os.pathsep.join(order) for order in orders)
        self.merged = bool(others)
        # npm sets HOME to the user's home when the start has none (R28c-4): unknown then
        self.home = lookup("HOME") or _UNKNOWN
        self.pwd = self.folder  # what $PWD is: the folder sh runs in


def runs_command(
    value: str,
    lookup: Callable[[str], Optional[str]] = lambda name: None,
    folder: Optional[str] = ".",
) -> str:
    """What ``value`` starts read as shell text, in words for the message ('' when nothing
    Warden refuses); ``lookup``: the value of a variable its parameters name, in the
    environment the value is expanded in (None: unset); ``folder``: the folder it runs in."""
    place = Place(folder, lookup)
    unknown: List[str] = []
    text = _expanded(value, place, unknown) if "$" in value else value
    # not kept by text: what a name finds (PATH, a link, a pattern's files) changes under it
    # (red team 26: a program made after a first look kept its "harmless" answer)
    found = _read(text, place, unknown, False)
    inherited = lookup("PWD")
    if found or "PWD" not in value or inherited in (None, place.pwd):
        return found
    # npm expands a ${...} in its config from its own environment, before sh sets PWD
    place.pwd = inherited
    return _read(_expanded(value, place, []), place, [], False)


def may_be_command(value: str) -> bool:
    """Whether ``value`` may be read as command text at some start (a blank or a break, or a
    parameter that may expand to one): only such values are read again at each start."""
    return "$" in value or _command_text(value)


def _command_text(text: str) -> bool:
    """Whether ``text`` may be a command with words of its own: a blank or a break. A
    backtick alone is none: a one-word value (a password ``Xk9$(pQ2``, ``-Dx=`id```) runs
    what a program named alone runs (red team 27 R27-4)."""
    return handed_text.may_be_command_text(text.replace("`", ""))


# a shell's expansions in a value a program runs as shell text: a command substitution runs
# its own text, and its output is no name Warden knows; a parameter is another variable's
# value (red team 26 R26-1: `$C $D install` with C=uv and D=pip set apart; `uv${IFS}pip`)
_PARAMETER = re.compile(r"\$(?:\{([^}]*)\}|([A-Za-z_][A-Za-z0-9_]*)|([0-9@*#?$!-]))")
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# ${NAME:-WORD} and its kin, which Warden evaluates in the environment the value runs in
_OPERATOR = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)(:?[-=?+])(.*)$", re.S)
# the variable a ``${...}`` Warden does not evaluate reads (``${#X}``, ``${X%%.*}``)
_NAMED = re.compile(r"[#!]?([A-Za-z_][A-Za-z0-9_]*)")
_DEFAULT_IFS = " \t\n"
# bash's own expansions a value may hold (red team 29b R29b-4/5: npm's script-shell=bash):
# $'...' (ANSI-C quoting: $'\x75v' is uv), $"..." (the locale's) and $[...] (arithmetic), whose
# text is not what runs; and a brace expansion ({u..u}v, {a,b}), which makes its words
_BASH_DOLLAR = re.compile(r"\$(?=['\"\[])")
_BRACES = re.compile(r"\{[^{}\s]*(?:,|\.\.)[^{}\s]*\}")
# a bracket expression shells read otherwise than Python's glob: a POSIX class, collating
# symbol or equivalence class (`[[:digit:]]`, `[[.a.]]`, `[[=a=]]`) or bash's `[^x]`; any other
# (`[abc]`, `[a-z]`, `[!x]`) both read alike, and is matched with the files where it runs
_BRACKETS = re.compile(r"\[[:.=^]")


def _expanded(value: str, place: Place, unknown: List[str]) -> str:
    """``value`` with each parameter replaced by what the shell that runs it makes of it: the
    variable's value (unset: nothing); PWD the folder it runs in; ``${X:-w}`` and its kin
    evaluated. What Warden cannot know there becomes ``_UNKNOWN`` (its source in ``unknown``)
    followed by the value Warden reads (a name in an argument reads as before): a parameter
    the shell sets itself (``$#``, ``$?``, ``$1``, ``$0`` read as sh, RANDOM, IFS read as a
    blank: ``shell_values.shell_sets``, red team 28a R28a-4: npm's ``sh -c`` sets ``$#`` to 0
    and ``./$#`` ran a link ``./0``), one the running program sets itself (npm_*), an operator
    it does not evaluate (``${X#p}``). Quotes stay: a value's own quotes are read as the shell
    reads them. bash's ``$'...'``, ``$"..."`` and ``$[...]`` are unknown (``_BASH_DOLLAR``)."""
    if _BASH_DOLLAR.search(value):
        unknown.append("bash's $'...', $\"...\" or $[...]")
        value = _BASH_DOLLAR.sub(_UNKNOWN, value)

    def value_of(match) -> str:
        braced, plain, special = match.groups()
        name = braced if braced is not None else plain or special
        if _NAME.match(name) or shell_values.SPECIAL_PARAMETER.fullmatch(name):
            return _parameter(name, place, unknown)
        operator = _OPERATOR.match(name)
        if operator and not any(c in operator.group(3) for c in "$`{"):
            variable, op, word = operator.groups()
            held = _parameter(variable, place, unknown)
            if _UNKNOWN in held:
                return held + word  # the running program's: either may be the one
            empty = held == "" if op[0] == ":" else place.lookup(variable) is None
            if op[-1] in "-=":
                return word if empty and variable != "PWD" else held
            if op[-1] == "+":
                return "" if empty else word
            return held  # `?`: the value, or the shell stops
        # `${X#p}`, `${#X}`, a nested expansion: unknown, with what it may bring (a blank)
        unknown.append("${" + name + "}")
        named = _NAMED.match(name)
        held = place.lookup(named.group(1)) if named else None
        return _UNKNOWN + (held or "") + (" " + name if "$" in name or "`" in name else "")

    return _PARAMETER.sub(value_of, value)


def _parameter(name: str, place: Place, unknown: List[str]) -> str:
    if name == "PWD":  # sh sets PWD to the folder it runs in (R27-2)
        if place.pwd is not None:
            return place.pwd
        unknown.append("$PWD")
        return _UNKNOWN
    if shell_values.SPECIAL_PARAMETER.fullmatch(name):
        # no environment holds one; `sh -c VALUE` alone has $0 = sh and $# = 0
        unknown.append("$" + name)
        return _UNKNOWN + ("sh" if name == "0" else "")
    found = place.lookup(name)
    if name == "IFS":  # sh and bash set IFS to a blank, whatever the environment holds
        found = _DEFAULT_IFS
    if name == "PATH" and found is None:  # the shell's default (R28b-3): dash's or bash's
        found = SHELL_PATH
    program_set = name in _PROGRAM_SET or name.startswith(_PROGRAM_SET_PREFIXES)
    # npm's merge of PATH and `path`/`Path` (R28c-4); HOME npm sets when the start has none
    program_set = program_set or (name.upper() == "PATH" and place.merged)
    program_set = program_set or (name == "HOME" and not found)
    # PS4, TERM, an unset PATH...: the shell's (R28b-3); a PATH the start has is read as held
    if program_set or shell_values.shell_sets(name, place.lookup):
        unknown.append("$" + name)
        return _UNKNOWN + (found or "")
    return found or ""


def _read(text: str, place: Place, unknown: List[str], command: bool) -> str:
    """What ``text`` runs read as shell text ('' when nothing Warden refuses); ``command``:
    it is a command whatever its words (a substitution's text). An installer named anywhere
    in it; in command position (the first word of each command, what follows an option's
    ``=``) a shell, a wrapper or a code interpreter by its name or by the program a link there
    leads to, what a pattern there expands to read the same way, a name Warden cannot know
    there; what a command substitution runs; a PATH or a cd it sets."""
    texts = [text, handed_text.dequoted(text)] if handed_text.quoted(text) else [text]
    if not command and not any(_command_text(t) for t in texts):
        return ""  # one word: a path, a number, a name; a program named alone runs bare
    for whole in texts:
        pieces = _substitutions(whole)
        for body, inner in pieces:
            found = _read(body, place, unknown, True) if inner else ""
            if found:
                return found
        # a substitution's output is unknown unless it prints nothing (no command there is a
        # program: `AdamW` in a note), and then the shell joins what stands around it; a
        # `$((...))` is arithmetic (or a subshell's output): a number Warden does not work out
        # (red team 29b R29b-4: `./$((0))` ran a link ./0, read as an empty substitution)
        outer = "".join(
            (_UNKNOWN if body.lstrip().startswith("(") or _prints(body, place) else "")
            if inner
            else body
            for body, inner in pieces
        )
        if _UNKNOWN in outer and len(pieces) > 1:
            unknown.append("a command substitution's output")
        for piece in _PIECES.findall(outer):
            name = piece.rsplit("/", 1)[-1]
            if _installer(name) and _program(piece, place) is not False:
                return f"runs {name}"
        found = _in_command_position(outer, place, unknown) or handed_text.unplaceable(outer)
        if found:
            return found
    return ""


def _substitutions(text: str) -> List[Tuple[str, bool]]:
    """``text`` cut at its command substitutions (``$(...)``, a backtick pair; one left open
    runs to the end): (piece, whether it is a substitution's text), in order."""
    if "`" not in text and "$(" not in text:
        return [(text, False)]
    pieces, i, start = [], 0, 0
    while i < len(text):
        if text.startswith("$(", i):
            depth, j = 1, i + 2
            while j < len(text) and depth:
                depth += {"(": 1, ")": -1}.get(text[j], 0)
                j += 1
            pieces += [(text[start:i], False), (text[i + 2 : j - 1 if depth == 0 else j], True)]
        elif text[i] == "`":
            j = text.find("`", i + 1)
            j = len(text) if j < 0 else j
            pieces += [(text[start:i], False), (text[i + 1 : j], True)]
            j += 1
        else:
            i += 1
            continue
        i = start = j
    return pieces + [(text[start:], False)]


def _prints(body: str, place: "Place") -> bool:
    """Whether a command substitution's text may print something: a command there is a
    program or a builtin, or what Warden cannot place (a parameter, a pattern, ``$(<f)``);
    not when no command it names is found (the shell prints the error elsewhere)."""
    text = body.strip()
    if not text:
        return False
    if text[0] == "<" or any(c in text for c in "$`~" + _UNKNOWN):
        return True
    for token in handed_text.command_tokens(text):
        # the shell's own commands run without a program file, and any may print (bash's
        # `dirs`, `compgen` as well: the one list of them, shell_values.BUILTINS)
        if token in shell_values.BUILTINS or handed_text.has_pattern(token):
            return True
        found = _located(token, place)
        if found is None or found:
            return True
    return False


def _in_command_position(text: str, place: Place, unknown: List[str]) -> str:
    for token in handed_text.command_tokens(text, braces=False):
        if _BRACES.search(token):
            return f"runs what bash's brace expansion {token} makes, which Warden does not read"
    for token in handed_text.command_tokens(text) + handed_text.option_values(text):
        if token.startswith("~-"):
            unknown.append("~- (OLDPWD)")
        elif token.partition("/")[0] == "~" and place.home == _UNKNOWN:
            unknown.append("~ (HOME, unset: npm sets it)")
        token = handed_text.expand_tilde(token, place.home, _UNKNOWN)
        if _UNKNOWN in token:
            return _unknown_command(unknown)
        if _BRACKETS.search(token):
            # shells read [[:digit:]] and [^x] as Python's glob does not (red team 29b R29b-3:
            # it matched nothing, and dash ran ./0, a link to uv); an ordinary bracket in a
            # value's first word (pytest's `test_x[case] (setup)`) is matched as before
            return f"runs what the pattern {token} matches, which Warden cannot tell"
        words = [token]
        if handed_text.has_pattern(token):
            words = _matches(token, place.folder)
            if words is None:
                return f"runs what the pattern {token} matches, which Warden cannot tell"
            words = words or [token]  # no match: the shell runs the pattern as written
        for word in words:
            found = _starts(word, place)
            if found:
                return found if word == token else f"{found} (the pattern {token} matches it)"
    return ""


def _unknown_command(unknown: List[str]) -> str:
    source = ", ".join(dict.fromkeys(unknown))
    return (
        f"uses a shell expansion Warden cannot know in command position ({source}: the shell "
        "or the program that runs the value sets it, or a command prints it, where it runs)"
    )


def _starts(word: str, place: Place) -> str:
    """'runs NAME' when ``word`` in command position starts a program that starts commands, by
    its name or by the program a link there leads to; '' when not."""
    name = word.rsplit("/", 1)[-1]
    found = _located(word, place)
    if found is None:
        if _starts_commands(name) or "/" in word:
            return f"runs {word}, found from a folder Warden cannot tell (an earlier cd)"
        return ""
    if found and _starts_commands(name):
        return f"runs {name}"
    for path in found:
        if os.path.islink(path):
            target = os.path.basename(os.path.realpath(path))
            if _starts_commands(target):
                return f"runs {target}"
    return ""


def _installer(name: str) -> bool:
    return name in fastpath.INSTALLERS or fastpath._versioned(name, "pip")


def _starts_commands(name: str) -> bool:
    """An installer, a shell or a wrapper (the fast path's names, one list: xargs, eval, env
    among them), or a code interpreter; not a Python (guarded where it starts)."""
    if fastpath._versioned(name, "python"):
        return False
    return (
        fastpath.is_installer_name(name)
        or name in _OTHER_SHELLS
        or name in fastpath._INTERPRETERS
        or any(fastpath._versioned(name, stem) for stem in fastpath._INTERPRETER_STEMS)
        or name == "nodejs"
    )


def _program(piece: str, place: Place) -> Optional[bool]:
    """Whether ``piece`` names a program where the value runs (``R``, ``expect`` where none is
    installed name nothing a shell could run); None where Warden cannot tell."""
    found = _located(handed_text.expand_tilde(piece, place.home, _UNKNOWN), place)
    return None if found is None else bool(found)


def _located(word: str, place: Place) -> Optional[List[str]]:
    """The executable files ``word`` may run where the value runs: a path, from the start's
    folder; a bare name, the first on the start's PATH and the first with the folders the
    running program puts before it (``_PROGRAM_PATH_FOLDERS`` of the folder and its parents:
    npm's ``node_modules/.bin``, R27-3). None where the folder it is found from is unknown."""
    if "/" in word:
        if not os.path.isabs(word):
            if place.folder is None:
                return None
            word = os.path.join(place.folder, word)
        return [word] if os.path.isfile(word) and os.access(word, os.X_OK) else []
    if place.folder is None:
        return None  # the program's own folders are under the unknown one
    own = [
        os.path.join(up, added)
        for up in folders.upward(place.folder)
        for added in _PROGRAM_PATH_FOLDERS
    ]
    found = []
    for searched in place.searches:
        search = []
        for entry in searched.split(os.pathsep):
            search.append(os.path.join(place.folder, entry) if entry else place.folder)
        for path in (os.pathsep.join(search), os.pathsep.join(own + search)):
            hit = shutil.which(word, path=path)
            if hit and hit not in found:
                found.append(hit)
    return found


def _matches(pattern: str, folder: Optional[str]) -> Optional[List[str]]:
    """The words a pattern in command position expands to, from ``folder`` (as written: a
    relative match stays relative, a bare one is then looked up on PATH); None where Warden
    cannot expand it."""
    if folder is None and not os.path.isabs(pattern):
        return None
    try:
        return sorted(globlib.glob(pattern, root_dir=folder))
    except (OSError, ValueError, re.error):
        return None


def refused_value(
    name: str,
    value: str,
    lookup: Callable[[str], Optional[str]] = lambda name: None,
    shell_code: bool = True,
    folder: Optional[str] = ".",
) -> str:
    """Why setting ``name`` to ``value`` is refused ('' when it is not; the launcher's own
    value, set back, is not); ``lookup``: the other variables of the environment it is set
    in; ``folder``: where the start that runs it runs. A shell's own code (``BASH_FUNC_pip%%``,
    ``BASH_ENV``, ``SHELLOPTS``) is refused whatever its value: any program may start bash
    with it (red team 26 R26-2: npm's ``script-shell=bash``), not only the shells Warden
    reads."""
    if inherited_env.launch_value(name) == value:
        return ""
    loader = loader_variables.refusal(name, value)  # LD_PRELOAD=./x.so ls (red team 91)
    if loader:
        return loader
    if shell_code and _shell_code(name, value):
        if name.startswith("PYENV_"):
            return (
                f"the environment variable {name}, set by the notebook, names folders of bash "
                "hooks that pyenv (every pyenv shim: python3, pip...) sources before the program "
                f"it runs, which Warden does not read: remove it (os.environ.pop('{name}') before "
                "it)"
            )
        return (
            f"the environment variable {name}, set by the notebook, is shell code (an exported "
            "bash function, BASH_ENV, SHELLOPTS), which runs code Warden does not read in any "
            f"bash a program starts: remove it (os.environ.pop('{name}') before it)"
        )
    started = runs_command(value, lookup, folder)
    return _why(name, started) if started else ""


def _shell_code(name: str, value: str) -> bool:
    if not (name.startswith("BASH_FUNC_") or name in _SHELL_CODE_NAMES):
        return False  # the common case, without loading the full reading
    from .commands import shell_code_variable

    return bool(shell_code_variable({name: value}, False))


def refused_env(env: Dict[str, str], shell_code: bool = True, folder: Optional[str] = ".") -> str:
    """Why a start given ``env`` in ``folder`` is refused: its first value the launcher did not
    give that carries a command, its parameters and names read in ``env`` and ``folder``;
    '' when none does. ``shell_code``: a shell's own code variable counts (not for a start
    whose own gate reads it)."""
    for name, value in env.items():
        if type(value) is str:
            why = refused_value(name, value, env.get, shell_code, folder)
            if why:
                return why
    return ""


def refused_held(names, lookup: Callable[[str], Optional[str]], folder: Optional[str]) -> str:
    """Why a start that inherits the values of ``names`` (the notebook's that ``may_be_command``)
    is refused, read where it runs: ``lookup``, the environment it inherits; ``folder``, its
    folder (red team 27 R27-1: a value set before the link it names exists, or read from
    another folder or PATH than the one the start has)."""
    for name in names:
        value = lookup(name)
        if value is not None:
            why = refused_value(name, value, lookup, False, folder)
            if why:
                return why
    return ""


# what the names of any value are looked up with: a change of one reads every value again
_LOOKUP_NAMES = frozenset(_PATH_VARIANTS + ("HOME",))


def refused_change(
    name: str, value: Optional[str], env: Dict[str, str], folder: Optional[str] = "."
) -> str:
    """Why setting ``name`` to ``value`` (None: unsetting it) in ``env`` (the environment
    before the change) is refused, read in ``folder``: the value itself, or a value set
    before whose parameters or names now read otherwise (``npm_config_call='$C $D install'``
    first, C=uv and D=pip after; ``k ...`` first, then a PATH where k is a link to uv)."""
    after = dict(env)
    if value is None:
        after.pop(name, None)
    else:
        after[name] = value
        why = refused_value(name, value, after.get, True, folder)
        if why:
            return why
    every = name in _LOOKUP_NAMES
    for other, held in after.items():
        if other != name and (every and may_be_command(held) or "$" in held):
            why = refused_value(other, held, after.get, True, folder)
            if why:
                return why
    return ""


def _why(name: str, what: str) -> str:
    return (
        f"the environment variable {name}, set by the notebook, holds a command that {what} "
        "(a program may run its value as shell text: JAVA_TOOL_OPTIONS' -XX:OnOutOfMemoryError, "
        "npm_config_call), which Warden does not read: run the command as its own, or unset "
        f"{name}"
    )
