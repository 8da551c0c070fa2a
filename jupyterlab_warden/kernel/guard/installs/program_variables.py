"""Variables whose value names a program that the program started with them runs (red team 90
F2).

``npm config edit`` runs ``--editor`` / ``npm_config_editor`` / $VISUAL / $EDITOR; ``npm
bugs/docs/home/repo/help`` run ``npm_config_browser`` or xdg-open, which runs $BROWSER; npm
runs every script with ``npm_config_script_shell``; xdg-open, sensible-editor,
sensible-browser, visudo, ``systemctl edit``, ``conda config --edit`` run $EDITOR, $VISUAL,
$BROWSER, $SYSTEMD_EDITOR... Most of these programs are in no table, so such a variable was
never read: ``EDITOR=$PWD/tools/mytool npm config edit`` ran the cell's new program unread,
while the same path given as a word (``--editor=tools/mytool``) is read as a start.

Here such a variable the start's environment holds with another value than the kernel was
launched with (a line's assignment, ``os.environ[...] = ...``) is read as the start of the
program it names, as the word would be: ``commands`` reads each command ``commands_of``
returns (a program file written since the kernel started then refused by the one reader of a
program named by path, an older ``vim`` read as the plain start it is). A value Warden cannot
split into plain words (quotes, expansions, operators: the program may run it as shell text)
is refused (fail closed).
"""

import re
from typing import Dict, List, Tuple

from . import inherited_env

# variables that name a program (with its options) that some program runs: editors, pagers,
# browsers, password prompts (sensible-*, xdg-open, git, man, systemd, sudo, conda, wget)
NAMES = frozenset(
    (
        "EDITOR", "VISUAL", "SUDO_EDITOR", "SYSTEMD_EDITOR", "SELECTED_EDITOR", "GIT_EDITOR",
        "BROWSER", "PAGER", "MANPAGER", "SYSTEMD_PAGER", "GIT_PAGER", "TERMINAL",
        # the password prompts wget (--use-askpass=), ssh and sudo -A run
        "WGET_ASKPASS", "SSH_ASKPASS", "SUDO_ASKPASS", "GIT_ASKPASS",
    )
)  # fmt: skip
# npm reads any npm_config_* variable, any case, `_` as `-` (@npmcli/config): the program
# settings among them (editor, browser, the shell of `npm exec -c`, the shell scripts run in)
_NPM_PROGRAMS = frozenset(("editor", "browser", "shell", "script-shell", "viewer"))
# what a program may read as shell text rather than a program and its words
_UNSPLIT = re.compile(r"[$`\\'\"!;&|<>(){}\[\]*?~#\n]")


def _npm_setting(name: str) -> str:
    low = name.lower()
    return low[len("npm_config_") :].replace("_", "-") if low.startswith("npm_config_") else ""


def changed(environ: Dict[str, str]) -> List[Tuple[str, str]]:
    """The program variables of ``environ`` (a start's whole environment) whose value is not
    the one the kernel was launched with, and not empty."""
    found = []
    for name, value in environ.items():
        if type(value) is not str or not value.strip():
            continue
        if name not in NAMES and _npm_setting(name) not in _NPM_PROGRAMS:
            continue
        if inherited_env.launch_value(name) == value:
            continue
        found.append((name, value))
    return found


def commands_of(name: str, value: str) -> List[List[str]]:
    """The commands (program and words) ``name=value`` names. BROWSER is a `:`-separated list
    of commands, ``%s`` standing for the URL (xdg-open, Python's webbrowser). Raises
    ValueError (the reason) for a value Warden cannot split into plain words."""
    entries = value.split(":") if name == "BROWSER" else [value]
    found = []
    for entry in entries:
        entry = entry.replace("%s", "").replace("%%", "")
        if _UNSPLIT.search(entry):
            raise ValueError(
                f"the environment variable {name} names a program ({value[:60]!r}) that a "
                "program started with it runs, and its value holds quotes, expansions or "
                "shell operators Warden does not split into a program and its words: give the "
                "program's plain path"
            )
        words = entry.split()
        if words:
            found.append(words)
    return found
