"""What pyenv runs before the program a shim names, from the shim's own root (red team 32
R32-9). A pyenv shim (``python3``, ``pip``, ``jupyter``) execs ``$ROOT/libexec/pyenv exec``,
and pyenv (2.x ``libexec/pyenv``, read 2026-12-03) then:

- puts ``$PREFIX/plugins/*/bin`` and ``$ROOT/plugins/*/bin`` on PATH, behind its own libexec,
  for the programs its commands run (``tr``, ``sed``, ``head``...);
- builds its hook path: PYENV_HOOK_PATH (``commands.pyenv_code`` refuses one of the
  notebook's), ``$ROOT/pyenv.d``, ``$PREFIX/pyenv.d``, ``/usr/etc/pyenv.d``,
  ``/usr/local/etc/pyenv.d``, ``/etc/pyenv.d``, ``/usr/lib/pyenv/hooks``,
  ``$ROOT/plugins/*/etc/pyenv.d``;
- sources every ``FOLDER/CMD/*.bash`` of it (``pyenv-hooks``) for exec, which, version-name
  and version-origin, before it execs the program; a hook may run any file near it (pyenv's
  own ``exec/pip-rehash.bash`` runs ``exec/pip-rehash/pip``).

``$PREFIX`` is the folder pyenv's libexec lies in, links resolved. pyenv's default root,
``~/.pyenv``, is the user's: a cell that writes a hook there needs no variable. So a shim
start is refused when a file or folder of these (the hook folders' trees, the plugins'
``bin`` and hook folders, pyenv's libexec) changed since the kernel started, as the start
files are read (``start_files``), or may be written by others than its owner and root; and
when a writer earlier on the line may write one (``commands``).
"""

import os
import stat
from typing import Dict, List, Optional

from . import pyenv_places, startup_modules

# entries a shim's pyenv folders hold at most before Warden stops reading them (pyenv 2.x with
# its four plugins: some 120 in these folders; python-build's definitions are not read)
_BOUND = 5000


def places(root: str, env: Dict[str, str]) -> List[str]:
    """``pyenv_places.places`` with the PYENV_HOOK_PATH ``env`` gives, else the inherited one."""
    given = env.get("PYENV_HOOK_PATH", startup_modules.inherited("PYENV_HOOK_PATH"))
    return pyenv_places.places(root, given)


def changed(root: str, env: Dict[str, str]) -> str:
    """Why what the shim rooted at ``root`` runs before its program is not what the machine
    had when the kernel started ('' when it is): a file or folder of ``places`` changed since,
    one others than its owner and root may write, a missing folder whose nearest folder up
    (not the system's) changed since, or more entries than Warden reads."""
    count = 0
    for top in places(root, env):
        if not os.path.lexists(top):
            made = _made_above(top)
            if made:
                return f"{made} changed since the kernel started (it may now hold {top})"
            continue
        for path in _tree(top, os.path.basename(top) == "plugins"):
            count += 1
            if count > _BOUND:
                return f"its pyenv folders hold more than {_BOUND} entries"
            why = _entry_problem(path)
            if why:
                return f"{path} {why}"
    return ""


def _tree(top: str, shallow: bool):
    """``top`` and everything under it, links not followed (``shallow``: its entries only)."""
    yield top
    stack = [top]
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(folder) as entries:
                names = [(e.path, e.is_dir(follow_symlinks=False)) for e in entries]
        except OSError:
            continue
        for path, is_folder in names:
            yield path
            if is_folder and not shallow:
                stack.append(path)


def _entry_problem(path: str) -> str:
    if startup_modules._changed(path):
        return "changed since the kernel started"
    try:
        info = os.stat(path)
    except OSError:
        return ""  # a dangling link: nothing runs
    if info.st_mode & stat.S_IWOTH or (
        info.st_mode & stat.S_IWGRP and not _private_group(info.st_uid, info.st_gid)
    ):
        return "may be written by others than its owner and root"
    return ""


def _private_group(uid: int, gid: int) -> bool:
    """Whether ``gid`` is the owner's own group with no other member (a user private group:
    Debian's and Ubuntu's umask 002 makes a user's clone group-writable)."""
    try:
        import grp
        import pwd

        return pwd.getpwuid(uid).pw_gid == gid and not grp.getgrgid(gid).gr_mem
    except (KeyError, ImportError):
        return False


def _made_above(path: str) -> Optional[str]:
    """The nearest existing folder above ``path`` when it changed since the kernel started and
    is not one of the system's (a cell may have made ``path`` in it)."""
    from . import commands

    folder = os.path.dirname(path)
    while folder and not os.path.lexists(folder):
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent
    if commands._system_folder(folder) or not startup_modules._changed(folder):
        return None
    return folder
