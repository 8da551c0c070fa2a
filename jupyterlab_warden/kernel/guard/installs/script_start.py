"""A script cell magic's program may read its decided body on stdin: that one start only.

IPython's ``%%script PROG`` (``%%bash``, ``%%sh``...) writes the cell body to PROG's stdin,
which no process-start event carries. Warden decides the body first
(``InstallGate.decide_script_magic``), and PROG's start may then have its stdin read as
"decided" (a bare ``bash`` is otherwise refused: ``commands._refuse_stdin_script``). That pass
was once an argv in a process-wide list that the next start with the same argv took, in any
thread: code the cell ran inside IPython's ``shebang`` after the decision (red team 47a R47a-1:
``arg_split`` rebound) started ``bash`` with an install on its stdin and took it.

So the pass (``Offer``) belongs to the one start IPython makes for the cell:

* the guard runs a copy of IPython's ``shebang`` (``arming``) in which
  ``asyncio.create_subprocess_exec`` is ``_armed``'s coroutine: it runs on the script magics'
  loop thread, in IPython's own task, arms the offer for that thread and awaits asyncio's
  ``create_subprocess_exec`` as the first script magic found it, which makes the ``Popen``
  before its first await (no other callback of that loop runs in between);
* the gate hands EVERY start to ``take`` first: the offer pending is gone whatever the start
  is (one decision, one start), and only a start made on the armed thread, with the decided
  argv, no ``cwd``/``env`` of its own, in the folder and environment the body was read with,
  reads its stdin as decided. Any other start cancels it; IPython's start then gets a refusal
  that says why (fail closed: the cell is run again).

Thread identity is all this relies on (no contextvars: the gate may decide in a Context of its
own). Open: code run on the loop thread while armed (a gc callback, or the cell's own function
put into asyncio's subprocess machinery) may start the program first; and PROG's stdin is a
pipe any code in the process can write to before IPython writes the body.
"""

from __future__ import annotations

import _thread
import sys as _sys

from ..frozen_builtins import FROZEN

__builtins__ = FROZEN  # the boot's builtins for this module's functions (R38a-5)

_FUNCTION = type(lambda: None)
DECIDED = "decided"


class Offer:
    """One script-magic body Warden decided: the program's argv, the folder and environment
    version the body was read with, the thread that armed it and why it was cancelled."""

    __slots__ = ("cmd", "folder", "version", "thread", "why")

    def __init__(self, cmd: tuple, folder: str, version: int):
        self.cmd, self.folder, self.version = cmd, folder, version
        self.thread = None
        self.why = ""


ANOTHER_START = (
    "another process start (code run inside IPython's script magic, another thread, or a "
    "callback) came between Warden's decision on the cell body and IPython's start of {prog}; "
    "only the magic's own start may read the body Warden decided. Run the cell again"
)
MOVED = (
    "the {what} changed between Warden's decision on the cell body and IPython's start of "
    "{prog}; the body was read in the one Warden saw. Run the cell again"
)


class ScriptStarts:
    """The gate's script-magic offers: at most one pending, each taken by one start."""

    def __init__(self):
        self._pending = {}  # "offer" -> the Offer decided last, not taken yet
        self._armed = {}  # thread id -> the Offer IPython's start on that thread may take
        self._taken = {}  # thread id -> argv of the start being decided there with its pass

    def offer(self, cmd: tuple, folder: str, version: int) -> Offer:
        made = Offer(cmd, folder, version)
        earlier = self._pending.pop("offer", None)
        if earlier is not None:  # a magic run inside another's window: the outer one's is void
            earlier.why = ANOTHER_START
        self._pending["offer"] = made
        return made

    def arm(self, offer: Offer) -> None:
        """On the loop thread, in IPython's task, right before asyncio makes the Popen."""
        offer.thread = _thread.get_ident()
        self._armed[offer.thread] = offer

    def withdraw(self, offer: Offer) -> None:
        """The magic's start was made (or failed): nothing of this offer stays."""
        if self._pending.get("offer") is offer:
            self._pending.pop("offer", None)
        if offer.thread is not None and self._armed.get(offer.thread) is offer:
            self._armed.pop(offer.thread, None)

    def take(self, event: str, args: tuple, version: int, getcwd):
        """For every start (``InstallGate.check``), before it is decided: None (not the magic's
        start; a pending offer is cancelled), ``DECIDED`` (its stdin is the decided body:
        ``stdin`` answers so while it is decided), or why the magic's own start is refused."""
        if not self._pending and not self._armed:
            return None  # the common start: two dict tests
        pending = self._pending.pop("offer", None)
        ident = _thread.get_ident()
        armed = self._armed.pop(ident, None)
        if armed is None or not _is_start(event, args, armed.cmd):
            if pending is not None:
                pending.why = pending.why or ANOTHER_START
            if armed is not None:
                armed.why = armed.why or ANOTHER_START
            return None
        prog = armed.cmd[0]
        if armed.why or pending is not armed:  # cancelled before this start
            return (armed.why or ANOTHER_START).format(prog=prog)
        if version != armed.version:
            return MOVED.format(what="kernel's environment", prog=prog)
        try:
            here = getcwd()
        except OSError:
            here = None
        if here != armed.folder:
            return MOVED.format(what="working folder", prog=prog)
        self._taken[ident] = armed.cmd
        return DECIDED

    def stdin(self, argv) -> str:
        """What the start being decided in this thread reads on stdin: ``"decided"`` once, for
        the magic's own start (``take``), else ``"unknown"``."""
        if not self._taken:
            return "unknown"
        cmd = self._taken.pop(_thread.get_ident(), None)
        return DECIDED if cmd is not None and cmd == tuple(argv) else "unknown"

    def done(self) -> None:
        """The start decided in this thread is done: its pass is spent if still there."""
        self._taken.pop(_thread.get_ident(), None)


def _is_start(event: str, args: tuple, cmd: tuple) -> bool:
    """Whether a start is the one asyncio makes for ``cmd``: ``subprocess.Popen(list(cmd))``
    with no executable, folder or environment of its own."""
    if event != "subprocess.Popen" or len(args) != 4:
        return False
    program, argv, cwd, env = args
    if cwd is not None or env is not None or type(argv) is not list:
        return False
    words = tuple(argv)
    return words == cmd and program == cmd[0] and all(type(w) is str for w in words)


class _Asyncio:
    """``asyncio`` as the copy of ``shebang`` sees it: the module, but its
    ``create_subprocess_exec`` arms the offer."""

    def __init__(self, module, start):
        object.__setattr__(self, "_module", module)
        object.__setattr__(self, "create_subprocess_exec", start)

    def __getattr__(self, name):
        return getattr(object.__getattribute__(self, "_module"), name)


def _armed(starts: ScriptStarts, offer: Offer, create):
    async def create_subprocess_exec(*args, **kwargs):
        starts.arm(offer)  # the loop thread, IPython's task: its next start is the program's
        try:
            return await create(*args, **kwargs)
        finally:
            starts.withdraw(offer)

    return create_subprocess_exec


def _importer(real_import, proxy):
    def __import__(name, globals=None, locals=None, fromlist=(), level=0):
        module = real_import(name, globals, locals, fromlist, level)
        if not level and not fromlist and (name == "asyncio" or name.startswith("asyncio.")):
            return proxy  # ``import asyncio`` / ``import asyncio.exceptions`` bind the package
        return module

    return __import__


def arming(original):
    """``run(starts, offer, args)``: IPython's ``shebang`` (``original``) called with ``args``,
    made again over a copy of its globals and builtins in which ``asyncio`` (imported by the
    module, IPython 8, or in the function, IPython 9) is ``_Asyncio``, whose
    ``create_subprocess_exec`` arms ``offer``; None when ``original`` is not a function. A
    ``shebang`` that starts its program otherwise never arms its offer: that start is refused
    (``take``)."""
    space = getattr(original, "__globals__", None)
    if type(original) is not _FUNCTION or type(space) is not dict:
        return None
    found = {}  # asyncio and its create_subprocess_exec, as the first script magic found them

    def run(starts: ScriptStarts, offer: Offer, args: tuple):
        names = space.get("__builtins__")
        names = dict(names if type(names) is dict else vars(names))
        if not found:  # IPython 9 loads asyncio at the first script magic, not before
            module = _sys.modules.get("asyncio") or names["__import__"]("asyncio.subprocess")
            found.update(module=module, create=module.subprocess.create_subprocess_exec)
        proxy = _Asyncio(found["module"], _armed(starts, offer, found["create"]))
        names["__import__"] = _importer(names["__import__"], proxy)
        copied = dict(space, __builtins__=names)
        if "asyncio" in copied:
            copied["asyncio"] = proxy
        copy = _FUNCTION(
            original.__code__, copied, original.__name__, original.__defaults__,
            original.__closure__,
        )  # fmt: skip
        copy.__kwdefaults__ = original.__kwdefaults__
        return copy(*args)

    return run
