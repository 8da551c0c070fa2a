"""What a refused load raises, and the warning a 'warn' action shows.

``WardenBlockedLoad`` subclasses ``pickle.UnpicklingError``, which lives in ``_pickle``: that
module imports functools and collections, a quarter of the guard's start-up in a Python that
never unpickles. So the class is made on first use (``blocked_load_class``, or the attribute
``WardenBlockedLoad`` of this module or of ``guard``), once per process, under a lock.
"""

import _thread

_made = {}
_lock = _thread.allocate_lock()


def blocked_load_class():
    """The one ``WardenBlockedLoad`` class of this process (made on the first call)."""
    cls = _made.get("blocked")
    if cls is None:
        with _lock:
            cls = _made.get("blocked")
            if cls is None:
                cls = _made["blocked"] = _make_blocked_load()
                globals()["WardenBlockedLoad"] = cls  # later lookups skip __getattr__
    return cls


def blocked_load(message: str, rule_id: str = "", event: dict = None):
    """A ``WardenBlockedLoad`` to raise."""
    return blocked_load_class()(message, rule_id, event)


def __getattr__(name):  # PEP 562: ``errors.WardenBlockedLoad`` before the class was made
    if name == "WardenBlockedLoad":
        return blocked_load_class()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _make_blocked_load():
    try:  # the C module: pickle.py's own import costs a regex scan of its names
        from _pickle import UnpicklingError
    except ImportError:
        from pickle import UnpicklingError

    class WardenBlockedLoad(UnpicklingError):
        """Jupyter Warden refused to load data; the message says what, why and how to proceed.

        A subclass of ``pickle.UnpicklingError`` so code that already handles a failed unpickle
        (torch, numpy, pandas, joblib and user code) handles this too.
        """

        def __init__(self, message: str, rule_id: str = "", event: dict = None):
            super().__init__(message)
            self.rule_id = rule_id
            self.event = event or {}

        def _render_traceback_(self):
            """IPython shows this instead of the raw traceback: it ends at the user's own call,
            without Warden's frames (guard/tracebacks.py)."""
            from .tracebacks import render

            return render(self)

    WardenBlockedLoad.__qualname__ = "WardenBlockedLoad"  # pickled by reference, as before
    return WardenBlockedLoad


class WardenWarning(UserWarning):
    """Shown in the cell's output when a rule's action is 'warn'."""
