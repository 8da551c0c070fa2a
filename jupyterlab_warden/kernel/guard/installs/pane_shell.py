"""The shell a terminal multiplexer starts in its panes, and the environment it gets (red team
90 F10, F12).

tmux starts every pane's program through its ``default-shell`` (``SHELL -c CMD``; with no
command, the shell itself, interactive and a login shell), with the SERVER's global
environment (the environment of the client that started the server: the line's exports and
assignments, the kernel's own) plus the pane's ``-e NAME=VALUE`` words. screen does the same
with ``$SHELL``. An interactive shell runs code from its environment that Warden, which reads
the pane's shell as a login shell with its start-up files, does not read:

* F10: ``ENV`` (sh/dash, and bash in posix mode, source it at interactive start),
  ``BASH_ENV`` (sourced before every ``-c``), ``PROMPT_COMMAND`` (run before each prompt, with
  no key typed), the prompts ``PS0``-``PS4`` and ``MAILPATH``'s messages (expanded: a
  ``$(...)`` there runs), ``INPUTRC`` (readline's start-up file: a macro types any text on a
  key) and ``HISTFILE`` (the history typed keys recall). A start whose environment holds one
  of those, set otherwise than the kernel was launched with, is refused
  (``environment_problem``): the server it may start keeps them for every later pane. A
  ``-e`` word Warden cannot read as ``NAME=VALUE`` (an expansion) is refused too
  (``environment_words_problem``); ``set-environment``/``setenv`` are refused by the table
  (schema/shell-runners.json).
* F12: tmux takes ``default-shell`` from SHELL (an absolute path to an executable file,
  else the password database's shell) as its server starts. Warden took the shell by its name
  only: ``SHELL=$PWD/tools/sh`` was "sh". The program is now read as a start
  (``shell_problem``): a file written since the kernel started (or missing: the line may
  write it) is refused, and so is a program that is no standard shell. tmux's options that
  replace the shell, ``default-shell`` and ``default-command`` (and ``update-environment``,
  which copies a client's variables into new sessions), set by ``set-window-option``/``setw``
  (tmux sets a session option whatever the command's ``-w``), by any unique prefix of their
  names (tmux matches option names by prefix), or by a ``set`` in a command string tmux runs
  (``if-shell``'s commands, ``run-shell -C``), are refused (``option_problem``); a top-level
  ``set``/``set-option`` and ``-f FILE`` are refused by the table, and a start-up file
  written since the kernel started by ``tmux_login.changed_config``.

Pure logic; only ``os`` at import."""

import os
import re

from .tmux_login import _START_VALUED, _commands, _global_options, _options, _resolved

# an interactive shell sources the file, or reads it (keys, history)
_FILE_VARIABLES = ("ENV", "BASH_ENV", "INPUTRC", "HISTFILE")
# an interactive shell runs the value as a command
_CODE_VARIABLES = ("PROMPT_COMMAND",)
# an interactive shell expands the value (a `$(...)` or a backquote runs)
_EXPANDED_VARIABLES = ("PS0", "PS1", "PS2", "PS3", "PS4", "MAILPATH")
# `$` or a backquote, but not the prompts' `\$` (the `$` or `#` of the prompt) written with
# ONE backslash: after an even run (`\\\\$(x)`: red team 91d) bash's prompt decoding leaves
# a `\` and the `$(x)` runs
_PROMPT_DOLLAR = re.compile(r"(?<!\\)\\\$")
_EXPANSION = re.compile(r"[$`]")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")

# tmux's options that pick what a pane runs, or which variables a new session copies
_SHELL_OPTIONS = ("default-shell", "default-command", "update-environment")
# variables a tmux `-e` may give a session without reaching the server check: they choose
# devices, thread counts, a locale or offline modes, are read by no rule and load no code
_SESSION_FREE = frozenset(
    ("CUDA_VISIBLE_DEVICES", "NVIDIA_VISIBLE_DEVICES", "HIP_VISIBLE_DEVICES", "OMP_NUM_THREADS",
     "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS", "TOKENIZERS_PARALLELISM", "PYTHONUNBUFFERED",
     "HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "WANDB_MODE", "TZ", "LANG", "LC_ALL")
)  # fmt: skip
_SETTERS = ("set-option", "set", "set-window-option", "setw")
# the options of set-option, if-shell and run-shell that take a value
_SETTER_VALUED = frozenset("tcd")


def refused(name: str, words: list, env: dict, shell: str, shells, command_names=()) -> str:
    """Why the panes ``name`` (tmux, screen) ``words`` (after the program) start run code
    Warden does not read ('' none): ``env``: the environment the start gives them (the kernel's,
    the line's, ``-e``'s); ``shell``: their shell (SHELL, else the password database's);
    ``shells``: the standard shells' names. The shell and its environment are read where the
    words may start a pane or the server (which keeps both for every later pane)."""
    from .inherited_env import launch_value
    from .kernel_age import changed_since_start

    if name == "tmux":
        why = environment_words_problem(words) or option_problem(words, command_names)
        why = why or _tmux_commands_problem(words, command_names, env)  # red team 91d
        if why:
            return why
    if name == "tmux" and not _starts(words, command_names):
        return ""
    why = environment_problem(env, launch_value) or shell_problem(
        shell, shells, changed_since_start
    )
    return f"{name}: {why}" if why else ""


# tmux's commands that start a pane (or the server: start-server)
_STARTS = frozenset(("new-session", "new", "new-window", "neww", "split-window", "splitw",
                     "respawn-pane", "respawnp", "respawn-window", "respawnw", "display-popup",
                     "popup", "start-server", "start"))  # fmt: skip


def _starts(words: list, command_names: tuple) -> bool:
    i, given = _global_options(words)
    commands = _commands(words[i:])
    return (
        "c" in given
        or not commands
        or any(_resolved(c[0], command_names) in _STARTS for c in commands)
    )


def _tmux_commands_problem(words: list, command_names: tuple, env: dict) -> str:
    """tmux_commands' reading (red team 91d): if-shell's command lists, setw, pipe-pane, and
    the environment a server this start may make keeps for every later pane."""
    from . import inherited_env, startup_modules, tmux_commands

    given = startup_modules.START_ENVIRON.get()
    inherited = dict(os.environ if given is None else given)
    launch = inherited_env._LAUNCH if type(inherited_env._LAUNCH) is dict else None
    # `-e NAME=V` sets the new session's environment (kept for its later windows, which Warden
    # reads with their own line's): only names that select devices, threads or offline modes
    # and load no code pass there (ci113: `tmux new -d -s train -e CUDA_VISIBLE_DEVICES=0
    # python train.py`); any other differs as the server's would (`-e PYTHONPATH=lib`)
    session = {v.partition("=")[0] for v in _option_values(words, "e")} & _SESSION_FREE
    server = {n: v for n, v in env.items() if n not in session}
    server.update({n: inherited[n] for n in session if n in inherited})
    return tmux_commands.refused(words, command_names) or tmux_commands.server_problem(
        words, command_names, server, inherited, launch
    )


def environment_problem(env: dict, launch_value) -> str:
    """Why the environment ``env`` a pane's shell gets runs code Warden does not read ('' none):
    ``launch_value(name)`` is the kernel's value at launch, left as it was (the launcher's)."""
    for name, value in env.items():
        if not value or value == launch_value(name):
            continue
        if name in _FILE_VARIABLES or name in _CODE_VARIABLES:
            return (
                f"its panes' shell starts with {name}={value[:60]} in its environment, a file "
                "an interactive shell reads or a command it runs before each prompt, which "
                f"Warden does not read: start it without {name}"
            )
        if name in _EXPANDED_VARIABLES and _EXPANSION.search(_PROMPT_DOLLAR.sub("", value)):
            return (
                f"its panes' shell starts with {name}={value[:60]} in its environment, which an "
                "interactive shell expands (a $(...) there runs), and Warden does not read "
                f"that: start it without {name}, or with no $ in it"
            )
    return ""


def environment_words_problem(words: list) -> str:
    """Why a ``-e`` word among tmux's ``words`` (after the program) is one Warden cannot read
    as ``NAME=VALUE`` ('' none): tmux adds it to the pane's environment as it finds it."""
    for value in _option_values(words, "e"):
        name = value.partition("=")[0]
        if "=" not in value or not _NAME.match(name):
            return (
                f"tmux -e {value[:60]!r} sets a variable of its pane's shell Warden cannot read "
                "(an expansion, no NAME=VALUE): give it as NAME=VALUE written out"
            )
    return ""


def shell_problem(shell: str, shells, changed) -> str:
    """Why the pane's shell program ``shell`` (SHELL, else the password database's) is one
    Warden does not read ('' none): ``shells``: the standard shells' names; ``changed(path)``:
    whether a file (or a link on its way) changed since the kernel started, or is missing."""
    name = os.path.basename(shell)
    if not os.path.isabs(shell):
        why = "no absolute path (tmux then starts another shell, screen looks it up)"
    elif name not in shells:
        why = "no standard shell Warden reads"
    elif changed(shell) or changed(os.path.realpath(shell)):
        why = "a file missing or written since the kernel started, which Warden does not read"
    else:
        return ""
    return (
        f"its panes run in its default shell, SHELL={shell[:60]}, {why}: set SHELL to "
        "/bin/bash or /bin/sh"
    )


def option_problem(words: list, command_names: tuple = ()) -> str:
    """Why tmux's ``words`` (after the program; ``command_names``: tmux's, for a command named
    by a prefix) set an option that picks the panes' shell or what it runs ('' none), also
    inside the command strings tmux runs (``if-shell``'s, ``run-shell -C``'s)."""
    i, _given = _global_options(words)
    return _set_options(_commands(words[i:]), command_names, 0)


def _set_options(commands: list, command_names: tuple, depth: int) -> str:
    for command in commands:
        verb = _resolved(command[0], command_names)
        given, operands = _options(command[1:], _SETTER_VALUED)
        if verb in _SETTERS and operands:
            option = operands[0].split("[", 1)[0]
            if any(o.startswith(option) or option.startswith(o) for o in _SHELL_OPTIONS):
                return (
                    f"tmux {verb} {operands[0][:40]} sets the program its panes run (or the "
                    "variables new sessions copy), which Warden does not read: start the "
                    "session with its command instead"
                )
        strings = []
        if verb in ("if-shell", "if"):
            strings = operands[1:]
        elif verb in ("run-shell", "run") and "C" in given:
            strings = operands
        for text in strings:
            inner = _command_string(text)
            if inner is None or depth > 4:
                return (
                    f"tmux {verb} runs {text[:40]!r} as tmux commands, which Warden cannot "
                    "split: run them as tmux commands of their own"
                )
            why = _set_options(inner, command_names, depth + 1)
            if why:
                return why
    return ""


def _command_string(text: str):
    """The tmux commands of a command string (words split as a shell splits them, ``;``
    between commands); None where Warden cannot split it (braces, an unclosed quote)."""
    import shlex

    if "{" in text or "}" in text:
        return None
    try:
        lexer = shlex.shlex(text, posix=True, punctuation_chars=";")
        lexer.whitespace_split = True
        words = list(lexer)
    except ValueError:
        return None
    commands: list = [[]]
    for word in words:
        if word == ";":
            commands.append([])
        else:
            commands[-1].append(word)
    return [c for c in commands if c]


def _option_values(words: list, letter: str) -> list:
    """Every value of the option ``letter`` among tmux's ``words``, read as getopt reads each
    command's options (the pane starts' valued letters: -c, -e, -t...)."""
    found = []
    i, _given = _global_options(words)
    for command in _commands(words[i:]):
        k = 1
        while k < len(command) and command[k].startswith("-") and command[k] != "-":
            word = command[k]
            k += 1
            if word == "--":
                break
            for n, each in enumerate(word[1:]):
                if each in _START_VALUED:
                    value = word[n + 2 :] or (command[k] if k < len(command) else "")
                    k += 0 if word[n + 2 :] else 1
                    if each == letter:
                        found.append(value)
                    break
    return found
