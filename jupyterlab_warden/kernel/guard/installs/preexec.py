"""``subprocess``'s ``preexec_fn``: code that would run after Warden's decision (red team 11 R11-9).

``Popen`` raises its ``subprocess.Popen`` audit event (which Warden decides) in the parent;
``preexec_fn`` then runs in the forked child before exec, with no event: it could rewrite the
files the decision read (uv.toml, requirements) or ``chdir`` so a relative program is another
one. With a ``preexec_fn`` set, ``_posixsubprocess.fork_exec`` also runs the
``os.register_at_fork`` hooks (``before`` in the parent, ``after_in_child`` in the child: both
after the decision); without one it runs none. The audit event does not carry ``preexec_fn``,
so ``Popen._execute_child`` (pure Python, called with it) is wrapped:

* ``os.setsid`` / ``os.setpgrp`` (the builtins themselves, by type and name, not whatever
  ``os.setsid`` names now) become ``start_new_session=True`` / ``process_group=0``, which
  ``fork_exec`` does in C: the same child, and no Python runs in it;
* any other ``preexec_fn`` is refused (``install-unreadable``) while the guard decides starts.
"""

from __future__ import annotations

import os

from .decided_start import clear, passed_over, verifying_copy
from .handed_fds import done, noting, popen_note

_BuiltinFunction = type(len)
_Module = type(os)
# what each known builtin does, as the Popen arguments that do it in C
_IN_C = {"setsid": ("start_new_session", True), "setpgrp": ("process_group", 0)}


def in_c(preexec_fn):
    """(argument, value) that does what ``preexec_fn`` does, or None. A builtin function's
    ``__name__`` and ``__self__`` (its module) cannot be reassigned, and Python code cannot make
    one: only posix's own ``setsid``/``setpgrp`` pass."""
    if type(preexec_fn) is not _BuiltinFunction:
        return None
    module = preexec_fn.__self__
    if type(module) is not _Module or module.__dict__.get("__name__") != "posix":
        return None
    return _IN_C.get(preexec_fn.__name__)


def execute_child_wrapper(original, label, state):
    """``subprocess.Popen._execute_child``: a start with a ``preexec_fn`` (rare) is rewritten
    or refused before the fork; every other start pays one ``is None`` test. Its ``reroute``
    (``child_path``) gives a child the guard's folder first on PYTHONPATH: ``straight_wrapper``
    calls it on every start, this generic one on ``preexec_fn`` starts only (it binds the
    arguments then; a Python whose ``_execute_child`` it does not know has its other starts
    decided as they are)."""
    from .child_path import rerouter

    signature = None
    reroute = rerouter(state)
    # the guard's own copy, which execs only what the gate decided (red team 39a R39a-2)
    verified = verifying_copy(original, state) or _undecidable

    def _execute_child(self, args, executable, preexec_fn, *rest, **kwargs):
        try:
            return _started(self, args, executable, preexec_fn, *rest, **kwargs)
        except OSError as exc:
            refused = passed_over(exc)  # the decided file did not exec (R42b-5)
            if refused is None:
                raise
            raise refused from exc

    def _started(self, args, executable, preexec_fn, *rest, **kwargs):
        clear()  # this start's decision is noted by its own audit event, none before it
        if preexec_fn is None or not (state.enabled or not state.intact()):
            if len(rest) < 13 or kwargs:  # not subprocess's call: no note, read as common
                return verified(self, args, executable, preexec_fn, *rest, **kwargs)
            # the descriptors the child gets (``straight_wrapper``'s note, red team 34 R34-3)
            rest = (bool(rest[0]), tuple(map(int, rest[1] or ())), *rest[2:])
            token = noting(popen_note(rest[0], rest[1], (rest[7], rest[10], rest[12])))
            try:
                return verified(self, args, executable, preexec_fn, *rest)
            finally:
                done(token)
        nonlocal signature
        if signature is None:
            import inspect  # on the first preexec_fn start only

            signature = inspect.signature(original)
        bound = signature.bind(self, args, executable, preexec_fn, *rest, **kwargs)
        _replace(bound.arguments, preexec_fn, state, args, executable)
        if "env" in bound.arguments:
            bound.arguments["env"] = reroute(bound.arguments["env"])
        return verified(*bound.args, **bound.kwargs)

    _execute_child.reroute = reroute
    _execute_child.verified = verified
    return _execute_child


def _undecidable(*args, **kwargs):
    """``_execute_child`` of a Python whose subprocess Warden cannot copy (no
    ``_posixsubprocess.fork_exec`` it knows): it cannot hold the start to its decision."""
    raise PermissionError(
        "Jupyter Warden refused a process start: this Python's subprocess module is not one "
        "Warden can hold to what it decided (no _posixsubprocess.fork_exec). Run the notebook "
        "on a CPython 3.8-3.13 on Linux or macOS"
    )


def _replace(arguments: dict, preexec_fn, state, args, executable) -> None:
    """Turn a known builtin into its C argument in ``arguments``, or refuse the start."""
    found = in_c(preexec_fn)
    if found is not None:
        name, value = found
        # process_group is Python 3.11+; an explicit other group is the caller's, not ours
        if name in arguments and arguments[name] in (-1, None, False, value):
            arguments[name] = value
            arguments["preexec_fn"] = None
            return
    gate = getattr(state, "installs", None)
    if gate is None:  # cannot happen once installed; a start Warden cannot decide is refused
        raise PermissionError("Jupyter Warden refused a process start with a preexec_fn")
    gate.refuse_preexec(_program(args, executable), _describe(preexec_fn))


def _program(args, executable) -> str:
    try:
        if executable is not None:
            return os.path.basename(os.fsdecode(executable)) or "process"
        first = args if isinstance(args, (str, bytes)) else list(args)[0]
        return os.path.basename(os.fsdecode(first).split()[0]) or "process"
    except Exception:  # noqa: BLE001 - only a label for the message
        return "process"


def _describe(preexec_fn) -> str:
    name = getattr(type(preexec_fn), "__name__", "object")
    if name in ("function", "builtin_function_or_method", "method"):
        try:
            return f"{str.__str__(preexec_fn.__qualname__)}()"[:100]
        except Exception:  # noqa: BLE001 - a label only
            return "a function"
    return f"a {name} object"


# Popen._execute_child's parameters on CPython 3.11-3.13 (subprocess calls it with all 23 of
# them, positionally, on every start)
_PARAMETERS = (
    "self", "args", "executable", "preexec_fn", "close_fds", "pass_fds", "cwd", "env",
    "startupinfo", "creationflags", "shell", "p2cread", "p2cwrite", "c2pread", "c2pwrite",
    "errread", "errwrite", "restore_signals", "gid", "gids", "uid", "umask",
    "start_new_session", "process_group",
)  # fmt: skip


def straight_wrapper(original, inner, hide):
    """The patch's outer wrapper (``patches._wrap``: frames hidden from tracebacks) made for
    ``original``'s exact parameters: a start without a ``preexec_fn`` goes straight to the
    guard's copy of it (``inner.verified``: ``decided_start``), any other through ``inner``
    (``execute_child_wrapper``). Packing the 23 arguments twice (into
    the generic wrapper's ``*args``, then into the inner one's) was ~7 us of a cold start.
    None (the generic wrapper) when ``original`` is not that plain function."""
    code = getattr(original, "__code__", None)
    if (
        type(original) is not type(straight_wrapper)
        or original.__defaults__
        or original.__kwdefaults__
        or code.co_kwonlyargcount
        or code.co_posonlyargcount
        or code.co_flags & 0x0C  # *args, **kwargs (inspect.CO_VARARGS | CO_VARKEYWORDS)
        or code.co_varnames[: code.co_argcount] != _PARAMETERS
    ):
        return None
    reroute = getattr(inner, "reroute", None)
    # the guard's copy of ``original`` that execs only what the gate decided (R39a-2)
    verified = getattr(inner, "verified", None) or original

    def _execute_child(
        self, args, executable, preexec_fn, close_fds, pass_fds, cwd, env, startupinfo,
        creationflags, shell, p2cread, p2cwrite, c2pread, c2pwrite, errread, errwrite,
        restore_signals, gid, gids, uid, umask, start_new_session, process_group,
    ):  # fmt: skip
        __tracebackhide__ = True  # noqa: F841 - IPython hides this frame
        try:
            clear()  # this start's decision is noted by its own audit event, none before it
            if reroute is not None:
                env = reroute(env)  # before the audit event: the gate reads what runs
            # the descriptors the child gets, which the event does not carry, noted for the
            # gate (red team 34 R34-3), read once and passed on as read
            close_fds = bool(close_fds)
            if pass_fds:
                pass_fds = tuple(map(int, pass_fds))
            token = noting(popen_note(close_fds, pass_fds, (p2cread, c2pwrite, errwrite)))
            # no preexec_fn: nothing runs between fork and exec that Warden has to decide
            target = verified if preexec_fn is None else inner
            try:
                return target(
                    self, args, executable, preexec_fn, close_fds, pass_fds, cwd, env,
                    startupinfo, creationflags, shell, p2cread, p2cwrite, c2pread, c2pwrite,
                    errread, errwrite, restore_signals, gid, gids, uid, umask,
                    start_new_session, process_group,
                )  # fmt: skip
            except OSError as exc:
                refused = passed_over(exc)  # the decided file did not exec (R42b-5)
                if refused is None:
                    raise
                raise refused from exc
            finally:
                done(token)
        except BaseException as exc:
            hide(exc)  # display only (guard/tracebacks.py)
            raise

    return _execute_child
