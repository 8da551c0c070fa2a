"""Each decision of the gate reads with a state of its own (red team 47a R47a-2).

The readers keep what one reading found in context variables, set and reset by ``with``
blocks: ``commands``' side starts' installs (``_SIDE_STARTS``), PATH files and folders read
(``_PATH_FILES``, ``_FOLDERS_READ``), tree walks (``_WALKS``), the start's folder and
environment (``_START_FOLDER``, ``_START_ENV``, ``UNLAUNCHED``...), ``startup_modules.
START_ENVIRON``. A decision made inside another's reading (by code the reading ran and Warden
does not choose: a gc callback, a finalizer or weakref callback any allocation may run, a
signal handler, an event callback; a new audit event in the same thread and context) saw the
outer reading's values: the installs of its side starts went to the OUTER start's list, its
own decision saw none, and it ran; the outer start was refused after. A context copied there
(``contextvars.copy_context``, as any task or callback made then copies it) carried them out
of the reading, to a start made in it later at top level.

So each entry of the gate (``alone``) runs in a new, empty ``contextvars.Context``: what a
reading sets is its own, and nothing of its caller's context reaches it but what must cross,
``crossing()``'s (variable, value) pairs: pip's command stage (``gate._PIP_COMMAND``, which
``allowed_install`` reads: a pip install the gate allowed runs in this thread). The other
variables the guard reads are the reading's own (reset here), the gate's per-start flag
(``start_writes.child_writes``, set by ``check`` inside), or never read by a decision
(``pip_links._DOWNLOADING``: pip's cache lookups). The pickle guard's loads in progress are
per thread (``context.ContextStack``), not in a context, so they are not touched.

A decision made inside another on the same thread (depth 1) is decided in full, on its own.
One made inside that one (an event callback that starts a process at every event would nest
without end) is refused unread, whatever the policy, as ``StartWrites._check_inner`` refuses a
write that deep: recorded by the gate (``refuse_nested``), then a ``PermissionError``; one
made while that refusal is recorded is refused without a record.
"""

from __future__ import annotations

import _contextvars  # built in: no import after the guard's boot (red team 38a R38a-6)
import _thread

from ..frozen_builtins import FROZEN

__builtins__ = FROZEN  # the boot's builtins for this module's functions (R38a-5)

NESTED = (
    "code this Python ran while Warden decided two of its process starts or installs, one "
    "inside the other (a gc callback, a finalizer, a signal handler, an event callback of its "
    "own) started another: Warden does not decide a start made that deep inside its own "
    "reading, so it refuses it. Start processes outside such hooks"
)


def door(crossing):
    """``alone``: the decorator of the gate's entries, each run as a decision of its own
    (module doc). ``crossing()``: the (context variable, value) pairs of the caller's context
    a decision keeps. The depths are held in this closure, which no name reaches (red team 36
    R36-3: a module-level mark was one a cell could clear)."""
    inside = {}  # thread id -> how many decisions it is inside
    get_ident = _thread.get_ident
    fresh = _contextvars.Context

    def alone(decide):
        # one frame per entry (every process start passes one): the depth count, then the
        # decision in a fresh context, set first with what crosses (none: called straight)
        def entry(gate, *args, **kwargs):
            me = get_ident()
            depth = inside.get(me, 0)
            inside[me] = depth + 1
            try:
                if depth >= 2:
                    if depth == 2:  # deeper: inside this record, refused unrecorded
                        gate.refuse_nested(NESTED)
                    raise PermissionError(f"Jupyter Warden refused a process start: {NESTED}")
                carried = crossing()
                if carried:
                    return fresh().run(_entered, carried, decide, gate, args, kwargs)
                return fresh().run(decide, gate, *args, **kwargs)
            finally:
                if depth:
                    inside[me] = depth
                else:
                    inside.pop(me, None)

        entry.__name__, entry.__qualname__ = decide.__name__, decide.__qualname__
        entry.__doc__ = decide.__doc__
        return entry

    return alone


def _entered(carried, decide, gate, args, kwargs):
    for var, value in carried:
        var.set(value)
    return decide(gate, *args, **kwargs)
