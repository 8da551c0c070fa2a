"""``Popen`` starts exactly what the gate decided (red team 39a R39a-2).

``subprocess.Popen._execute_child`` raises its ``subprocess.Popen`` audit event with its own
``args`` list and ``env`` dict, and after the hook returns runs Python code (``os.pipe``,
``os.fsencode``, ``os.get_exec_path``, allocations that run ``gc.callbacks`` and finalizers)
before ``_fork_exec`` execs that same list. Code run inside the gate's reading or in that span
rewrote the list in place once the gate had copied it: the gate decided ``sh -c true``, the
child ran an install.

So the gate notes, per thread, what it decided (``publish``: the argv words, program, working
folder, environment, the PATH it searched, the inherited environment's version), and Popen runs
a copy of its ``_execute_child`` made by the guard (``verifying_copy``) whose ``_fork_exec`` is
``verified_fork_exec``: it turns what it is handed into immutable, plain values, compares them
with the note and hands those very values to ``_posixsubprocess.fork_exec`` (C: no Python
code runs between the comparison and the fork). The copy never takes the ``posix_spawn``
branch, so every Popen start passes that one checkpoint. A start with no note (no event was
raised, or the decision was refused inside it) or any difference is refused.

A bare name is one file: subprocess hands ``fork_exec`` the name joined to every PATH folder,
and its child goes on to the next after ANY failed ``execve`` (an empty or garbled executable
file: ENOEXEC; a folder, a file it may not run: EACCES; a link to nothing: ENOENT), so a file
Warden never decided ran (red team 42b R42b-5: an empty ``echo`` first, a link ``echo`` -> uv
next). The note names the folder the gate found the name in (``fastpath.find``: the first
folder's entry of that name, whatever it is), and ``fork_exec`` gets that one entry: its exec
failure is the start's, raised as a PermissionError that says so (``passed_over``), never a
fall-through. A file made in an earlier folder after the look is not run either.

The working folder is the one the gate read the start's relative names in (``-r r.txt``,
``uv.toml``...): ``os.getcwd()`` at the decision, or the ``cwd`` argument taken from it. The
note names it in full and ``fork_exec`` gets it, so the child runs there even when the process
was moved after the decision (red team 47a R47a-3: a gc callback's ``os.chdir`` before
``_fork_exec``, or another thread's, had uv read another folder's ``r.txt``); a folder that can
no longer be entered fails the start. The name is joined, never normalised as text: ``chdir``
then resolves ``lnk/..`` as the readers' opens did (red team 48a R48a-2).

Open: another thread rewriting the list between the comparison and C's read is the known
thread race; code that calls ``_posixsubprocess.fork_exec`` itself raises no event at all.
"""

from __future__ import annotations

import _thread
import os

from ..frozen_builtins import FROZEN, PATH_CLASSES, fs_decode, path_text
from .frozen_os import FROZEN_OS
from .handed_fds import current as handed_note

__builtins__ = FROZEN  # the boot's builtins for this module's functions (R38a-5)

_FUNCTION = type(lambda: None)
# thread id -> what the gate decided for the Popen start it is making (``publish``)
_DECIDED: dict = {}


def publish(note: tuple) -> None:
    """The gate's decision for this thread's Popen start, once it passed (``InstallGate.check``):
    (program, argv words, (the cwd argument's text or None, the folder the gate read: in full,
    or None when it could not name it), env or None, searched PATH, inherited environment's
    version, the prefix of the PATH folder a bare name was found in or None:
    ``fastpath.find``)."""
    _DECIDED[_thread.get_ident()] = note


def _taken() -> object:
    """This thread's note, removed: one decision, one start."""
    return _DECIDED.pop(_thread.get_ident(), None)


def clear() -> None:
    """Forget any note of this thread (each Popen start begins with none), and what an
    earlier start left in ``_PLACED``."""
    ident = _thread.get_ident()
    _DECIDED.pop(ident, None)
    _PLACED.pop(ident, None)
    _ENTERED.pop(ident, None)


# thread id -> (decided file, program) of its Popen start whose PATH entries after that file
# were not handed to ``fork_exec``: what ``passed_over`` says if its exec fails
_PLACED: dict = {}


# thread id -> the folder handed to ``fork_exec`` for its Popen start made without ``cwd``:
# what ``passed_over`` names if the child could not enter it (R47a-3)
_ENTERED: dict = {}


def passed_over(exc: OSError):
    """The error a Popen start raises when its decided file did not exec and subprocess would
    have tried a later PATH folder's file of that name (R42b-5): a PermissionError naming the
    file and why the next one was not run; when the child could not enter the folder the start
    was decided in (``_checked``), an error naming it; or None (``exc`` as it is: not such a
    start, or not the exec's error, as ``_execute_child`` reports it: the program as its
    filename)."""
    ident = _thread.get_ident()
    folder = _ENTERED.pop(ident, None)
    if folder is not None and exc.filename is None and not FROZEN_OS.path.isdir(folder):
        # subprocess names no folder: the start gave none, the verifier handed this one
        moved = type(exc)(
            exc.errno,
            f"Jupyter Warden ran this process start in {folder}, the working folder Warden "
            f"decided it in, and that folder can no longer be entered ({exc.strerror}); the "
            "kernel's folder changed since. Start it again from an existing folder",
        )
        moved.filename = folder
        _PLACED.pop(ident, None)
        return moved
    placed = _PLACED.pop(ident, None)
    if placed is None or exc.filename is None:
        return None
    path, name = fs_decode(placed[0]), placed[1]
    error = _WardenError(
        exc.errno,
        f"Jupyter Warden refused a process start: {name} is {path} on PATH, the file Warden "
        f"decided on, and it cannot run ({exc.strerror}); Warden does not let the start go on "
        f"to a later {name} on PATH, which it did not decide. Remove or repair {path}, or "
        "give the program's full path",
    )
    error.filename = exc.filename
    return error


class _WardenError(PermissionError):
    """``passed_over``'s error: a PermissionError whatever the exec's errno (what a refused
    start raises), printed as Warden's message with the exec's errno."""


class _Refused(Exception):
    """A difference between what Popen is about to exec and what the gate decided
    (``own_cause``: the message names its causes itself)."""

    def __init__(self, why: str, own_cause: bool = False):
        super().__init__(why)
        self.own_cause = own_cause


def _plain(word, what: str):
    """``word`` as the exact str or bytes C gets, and its text (the gate's reading, ``_text``)."""
    if type(word) is str:
        return word, word
    if type(word) is bytes:
        return word, fs_decode(word)
    if type(word) in PATH_CLASSES:  # the library's pathlib: converted once, here
        text = path_text(word, FROZEN_OS.fspath)
        if text is None:  # a str subclass as its text (R41a-1): C gets exact data only
            raise _Refused(
                f"its {what} is a {type(word).__name__} whose text is not a plain str: pass "
                "the path as a plain str"
            )
        return text, text
    if isinstance(word, str):  # a subclass: C converts it by its data, as the gate read it
        text = str.__str__(word)  # an exact str copy of the data (R12-5)
        return text, text
    raise _Refused(f"its {what} is a {type(word).__name__}, not str or bytes")


def _executables(program: str, search: str, where) -> tuple:
    """(``executable_list`` as subprocess builds it for ``program`` searched on ``search``,
    the list ``fork_exec`` gets: the one entry of the folder ``where`` (the decided file),
    whether entries after it were left out): kept per (program, PATH, folder), since joining
    each folder in Python is most of a bare name's check and a notebook starts the same few
    programs on the same PATH."""
    key = (program, search, where)
    found = _JOINED.get(key)
    if found is None:
        if len(_JOINED) >= 64:
            _JOINED.clear()
        found = _JOINED[key] = _joined(program, search, where)
    return found


# (program, PATH, folder) -> ``_executables``' answer
_JOINED: dict = {}


def _joined(program: str, search: str, where) -> tuple:
    encode = FROZEN_OS.fsencode
    name = encode(program)
    if FROZEN_OS.path.dirname(name):
        return (name,), (name,), False
    join = FROZEN_OS.path.join
    folders = search.split(os.pathsep)
    full = tuple(join(encode(d), name) for d in folders)
    if where is None:  # found nowhere: every entry fails to exec (a file made since: a race)
        return full, full, False
    for at, folder in enumerate(folders):
        # the prefix ``fastpath._prefixes`` spells for this folder: the first one that matches
        # is where the look found the name (a folder named again was not looked in again)
        prefix = folder or "."
        if not prefix.endswith("/"):
            prefix += "/"
        if prefix == where:
            return full, full[at : at + 1], at + 1 < len(full)
    return full, None, False  # not a folder of this PATH: refused (``_checked``)


def _env_list(env: dict) -> list:
    encode = FROZEN_OS.fsencode
    return sorted(encode(k) + b"=" + encode(v) for k, v in env.items())


def _checked(note, args, executable_list, close_fds, fds_to_keep, cwd, env_list, errpipe, gate):
    """The values ``fork_exec`` gets, each plain and immutable, once they match ``note``."""
    program, words, decided_cwd, env, search, version, where = note
    argv = _exact_words(args)
    if argv is None:  # bytes or path words: each converted once, here, and compared by text
        plain = tuple(_plain(word, "argument") for word in args)
        argv = tuple(word for word, _ in plain)
        if tuple(text for _, text in plain) != words:
            raise _Refused("its arguments changed after Warden decided on them")
    elif argv != words:
        raise _Refused("its arguments changed after Warden decided on them")
    given, folder = decided_cwd
    if cwd is not None:
        text = _plain(cwd, "working folder")[1]
        if text != given:
            raise _Refused("its working folder changed after Warden decided on it")
    elif given is not None:
        raise _Refused("its working folder changed after Warden decided on it")
    # the child runs in the folder the gate read, named in full: not the one the process is in
    # at the fork, which code run since (or another thread) may have changed (R47a-3); a
    # folder that can no longer be entered fails the start (``passed_over`` says so). None:
    # the gate could not name the process's folder (removed), the child inherits it
    if cwd is None and folder is not None:
        _ENTERED[_thread.get_ident()] = folder
    cwd = folder
    full, executables, later = _executables(program, search, where)
    if executables is None:
        raise _Refused("Warden could not place the program it decided among PATH's folders")
    if tuple(executable_list) != full:
        raise _Refused(
            "the program list Popen built (or the PATH searched) changed after Warden's "
            "decision: code inside the start changed it, or os.environ answers PATH otherwise "
            "than the environment the child inherits (its class, methods or data were "
            "changed: set PATH with os.environ['PATH'] = ...)",
            own_cause=True,
        )
    if env_list is None:
        if env is not None or gate.inherited.version != version:
            raise _Refused("the environment it inherits changed after Warden decided on it")
    else:
        env_list = tuple(env_list)
        if env is None or sorted(env_list) != _env_list(env):
            raise _Refused("its environment changed after Warden decided on it")
    keep = tuple(fds_to_keep)
    if not _fds_as_noted(keep, close_fds, errpipe):
        raise _Refused("the descriptors it hands its child changed after Warden's decision")
    if later:  # an exec failure of the decided file is the start's (``passed_over``)
        _PLACED[_thread.get_ident()] = (executables[0], program)
    return argv, executables, keep, cwd, env_list


def _exact_words(args):
    """``args`` as a tuple when it is an exact list or tuple of exact str (subprocess's own
    list, the common start: compared with the decision as it is, no copy per word), else
    None. The tuple is taken first: what is checked is what C gets."""
    if type(args) is not list and type(args) is not tuple:
        return None
    argv = tuple(args)
    for word in argv:
        if type(word) is not str:
            return None
    return argv


def _fds_as_noted(keep: tuple, close_fds, errpipe) -> bool:
    """Whether the descriptors kept open are the ones the gate read (``handed_fds``' note of
    this start: its pass_fds and close_fds) plus subprocess's own error pipe."""
    note = handed_note()
    if not note or note[0] != "popen":
        return keep == (errpipe,) or all(fd == errpipe for fd in keep)
    if bool(close_fds) != note[2]:
        return False
    # the common start keeps subprocess's error pipe alone
    return keep == (errpipe,) or all(fd == errpipe or fd in note[1] for fd in keep)


def _verifier(fork_exec, state):
    """``_fork_exec`` for the guard's copy of ``_execute_child``."""

    # bound once, in this closure (no module name a cell could rebind): every Popen start
    decided, get_ident = _DECIDED, _thread.get_ident

    def verified_fork_exec(args, executable_list, close_fds, fds_to_keep, cwd, env_list, *rest):
        note = decided.pop(get_ident(), None)  # ``_taken``, inline: one decision, one start
        gate = getattr(state, "installs", None)
        if not (state.enabled or not state.intact()):  # the hook decides nothing: neither here
            return fork_exec(args, executable_list, close_fds, fds_to_keep, cwd, env_list, *rest)
        try:
            if note is None or gate is None:
                raise _Refused("Warden saw no decision for it (no subprocess.Popen audit event)")
            # ``_preexec_fn``, inline
            if (rest[15] if len(rest) == 17 else rest[-1]) is not None:
                # the wrapper turns os.setsid/os.setpgrp into C arguments and refuses any
                # other; one here came past it (this copy called itself): refused as the
                # wrapper refuses one, by the policy's rule (R11-9)
                gate.refuse_preexec("process", "handed to Warden's copy of _execute_child")
            # rest[7]: errpipe_write, the one descriptor subprocess adds (CPython 3.8-3.13)
            args, executable_list, fds_to_keep, cwd, env_list = _checked(
                note, args, executable_list, close_fds, fds_to_keep, cwd, env_list, rest[7], gate
            )
        except _Refused as exc:
            _refuse(gate, str(exc), exc.own_cause)
        return fork_exec(args, executable_list, close_fds, fds_to_keep, cwd, env_list, *rest)

    return verified_fork_exec


def _preexec_fn(rest: tuple):
    """``fork_exec``'s preexec_fn among its arguments after ``env_list``: next to last on
    CPython 3.11-3.13 (then ``allow_vfork``, 17 of them), last on 3.8-3.10."""
    return rest[15] if len(rest) == 17 else rest[-1]


def _refuse(gate, why: str, own_cause: bool = False) -> None:
    cause = (
        ""
        if own_cause
        else (
            " (code that ran inside the start, a gc callback, a finalizer or a signal handler, "
            "changed what would run)"
        )
    )
    message = (
        f"Jupyter Warden refused a process start: {why}{cause}. Start the process again "
        "without that code"
    )
    if gate is not None:
        gate.refuse_changed_start(message)
    raise PermissionError(message)


class _Namespace:
    """``_posixsubprocess`` as the guard's copy sees it (Python before 3.11 looks up
    ``_posixsubprocess.fork_exec``)."""

    def __init__(self, fork_exec):
        self.fork_exec = fork_exec


def verifying_copy(original, state):
    """``original`` (``Popen._execute_child``, POSIX) made again over a copy of subprocess's
    globals taken now: the boot's ``os`` and builtins, no ``posix_spawn`` branch, and
    ``_fork_exec`` = the verifier. None when ``original`` is not that function."""
    space = getattr(original, "__globals__", None)
    if type(original) is not _FUNCTION or type(space) is not dict:
        return None
    # 3.11+ imports it as ``_fork_exec``; 3.8-3.10 call ``_posixsubprocess.fork_exec``
    fork_exec = space.get("_fork_exec") or getattr(space.get("_posixsubprocess"), "fork_exec", None)
    if type(fork_exec) is not type(len) or getattr(fork_exec.__self__, "__name__", "") != (
        "_posixsubprocess"
    ):
        return None
    verifier = _verifier(fork_exec, state)
    space = dict(space)
    space.update(
        __builtins__=FROZEN,
        os=FROZEN_OS,
        _USE_POSIX_SPAWN=False,  # one checkpoint: os.posix_spawn converts before its event
        _fork_exec=verifier,
        _posixsubprocess=_Namespace(verifier),
    )
    copy = _FUNCTION(
        original.__code__, space, original.__name__, original.__defaults__, original.__closure__
    )
    copy.__kwdefaults__ = original.__kwdefaults__
    copy.__qualname__ = original.__qualname__
    return copy
