"""tmux commands that run what the line's reading never sees (red team 91d).

The shell-runner table reads tmux's commands one by one, and a command that runs shell text
(new-session, run-shell...) has its words read as that text. Four ways around it:

* ``if-shell``/``if`` (and ``run-shell -C``) take tmux COMMAND LISTS, not shell text: ``if
  true 'run-shell ./x'``, ``if true 'set-hook -g after-new-window "run ./x"'``, ``if true
  'setenv -g PYTHONPATH lib'``, ``if true 'pipe-pane ./x'`` ran their payload while the table
  read ``true run-shell ./x`` as one shell line (``true`` with words). Now each command of
  those lists must be one that runs nothing and sets nothing (``_HARMLESS``: display,
  has-session, kill-*, list-*, select-*, rename-*, resize-*...); any other, a list Warden
  cannot split (braces, an open quote) and a ``{`` block given as words is refused: run the
  commands as tmux commands of their own, where the table reads them.
* ``set-window-option``/``setw`` sets any option, session and server ones too (tmux sets a
  hook or ``copy-command`` whatever ``-w`` says: ``setw -g after-new-window 'run ./x'``,
  ``setw -g pane-exited 'run ./x'``, ``setw -g copy-command ./x``), and ``-F`` expands the
  value as a format (``##(`` makes a ``#(``). Now only a few display options
  (``_WINDOW_OPTIONS``: mode-keys, mouse...) pass, named in full, without ``-F``; ``set`` is
  refused by the table.
* ``pipe-pane CMD`` (and copy mode's ``send-keys -X copy-pipe CMD``, ``pipe*``) runs CMD
  through the SERVER's shell, in the server's folder and with its environment (those of
  whatever start made the server), which Warden cannot tell: ``cd sub && tmux new -d``, then
  ``tmux pipe-pane -t a ./mytool`` ran sub/mytool. Refused with a command.
* The server keeps the global environment of the client that started it, and every later
  pane (of any later line) starts with it: ``PYTHONPATH=$W/lib tmux new -d -s a; tmux new
  -d -s b 'python3 train.py'`` ran lib/sitecustomize.py in the second pane, read with the
  kernel's environment. A start that may make the server (new-session, start-server, a bare
  ``tmux``) is now refused when its environment (the line's assignments and exports, a
  ``subprocess`` ``env=``, ``-e``) differs from the kernel's in any variable, and when the
  kernel's own differs from its launch value (``os.environ`` changed by the cell), but for
  ``_FREE`` (the terminal's size and type, the folder a shell keeps, tmux's own socket
  folder, the pane's shell, checked by ``pane_shell``) and ipykernel's own settings
  (``_KERNEL_OWN``). Any other variable may change what a later pane runs (PYTHONPATH,
  LD_PRELOAD, PATH, an editor...), and Warden reads that pane with its own line's
  environment; a list of "dangerous" names would be incomplete, so the rule is the strict
  one: start the server with the kernel's environment, and give a pane its variables in its
  command (``tmux new -d 'X=1 python3 train.py'``), where Warden reads them.

Pure logic; nothing but tmux_login at import."""

from .tmux_login import _commands, _global_options, _options, _resolved

# commands that run no shell text, set no option, hook, key or variable
_HARMLESS = frozenset(("display-message", "display", "has-session", "has", "kill-session",
                       "kill-server", "kill-window", "killw", "kill-pane", "killp",
                       "list-sessions", "ls", "list-windows", "lsw", "list-panes", "lsp",
                       "list-clients", "lsc", "select-window", "selectw", "select-pane",
                       "selectp", "select-layout", "selectl", "rename-session", "rename",
                       "rename-window", "renamew", "resize-pane", "resizep", "resize-window",
                       "resizew", "switch-client", "switchc", "detach-client", "detach",
                       "refresh-client", "refresh", "wait-for", "wait", "next-window", "next",
                       "previous-window", "prev", "last-window", "last", "last-pane",
                       "lastp", "send-prefix", "clear-history", "clearhist"))  # fmt: skip
# window options that only change how a window looks or takes keys
_WINDOW_OPTIONS = frozenset(("mode-keys", "mouse", "synchronize-panes", "remain-on-exit",
                             "automatic-rename", "aggressive-resize", "allow-rename",
                             "monitor-activity", "monitor-bell", "monitor-silence",
                             "main-pane-height", "main-pane-width", "pane-base-index",
                             "wrap-search", "xterm-keys", "clock-mode-style", "window-size",
                             "alternate-screen", "pane-border-status"))  # fmt: skip
_SETW = frozenset(("set-window-option", "setw"))
_PIPES = frozenset(("pipe-pane", "pipep"))
_SERVER_STARTS = frozenset(("new-session", "new", "start-server", "start"))
# variables a server's global environment may hold otherwise than the kernel's
_FREE = frozenset(("TERM", "COLUMNS", "LINES", "TMUX_TMPDIR", "TMUX", "TMUX_PANE", "PWD",
                   "OLDPWD", "SHLVL", "_", "SHELL"))  # fmt: skip
# what ipykernel sets in os.environ as it starts, after the launch (name: its value, or None)
_KERNEL_OWN = {"PAGER": "cat", "GIT_PAGER": "cat", "CLICOLOR": "1", "FORCE_COLOR": None,
               "CLICOLOR_FORCE": None, "MPLBACKEND": None, "TERM": None}  # fmt: skip


def refused(words: list, command_names: tuple) -> str:
    """Why tmux's ``words`` (after the program) run a command Warden does not read ('' none):
    if-shell's and run-shell -C's command lists, setw, pipe-pane, copy mode's pipes."""
    i, _given = _global_options(words)
    for command in _commands(words[i:]):
        verb = _resolved(command[0], command_names)
        given, operands = _options(command[1:], frozenset("tcd"))
        lists = []
        if verb in ("if-shell", "if"):
            lists = operands[1:]
        elif verb in ("run-shell", "run") and "C" in given:
            lists = operands
        if "{" in lists or "}" in lists:
            return (
                f"tmux {verb} runs a {{ }} block of tmux commands, which Warden does not read: "
                "run them as tmux commands of their own"
            )
        for text in lists:
            why = _command_list(verb, text, command_names)
            if why:
                return why
        if verb in _SETW and ("F" in given or not operands or operands[0] not in _WINDOW_OPTIONS):
            return (
                f"tmux {verb} {' '.join(command[1:])[:60]!r} may set a hook, a command or a "
                "format tmux runs (setw sets any option, -F expands formats), which Warden "
                "does not read: set only plain window options (mode-keys, mouse...)"
            )
        if verb in _PIPES and operands:
            return _pipe(f"tmux {verb}")
        if verb in ("send-keys", "send") and "X" in given:
            if any(w.startswith(("copy-pipe", "pipe")) for w in operands):
                return _pipe("tmux send-keys -X copy-pipe")
    return ""


def _pipe(what: str) -> str:
    return (
        f"{what} runs its command in the tmux server's folder and environment (those of the "
        "start that made the server), which Warden cannot tell: run the command from the cell"
    )


def _command_list(verb: str, text: str, command_names: tuple) -> str:
    from .pane_shell import _command_string

    inner = _command_string(text)
    if inner is None:
        return (
            f"tmux {verb} runs {text[:40]!r} as tmux commands, which Warden cannot split: run "
            "them as tmux commands of their own"
        )
    for command in inner:
        name = _resolved(command[0], command_names)
        if name not in _HARMLESS:
            return (
                f"tmux {verb} runs {text[:40]!r} as tmux commands ({name} may run or set what "
                "Warden does not read there): run them as tmux commands of their own"
            )
    return ""


def server_problem(words: list, command_names: tuple, env: dict, inherited: dict, launch) -> str:
    """Why tmux's ``words`` may start a server whose global environment differs from what
    Warden reads later lines with ('' none): ``env``: the start's whole environment (with
    ``-e``'s); ``inherited``: the kernel's (what a start inherits); ``launch``: the kernel's
    values at launch (a dict), None where not known."""
    i, given = _global_options(words)
    commands = _commands(words[i:])
    if commands and not any(_resolved(c[0], command_names) in _SERVER_STARTS for c in commands):
        return ""
    names = {n for n in env.keys() | inherited.keys() if env.get(n) != inherited.get(n)}
    if launch is not None:
        for name in inherited.keys() | launch.keys():
            value = inherited.get(name)
            own = _KERNEL_OWN.get(name, "-")
            if value != launch.get(name) and not (name in _KERNEL_OWN and own in (None, value)):
                names.add(name)
    names -= _FREE
    if not names:
        return ""
    shown = ", ".join(sorted(names)[:4])
    return (
        f"tmux may start its server here with an environment other than the kernel's ({shown}), "
        "which the server keeps for every later pane, and Warden reads those with the "
        "kernel's: start tmux with the kernel's environment, and set a pane's variables in "
        "its command (tmux new -d 'NAME=VALUE cmd')"
    )
