"""``os``, ``os.path`` and ``stat`` as they were when the guard booted, for the write rule
(red team 36 R36-3).

The write rule of a guarded Python (``start_writes``, ``path_writes``) reads paths with these
modules' functions. Looked up when a write is read, they are the process's to rebind: a
guarded w.py's ``os.path.realpath = lambda p: '/tmp/x' if p == site else real(p)`` steered
where the rule thought a ``.pth`` landed, and ``posixpath.realpath`` itself calls
``os.lstat`` as it finds it then. So the rule reads through copies made at import: each
module's names in a read-only namespace (``FROZEN_OS``, its ``path``, ``FROZEN_STAT``), its
Python functions made again over a copy of their globals in which the other modules are these
copies (``os.walk`` calls the ``scandir`` of the boot, ``realpath`` its ``lstat``).

The limit: code in the same process reaches any object (``gc``, ``ctypes``, the namespace's
class); this keeps ordinary rebinding of public names (a library's, a cell's) out of the rule,
no more. Only ``os``, ``stat``, ``sys`` and what they imported at import (the guard's boot).
"""

import genericpath
import os
import posixpath
import stat

from ..frozen_builtins import FROZEN

_FUNCTION = type(lambda: None)


def _refuse_change(self, name, value=None):
    raise AttributeError(f"{name}: Warden's copy of the boot's os functions is read-only")


def _namespace(name: str, names: dict) -> object:
    """A read-only object to hold ``names``' attributes (slots: read as fast as a module's),
    filled by ``_freeze``."""
    keys = tuple(k for k in names if k[:2] != "__")
    attributes = {"__slots__": keys, "__setattr__": _refuse_change, "__delattr__": _refuse_change}
    return object.__new__(type(name, (), attributes))


def _copy(function, space: dict):
    copy = _FUNCTION(
        function.__code__,
        space,
        function.__name__,
        function.__defaults__,
        function.__closure__,
    )
    copy.__kwdefaults__ = function.__kwdefaults__
    return copy


def _freeze(modules: dict) -> dict:
    """``modules`` (name: module) copied: their Python functions made again over copies of
    their globals, in which the other modules are their copies, and a function one imported
    from another (``posixpath``'s ``exists``, ``genericpath``'s) that module's copy of it."""
    spaces = {name: dict(vars(module)) for name, module in modules.items()}
    for space in spaces.values():
        space["__builtins__"] = FROZEN  # the copies call the boot's builtins (R38a-5)
    home = {id(vars(module)): spaces[name] for name, module in modules.items()}
    frozen = {name: _namespace(f"frozen_{name}", spaces[name]) for name in modules}
    swap = {id(module): frozen[name] for name, module in modules.items()}
    for space in spaces.values():
        for key, value in space.items():
            if type(value) is _FUNCTION and id(value.__globals__) in home:
                if id(value) not in swap:
                    swap[id(value)] = _copy(value, home[id(value.__globals__)])
                space[key] = swap[id(value)]
            elif id(value) in swap:
                space[key] = swap[id(value)]
    setter = object.__setattr__
    for name, made in frozen.items():
        space = spaces[name]
        for key in type(made).__slots__:
            setter(made, key, space[key])
    return frozen


_FROZEN = _freeze({"os": os, "path": posixpath, "genericpath": genericpath, "stat": stat})
FROZEN_STAT = _FROZEN["stat"]
FROZEN_OS = _FROZEN["os"]
