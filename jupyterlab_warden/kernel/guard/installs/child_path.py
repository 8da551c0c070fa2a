"""The PYTHONPATH a guarded Python's children start with (red team 28a R28a-1).

A Python imports ``encodings``, a ``.pth`` line's modules and ``sitecustomize`` from its
PYTHONPATH folders while it starts, before any guard. torch gives its helper Pythons
``PYTHONPATH=os.pathsep.join(sys.path)``: the notebook's folder first, the guard's folder later.
Checking such folders when the start is decided cannot hold: ``Popen`` returns once the child
has exec'd, and the cell's next line writes ``sitecustomize.py`` there before the child reaches
``site`` (6 of 6 runs). So such a start is not decided on those folders at all: the child gets
the guard's folder (and the folders this kernel was launched with) as its PYTHONPATH, and the
PYTHONPATH it was given in ``DEFERRED_PYTHONPATH_ENV``, which its boot puts back at the front of
``sys.path`` once its guard is installed (``kernel/boot/site_boot.py``). Its code then finds
its modules where it asked; nothing the cell writes runs before the guard.

Only ``subprocess.Popen`` starts are rewritten (``preexec.py`` wraps ``Popen._execute_child``
before the environment is copied); any other start with such a PYTHONPATH is decided as it is
(the line rule: ``commands._guard_loads``), and refused.
"""

from __future__ import annotations

import os
from typing import Callable, Mapping, Optional

from ...environ import DEFERRED_PYTHONPATH_ENV


def rerouter(state) -> Callable[[Optional[Mapping]], Optional[Mapping]]:
    """``reroute(env)`` for ``Popen._execute_child``: ``env`` itself (None: inherited) unless
    the PYTHONPATH the child would get holds the guard's folder in a place the line rule does
    not allow, then a copy with it rewritten (``deferred``). The common start pays one lookup
    and one comparison (``settled``: the last value that needed nothing)."""
    settled = [None]

    def reroute(env):
        source = os.environ if env is None else env
        try:
            value = source.get("PYTHONPATH")
        except Exception:  # noqa: BLE001 - a mapping Popen rejects itself; the gate reads it
            return env
        if type(value) is not str or value == settled[0]:
            return env
        launch = getattr(getattr(state, "installs", None), "launch", None)
        if launch is None or not launch.children_guarded:
            return env  # no guard to hand on: the gate reads the start as it is
        launched = dict(launch.python).get("PYTHONPATH", "")
        rewritten = None if value == launched else deferred(value, launched)
        if rewritten is None:
            settled[0] = value
            return env
        changed = dict(source)
        changed["PYTHONPATH"] = rewritten
        changed[DEFERRED_PYTHONPATH_ENV] = value
        return changed

    return reroute


def deferred(pythonpath: str, launched: str) -> Optional[str]:
    """The PYTHONPATH a child given ``pythonpath`` starts with, or None when it starts with
    that one: the guard's folder then the folders of ``launched`` (this kernel's own start) it
    names, in its order. None also when it does not name the guard's folder (a child without
    the guard, which the gate reads as one) or already passes the line rule."""
    from ...boot.launch_env import SITE_DIR as site
    from .commands import line_keeps_guard

    words = pythonpath.split(os.pathsep)
    if site not in words or line_keeps_guard(pythonpath, launched):
        return None
    known = {w for w in launched.split(os.pathsep) if os.path.isabs(w)} - {site}
    kept = [site] + [w for w in dict.fromkeys(words) if w in known]
    return os.pathsep.join(kept)
