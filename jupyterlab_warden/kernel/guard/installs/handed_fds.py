"""The descriptors a process start hands its child, read as writes (red team 34 R34-3).

The guard reads writes by the path events a Python raises (``open``, ``os.rename``...:
``start_writes``), and the kernel's line reading by what a line names. A descriptor reaches a
file with neither: the kernel opens a site folder's ``.pth`` (a new empty one, or setuptools'
``distutils-precedence.pth`` for appending: the line's reading finds nothing new to refuse),
makes the descriptor inheritable and starts `cat p.pth >&N; python -c pass`, or a guarded
w.py that calls ``os.write(N, ...)``; the content is read when the line starts, the writable
descriptor outlives that reading. And ``os.posix_spawn``'s ``POSIX_SPAWN_OPEN`` file action
opens a path in the child, in C; its audit event carries no file actions. So every start a
guarded Python makes (the kernel's too: its own writes are read at its next start, which a
descriptor written after that reading defeats) is refused when it hands its child

- a descriptor open for writing on a regular file that the guard of a Python the kernel starts
  may not write (``StartWrites.handed``: the rule of an ``open`` of the file's path, as
  ``/proc/self/fd`` names it): an inheritable one (Python opens none so, PEP 446; they come
  from ``os.set_inheritable``, ``os.dup2``), one Popen hands on (``pass_fds``, ``stdout=f``)
  and the source of a ``POSIX_SPAWN_DUP2`` file action;
- a ``POSIX_SPAWN_OPEN`` file action that opens such a path for writing.

Which descriptors: ``os.system``, ``os.exec``, ``os.posix_spawn`` hand every inheritable one
(``/proc/self/fd`` is listed: some 25 us with 60 descriptors, paid by these starts only);
``subprocess.Popen`` its stdio, its ``pass_fds`` and 0, 1, 2 with ``close_fds`` (its default,
the common start: a few system calls), every inheritable one without. The Popen and posix_spawn
events carry neither ``pass_fds`` nor file actions: their wrappers (``preexec.
straight_wrapper``, ``gate.spawn_env_wrapper``) note them for the event (``noting``), in the
form they then pass on (read once); a Popen event without the note (made past the wrapper)
counts 0, 1, 2. Loaded at the guard's boot: ``os``, ``stat`` and
``_thread`` only (``fcntl``, a ``GUARD_BOOT`` name, when a descriptor is a regular file).
"""

from __future__ import annotations

import _thread
import os
import stat

_WRITING = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
# what a start being made in a thread hands on besides what its event says (``noting``):
# ("popen", fds, close_fds) or ("spawn", file actions, why unread)
_NOTES: dict = {}
_UNREAD_ACTIONS = (
    "Warden cannot read the file actions of this posix_spawn (posix.posix_spawn, past "
    "os.posix_spawn, which Warden reads): call os.posix_spawn or subprocess"
)


def noting(note: tuple):
    """Notes ``note`` for the start this thread makes now; returns the token ``done`` takes
    (a Popen that runs ``os.posix_spawn`` notes twice: the inner note is the one read)."""
    me = _thread.get_ident()
    token = (me, _NOTES.get(me))
    _NOTES[me] = note
    return token


def current():
    """This thread's note (``noting``), or None."""
    return _NOTES.get(_thread.get_ident())


def done(token) -> None:
    me, previous = token
    if previous is None:
        _NOTES.pop(me, None)
    else:
        _NOTES[me] = previous


def popen_note(close_fds, pass_fds, stdio) -> tuple:
    """``("popen", fds, close_fds, stdin)`` for ``Popen._execute_child``'s arguments:
    ``pass_fds`` as the ints it passes on (the wrapper hands these, read once, to the
    original), ``stdio`` its p2cread, c2pwrite, errwrite (-1: inherited); ``stdin`` p2cread
    (-1: inherited, none given), for ``ssh_bashrc.socket_stdin``."""
    fds = ()  # a loop, not a comprehension: no frame nor list made per start
    for fd in stdio:
        if type(fd) is int and fd >= 0:
            fds += (fd,)
    if pass_fds:
        fds += tuple(pass_fds)
    stdin = stdio[0] if stdio and type(stdio[0]) is int else -1
    return ("popen", fds, close_fds, stdin)


def spawn_actions(file_actions):
    """``(actions, why)``: ``os.posix_spawn``'s ``file_actions`` as plain tuples of exact ints
    and a str or bytes path (the wrapper passes these on, so what runs is what was read), or
    the original and why Warden cannot read them (the start is refused at its event)."""
    if file_actions is None:
        return None, ""
    try:
        actions = []
        for action in list(file_actions):
            if type(action) not in (tuple, list) or not action:
                return file_actions, "a file action that is not a tuple"
            tag = action[0]
            if type(tag) is not int:
                return file_actions, "a file action whose kind is not an int"
            if tag == os.POSIX_SPAWN_OPEN and len(action) == 5:
                path = os.fspath(action[2])
                if type(path) not in (str, bytes) or not all(
                    type(action[i]) is int for i in (1, 3, 4)
                ):
                    return file_actions, "an open file action of other types than int and str"
                actions.append((tag, action[1], path, action[3], action[4]))
            elif all(type(word) is int for word in action):
                actions.append(tuple(action))
            else:
                return file_actions, "a file action of other types than int"
    except (TypeError, ValueError, AttributeError):
        return file_actions, "file actions Warden cannot iterate"
    return actions, ""


def handed(event: str) -> tuple:
    """``(fds, opens, why)`` a start whose audit event is ``event`` hands its child: the
    descriptors to read (ascending), the ``POSIX_SPAWN_OPEN`` (path, flags) pairs, and why
    Warden cannot tell ('' when it can)."""
    note = _NOTES.get(_thread.get_ident())
    if event == "subprocess.Popen":
        if note is None or note[0] != "popen":
            # made past its wrapper (the original ``_execute_child``, red team 11 R11-9's
            # class: its pass_fds are unread whatever is listed): what the common start hands
            return range(3), (), ""
        # with close_fds the child keeps 0, 1, 2 (read whether inheritable or not: cheaper)
        if note[2] and not note[1]:
            return _STDIO, (), ""  # the common start: its stdio inherited or pipes Popen made
        fds = set(note[1])
        fds.update(range(3) if note[2] else inheritable())
        return sorted(fds), (), ""
    if event != "os.posix_spawn":
        return sorted(inheritable()), (), ""  # os.system, os.exec
    if note is None or note[0] != "spawn":
        return (), (), _UNREAD_ACTIONS
    fds, opens = set(inheritable()), []
    for action in note[1] or ():
        if action[0] == os.POSIX_SPAWN_OPEN:
            opens.append((action[2], action[3]))
        elif action[0] == os.POSIX_SPAWN_DUP2 and len(action) == 3:
            fds.add(action[1])  # the child's copy is inheritable, whatever the original's
    return sorted(fds), opens, note[2]


_STDIO = (0, 1, 2)


def inheritable() -> list:
    """This process's inheritable descriptors."""
    try:
        numbers = [int(name) for name in os.listdir("/proc/self/fd")]
    except OSError:
        numbers = range(1024)  # no /proc: the usual descriptor limit, one call each
    found = []
    for fd in numbers:
        try:
            if os.get_inheritable(fd):
                found.append(fd)
        except OSError:
            continue  # closed (the listing's own descriptor among them)
    return found


def written(fd: int, passed=()) -> tuple:
    """``(path, key, identity)``: the path of the regular file ``fd`` has open for writing (''
    when none; None when Warden cannot name it), what says the same file is open at the same
    name at the next start (None for a file with more names: the rule reads the others by
    inode, and one may be renamed into a site folder), and the file's (st_dev, st_ino) (the
    start's own redirection by identity: ``handed_redirect``). A name ``passed`` is given back
    as it was passed, flags unread (its key then is one of ``passed``). Its name is read as
    ``/proc/self/fd`` gives it
    (one name of the file, links resolved) only for a regular file (most descriptors a start
    hands are pipes, terminals, ``/dev/null``); its flags (``fcntl``) only when that name is
    not one ``passed`` (the keys of files whose writing the rule passed at an earlier start:
    the rule passed writing that file at that name, whatever the descriptor's mode now). A
    kernel whose stderr is a log file pays two system calls per start for it, not three and a
    second pass through the audit hook (``fcntl.fcntl`` raises an event)."""
    global _fcntl
    # the fstat first: most descriptors a start hands are no regular file (ipykernel's stdio
    # are pipes), and it is a quarter of the wall time of the name's reading (3.3 us for a
    # readlink of /proc/self/fd/N, 0.8 us for an fstat, 2026-12-06): reading the name first
    # spared user-space instructions but cost ~7 us of kernel time per start
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            return "", None, ()
    except (OSError, ValueError):
        return "", None, ()  # closed: nothing handed
    try:
        path = os.readlink(_FD_LINKS[fd] if 0 <= fd < _FD_KEPT else f"/proc/self/fd/{fd}")
    except (OSError, ValueError):
        path = None  # no /proc
    identity = (st.st_dev, st.st_ino)
    key = (fd, st.st_dev, st.st_ino, path) if st.st_nlink == 1 and path is not None else None
    if key is not None and key in passed:
        return path, key, identity  # open for writing when it was passed (its mode not read)
    try:
        if _fcntl is None:
            import fcntl as _fcntl
        if not _fcntl.fcntl(fd, _fcntl.F_GETFL) & (os.O_WRONLY | os.O_RDWR):
            return "", None, ()
    except (OSError, ValueError):
        return "", None, ()  # closed since: nothing handed
    return path, (key if path is not None else None), identity


_fcntl = None  # the module, loaded with the first regular file a start hands on
_FD_KEPT = 16
_FD_LINKS = tuple(f"/proc/self/fd/{fd}" for fd in range(_FD_KEPT))  # no text made per start


def opens_for_writing(flags: int) -> bool:
    return bool(flags & _WRITING)
