"""The environment a started process gets, read as the process gets it (red team 10).

Two objects say what a child's environment is, and they can disagree:

* a start that inherits (``subprocess`` with ``env=None``, ``os.system``, ``os.execv``) hands
  the child the C-level ``environ``; ``os.environ`` is only Python's copy of it, and
  ``os.putenv``/``os.unsetenv`` change the C one alone (R10-12), while ``del
  os.environ._data[...]`` changes the copy alone. So Warden keeps its own account: the
  environment at the guard's install plus every ``os.putenv``/``os.unsetenv`` audit event
  since (``os.environ[...] = v`` and ``del`` raise those too). That is the C environ, except
  for a C-level ``setenv`` (ctypes, an extension), which the guard does not see.
* a start given ``env=os.environ`` hands the child what ``os.environ.items()`` answers
  *after* the audit hook: its encode/decode functions, its ``_data`` and its class's methods
  can all be replaced by cell code (R10-11: a caller-made ``os._Environ`` whose decoder
  answers otherwise on the second read). Warden reads ``os.environ`` only while those are
  the ones it found at start, and by its bytes.

Standard library only; built when the gate is installed (before user code), read on process
starts.
"""

import os
import sys
from _collections_abc import ItemsView, KeysView, ValuesView

ENVIRON_EVENTS = frozenset(("os.putenv", "os.unsetenv"))

_ENCODING = sys.getfilesystemencoding()
_ENVIRON = os.environ
_PATH_KEY = _ENVIRON.encodekey("PATH")


def _machinery(env) -> tuple:
    """What reading ``env`` runs, by identity (functions compare by identity): subprocess's
    ``env.items()`` and ``env.get``, and C's ``PyMapping_Size``/``_Keys``/``_Values`` (os.execve,
    os.posix_spawn given ``os.environ``: ``__len__``, ``keys()``, ``values()`` and their views,
    red team 40a R40a-3), every attribute found through ``__getattribute__``: the class's
    methods (read through its metaclass's ``__getattribute__``, held too: ``abc.ABCMeta`` is a
    Python class), then the instance's attributes (its codecs and ``_data``'s type)."""
    cls = type(env)
    fields = vars(env)
    return (
        cls, type(cls).__getattribute__, cls.__getattribute__, cls.__iter__, cls.__getitem__,
        cls.__len__, cls.items, cls.keys, cls.values, cls.get,
        ItemsView.__iter__, KeysView.__iter__, ValuesView.__iter__,
        len(fields), fields.get("encodekey"), fields.get("decodekey"),
        fields.get("encodevalue"), fields.get("decodevalue"), type(fields.get("_data")),
    )  # fmt: skip


_INTACT = _machinery(_ENVIRON)


def _decode(word) -> str:
    if isinstance(word, bytes):
        return bytes.decode(word, _ENCODING, "surrogateescape")
    if isinstance(word, str):  # Windows: os.environ._data holds str
        return str.__str__(word)
    raise TypeError("not text")


def environ_readable() -> str:
    """'' when ``os.environ`` answers a child's start as Warden reads it, else why not."""
    if os.environ is not _ENVIRON:
        return "os.environ was replaced by another object"
    try:
        intact = _machinery(_ENVIRON) == _INTACT and _INTACT[-1] is dict
    except Exception:  # noqa: BLE001 - an attribute removed or raising
        intact = False
    return "" if intact else "os.environ's reading functions or data were replaced"


def read_environ() -> dict:
    """``os.environ`` as a child given ``env=os.environ`` gets it: by its bytes (``_data``),
    not through functions cell code may have replaced. Raises ``ValueError`` (why) when its
    machinery is not what the guard found at start."""
    why = environ_readable()
    if why:
        raise ValueError(why)
    return {_decode(k): _decode(v) for k, v in dict.items(_ENVIRON._data)}


# The environment this process was started with, as the guard found it when it installed (the
# first ``InheritedEnviron``): in a kernel, the lab server's. A value equal to it was not set
# by the cell (``launch_value``); None before the guard installs (every value is the cell's).
_LAUNCH: "dict | None" = None


def launch_value(name: str):
    """``name``'s value when this process started (None: it had none, or no guard yet)."""
    return None if _LAUNCH is None else _LAUNCH.get(name)


def changed_names(env: dict) -> set:
    """The names ``env`` gives another value than this process started with, or lacks though
    it started with them (all of ``env``'s before the guard installs)."""
    launch = _LAUNCH if type(_LAUNCH) is dict else {}
    return {name for name, _value in env.items() - launch.items()} | (launch.keys() - env.keys())


class InheritedEnviron:
    """The C environ as a child that inherits it gets it: the one at install plus the
    ``os.putenv``/``os.unsetenv`` events since (``changed``)."""

    def __init__(self):
        global _LAUNCH
        self.start = {_decode(k): _decode(v) for k, v in dict.items(_ENVIRON._data)}
        if _LAUNCH is None:
            _LAUNCH = dict(self.start)
        self.changes = {}  # name -> value, or None when unset
        # one more at each change: a Popen start's decision notes it (``decided_start``)
        self.version = 0
        self.unknown = ""  # a change Warden could not read: inherited starts are unreadable
        # os.environ's PATH bytes last decoded (``problem``, every start): bytes are immutable,
        # so the same object decodes to the same text
        self._python_path = (None, None)

    def changed(self, event: str, args: tuple) -> None:
        """The audit hook's entry for ``os.putenv(name, value)`` / ``os.unsetenv(name)``."""
        self.version += 1
        try:
            name = _decode(args[0])
            self.changes[name] = _decode(args[1]) if event == "os.putenv" else None
        except Exception:  # noqa: BLE001 - bytes on POSIX; anything else is not read
            self.unknown = f"an {event} call Warden could not read"

    def get(self, name: str, default=None):
        """One variable as the child gets it: a dict lookup or two (the hot path's PATH)."""
        if name in self.changes:
            value = self.changes[name]
            return default if value is None else value
        return self.start.get(name, default)

    def read(self) -> dict:
        env = dict(self.start)
        for name, value in self.changes.items():
            if value is None:
                env.pop(name, None)
            else:
                env[name] = value
        return env

    def problem(self) -> str:
        """'' when an inherited start's environment is known, else why not: a change Warden
        could not read, or a PATH that Python's own copy (what ``subprocess`` finds the
        program on) and the C environ (what the child and a shell search) give otherwise."""
        if self.unknown:
            return self.unknown
        why = environ_readable()
        if why:
            return why
        raw = _ENVIRON._data.get(_PATH_KEY)
        kept, python_path = self._python_path
        if raw is not kept:
            python_path = None if raw is None else _decode(raw)
            self._python_path = (raw, python_path)
        if python_path != self.get("PATH"):
            return "os.environ's PATH is not the one its children get (os.putenv, os.unsetenv)"
        return ""
