"""Standard-library C modules that write files or start processes with no audit event (red
team 35): their import is refused (``refuse_import``, from the patch-on-import finder,
``patches._finder``, which sees ``importlib.import_module`` too, so a re-import or reload is
refused again).

- ``_tkinter`` (R35-3), in every guarded Python, the kernel too: a Tcl interpreter runs
  ``exec`` (a process start) and ``open`` (a write) in C; its commands are text Warden cannot
  read.
- ``readline`` (R35-1), in the Pythons the kernel starts: GNU readline's history writers
  (``write_history_file``/``append_history_file``) open their file in C, so no ``open`` event
  shows the write ``start_writes``' rule reads. A wrapper announcing the write would not hold:
  its original stays reachable from the wrapper's closure. The kernel keeps ``readline``
  (IPython's completer imports it): the kernel's own writes are read at its next line's start
  (``commands._refuse_start_places_written``), however they were made. ``site``'s interactive
  hook and ``pdb`` import it for line editing only, under ``except ImportError``.

Open, the native-code class (threat model, "What it does not stop"): ``_imp.create_dynamic``
or an extension's own loader (``ExtensionFileLoader``) passes no finder.
"""

# an import refused in guarded Pythons: (what it runs and what to use instead, whether the
# kernel too)
REFUSED_IMPORTS = {
    "_tkinter": (
        "Tcl/Tk (tkinter) runs processes (`exec`) and writes files (`open`) from Tcl code "
        "Warden cannot read, with no event its guard sees: it is not available in a guarded "
        "kernel or the Pythons it starts. Use another matplotlib backend (inline, agg, ipympl) "
        "or another GUI toolkit outside the notebook",
        True,
    ),
    "readline": (
        "GNU readline writes its history files (write_history_file, append_history_file) "
        "with no event Warden's guard sees, so a Python the kernel starts may not import it "
        "(the kernel may). Write files with open(), which Warden reads",
        False,
    ),
}


def refused_here(name: str, kernel: bool) -> bool:
    """Whether importing ``name`` is refused in this Python (``kernel``: the kernel's)."""
    found = REFUSED_IMPORTS.get(name)
    return found is not None and (found[1] or not kernel)


class WardenRefusedImport(ImportError):
    """Jupyter Warden refused importing a module; the message says why and what to use
    instead. An ``ImportError``: code for which the module is optional (matplotlib's backend
    fallback) runs on as without it."""


def refuse_import(gate, name: str) -> None:
    """An import of ``REFUSED_IMPORTS``: decided as the gate decides a start (an event), and
    refused with ``WardenRefusedImport``, unless the policy only warns."""
    from .request import InstallRequest

    request = InstallRequest("unknown", f"import {name}")
    request.problems.append(REFUSED_IMPORTS[name][0])
    try:
        gate._enforce([request], "import", in_process=True)
    except PermissionError as refused:  # the gate's WardenBlockedInstall: its text, its event
        raise WardenRefusedImport(str(refused), name=name) from None
