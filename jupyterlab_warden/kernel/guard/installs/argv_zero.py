"""Where a Python places itself (red team 54b R54b-4).

CPython's getpath (Linux, 3.11's ``Modules/getpath.py``) computes ``sys.executable`` from the
program NAME the process starts with, not from the file exec ran: ``PYTHONEXECUTABLE`` when
set (read even under ``-E``/``-I``), else argv[0], else ``python3``; a name without a slash
is searched on the start's PATH, a path is taken as written (no such file is needed). From
that place it reads ``pyvenv.cfg`` (beside it or one folder up), ``<place>._pth`` and its
prefix landmarks, so sys.prefix and the site folders whose ``.pth`` files run before the
guard's ``sitecustomize``. Warden reads every Python start by its program file (its site
folders, its start-up files), so a Python started under a name that places it elsewhere
(``Popen([fake, ...], executable=PY)``, ``os.execv(PY, [fake, ...])``, ``exec -a fake PY``,
``PYTHONEXECUTABLE=fake``) would run start-up files Warden never read: refused, unless the
name places it where its program file is. Ordinary starts give the program itself as argv[0]
(``sys.executable``, multiprocessing, a venv's ``bin/python`` link, a bare ``python3`` found
on PATH), which this never refuses; only a name other than the program's text is looked at.
"""

import os
import re
from typing import Mapping, Optional

_PYTHON = re.compile(r"^python(\d+(\.\d+)?)?[dmu]?$")
# getpath's name when argv[0] is empty (``PyConfig.program_name``'s default on POSIX)
_DEFAULT_NAME = "python3"


def moved_python(
    program: Optional[str], argv0, env: Mapping[str, str], cwd: Optional[str] = None
) -> str:
    """Why a start of the file ``program`` with ``argv0`` (its argv[0]; None when it has none)
    and environment ``env`` runs a Python placed elsewhere than its program ('' when it is
    not, or the program is no Python). ``cwd``: the start's folder (None: this process's)."""
    override = env.get("PYTHONEXECUTABLE") or ""
    if not isinstance(program, str) or (argv0 == program and not override):
        return ""  # the common start: argv[0] is the program's own text
    search = env.get("PATH")
    base = cwd or os.getcwd()
    real = _placed(program, search, base)
    if not real or not _is_python(real):
        return ""
    name = override or (argv0 if isinstance(argv0, str) and argv0 else _DEFAULT_NAME)
    place = _placed(name, search, base)
    if place and _same_place(place, real):
        return ""
    told = "PYTHONEXECUTABLE" if override else "argv[0]"
    return (
        f"it starts the Python {program} under another name ({told} {name!r}), from which "
        "Python takes the place it starts from (its pyvenv.cfg, prefix and site folders, whose "
        ".pth files run before Warden's guard) rather than from its program file: start "
        "Python by its own path (argv[0] the program, no PYTHONEXECUTABLE)"
    )


def _placed(name: str, search: Optional[str], base: str) -> str:
    """Where ``name`` is, as getpath and exec find it: a path from the start's folder, a bare
    name on ``search`` (its first executable file; an empty entry is the folder); ''
    nowhere."""
    if os.sep in name:
        return os.path.join(base, name)
    if search is None:
        return ""
    for folder in search.split(os.pathsep):
        path = os.path.join(base, folder, name)
        if os.path.isfile(path) and os.access(path, os.X_OK):
            return path
    return ""


def _is_python(path: str) -> bool:
    """A Python by its name or its real file's (a venv's link), as ``commands`` reads one."""
    names = (os.path.basename(path), os.path.basename(os.path.realpath(path)))
    return any(_PYTHON.match(name) for name in names)


def _same_place(place: str, program: str) -> bool:
    """Whether getpath placed at ``place`` reads what it reads placed at ``program``: the same
    text, or the same name (or another name of the same file) in the same folder whose parent
    is the same too (``pyvenv.cfg`` beside it or one up), folders compared by real paths."""
    if place == program:
        return True
    if os.path.basename(place) != os.path.basename(program):
        # another link to the same file in the folder (``python`` for ``python3``): its
        # ``._pth`` name is one ``start_writes`` keeps out of a folder holding a Python
        if os.path.realpath(place) != os.path.realpath(program):
            return False
    for _ in range(2):  # the folder, then its parent, each spelled as getpath spells it
        place, program = os.path.dirname(place), os.path.dirname(program)
        if os.path.realpath(place) != os.path.realpath(program):
            return False
    return True
