"""Where a Python places itself (red team 54b R54b-4).

CPython's getpath (Linux, 3.11's ``Modules/getpath.py``) computes ``sys.executable`` from the
program NAME the process starts with, not from the file exec ran: ``PYTHONEXECUTABLE`` when
set (read even under ``-E``/``-I``), else argv[0], else ``python3``; a name without a slash
is searched on the start's PATH, a path is taken by its text (``abspath``: ``..`` removed as
text, not after a link; no such file is needed: ``getpath_places``, red team 55a). From
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
    places = getpath_places(name, search, base, variable=bool(override))
    if places and all(_same_place(place, real) for place in places):
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


def getpath_places(name: str, search: Optional[str], base: str, variable: bool = False) -> list:
    """The paths a Python started under the program name ``name`` (``variable``: given by
    ``PYTHONEXECUTABLE``) takes as its executable, from the start's folder ``base`` and PATH
    ``search`` ([] when it finds none: it places itself by its folder then), as CPython 3.11
    does (red team 55a R55a-3). getpath takes a name with a slash through ``abspath``, which
    removes ``..`` by TEXT (``A/../bin`` is the start's ``bin`` even when ``A`` is a link), and
    ``site.venv`` does the same to sys.executable before it looks for ``pyvenv.cfg`` beside it
    and one up and makes that parent sys.prefix: the normalised text is always one place.
    ``PYTHONEXECUTABLE`` and a name found on PATH (``<entry>/<name>``, a relative entry too)
    are kept as written, and getpath opens ``pyvenv.cfg`` and ``._pth`` from their ``dirname``
    text, where the system follows a link before a ``..``: then that text is a place too."""
    if variable:
        found = os.path.join(base, name)
    else:
        found = _placed(name, search, base)
        if not found:
            return []
        if os.sep in name:
            return [os.path.abspath(found)]
    normal = os.path.abspath(found)
    return [normal] if normal == found else [normal, found]


def _is_python(path: str) -> bool:
    """A Python by its name or its real file's (a venv's link), as ``commands`` reads one."""
    names = (os.path.basename(path), os.path.basename(os.path.realpath(path)))
    return any(_PYTHON.match(name) for name in names)


def _same_place(place: str, program: str) -> bool:
    """Whether getpath placed at ``place`` (a path ``getpath_places`` gives) reads what Warden
    reads for the program path ``program``: ``start_files`` reads a program by its
    ``abspath`` (text-normalised, as getpath does), the same file in a folder and a parent
    compared as the system opens them (``pyvenv.cfg`` beside it or one up, ``._pth``, site
    folders under the parent). Each side's folders are taken by TEXT first (``dirname``) and
    only then resolved (realpath), never a link's target's parent in place of a ``..``."""
    program = os.path.abspath(program)
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
