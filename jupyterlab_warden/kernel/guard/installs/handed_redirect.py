"""The files a process start hands its child open for writing, weighed as the start's own
output redirections (red team 56b R56b-6, R56b-7).

A shell line's own redirections are weighed against what the command reads (``own_redirect``
for an install: ``uv pip install -r r.txt P 2>r.txt``; the local-imports rule for a guardless
Python: ``python -E s.py > mod.py``). A start made from Python reaches the same files with no
shell line: ``os.posix_spawn``'s ``POSIX_SPAWN_OPEN`` file action opens (and with O_TRUNC
empties) a path in the child after Warden decided, and a descriptor it hands on (Popen's
``stdout=f``, ``stderr``, ``pass_fds``, an inheritable one, a ``POSIX_SPAWN_DUP2`` source) is
one the child writes through. ``handed_fds`` lists them and ``gate._handed_files`` names them
(until now only against ``start_writes``' start-up files); here they are the start's own
redirections, for every command the start runs (a shell's commands inherit them):

* an install's (``weigh``): ``own_redirect.literal_problem`` (a file its words or config
  lists name, a name the installer finds by itself, a path resolved in the child's own process,
  a folder), and the targets kept in ``Invocation.redirected`` for ``own_redirect.
  read_problem`` after the reading (a file the reading read, by real path or identity);
* a guardless Python's (``output_writer``): its code's own output, which the local-imports
  rule weighs as ``> mod.py``'s, when a handed file may be something a Python imports (its
  name, as given or as its real path, is not ``commands._inert_name``, or it has other names:
  a hard link). A handed ``install.log`` or ``train.log`` is no module.

A target is a ``Handed``: the name given (a file action's path, made absolute from the folder
the child starts in: posix_spawn has no chdir action; a descriptor's ``/proc/self/fd`` name),
its real path, and its (st_dev, st_ino) (a descriptor's from its ``fstat``; a file action's
from the file when it exists). Unnamed descriptors (pipes, sockets, ``/dev/null``, terminals)
are no file and never reach here (``handed_fds.written`` names regular files only). Only a
start that hands such a file pays anything: the common start (stdio pipes or inherited
non-files) sets nothing.
"""

import os
from contextvars import ContextVar
from typing import NamedTuple, Optional, Tuple


class Handed(NamedTuple):
    name: str  # as the child opens it (absolute), or the descriptor's /proc/self/fd name
    real: str  # its real path
    identity: tuple  # (st_dev, st_ino), () when no file is there yet
    descriptor: bool  # an open descriptor (its name is what it is open on, resolved)
    linked: bool  # the file has other names (st_nlink > 1)


# The targets of the start being decided (``gate``), () outside one.
TARGETS: ContextVar[Tuple[Handed, ...]] = ContextVar("warden_handed_targets", default=())


def opened(path, folder: str) -> Handed:
    """A ``POSIX_SPAWN_OPEN`` file action's path (str or bytes), from ``folder``."""
    name = os.path.join(folder, os.fsdecode(path))
    real = os.path.realpath(name)
    try:
        info = os.stat(real)
        return Handed(name, real, (info.st_dev, info.st_ino), False, info.st_nlink > 1)
    except (OSError, ValueError):
        return Handed(name, real, (), False, False)


def descriptor(path: str, identity: tuple, key) -> Handed:
    """A handed descriptor open for writing on ``path`` (``handed_fds.written``: ``key`` None
    for a file with other names)."""
    return Handed(path, os.path.realpath(path), identity, True, key is None)


def weigh(inv, env, folder: Optional[str]):
    """``inv`` (a ``commands.Invocation``) with the start's handed targets as its own
    redirections: its ``problem`` when one may change what Warden decided
    (``own_redirect.literal_problem``), else the targets added to ``redirected`` for the
    reading's files (``own_redirect.read_problem``). ``env``: the environment it starts with;
    ``folder``: where it runs."""
    targets = TARGETS.get()
    if not targets or inv.problem:
        return inv
    from . import own_redirect

    problem = own_redirect.literal_problem(inv, targets, {**env, **inv.env}, folder)
    if problem:
        return inv._replace(problem=problem)
    placed = tuple((t.real, t.identity) for t in targets)
    return inv._replace(redirected=tuple(inv.redirected) + placed)


def output_writer() -> str:
    """What a guardless Python's local-imports rule counts as its own output writing (''
    when no handed file may be a module): the first such target, named."""
    from .commands import _inert_name

    for target in TARGETS.get():
        names = {os.path.basename(target.name), os.path.basename(target.real)}
        if target.linked or not all(map(_inert_name, names)):
            return f"a file the start hands it open for writing ({target.name})"
    return ""
