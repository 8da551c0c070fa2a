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
from typing import Callable, Dict, Optional

from . import fastpath, handed_text, inherited_env

# the words of a value, split where a shell or an option list splits them
_PIECES = re.compile(r"[^\s;&|()<>`'\"=,{}:]+")
# shells the fast path's names do not hold (it reads none of them), which still run a command
_OTHER_SHELLS = frozenset(("fish", "tcsh", "csh"))
# the variables commands.shell_code_variable reads (besides BASH_FUNC_*): looked at first
_SHELL_CODE_NAMES = frozenset(("BASH_ENV", "SHELLOPTS", "BASHOPTS", "GLOBIGNORE", "PS4"))


def runs_command(value: str, lookup: Callable[[str], Optional[str]] = lambda name: None) -> str:
    """What ``value`` starts read as shell text, in words for the message ('' when nothing
    Warden refuses); ``lookup``: the value of a variable its parameters name, in the
    environment the value is expanded in (None: unset)."""
    if "$" in value:
        expanded = _expanded(value, lookup)
        if expanded is None:
            return "uses a shell expansion Warden cannot resolve (a ${...} with an operator)"
        return _read(expanded)
    # not kept by text: what a name finds (PATH, a link, a pattern's files) changes under it
    # (red team 26: a program made after a first look kept its "harmless" answer)
    return _read(value)


# a shell's expansions in a value a program runs as shell text: a command substitution runs
# what Warden does not read; a parameter is another variable's value (red team 26 R26-1:
# `$C $D install` with C=uv and D=pip set apart; `uv${IFS}pip`: IFS a blank)
_SUBSTITUTION = re.compile(r"\$\(|`")
_PARAMETER = re.compile(r"\$(?:\{([^}]*)\}|([A-Za-z_][A-Za-z0-9_]*)|([0-9@*#?$!-]))")
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_DEFAULT_IFS = " \t\n"


def _expanded(value: str, lookup) -> Optional[str]:
    """``value`` with each parameter replaced by what the variable holds (unset: nothing;
    IFS unset: a blank; a special one, ``$1`` ``$@``: nothing, as in ``sh -c`` with no
    arguments); None where a ``${...}`` holds an operator (``${X:-uv}``) Warden does not
    evaluate. Quotes stay: a value's own quotes are read as the shell reads them."""
    unresolved = []

    def value_of(match) -> str:
        braced, plain, special = match.groups()
        name = braced if braced is not None else plain
        if name is None:
            return "sh" if special == "0" else ""
        if not _NAME.match(name):
            unresolved.append(name)
            return ""
        found = lookup(name)
        if found is None and name == "IFS":
            return _DEFAULT_IFS
        return found or ""

    expanded = _PARAMETER.sub(value_of, value)
    return None if unresolved else expanded


def _read(value: str) -> str:
    """What ``value`` runs read as shell text ('' when nothing Warden refuses): an installer
    named anywhere in it; in command position (the first word of each command, what follows
    an option's ``=``) a shell, a wrapper or a code interpreter by its name or by the program
    a link there leads to, or a pattern that matches a file now; a command substitution, a
    PATH or a cd it sets."""
    if _SUBSTITUTION.search(value):
        return "runs a command substitution"
    texts = [value, handed_text.dequoted(value)] if handed_text.quoted(value) else [value]
    if not any(handed_text.may_be_command_text(text) for text in texts):
        return ""  # one word: a path, a number, a name; a program named alone runs bare
    for text in texts:
        for piece in _PIECES.findall(text):
            name = piece.rsplit("/", 1)[-1]
            if _installer(name) and _program(piece):
                return f"runs {name}"
        found = _in_command_position(text) or handed_text.unplaceable(text)
        if found:
            return found
    return ""


def _in_command_position(text: str) -> str:
    for token in handed_text.command_tokens(text) + handed_text.option_values(text):
        if handed_text.has_pattern(token):
            matches = _matches(token)
            if matches:
                return f"runs {matches[0]} (the pattern {token} matches it)"
            continue
        name = token.rsplit("/", 1)[-1]
        target = _target_name(token)
        for candidate in (name, target):
            if (
                candidate
                and _starts_commands(candidate)
                and (candidate == target or _program(token))
            ):
                return f"runs {candidate}"
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


def _program(piece: str) -> bool:
    """A path naming an executable file, or a bare name found on PATH (``R``, ``expect``
    where none is installed name nothing a shell could run)."""
    if "/" in piece:
        return os.path.isfile(piece) and os.access(piece, os.X_OK)
    return shutil.which(piece) is not None


def _target_name(token: str) -> str:
    """The name of the program a word in command position runs when it is a link (``./k``,
    k a link to uv; a bare ``k`` found on PATH): the kernel runs the link's target."""
    path = token if "/" in token else (shutil.which(token) or "")
    if not path or not os.path.islink(path):
        return ""
    return os.path.basename(os.path.realpath(path))


def _matches(pattern: str) -> list:
    """The files a pattern in command position matches now, from this process's folder."""
    try:
        return sorted(globlib.glob(pattern))
    except (OSError, ValueError, re.error):
        return [pattern]  # a pattern Warden cannot expand: counted as matching


def refused_value(
    name: str,
    value: str,
    lookup: Callable[[str], Optional[str]] = lambda name: None,
    shell_code: bool = True,
) -> str:
    """Why setting ``name`` to ``value`` is refused ('' when it is not; the launcher's own
    value, set back, is not); ``lookup``: the other variables of the environment it is set
    in. A shell's own code (``BASH_FUNC_pip%%``, ``BASH_ENV``, ``SHELLOPTS``) is refused
    whatever its value: any program may start bash with it (red team 26 R26-2: npm's
    ``script-shell=bash``), not only the shells Warden reads."""
    if inherited_env.launch_value(name) == value:
        return ""
    if shell_code and _shell_code(name, value):
        return (
            f"the environment variable {name}, set by the notebook, is shell code (an exported "
            "bash function, BASH_ENV, SHELLOPTS), which runs code Warden does not read in any "
            f"bash a program starts: remove it (os.environ.pop('{name}') before it)"
        )
    started = runs_command(value, lookup)
    return _why(name, started) if started else ""


def _shell_code(name: str, value: str) -> bool:
    if not (name.startswith("BASH_FUNC_") or name in _SHELL_CODE_NAMES):
        return False  # the common case, without loading the full reading
    from .commands import shell_code_variable

    return bool(shell_code_variable({name: value}, False))


def refused_env(env: Dict[str, str], shell_code: bool = True) -> str:
    """Why a start given ``env`` is refused: its first value the launcher did not give that
    carries a command, its parameters read in ``env``; '' when none does. ``shell_code``:
    a shell's own code variable counts (not for a start whose own gate reads it)."""
    for name, value in env.items():
        if type(value) is str:
            why = refused_value(name, value, env.get, shell_code)
            if why:
                return why
    return ""


def refused_change(name: str, value: Optional[str], env: Dict[str, str]) -> str:
    """Why setting ``name`` to ``value`` (None: unsetting it) in ``env`` (the environment
    before the change) is refused: the value itself, or a value set before whose parameters
    now read otherwise (``npm_config_call='$C $D install'`` first, C=uv and D=pip after)."""
    after = dict(env)
    if value is None:
        after.pop(name, None)
    else:
        after[name] = value
        why = refused_value(name, value, after.get)
        if why:
            return why
    for other, held in after.items():
        if other != name and "$" in held and _PARAMETER.search(held):
            why = refused_value(other, held, after.get)
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
