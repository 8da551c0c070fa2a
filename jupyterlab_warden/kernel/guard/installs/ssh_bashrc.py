"""A non-interactive ``bash -c`` that takes itself for a remote shell reads its rc files (red
team 90 F4). bash's run_startup_files (shell.c), in a shell that is neither interactive nor a
login shell nor started as ``sh``, with ``-c`` and without ``--norc``: when it thinks sshd or
rshd ran it (Debian builds bash with SSH_SOURCE_BASHRC: SSH_CLIENT or SSH2_CLIENT in its
environment, whatever the value; or its stdin a connected socket, ``isnetconn``) and its shell
level is below 2, it sources /etc/bash.bashrc and ~/.bashrc (or ``--rcfile FILE``) before its
command. So ``SSH_CLIENT=1 SHLVL=0 bash -c true`` ran a ~/.bashrc the cell had appended to, as
did ``subprocess.run(['bash', '-c', 'true'], stdin=socket)`` with a low SHLVL.

Its shell level is SHLVL + 1, SHLVL read as bash's legal_number reads it (unset, empty, not a
number: 0), set to 0 when negative and to 1 at 1000 or more: below 2 for any SHLVL but a
number from 1 to 998. Such a start is read as ``bash -ic``'s (``commands``: its start-up files
written since the kernel started are refused, the home's PATH folders read). Where Warden
cannot tell, it reads the start so (fail closed): a nested bash, which bash gives a higher
SHLVL than its environment here shows, and any bash of a start whose stdin is a socket
(``socket_stdin``, the gate's reading of the descriptor the start hands as 0:
``handed_fds``). Only ``os`` and ``stat`` at import: the gate loads this module at a start."""

import _thread
import os
import stat

_SSH_NAMES = ("SSH_CLIENT", "SSH2_CLIENT")
# the threads whose start being read hands a socket as stdin (set by the gate around a reading)
_SOCKET: dict = {}


def reads_rc(name: str, argv0: str, command: bool, env: dict, stdin: str = "unknown") -> str:
    """Why the shell ``name`` started as ``argv0``, with ``-c`` (``command``) and the
    environment ``env`` (the start's, with the line's changes), reads its rc files as a remote
    shell ('' when it does not). ``stdin``: the line's reading of its input (``redirect``: a
    file or descriptor, ``</dev/tcp/H/P`` or ``<&3`` a socket, read as one)."""
    if name != "bash" or not command:
        return ""
    if os.path.basename(argv0).lstrip("-") == "sh":
        return ""  # bash as `sh` (act_like_sh) skips this, as it skips its rc files
    if not _low_level(env.get("SHLVL")):
        return ""
    for variable in _SSH_NAMES:
        if variable in env:
            return f"{variable} is set and its shell level (SHLVL + 1) is below 2"
    if _SOCKET.get(_thread.get_ident()) or stdin == "redirect":
        return "its input may be a socket and its shell level (SHLVL + 1) is below 2"
    return ""


def _low_level(value) -> bool:
    """Whether bash's shell level, from an SHLVL of ``value`` (None: unset), is below 2."""
    if value is None:
        return True
    text = value.strip(" \t\n")
    digits = text[1:] if text[:1] in "+-" else text
    if not digits or not digits.isascii() or not digits.isdigit():
        return True  # not a number bash reads: 0
    level = int(text) + 1
    return level < 2 or level >= 1000


def socket_stdin(event: str, note) -> bool:
    """Whether the start whose audit event is ``event`` hands its child a socket as its stdin:
    ``note`` is ``handed_fds``' note of the start (a Popen's says the descriptor it dups to 0,
    -1 for the kernel's own; a posix_spawn's, its file actions). Any socket counts (bash asks
    ``getpeername``: a connected one; fail closed)."""
    fd = 0
    if note is not None and note[0] == "popen" and len(note) > 3 and note[3] >= 0:
        fd = note[3]
    elif event == "os.posix_spawn" and note is not None and note[0] == "spawn":
        for action in note[1] or ():
            if action[0] == os.POSIX_SPAWN_DUP2 and len(action) == 3 and action[2] == 0:
                fd = action[1]
            elif action[0] == os.POSIX_SPAWN_OPEN and action[1] == 0:
                return False  # a path opened: no socket (open() fails on one)
            elif action[0] == os.POSIX_SPAWN_CLOSE and action[1] == 0:
                return False
    try:
        return stat.S_ISSOCK(os.fstat(fd).st_mode)
    except (OSError, ValueError):
        return False  # closed: no input at all


class reading_start:
    """The context of a start's reading: ``socket`` whether its stdin is a socket."""

    def __init__(self, socket: bool) -> None:
        self.socket = socket
        self.before = False

    def __enter__(self):
        me = _thread.get_ident()
        self.before = _SOCKET.get(me, False)
        _SOCKET[me] = self.socket
        return self

    def __exit__(self, *exc) -> None:
        me = _thread.get_ident()
        if self.before:
            _SOCKET[me] = True
        else:
            _SOCKET.pop(me, None)
