"""What a guarded Python was started to run, read from its command line as it started
(``sys.orig_argv``, kept by ``start_writes`` at the guard's install, before any code of the
cell's could change it), for the writes its guard leaves to that command:

- ``conda``/``mamba``: its console script beside its own interpreter, unchanged since the
  kernel started, or ``-m conda``: the installer the kernel's gate decided before the process
  existed, which writes its packages' programs into PATH folders (``path_writes``);
- ``venv``: ``-m venv``, the standard library's, which writes the ``pyvenv.cfg`` of the
  environment it makes or updates (``start_writes.getpath_folder``) with this interpreter's
  own home: re-running a cell's `!python -m venv .venv` rewrites an existing one.

A script of one of those names elsewhere (the cell's ``./conda``), or one the cell rewrote, is
none of them; nor is ``-m venv`` when a folder searched before the standard library holds a
``venv`` of its own (``venv_shadowed``: the cell's ``./venv.py`` would run as ``-m venv``).
pip's own command is ``pip_process``'s, on ``python_target``'s reading of the command line.
Only ``os`` and ``boot_sys`` (built-in ``sys``) at import.
"""

import os

from ..boot_sys import BOOT_SYS  # sys as at the boot (red team 49a)

INSTALLERS = frozenset(("conda", "mamba"))


def started_as(argv) -> str:
    """``conda``, ``mamba`` or ``venv`` for a Python started to run that command, else ''
    (also for one that goes on to an interactive session after it: ``inspects``)."""
    kind, target, _ = python_target(argv)
    if kind and inspects(argv):
        return ""
    if kind == "module":
        if target == "venv":
            return "venv"
        top = target.split(".")[0]
        return top if top in INSTALLERS else ""
    if kind == "script":
        name = os.path.basename(target)
        return name if name in INSTALLERS and _console_script(target) else ""
    return ""


# CPython's options that take the next word (or the rest of their word) as their value
_VALUED = "WX"


def python_target(argv):
    """What a Python's command line runs: ``("module", name, isolated)`` for ``-m name``,
    ``("script", path, isolated)``, ``("command", text, isolated)`` for ``-c``, else
    ``("", "", isolated)`` (stdin, nothing); ``isolated``: ``-I`` or ``-P``, which keep the
    working (or script's) folder off ``sys.path``. Short options may be joined (``-Im pip``,
    ``-mpip``)."""
    kind, target, flags = _read_options(argv)
    return kind, target, bool(flags & set("IP"))


def inspects(argv) -> bool:
    """Whether this Python (started with ``argv``) goes on to an interactive session after
    the command it runs (red team 35 R35-5, R35-9): ``-i`` among its options (``-im pip``
    too), or PYTHONINSPECT in its start environment (not read under ``-E``/``-I``), as its
    ``sys.flags`` record them. Its session's code (its input: a file, a terminal) is the
    input's, not the command's: a pip or venv that inspects has no allowance of its
    command's. PYTHONINSPECT set while it runs also starts a session: only code that ran in
    it can set it, which ends pip's allowance by itself (``pip_process.code_ran``)."""
    flags = _read_options(argv)[2]
    if "i" in flags or getattr(BOOT_SYS.flags, "inspect", 0):
        return True
    return not flags & set("EI") and bool(os.environ.get("PYTHONINSPECT"))


def venv_folders(argv) -> tuple:
    """The words a `-m venv` command line names after the module (its operands, and any
    option's value: ``--prompt NAME``, a folder name at worst): the environments whose
    ``pyvenv.cfg`` it writes (red team 35 R35-9: no other)."""
    kind, target, _ = python_target(argv)
    if kind != "module" or target != "venv":
        return ()
    words = list(argv)[1:]
    # the word that names the module: `venv` after `-m`, or `-mvenv`, `-Imvenv`
    at = next((i for i, w in enumerate(words) if w == "venv" or w.endswith("mvenv")), len(words))
    return tuple(w for w in words[at + 1 :] if w and not w.startswith("-"))


def _read_options(argv):
    """(kind, target, the short option letters read before it) of ``python_target``."""
    words = list(argv or ())[1:]
    flags = set()
    at = 0
    while at < len(words):
        word = words[at]
        at += 1
        if word == "--":
            return ("script", words[at], flags) if at < len(words) else ("", "", flags)
        if word == "-" or not word.startswith("-"):
            return ("script", word, flags) if word != "-" else ("", "", flags)
        if word.startswith("--"):
            at += word == "--check-hash-based-pycs"  # its value is the next word
            continue
        for index, flag in enumerate(word[1:], 1):
            rest = word[index + 1 :]
            if flag == "c":
                text = rest or (words[at] if at < len(words) else "")
                return ("command", text, flags)
            if flag == "m":
                name = rest or (words[at] if at < len(words) else "")
                return ("module", name, flags)
            if flag in _VALUED:
                at += not rest  # its value is the next word
                break
            flags.add(flag)
    return ("", "", flags)


def _console_script(path: str) -> bool:
    """The installer's console script: beside this interpreter (or in its prefix's bin), not
    changed since the kernel started."""
    own = os.path.dirname(os.path.realpath(BOOT_SYS.executable))
    here = os.path.dirname(os.path.realpath(path))
    if here not in (own, os.path.realpath(os.path.join(BOOT_SYS.prefix, "bin"))):
        return False
    from .kernel_age import changed_since_start  # only os and time: read as the guard boots

    return not changed_since_start(path)


def venv_shadowed(argv, pythonpath: str) -> bool:
    """Whether ``-m venv`` may import another ``venv`` than the standard library's: an entry
    named ``venv`` (a package, ``venv.py``, its bytecode or an extension) in the folder the
    Python starts in (``-m`` searches it first) or in a folder of ``pythonpath``. Read as the
    Python starts (``start_writes`` keeps the answer), before any of its own code can remove
    what it ran from. Only paid by a command line that holds the word ``venv``."""
    if "venv" not in argv:
        return False
    folders = [w for w in pythonpath.split(os.pathsep) if w]
    try:
        folders.append(os.getcwd())
    except OSError:
        return True  # a folder Warden cannot name: it cannot tell what -m finds there
    for folder in folders:
        try:
            names = os.listdir(folder)
        except OSError:
            continue
        if any(n == "venv" or n.startswith("venv.") for n in names):
            return True
    return False
