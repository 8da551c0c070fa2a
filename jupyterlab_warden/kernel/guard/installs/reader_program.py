"""Whether an installer's reading command runs the installer it is named after.

``installer_writes`` reads an invocation's words as pip's, uv's or conda's (``pip list``: a
reader); that holds only when what runs IS that installer (red team 56c). Any program merely
named so is a program like any other, a writer for the installs after it on the line: a
cell's script ``bin/pip``, ``env PATH=bin:... pip list``, ``bin/uv pip list``, ``bin/conda
list`` (R56c-5); and ``python -m pip list`` runs the cell's ``pip/__main__.py`` or ``pip.py``
when the folder it runs in (or PYTHONPATH) holds one (R56c-1).

So a reader's program must be an installer file Warden trusts by its file, not its name
(``commands._known_as``, the rule shells, wrappers and Pythons have): the machine's (root's,
in a system folder, unchanged since the kernel started), or the very file or a byte-identical
copy of the kernel installation's own installer of that name (its ``bin/NAME``; for conda's
names, the conda installation the kernel's environment belongs to), unchanged since the
kernel started. A ``python -m MODULE`` start counts when the Python is one Warden knows
(``guardless.hosts_guard``) and no file stands for the module or a standard module it
imports on the folders searched before them (``guardless.shadowing_file``,
``stdlib_reach.stand_ins``); a Python program (pip, conda) run by its name, when neither its
own folder (first on its path) nor PYTHONPATH holds one. A program not found runs nothing
(exec fails). The static twin trusts a bare name only (src/deps/commands.ts
``readerProgram``)."""

import os
from typing import Dict, Optional, Tuple

from . import guardless, shebang, stdlib_reach

# the installers whose program is a Python script (their module found on PYTHONPATH first)
_PYTHON_MODULES = {"pip": "pip", "conda": "conda", "mamba": "mamba"}
_CONDAS = ("conda", "mamba", "micromamba")


def trusted(inv, env: Dict[str, str]) -> bool:
    """Whether ``inv`` (a ``commands.Invocation``; ``env``: the environment it starts with)
    runs the installer ``inv.tool`` names. Read in the start's folder (``start_folder``)."""
    from .commands import Unreadable, current_folder

    here = current_folder()
    if here is None:
        return False  # a folder Warden cannot place: what it finds there is not told
    folder = os.path.abspath(os.path.join(here or ".", inv.cwd))
    try:
        if inv.module_start:
            python, module, flags = inv.module_start
            return _known_python(python, env) and _module_is_own(module, set(flags), env, folder)
        path = _program_file(inv.program, env)
        if not path:
            return True  # not found: exec fails, nothing runs
        if not _trusted_file(path, inv.program):
            return False
        top = _PYTHON_MODULES.get(inv.tool)
        # a Python script's own folder comes first on its path (a copy of the kernel's pip
        # beside an `optparse.py`), then PYTHONPATH's
        own = os.path.dirname(os.path.realpath(path))
        return top is None or _module_is_own(top, {"P"}, env, folder, (own,))
    except Unreadable:
        return False


def foreign_imports(inv, env: Dict[str, str]) -> str:
    """Why the pip command ``inv`` (``env``: the environment it starts with, the line's
    variables over the inherited ones) imports a module of a folder its Python searches before
    pip's own files, which Warden does not read ('' when none: ``pip_imports``, red team 57a
    R57a-9: ``PYTHONPATH=sub pip list`` runs the cell's ``sub/socks.py``). Read in the start's
    folder (``start_folder``)."""
    from . import pip_imports
    from .commands import _MAKERS, _which, current_folder

    here = current_folder()
    folder = None if here is None else os.path.abspath(os.path.join(here or ".", inv.cwd))
    line_env = dict(inv.env)  # PYTHONPATH: the line's, else the inherited and os.environ's
    if inv.module_start:
        python, _module, letters = inv.module_start
        path = _program_file(python, env)
        if not path:
            return ""  # not found: exec fails, nothing runs
        flags = set(letters)
        safe = flags & {"I", "P"} or (not flags & {"I", "E"} and env.get("PYTHONSAFEPATH"))
        if not safe and folder is None:
            return (
                "python -m pip searches the folder it starts in first for the modules pip "
                "imports, a folder Warden cannot tell (a cd it cannot follow): run it from a "
                "folder Warden can follow, or with -P"
            )
        first = [] if safe else [folder]
        return pip_imports.problem(path, first, flags, line_env, folder, _MAKERS.get())
    path = _program_file(inv.program, env)
    if not path:
        return ""
    # a Python script's own folder comes first on its path; a Python whose options Warden
    # does not read is read by that folder and PYTHONPATH's ('' Python: nothing after them)
    python = pip_imports.python_of(path, lambda name: _which(name, env.get("PATH")))
    words = shebang.interpreter_words(path) if not python else []
    if words is None or (not python and "python" not in " ".join(words)):
        return ""  # a binary, a shell's script: not pip's Python (what it runs is its own)
    own = os.path.dirname(os.path.realpath(path))
    return pip_imports.problem(python, [own], set(), line_env, folder, _MAKERS.get())


def _program_file(program: str, env: Dict[str, str]) -> str:
    """The file a program word runs: a path from the start's folder, a bare name on the
    start's PATH ('' not found)."""
    from .commands import _placed, _which

    return _placed(program) if os.sep in program else _which(program, env.get("PATH"))


def _known_python(python: str, env: Dict[str, str]) -> bool:
    path = _program_file(python, env)
    return not path or guardless.hosts_guard(path, env)


def _module_is_own(
    module: str, flags: set, env: Dict[str, str], folder: str, first: Tuple[str, ...] = ()
) -> bool:
    """Whether ``python [flags] -m module`` (or a script in ``first``) runs the installed
    module, not a file of the folder, the script's or PYTHONPATH's in its place, nor a stand-in
    for a standard module it imports."""
    folders = list(first) + guardless._search_path(flags, env, folder)
    if first and guardless._find(module, folders)[0] in ("package", "module", "archive"):
        return False
    if guardless.shadowing_file(module, flags, env, folder):
        return False
    return not stdlib_reach.stand_ins(folders)


def _trusted_file(path: str, program: str) -> bool:
    """Whether the program file is the machine's or the kernel's installer of its name (as
    written, or its real file's: a link ``p`` to the kernel's ``bin/pip`` is that pip)."""
    from .commands import _known_as

    names = dict.fromkeys(os.path.basename(p) for p in (program, os.path.realpath(path)))
    kernel = tuple(f for n in names for f in _kernel_installers(n))
    return any(_known_as(path, n, kernel=kernel) for n in names)


def _kernel_installers(name: str) -> Tuple[str, ...]:
    """The kernel installation's own installer files of ``name`` unchanged since the kernel
    started: its environment's ``bin/NAME`` and, for conda's names, its conda's."""
    from .own_python import OWN
    from .startup_modules import changed_since_start

    prefixes = [OWN.prefix]
    if name in _CONDAS:
        base = _conda_base(OWN.prefix)
        prefixes += [base] if base else []
    found = []
    for prefix in prefixes:
        for where in ("bin", "condabin"):
            path = os.path.join(prefix, where, name)
            if os.path.isfile(path) and not changed_since_start(path):
                found.append(os.path.realpath(path))
    return tuple(sorted(set(found)))


def _conda_base(prefix: str) -> Optional[str]:
    """The conda installation a conda environment belongs to (``BASE/envs/NAME``), or the
    environment itself when it is the base one; None when the kernel's is none."""
    parent = os.path.dirname(prefix)
    base = os.path.dirname(parent) if os.path.basename(parent) == "envs" else prefix
    return base if os.path.isdir(os.path.join(base, "conda-meta")) else None
