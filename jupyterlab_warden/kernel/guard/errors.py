"""What a refused load raises, and the warning a 'warn' action shows."""

try:  # the C module (already loaded): pickle.py's own import costs a regex scan of its names
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


class WardenWarning(UserWarning):
    """Shown in the cell's output when a rule's action is 'warn'."""
