"""What a terminal multiplexer's words start in a shell Warden must read as a login shell (red
team 88 F7): ``tmux new-session -d`` (and new-window, split-window, respawn-*, a bare
``tmux``) with no shell command runs tmux's default shell as a LOGIN shell (argv[0]
``-bash``), which reads /etc/profile and ~/.profile (red team 86 F6's PATH class:
~/.local/bin first); ``tmux send-keys 'tar czf o.tgz a.txt' Enter`` then types a line into
it. screen with no command starts its shell too. The caller (``commands._multiplexer_shell``)
reads such a start as a login start (a start-up file written since the kernel started is
refused, the login PATH's new programs are read) and the typed lines as lines of that shell.

Read fail closed: a key Warden does not map to text (Tab completes, arrows recall history,
a hex key code types any character), typed text left without an Enter (it waits in the
pane's line for what comes next), a buffer pasted into a pane, ``send-keys -K`` (the client's
key bindings), and a multiplexer's own start-up file written since the kernel started (tmux
runs its ``run-shell`` lines) are refused.

Red team 90 F3/F6: the pane's shell reads typed keys through readline, and one shell reads
them all. A CR is read as the line end it is; any other control character (C-u discards the
line, Tab completes, ESC starts a key sequence) and any character outside printable ASCII is
refused (``_control``). The lines typed are read as ONE shell text (``Reading.text``), and
only when typed into a session the same tmux words make fresh (``_Panes``): a pane an earlier
start made holds whatever earlier keys did there. What only an interactive shell does with
typed lines (key bindings, history, prompt variables, a new file sourced) is refused
(``interactive_only``, ``_sourced_changed``), and so is a new readline start-up file
(``INPUTRC_FILES``). Only ``os`` at import."""

import os

PROGRAMS = frozenset(("tmux", "screen"))
# tmux's commands that start a shell command in a pane, its default shell with none
_SHELL_STARTS = frozenset(("new-session", "new", "new-window", "neww", "split-window", "splitw",
                           "respawn-pane", "respawnp", "respawn-window", "respawnw"))  # fmt: skip
_TYPES = frozenset(("send-keys", "send"))
_PASTES = frozenset(("paste-buffer", "pasteb"))
# tmux's global options (tmux(1)): flags, and those that take a value
_GLOBAL_FLAGS = frozenset("2CDlNuvV")
_GLOBAL_VALUED = frozenset("cfLST")
# the options of the commands read here that take a value (new-session's -f flags, split's
# -l size; send-keys' -l is a flag: literal)
_START_VALUED = frozenset("cefFlnpstTxy")
_TYPE_VALUED = frozenset("cNt")
# the keys typed as text: Enter (and its control codes), Space; C-c interrupts what runs or
# discards the line typed so far (Warden cannot tell which: ``_CANCEL``, read only alone)
_CANCEL = "\x03"
_KEY_TEXT = {"enter": "\n", "c-m": "\n", "^m": "\n", "c-j": "\n", "^j": "\n",
             "kpenter": "\n", "space": " ", "c-c": _CANCEL, "^c": _CANCEL}  # fmt: skip
_KEY_NAMES = frozenset(("any", "bspace", "btab", "dc", "delete", "down", "end", "escape",
                        "home", "ic", "insert", "left", "npage", "pagedown", "pageup", "pgdn",
                        "pgup", "ppage", "right", "tab", "up"))  # fmt: skip
_KEY_PREFIXES = ("c-", "m-", "s-", "^", "0x", "kp", "mouse", "wheel", "doubleclick",
                 "tripleclick", "secondclick", "focus", "user", "paste")  # fmt: skip
# the start-up files tmux (its TMUX_CONF) and screen read as the server starts
CONFIG_FILES = {
    "tmux": ("/etc/tmux.conf", "~/.tmux.conf", "$XDG_CONFIG_HOME/tmux/tmux.conf",
             "~/.config/tmux/tmux.conf"),
    "screen": ("/etc/screenrc", "~/.screenrc"),
}  # fmt: skip


class Reading:
    """``login``: the words start the default shell as a login shell; ``starts``: they start
    a shell at all (a shell command runs in tmux's default shell, ``$SHELL -c``); ``lines``:
    the lines typed into a pane; ``refused``: why Warden cannot read them ('' none)."""

    def __init__(self) -> None:
        self.login = False
        self.starts = False
        self.lines: list = []
        self.refused = ""
        # all the typed lines as ONE shell text (one shell reads them: red team 90 F6), and
        # the folder its pane starts in ('' the start's; None: one Warden cannot tell)
        self.text = ""
        self.folder = ""


def read(name: str, words: list, command_names: tuple = (), base="") -> Reading:
    """``name``'s (tmux or screen) ``words`` after the program; ``command_names``: tmux's
    command names (a unique prefix of one is that command, as tmux resolves it); ``base``:
    the folder the start runs in ('' this process's, None unknown)."""
    if name == "screen":
        return _screen(words)
    found = Reading()
    i, given = _global_options(words)
    if "c" in given:  # `tmux -c TEXT`: a shell command, not a login shell
        found.starts = True
        return found
    commands = _commands(words[i:])
    if not commands:
        commands = [["new-session"]]  # `tmux`, `tmux -L x`: a new session
    typed = ""
    panes = _Panes(base)
    for command in commands:
        verb = _resolved(command[0], command_names) if command else ""
        valued = _TYPE_VALUED if verb in _TYPES else _START_VALUED
        options, operands = _options(command[1:], valued)
        panes.see(verb, command[1:], operands)
        if verb in _SHELL_STARTS:
            found.starts = True
            found.login = found.login or not operands
        elif verb in _TYPES:
            text, why = _typed(options, operands, _value(command[1:], valued, "N"))
            if text.strip(_CANCEL):  # C-c alone types no line (it stops what runs)
                why = why or panes.refused(_value(command[1:], valued, "t"))
            if why:
                found.refused = found.refused or why
            typed += text
        elif verb in _PASTES:
            found.refused = found.refused or (
                f"tmux {verb} types a buffer's text into a pane, which Warden does not read: "
                "use send-keys with the line, or run the command directly"
            )
    lines = typed.split("\n")
    if lines[-1].strip(_CANCEL):
        found.refused = found.refused or (
            f"tmux send-keys types {lines[-1][:40]!r} with no Enter after it, which waits in the "
            "pane's line for what is typed next, and Warden cannot read that line whole: end "
            "it with Enter"
        )
    if _CANCEL in typed and typed.strip(_CANCEL):
        found.refused = found.refused or (
            "tmux send-keys types C-c with a line, which interrupts what runs in the pane or "
            "discards the line typed so far, and Warden cannot tell which: send C-c alone"
        )
    found.lines = [line for line in lines[:-1] if line.strip(" " + _CANCEL)]
    found.text = "\n".join(found.lines)
    found.folder = panes.folder
    found.refused = found.refused or interactive_only(found.text)
    if found.text and not found.refused:
        where = base if panes.folder == "" else panes.folder
        if where is not None and not os.path.isabs(where):
            where = None if base is None else os.path.join(base or os.getcwd(), where)
        found.refused = _sourced_changed(found.text, where)
    found.starts = found.starts or bool(found.lines)
    return found


class _Panes:
    """The panes tmux's words make before they type into one (red team 90 F6): a pane's shell
    outlives the start, and what earlier keys typed into it (``export PATH=...``, ``cd``, an
    alias, ``bind -x``, a nested shell) is the state of the lines typed next, which Warden
    cannot know; so keys are read only when typed into a session the same words make with
    ``new-session -s NAME`` and no command (its default shell, fresh), with nothing else in
    between: ``tmux new -d -s x \\; send-keys -t x 'LINE' Enter``. Fail closed: a target that
    names anything else, a grouped (``-t``) or attached-to (``-A``) session, a pane made with
    a command, any other command before the keys."""

    def __init__(self, base="") -> None:
        self.base = base  # the folder the tmux command runs in ('' this process's, None unknown)
        self.names: list = []
        self.other = ""
        self.folder = ""

    def see(self, verb: str, words: list, operands: list) -> None:
        if verb in ("new-session", "new") and not operands:
            given, _ = _options(words, _START_VALUED)
            name = _value(words, _START_VALUED, "s")
            if given & {"t", "A"} or not name:
                self.other = self.other or f"{verb} {' '.join(words)[:40]}"
                return
            folder = _value(words, _START_VALUED, "c") or ""
            if folder and _unreadable_folder(folder, self.base):
                folder = None  # an expansion, no folder yet (red team 90 F11: command_folders)
            if self.names and folder != self.folder:
                folder = None  # sessions in two folders: which one takes the keys, unread
            self.names.append(name)
            self.folder = folder
        elif verb not in _TYPES:
            self.other = self.other or f"{verb} {' '.join(words)[:40]}".strip()

    def refused(self, target: "str | None") -> str:
        why = ""
        if self.other:
            why = f"the words also run `{self.other}`, which may make or pick another pane"
        elif not self.names:
            why = "no new-session of the same tmux command makes the pane"
        elif target is not None:
            bare = target[1:] if target.startswith("=") else target
            session = bare.split(":", 1)[0]
            if session not in self.names:
                why = f"its target {target[:40]!r} names no session the same command makes"
        if not why:
            return ""
        return (
            "tmux send-keys types lines into a pane whose shell Warden has not seen start "
            f"fresh ({why}): what earlier keys typed there (an export, a cd, an alias) is the "
            "state its lines run with. Start the session and type in one tmux command: "
            "tmux new -d -s NAME \\; send-keys -t NAME 'LINE' Enter (or tmux new -d -s NAME "
            "'LINE')"
        )


def _unreadable_folder(folder: str, base) -> str:
    """Why Warden cannot read a pane's lines in ``folder`` ('' none: ``command_folders``)."""
    from .command_folders import readable

    return readable(folder, base)


def _value(words: list, valued: frozenset, letter: str) -> "str | None":
    """The value of the option ``letter`` among a tmux command's ``words`` (its last), or None."""
    found = None
    i = 0
    while i < len(words) and words[i].startswith("-") and words[i] != "-":
        word = words[i]
        i += 1
        if word == "--":
            break
        for k, each in enumerate(word[1:]):
            if each in valued:
                value = word[k + 2 :] or (words[i] if i < len(words) else "")
                i += 0 if word[k + 2 :] else 1
                if each == letter:
                    found = value
                break
    return found


# what only an interactive shell (the pane's: readline, history) does with the lines it reads,
# which the reading of shell text does not model: key bindings (``bind -x`` runs a command on a
# key), history recall and expansion (``fc -s``, ``!tar``, ``^a^b``: a history file the cell
# wrote), prompt variables whose expansion runs commands before each line; and ``exec``, which
# may hand the lines typed next to a file (``exec < cmds.txt``: the shell reads its commands there)
_INTERACTIVE_WORDS = frozenset(("bind", "fc", "history", "set", "shopt", "enable", "exec"))
_INTERACTIVE_NAMES = ("PROMPT_COMMAND", "PS0", "PS1", "PS2", "INPUTRC", "HISTFILE")


def _sourced_changed(text: str, folder) -> str:
    """Why a file the typed ``text`` sources (``source F``, ``. F``) is one Warden cannot take
    as read ('' none): the reading follows what it may change as unknown, but not the key
    bindings (``bind -x``) it may make in the pane's interactive shell, so only a file older
    than the kernel is sourced: a path with an expansion, one found on PATH (no ``/``), one
    in a folder Warden cannot tell (``folder`` None), missing or written since the kernel
    started is refused."""
    from .kernel_age import changed_since_start

    words = text.replace(";", " ").replace("&", " ").replace("|", " ").split()
    for k, word in enumerate(words[:-1]):
        if word not in ("source", "."):
            continue
        path = words[k + 1]
        if any(c in path for c in "$`~'\"\\*?[") or "/" not in path:
            why = "its name is an expansion, or bash looks it up on PATH"
        elif not path.startswith("/") and folder is None:
            why = "the pane's folder is one Warden cannot tell"
        else:
            place = path if path.startswith("/") else os.path.join(folder or os.getcwd(), path)
            if os.path.isfile(place) and not changed_since_start(place):
                continue
            why = "it is missing or written since the kernel started"
        return (
            f"tmux send-keys types `{word} {path[:60]}` into an interactive shell, and {why}: "
            "it may bind keys to commands (bind -x) Warden does not read"
        )
    return ""


def interactive_only(text: str) -> str:
    """Why the typed ``text`` holds what only an interactive shell reads ('' none): read
    fail closed, by its words, quoted or not."""
    words = text.replace(";", " ").replace("&", " ").replace("|", " ").replace("(", " ").split()
    for word in words:
        plain = word.replace("\\", "").replace("'", "").replace('"', "")  # b'i'nd is bind
        if plain in _INTERACTIVE_WORDS:
            return (
                f"tmux send-keys types {word!r}, which changes how the pane's interactive shell "
                "reads keys or history (or its options), and Warden reads typed lines as plain "
                "shell text: run the command directly"
            )
        name = word.split("=", 1)[0].split("[", 1)[0].rstrip("+")
        if "=" in word and name in _INTERACTIVE_NAMES or word.lstrip("'\"").startswith("^"):
            return (
                f"tmux send-keys types {word[:40]!r}, which an interactive shell expands before "
                "its lines (a prompt's commands, history), and Warden does not read that"
            )
    for k, char in enumerate(text):
        if char == "!" and text[k + 1 : k + 2] not in ("", " ", "\t", "\n", "=", "("):
            return (
                f"tmux send-keys types {text[max(0, k - 20) : k + 20]!r}: an interactive shell "
                "expands `!` from its history (a file Warden does not read): type no `!`, "
                "or run the command directly"
            )
    return ""


# tmux's commands that only report, or end what runs, writing no file (a format's `#(CMD)`
# aside: ``writes_nothing``), by their names and aliases as tmux(1) gives them
_REPORTS = frozenset((
    "list-sessions", "ls", "list-windows", "lsw", "list-panes", "lsp", "list-clients", "lsc",
    "list-buffers", "lsb", "list-commands", "lscm", "list-keys", "lsk", "display-message",
    "display", "has-session", "has", "show-options", "show", "show-window-options", "showw",
    "show-environment", "showenv", "show-hooks", "show-messages", "showmsgs", "server-info",
    "info", "kill-session", "kill-server", "kill-window", "killw", "kill-pane", "killp",
    "detach-client", "detach",
))  # fmt: skip


def writes_nothing(words: list) -> bool:
    """Whether tmux ``words`` (after the program) surely write no file for a later command
    of the line to meet (``line_writers``: a program off its list may write anything where
    it runs): no global option that runs or reads commands or names a socket path (``-c``,
    ``-f``, ``-S``), no format's ``#(CMD)``, and each command one that reports or ends
    (``ls``, ``display -p``), or starts the default shell with no command (a login shell
    whose start-up files are read as such: ``commands._multiplexer_shell``). A command
    named by a prefix, typed keys, or anything else: False (fail closed)."""
    if any("#(" in word for word in words):
        return False
    i, given = _global_options(words)
    if given & {"c", "f", "S"}:
        return False
    for command in _commands(words[i:]) or [["new-session"]]:
        if command[0] in _REPORTS:
            continue
        if command[0] in _SHELL_STARTS and not _options(command[1:], _START_VALUED)[1]:
            continue
        return False
    return True


def _screen(words: list) -> Reading:
    """screen with no command word starts its shell (``$SHELL``, or ``shell`` of a screenrc),
    read as a login shell (the safer: a screenrc's ``shell -bash`` makes it one)."""
    found = Reading()
    found.starts = True
    found.login = not any(not word.startswith("-") for word in words)
    return found


def _global_options(words: list) -> tuple:
    """(the index of tmux's first command word, the global options given), read as tmux's
    getopt reads them; a valued option's value may follow glued or as the next word."""
    given = set()
    i = 0
    while i < len(words) and words[i].startswith("-") and words[i] != "-":
        word = words[i]
        i += 1
        if word == "--":
            break
        for k, letter in enumerate(word[1:]):
            given.add(letter)
            if letter in _GLOBAL_VALUED:
                i += 0 if word[k + 2 :] else 1
                break
    return i, given


def _commands(words: list) -> list:
    """tmux's commands among its words: a word ending in ``;`` ends one (``\\;`` is a ``;``
    of the word), as tmux's cmd_parse_from_arguments splits them."""
    commands: list = [[]]
    for word in words:
        if word.endswith("\\;"):
            commands[-1].append(word[:-2] + ";")
        elif word.endswith(";"):
            if word[:-1]:
                commands[-1].append(word[:-1])
            commands.append([])
        else:
            commands[-1].append(word)
    return [c for c in commands if c]


def _resolved(word: str, names: tuple) -> str:
    if not names or word in names:
        return word
    found = [n for n in names if "-" in n and n.startswith(word)]
    return found[0] if len(found) == 1 else word


def _options(words: list, valued: frozenset) -> tuple:
    """(the option letters given, the operands) of a tmux command, read as getopt does:
    options until the first word that is none (or ``--``)."""
    given = set()
    i = 0
    while i < len(words) and words[i].startswith("-") and words[i] != "-":
        word = words[i]
        i += 1
        if word == "--":
            break
        for k, letter in enumerate(word[1:]):
            given.add(letter)
            if letter in valued:
                i += 0 if word[k + 2 :] else 1
                break
    return given, words[i:]


def _typed(options: set, keys: list, count: "str | None" = None) -> tuple:
    """(the text send-keys types, why Warden cannot read it or ''); ``count``: its -N."""
    if options & set("HKF"):
        return "", (
            "tmux send-keys -H/-K/-F types keys Warden does not read as text (hex codes, the "
            "client's key bindings, formats that run #(commands)): send the line as text"
        )
    if "X" in options:
        return "", ""  # copy-mode commands: nothing typed into the shell
    text, why = _keys_text(options, keys)
    if why or not text:
        return text, why
    why = _control(text)
    if why:
        return "", why
    if count is not None:
        if not count.isdigit() or not 0 < int(count) <= 100:
            return (
                "",
                f"tmux send-keys -N {count[:20]!r} repeats its keys a count Warden does not read",
            )
        text *= int(count)
    return text, ""


def _control(text: str) -> str:
    """Why the typed ``text`` holds a character the pane's line editor (readline) may read as
    an editing key ('' none): every control character (CR accepts the line, C-u discards it,
    Tab completes, ESC starts a key sequence, DEL erases) but the line end an Enter maps to
    (CR read as one: readline's accept-line), and every character outside printable ASCII (a
    shell without a UTF-8 locale reads a byte above 127 as a Meta key: M-C-j switches to vi
    mode). Red team 90 F3."""
    for char in text:
        if char in ("\n", _CANCEL) or " " <= char <= "~":
            continue
        return (
            f"tmux send-keys types the character {char!r}, which the pane's line editor may "
            "read as an editing key (CR accepts the line, C-u discards it, Tab completes), not "
            "as text: type printable text and end lines with the Enter key"
        )
    return ""


def _keys_text(options: set, keys: list) -> tuple:
    """(the characters send-keys' ``keys`` type, why Warden cannot read them or '')."""
    if "l" in options:
        return "".join(keys).replace("\r", "\n"), ""
    text = ""
    for key in keys:
        lower = key.lower()
        if lower in _KEY_TEXT:
            text += _KEY_TEXT[lower]
        elif len(key) > 1 and (
            lower in _KEY_NAMES
            or lower.startswith(_KEY_PREFIXES)
            or (lower[0] == "f" and lower[1:].isdigit())
        ):
            return "", (
                f"tmux send-keys types the key {key[:20]!r}, which Warden does not read as text "
                "(it may complete, recall or edit the pane's line): send the line as text, "
                "then Enter"
            )
        else:
            text += key  # a word tmux knows as no key is typed as its characters
    return text.replace("\r", "\n"), ""


# readline's start-up files, read by the pane's interactive shell as it reads typed keys: a
# macro or binding there makes a key type or run anything (red team 90 F6)
INPUTRC_FILES = ("$INPUTRC", "~/.inputrc", "/etc/inputrc")


def changed_config(name: str, env: dict, home: str, typed: bool = False) -> str:
    """The first start-up file of ``name`` (tmux, screen) written since the kernel started
    ('' none): tmux runs its ``run-shell`` lines, and its ``default-command`` and
    ``default-shell`` replace the shell, as the server starts; with keys ``typed`` into a
    pane, readline's too (``INPUTRC_FILES``)."""
    from .kernel_age import changed_since_start

    xdg = env.get("XDG_CONFIG_HOME") or ""
    files = CONFIG_FILES.get(name, ()) + (INPUTRC_FILES if typed else ())
    for path in files:
        if path == "$INPUTRC":
            path = env.get("INPUTRC") or ""
            if not path:
                continue
            if not path.startswith("/"):
                return path  # relative to a folder Warden does not follow: unread
        if path.startswith("$XDG_CONFIG_HOME"):
            if not xdg:
                continue
            path = xdg + path[len("$XDG_CONFIG_HOME") :]
        if path.startswith("~/"):
            path = os.path.join(home, path[2:])
        if os.path.lexists(path) and changed_since_start(path):
            return path
    return ""
