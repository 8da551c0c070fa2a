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
  rule weighs as a shell line's ``> FILE``, whatever the file's name: every handed file it
  writes to counts, as every output redirection of a shell line does but ``> /dev/null``
  (red team 56e R56e-2: a name says nothing of what else names the file; ``mod.py``, a
  symbolic link to the handed ``m.txt``, is the file the code writes and then imports). A
  guardless Python handed ``train.log`` whose code imports no local module stays allowed, as
  ``python -E train.py > train.log`` is.

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


# The targets of the start being decided (``gate``), () outside one.
TARGETS: ContextVar[Tuple[Handed, ...]] = ContextVar("warden_handed_targets", default=())


def opened(path, folder: str) -> Handed:
    """A ``POSIX_SPAWN_OPEN`` file action's path (str or bytes), from ``folder``."""
    name = os.path.join(folder, os.fsdecode(path))
    real = os.path.realpath(name)
    try:
        info = os.stat(real)
        return Handed(name, real, (info.st_dev, info.st_ino), False)
    except (OSError, ValueError):
        return Handed(name, real, (), False)


def descriptor(path: str, identity: tuple) -> Handed:
    """A handed descriptor open for writing on ``path`` (``handed_fds.written``)."""
    return Handed(path, os.path.realpath(path), identity, True)


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
    when the start hands it no file): the first handed target, named. One rule with the shell
    line's (``commands``: every output redirection to a file counts, whatever its name), not a
    guess from names: a module the code imports may be the handed file under another name (a
    symbolic or hard link, R56e-2), and the rule weighs only a Python whose code imports a
    local module, so a handed log costs nothing to one that imports none. A descriptor here is
    a regular file (``handed_fds.written``: pipes, sockets, terminals, ``/dev/null`` are not);
    a file action's path is the child's to open, so only ``/dev/null`` as written, the shell
    rule's one exception, is no output (a path that is a device now may be a link changed
    before the child opens it)."""
    for target in TARGETS.get():
        if target.descriptor or os.path.normpath(target.name) != os.devnull:
            return f"a file the start hands it open for writing ({target.name})"
    return ""
