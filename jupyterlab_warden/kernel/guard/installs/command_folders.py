"""The folder a terminal multiplexer runs its shell commands in (red team 90 F11).

``tmux new-session -c DIR CMD`` (and new-window, split-window, respawn-*, run-shell ``-c``,
display-popup ``-d``) starts CMD, and the pane whose lines send-keys types, in DIR; Warden read
them in the kernel's folder, so what their relative names find (a program run by ``./name``,
``tools/gzip`` on a relative PATH entry, ``./pip.conf``, a requirements file) was another
file than the one that runs. tmux (3.3, tried) resolves a relative DIR from the folder the
tmux command runs in, expands formats (``#{pane_current_path}``) in it, and, when DIR is no
folder, starts the pane in its SERVER's folder (that of whatever start made the server).
respawn-pane/-window without ``-c`` keep the pane's old folder.

So the commands are read in DIR (``text_folder``), and a DIR Warden cannot read is refused:
an expansion (a format, ``~``, a ``$`` left unexpanded), a relative DIR from a folder Warden
cannot tell, no folder there before the line runs (the line may make it, or tmux falls back
to its server's folder), a respawn's old folder, commands of one tmux line in two folders.
Pure logic but for ``os.path``; only ``os`` at import."""

import os
from typing import Optional

from .tmux_login import _START_VALUED, _commands, _global_options, _options, _resolved, _value

# tmux's commands that run a shell command, and the option naming the folder it runs in
_FOLDER_OPTIONS = {
    "new-session": "c", "new": "c", "new-window": "c", "neww": "c", "split-window": "c",
    "splitw": "c", "respawn-pane": "c", "respawnp": "c", "respawn-window": "c",
    "respawnw": "c", "run-shell": "c", "run": "c", "display-popup": "d", "popup": "d",
}  # fmt: skip
_RESPAWNS = frozenset(("respawn-pane", "respawnp", "respawn-window", "respawnw"))
# the options that take a value (tmux(1)) of run-shell and display-popup; the pane starts'
# are tmux_login's (new-session's -d is a flag, display-popup's names the folder)
_POPUP_VALUED = frozenset("bcdehsStTwxy")
_VALUED = {"run-shell": frozenset("cdt"), "run": frozenset("cdt"),
           "display-popup": _POPUP_VALUED, "popup": _POPUP_VALUED}  # fmt: skip


def readable(folder: str, base: Optional[str]) -> str:
    """Why the folder ``folder`` a tmux option names is one Warden cannot read its commands in
    ('' none); ``base``: the folder the tmux command runs in ('' this process's, None unknown)."""
    if "#" in folder or folder[:1] == "~" or "$" in folder or "`" in folder:
        return f"its folder {folder[:60]!r} is an expansion (a format, ~) tmux makes"
    if not os.path.isabs(folder) and base is None:
        return f"its folder {folder[:60]!r} is relative to one an earlier cd left unknown"
    place = os.path.join(os.getcwd(), base or "", folder)
    if not os.path.isdir(place):
        return (
            f"{folder[:60]!r} is no folder before the line runs (the line may make it, or tmux "
            "starts the pane in its server's folder)"
        )
    return ""


def text_folder(words: list, command_names: tuple, base: Optional[str]) -> str:
    """The folder (relative to ``base``; '' ``base`` itself) the shell commands of tmux's
    ``words`` (after the program; ``command_names``: tmux's, for a command named by a prefix)
    run in. Raises ValueError with why Warden cannot tell it."""
    found = set()
    i, _given = _global_options(words)
    for command in _commands(words[i:]):
        verb = _resolved(command[0], command_names)
        letter = _FOLDER_OPTIONS.get(verb)
        if letter is None:
            continue
        valued = _VALUED.get(verb, _START_VALUED)
        _letters, operands = _options(command[1:], valued)
        if not operands:
            continue  # no command: the default shell (typed lines: tmux_login's _Panes)
        folder = _value(command[1:], valued, letter)
        if folder is None:
            if verb in _RESPAWNS:
                raise ValueError(f"{verb} runs its command in the pane's old folder")
            found.add("")
            continue
        why = readable(folder, base)
        if why:
            raise ValueError(f"{verb} -{letter}: {why}")
        found.add(folder)
    if len(found) > 1:
        raise ValueError("its commands run in more than one folder")
    return found.pop() if found else ""
