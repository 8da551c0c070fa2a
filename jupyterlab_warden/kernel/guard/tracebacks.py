"""What a user sees when a guarded load fails: the error at their own line, no Warden frames.

A refusal is raised deep inside the audit hook, under the library's own frames; shown raw, the
traceback ends in Warden's internals (and, for the bootstrap's embedded copy, IPython's "Could
not get source"). ``WardenBlockedLoad._render_traceback_`` (IPython's hook for exceptions that
format themselves) cuts the traceback at the first Warden frame, so it ends at the user's call
(``torch.load(path)``). Other errors passing through a wrapper (a missing file)
keep the library's frames; the wrapper frames carry ``__tracebackhide__`` so IPython hides
them. Nothing here changes what is raised, only how IPython displays it.
"""

import os
import sys

_EMBEDDED = "<jupyterlab-warden>/"  # lab/bootstrap.py compiles the embedded copy under this
# the installed package's kernel folder (the embedded copy has no __file__: its frames are
# known by the name it was compiled under)
_HERE = globals().get("__file__")
_KERNEL_DIR = os.path.dirname(os.path.dirname(os.path.abspath(_HERE))) + os.sep if _HERE else None


def is_warden_frame(frame) -> bool:
    name = frame.f_code.co_filename
    return name.startswith(_EMBEDDED) or (_KERNEL_DIR is not None and name.startswith(_KERNEL_DIR))


def cut_at_warden(tb):
    """The traceback up to the caller of the first Warden frame (the chain is cut in place)."""
    head, previous = tb, None
    while tb is not None:
        if is_warden_frame(tb.tb_frame):
            if previous is None:
                return head  # raised by Warden's own caller: nothing of the user's to show
            previous.tb_next = None
            return head
        previous, tb = tb, tb.tb_next
    return head


def drop_warden_frames(tb):
    """The traceback without Warden's frames (relinked in place): the library's frames stay."""
    kept = []
    while tb is not None:
        if not is_warden_frame(tb.tb_frame):
            kept.append(tb)
        tb = tb.tb_next
    for this, after in zip(kept, kept[1:] + [None]):
        this.tb_next = after
    return kept[0] if kept else None


def render(error, cut: bool = True):
    """IPython's structured traceback of ``error`` without Warden: cut at the first Warden
    frame (a refusal: it ends at the user's call) or with Warden's frames dropped."""
    shell = sys.modules["IPython"].get_ipython()
    tb = error.__traceback__
    tb = cut_at_warden(tb) if cut else drop_warden_frames(tb)
    return shell.InteractiveTB.structured_traceback(type(error), error, tb)


def hide_warden_frames(error) -> None:
    """An error that passed through a loader wrapper (a missing file, a malformed pickle):
    IPython shows it without the wrapper's frame. Display only; the error is unchanged."""
    if "IPython" not in sys.modules or hasattr(error, "_render_traceback_"):
        return
    try:
        error._render_traceback_ = lambda: render(error, cut=False)
    except Exception:  # noqa: BLE001, S110 - an exception type without attributes: shown as is
        pass
