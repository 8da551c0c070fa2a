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

import glob
import os
import stat
from typing import Dict, List, Mapping, Optional

from . import startup_modules
from .start_names import PYENV_VARIABLES

# the hook folders pyenv adds after its root's and its prefix's own
_SYSTEM_HOOKS = (
    "/usr/etc/pyenv.d", "/usr/local/etc/pyenv.d", "/etc/pyenv.d", "/usr/lib/pyenv/hooks"
)  # fmt: skip
# entries a shim's pyenv folders hold at most before Warden stops reading them (pyenv 2.x with
# its four plugins: some 120 in these folders; python-build's definitions are not read)
_BOUND = 5000


def places(root: str, env: Dict[str, str]) -> List[str]:
    """The folders whose files the pyenv of the shim rooted at ``root`` may source or run
    before the program, each with everything under it (missing ones too: a writer may make
    them), and its plugins folder (a new plugin adds both kinds)."""
    program = os.path.realpath(os.path.join(root, "libexec", "pyenv"))
    prefix = os.path.dirname(os.path.dirname(program))
    given = env.get("PYENV_HOOK_PATH", startup_modules.inherited("PYENV_HOOK_PATH"))
    found = [f for f in given.split(":") if f] + [os.path.join(root, "pyenv.d")]
    found += [os.path.join(prefix, "pyenv.d"), *_SYSTEM_HOOKS, os.path.join(prefix, "libexec")]
    for top in dict.fromkeys((root, prefix)):
        plugins = os.path.join(top, "plugins")
        found.append(plugins)
        for plugin in sorted(glob.glob(os.path.join(glob.escape(plugins), "*"))):
            found += [os.path.join(plugin, "bin"), os.path.join(plugin, "etc", "pyenv.d")]
    return list(dict.fromkeys(os.path.abspath(f) for f in found))


# the hook places a guard refuses writes under, per environment it was read from (``guarded``)
_GUARDED: Dict[tuple, List[str]] = {}


def guarded_places(env: Mapping[str, str]) -> List[str]:
    """``places`` of the pyenv roots whose hooks the guard of a Python started with ``env``
    refuses to write (red team 33 R33-7: a guarded Python writes a hook, named nowhere on the
    line, and a shim after it on the line sources it): PYENV_ROOT, ``~/.pyenv`` by HOME and by
    the user's own home, the root of a pyenv ``shims`` folder on PATH; text and real paths.
    ``start_writes`` reads them from the environment its Python STARTED with (a cell's later
    change of HOME or PATH moves nothing); the line's reading refuses a shim whose places a
    guarded writer before it does not cover (``commands._refuse_pyenv_hooks``)."""
    key = tuple(env.get(name, "") for name in PYENV_VARIABLES)
    found = _GUARDED.get(key)
    if found is not None:
        return found
    home = _own_home()
    roots = [env.get("PYENV_ROOT", ""), os.path.join(env.get("HOME") or home, ".pyenv")]
    roots.append(os.path.join(home, ".pyenv") if home else "")
    # a shims folder on PATH names its root (the shims export it themselves)
    for folder in env.get("PATH", "").split(os.pathsep):
        root = os.path.dirname(folder.rstrip("/"))
        if os.path.basename(folder.rstrip("/")) == "shims" and os.path.isfile(
            os.path.join(root, "libexec", "pyenv")
        ):
            roots.append(root)
    found = []
    # only PYENV_HOOK_PATH of ``env`` (none: none), never this process's own
    hooks = {"PYENV_HOOK_PATH": env.get("PYENV_HOOK_PATH", "")}
    for root in dict.fromkeys(r for r in roots if r and os.path.isdir(r)):
        for place in places(root, hooks):
            found += [place, os.path.realpath(place)]
    found = list(dict.fromkeys(found))
    if len(_GUARDED) >= 64:
        _GUARDED.clear()
    _GUARDED[key] = found
    return found


def _own_home() -> str:
    try:
        import pwd

        return pwd.getpwuid(os.getuid()).pw_dir
    except (ImportError, KeyError):
        return ""


def covers(place: str, guarded: List[str]) -> bool:
    """Whether ``place`` (a path) is one of ``guarded`` or under one."""
    at = os.path.abspath(place)
    return any(at == g or at.startswith(g.rstrip("/") + "/") for g in guarded)


def hook_write(path: str, guarded: List[str]) -> str:
    """The pyenv place of ``guarded`` a write at ``path`` lands in or under ('' none)."""
    at = os.path.abspath(path)
    for place in guarded:
        if at == place or at.startswith(place.rstrip("/") + "/"):
            return place
    return ""


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
