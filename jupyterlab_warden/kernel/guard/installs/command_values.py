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

Pythons are left out (a Python the start runs is guarded), and so are words that only wrap a
command (``time``, ``nice``): a name a shell would run after them is read itself.
"""

import os
import re
import shutil
from typing import Dict

from . import fastpath, handed_text, inherited_env

# the words of a value, split where a shell or an option list splits them
_PIECES = re.compile(r"[^\s;&|()<>`'\"=,{}:]+")
# programs that run their input or arguments as commands of their own
_RUNS_INPUT = frozenset(("xargs", "eval", "env", "busybox"))
_INSTALLERS = frozenset(
    (
        "conda", "mamba", "micromamba", "uv", "uvx", "pipx", "pipx.pyz", "poetry", "pdm",
        "pipenv", "hatch", "pixi", "rye", "pip-compile", "pip-sync",
    )
)  # fmt: skip
_SHELLS = frozenset(("sh", "bash", "dash", "zsh", "ksh", "ash", "fish", "tcsh", "csh"))

# verdicts by value: a pure function of the text (and of what PATH finds), kept
_KNOWN: Dict[str, str] = {}
_KEPT = 1024


def runs_command(value: str) -> str:
    """The name of what ``value`` starts read as shell text ('' when nothing Warden refuses)."""
    known = _KNOWN.get(value)
    if known is None:
        known = _read(value)
        if len(_KNOWN) >= _KEPT:
            _KNOWN.clear()
        _KNOWN[value] = known
    return known


# a shell's expansions in a value a program runs as shell text: a command substitution runs
# what Warden does not read; a parameter may be empty or a blank (`uv${IFS}pip`, `u${E}v`)
_SUBSTITUTION = re.compile(r"\$\(|`")
_PARAMETER = re.compile(r"\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*|\$[0-9@*#?$!-]")


def _read(value: str) -> str:
    if _SUBSTITUTION.search(value):
        return "a command substitution"
    texts = [value, handed_text.dequoted(value)] if handed_text.quoted(value) else [value]
    if "$" in value:
        # each expansion read as nothing and as a blank (a superset of the names)
        texts = [_PARAMETER.sub(sub, t) for t in texts for sub in ("", " ")]
    if not any(handed_text.may_be_command_text(text) for text in texts):
        return ""  # one word: a path, a number, a name; a program named alone runs bare
    for text in texts:
        for piece in _PIECES.findall(text):
            name = piece.rsplit("/", 1)[-1]
            if _starts_commands(name) and _program(piece):
                return name
    return ""


def _starts_commands(name: str) -> bool:
    return (
        name in _INSTALLERS
        or fastpath._versioned(name, "pip")
        or name in _SHELLS
        or name in _RUNS_INPUT
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


def refused_value(name: str, value: str) -> str:
    """Why setting ``name`` to ``value`` in the kernel is refused, '' when it is not (the
    launcher's own value, set back, is not)."""
    if inherited_env.launch_value(name) == value:
        return ""
    started = runs_command(value)
    if not started:
        return ""
    from .commands import shell_code_variable  # loaded by now, or only for such a value

    if shell_code_variable({name: value}):
        return ""  # a shell's own code (BASH_FUNC_pip%%, BASH_ENV): its rule refuses every
        # shell start that has it, whatever the value, and names the variable to remove
    return _why(name, started)


def refused_env(env: Dict[str, str]) -> str:
    """Why a start given ``env`` is refused: its first value the launcher did not give that
    carries a command; '' when none does."""
    for name, value in env.items():
        if type(value) is str:
            why = refused_value(name, value)
            if why:
                return why
    return ""


def _why(name: str, started: str) -> str:
    return (
        f"the environment variable {name}, set by the notebook, holds a command that runs "
        f"{started} (a program may run its value as shell text: JAVA_TOOL_OPTIONS' "
        "-XX:OnOutOfMemoryError, npm_config_call), whose code Warden does not read: run "
        f"{started} as its own command, or unset {name}"
    )
