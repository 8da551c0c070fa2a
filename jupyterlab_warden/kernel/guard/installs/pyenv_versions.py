"""The program a pyenv shim runs: the one of the version pyenv picks (red team 34 R34-2).

A shim (``python3``, ``pip``) execs ``pyenv exec PROG``, and pyenv (2.x ``libexec``, read
2026-12-04) then runs ``pyenv which PROG``: for each version name of PYENV_VERSION, else of the
first ``.python-version`` up from the folder, else of ``$ROOT/version`` (``guardless.
pyenv_names``), ``$ROOT/versions/NAME/bin/PROG`` (a name that is no folder there resolved as a
prefix by ``pyenv latest``: ``3.11`` the newest ``3.11.*``; a ``python-`` prefix dropped), the
first that is an executable file, and after them ``system``: PROG on PATH without the shims.
Warden read only the version's NAME (red team 34: a cell made ``versions/3.11.99/bin/python3``,
a shell script, and the ``.python-version`` picking it; the shim ran the script). So the file
is found here as pyenv finds it (``programs``), and ``commands`` reads it as the start it is;
``changed`` and ``not_python`` say why one may not run at all.

Only the commands' reading of a start imports this module (not a guard's boot).
"""

import os
import re
from typing import Dict, List, NamedTuple, Optional, Tuple

from . import guardless, kernel_age, link_walk

# the first bytes of a program file that is a binary (ELF; Mach-O thin and fat), not a script
_BINARY_MAGIC = (b"\x7fELF", b"\xcf\xfa\xed\xfe", b"\xce\xfa\xed\xfe", b"\xca\xfe\xba\xbe")


class Pick(NamedTuple):
    """A pyenv shim's start: its root, the program it asks pyenv for (the shim's name as
    started: ``program="${0##*/}"``) and the version names picked now."""

    root: str
    program: str
    names: List[str]


def shim_pick(path: str, env: Dict[str, str]) -> Optional[Pick]:
    """The pick of the shim at ``path`` (None: no pyenv shim)."""
    chosen = guardless.pyenv_names(os.path.realpath(path), env)
    if chosen is None:
        return None
    return Pick(chosen[0], os.path.basename(path), chosen[1])


def pick_files(root: str, env: Dict[str, str]) -> List[str]:
    """The files whose text picks the version (with no PYENV_VERSION): the ``.python-version``
    of every folder of pyenv's walks up, and ``$ROOT/version``."""
    walked = [os.path.join(f, ".python-version") for c in guardless.local_walks(env) for f in c]
    return list(dict.fromkeys(walked + [os.path.join(root, "version")]))


def installed(root: str) -> List[str]:
    """The names of the versions installed under ``root`` (its ``versions`` entries)."""
    try:
        return sorted(n for n in os.listdir(os.path.join(root, "versions")) if n[:1] != ".")
    except OSError:
        return []


def programs(
    pick: Pick, shim: str, env: Dict[str, str], any_version: bool
) -> List[Tuple[str, str]]:
    """(version, program file) for each file ``pyenv which`` may exec for ``pick``: each picked
    name's (every installed version and ``system`` when ``any_version``: a writer earlier on
    the line may change the pick), ``system``'s when a name is ``system`` or no version has the
    program (pyenv then falls back to it). ``shim``: the shim's path as started (pyenv drops
    its folder from the system search too)."""
    names = list(pick.names) + (installed(pick.root) + ["system"] if any_version else [])
    found: List[Tuple[str, str]] = []
    for name in dict.fromkeys(names):
        if name == "system":
            continue
        for folder in _version_folders(pick.root, name):
            path = os.path.join(folder, "bin", pick.program)
            if os.path.isfile(path) and os.access(path, os.X_OK):
                found.append((os.path.basename(folder), path))
    if not found or "system" in names:
        system = _system_program(pick, shim, env)
        if system:
            found.append(("system", system))
    return list(dict.fromkeys(found))


def _version_folders(root: str, name: str) -> List[str]:
    """The folders ``name`` may pick: ``versions/NAME`` (or without ``python-``) when it is a
    folder, else every installed version it is a prefix of (``pyenv latest`` picks the newest;
    all are read)."""
    versions = os.path.join(root, "versions")
    bare = name[len("python-") :] if name.startswith("python-") else name
    for each in (name, bare):
        if os.path.isdir(os.path.join(versions, each)):
            return [os.path.join(versions, each)]
    found = []
    for each in dict.fromkeys((name, bare, re.sub(r"(?<=\d)t$", "", bare))):
        prefix = re.compile(re.escape(each) + "[-.]")
        found += [os.path.join(versions, n) for n in installed(root) if prefix.match(n)]
    return list(dict.fromkeys(found))


def _system_program(pick: Pick, shim: str, env: Dict[str, str]) -> str:
    """The program ``system`` runs: the first on PATH without the root's shims folder and the
    shim's own (their text, as pyenv removes them); '' none (pyenv runs nothing)."""
    from . import commands

    search = env.get("PATH", os.environ.get("PATH", os.defpath))
    dropped = {os.path.join(pick.root, "shims"), os.path.dirname(shim)}
    kept = os.pathsep.join(f for f in search.split(os.pathsep) if f not in dropped)
    return commands._which(pick.program, kept, False)


def changed(path: str) -> str:
    """What of the program file at ``path`` changed since the kernel started ('' nothing): a
    link on its way (a version folder made a link, a ``bin/python3`` re-pointed), or the file
    it ends at. The folders are not read: a pip install into a version adds their entries."""
    walk = link_walk.walk(path)
    for link in walk.links:
        try:
            if os.lstat(link).st_ctime >= kernel_age._STARTED - 1:
                return link
        except OSError:
            return link  # changed under the walk
    return walk.end if kernel_age._changed(walk.end, missing=True) else ""


def not_python(path: str) -> str:
    """Why the program file at ``path``, run by a Python-named shim, is no Python ('' it is one):
    a Python's program is a binary; a script (``#!/bin/sh``...) is something else named so."""
    try:
        with open(os.path.realpath(path), "rb") as fh:
            head = fh.read(64)
    except OSError:
        return "Warden cannot read it"
    if head[:4] in _BINARY_MAGIC:
        return ""
    if head.startswith(b"#!"):
        line = head[2:].split(b"\n", 1)[0].decode("utf-8", "replace").strip()
        return f"it is a script (#!{line}), not a Python's program"
    return "it is no Python's program (no binary)"
