"""The one guard of this process, found the same way by every copy of the guard's code.

The guard may be loaded twice - from the installed package by the launcher, and from the
sources the frontend's bootstrap embeds - so the active state lives in a module object in
``sys.modules`` under a fixed name rather than in a module global.
"""

import sys
import types

_KEY = "_jupyterlab_warden_guard_active"


def active():
    holder = sys.modules.get(_KEY)
    return getattr(holder, "state", None)


def register(state) -> None:
    holder = types.ModuleType(_KEY)
    holder.state = state
    sys.modules[_KEY] = holder
