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
Only ``os`` and ``sys`` at import.
"""

import os
import sys

INSTALLERS = frozenset(("conda", "mamba"))


def started_as(argv) -> str:
    """``conda``, ``mamba`` or ``venv`` for a Python started to run that command, else ''."""
    kind, target, _ = python_target(argv)
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
    words = list(argv or ())[1:]
    isolated = False
    at = 0
    while at < len(words):
        word = words[at]
        at += 1
        if word == "--":
            return ("script", words[at], isolated) if at < len(words) else ("", "", isolated)
        if word == "-" or not word.startswith("-"):
            return ("script", word, isolated) if word != "-" else ("", "", isolated)
        if word.startswith("--"):
            at += word == "--check-hash-based-pycs"  # its value is the next word
            continue
        for index, flag in enumerate(word[1:], 1):
            rest = word[index + 1 :]
            if flag in "IP":
                isolated = True
            elif flag == "c":
                text = rest or (words[at] if at < len(words) else "")
                return ("command", text, isolated)
            elif flag == "m":
                name = rest or (words[at] if at < len(words) else "")
                return ("module", name, isolated)
            elif flag in _VALUED:
                at += not rest  # its value is the next word
                break
    return ("", "", isolated)


def _console_script(path: str) -> bool:
    """The installer's console script: beside this interpreter (or in its prefix's bin), not
    changed since the kernel started."""
    own = os.path.dirname(os.path.realpath(sys.executable))
    here = os.path.dirname(os.path.realpath(path))
    if here not in (own, os.path.realpath(os.path.join(sys.prefix, "bin"))):
        return False
    from .startup_modules import changed_since_start

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
