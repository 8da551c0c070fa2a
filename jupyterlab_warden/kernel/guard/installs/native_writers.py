"""Standard-library C modules that write files or start processes with no audit event (red
team 35).

- ``readline`` (R35-1): GNU readline's history writers open their file in C, so no ``open``
  event shows the write. ``write_history_file``/``append_history_file`` are wrapped (patched
  now or when ``readline`` is imported, ``patches.LOAD_TARGETS``): the wrapper raises the
  ``open`` event CPython would raise for the same write, so ``start_writes``' rule (a Python
  the kernel starts) reads it as any other write of that path, before the file is touched.
- ``_tkinter`` (R35-3): a Tcl interpreter runs ``exec`` (a process start) and ``open`` (a
  write) in C; its commands are text Warden cannot read. Its import is refused in every
  guarded Python, the kernel too (``refuse_import``, from the patch-on-import finder, which
  sees ``importlib.import_module`` too).

Open, the native-code class (threat model, "What it does not stop"): the wrapped originals
stay reachable (the wrapper's closure; ``_imp.create_dynamic`` hands out a fresh copy of a
single-phase extension's functions), and an extension loaded by its own loader
(``ExtensionFileLoader``) passes no finder.
"""

import os
import sys

# an import refused in every guarded Python: what it runs, and what to use instead
REFUSED_IMPORTS = {
    "_tkinter": (
        "Tcl/Tk (tkinter) runs processes (`exec`) and writes files (`open`) from Tcl code "
        "Warden cannot read, with no event its guard sees: it is not available in a guarded "
        "kernel or the Pythons it starts. Use another matplotlib backend (inline, agg, ipympl) "
        "or another GUI toolkit outside the notebook"
    ),
}

# (module, attribute, label, wrapper kind): appended to gate.PATCH_TARGETS
PATCH_TARGETS = (
    ("readline", "write_history_file", "readline.write_history_file", "history-write"),
    ("readline", "append_history_file", "readline.append_history_file", "history-append"),
)

# the flags and mode CPython's own open would pass for the same write
_WRITE = ("w", os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
_APPEND = ("a", os.O_WRONLY | os.O_CREAT | os.O_APPEND)


def history_path(filename) -> str:
    """The file GNU readline writes: ``filename``, or its default ``~/.history`` for None (the
    interactive prompt's ``~/.python_history`` is named by ``site``)."""
    if filename is None:
        return os.path.join(os.path.expanduser("~"), ".history")
    return os.fsdecode(os.fspath(filename))


def history_write_wrapper(original, label, state):
    """``write_history_file(filename=None)``: announced as an ``open`` for writing."""
    mode, flags = _WRITE

    def write_history_file(filename=None):
        sys.audit("open", history_path(filename), mode, flags)
        return original(filename)

    return write_history_file


def history_append_wrapper(original, label, state):
    """``append_history_file(nelements, filename=None)``: an ``open`` for appending (GNU
    readline then truncates the file to the history length: a write)."""
    mode, flags = _APPEND

    def append_history_file(nelements, filename=None):
        sys.audit("open", history_path(filename), mode, flags)
        return original(nelements, filename)

    return append_history_file


class WardenRefusedImport(ImportError):
    """Jupyter Warden refused importing a module; the message says why and what to use
    instead. An ``ImportError``: code for which the module is optional (matplotlib's backend
    fallback) runs on as without it."""


def refuse_import(gate, name: str) -> None:
    """An import of ``REFUSED_IMPORTS``: decided as the gate decides a start (an event), and
    refused with ``WardenRefusedImport``, unless the policy only warns."""
    from .request import InstallRequest

    request = InstallRequest("unknown", f"import {name}")
    request.problems.append(REFUSED_IMPORTS[name])
    try:
        gate._enforce([request], "import", in_process=True)
    except PermissionError as refused:  # the gate's WardenBlockedInstall: its text, its event
        raise WardenRefusedImport(str(refused), name=name) from None


MAKERS = {"history-write": history_write_wrapper, "history-append": history_append_wrapper}
