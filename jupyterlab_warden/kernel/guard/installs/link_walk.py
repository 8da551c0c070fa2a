"""A path resolved as the kernel resolves it, with the links it passes through.

Text rules (``os.path.normpath``) fold ``a/..`` away before anything is looked at; the kernel
resolves ``a`` first, and when ``a`` is a link, ``..`` is the parent of where it leads (red
team 24 R24-2: ``pbin/gzip -> ../lnk/../lib/gz.pl`` with ``lnk -> far/x`` runs far/lib/gz.pl,
not lib/gz.pl). And every link a path passes through is a place of its own: writing a new
link there (``ln -sfn other lnk``) moves where the path leads without touching its end.
The walk also says where the kernel's own resolution gets stuck (``Walk.stuck``): a folder
named on the way that is not there, or not a folder, makes the kernel's open fail while this
walk goes on past it (``dangling.py``: a line that makes it makes the name resolve).
Only ``os`` at import (the guard loads this module in every Python it starts).
"""

import os
from typing import List, NamedTuple

_EINVAL = 22  # readlink of a name that is there and no link (errno.EINVAL on Linux)
_ENOTDIR = 20

# Links a resolution follows before it gives up, as the kernel's (ELOOP past it)
MAX_LINKS = 40


class Walk(NamedTuple):
    links: List[str]  # each link passed through, by its real folder and its own name
    end: str  # the real path the walk ends at; nothing need be there (a dangling link)
    # where the kernel's resolution stops ('' it does not): the first name on the way that is
    # missing, or no folder, while names are still to be resolved after it (``..`` too: the
    # kernel does not go back from a folder that is not there)
    stuck: str = ""
    # whether the names from where it stops (or, when it does not, the last name) on are the
    # path's own plain names, no link's nor a ``..``: the plain "no such file" a writer of that
    # very name makes (``dangling`` reads only the other kind as unsure)
    plain: bool = True


def walk(path: str) -> Walk:
    """``path`` (relative: from this process's folder) followed component by component and
    link by link. A component that is no link (a folder, a file, nothing yet) is taken as
    written, so a missing folder's ``..`` returns to where it was named, as ``realpath``
    does; past ``MAX_LINKS`` links the walk stops where it is (the kernel would run
    nothing)."""
    # getcwd only for a relative path: it raises where the process's folder was removed
    parts = (path if path.startswith(os.sep) else os.path.join(os.getcwd(), path)).split(os.sep)
    parts.reverse()
    at, links, stuck, plain, own_last = os.sep, [], "", True, True
    own_left = len(parts)  # the path's own parts still to resolve, under any link's text
    while parts:
        own = len(parts) <= own_left  # the part taken now is the path's own, not a link's
        part = parts.pop()
        own_left -= own
        if part in ("", "."):
            continue
        if part == "..":
            if not stuck and not os.path.isdir(at):
                # the kernel goes back only from a folder: ``f/..`` with f a file stops at f
                # (ENOTDIR), which a line may make a folder (red team 81 R81-7); a missing
                # name was already taken as where it stops
                stuck, plain = at, False
            at = os.path.dirname(at)
            continue
        step = os.path.join(at, part)
        try:
            target = os.readlink(step)
        except OSError as exc:
            if not stuck and exc.errno != _EINVAL and _names_ahead(parts):
                # missing, or under a name that is no folder: the kernel stops there
                stuck = at if exc.errno == _ENOTDIR else step
                plain = own and len(parts) <= own_left and ".." not in parts
            own_last = own
            at = step  # no link: a folder, a file, or nothing yet
            continue
        except ValueError:
            own_last = own
            at = step
            continue
        links.append(step)
        if len(links) > MAX_LINKS:
            return Walk(links, step, stuck or step, False)
        at = os.sep if target.startswith(os.sep) else at
        parts.extend(reversed(target.split(os.sep)))
    return Walk(links, at, stuck, plain if stuck else own_last)


def _names_ahead(parts: list) -> bool:
    """Whether ``parts`` (still to resolve, reversed) hold a name or ``..``: a name the kernel
    must pass through, not only the last one (``x/`` and ``x/.`` end at x)."""
    for part in parts:
        if part not in ("", "."):
            return True
    return False


def physical(path: str) -> str:
    """Where a writer that writes ``path`` puts its last name: the folder holding it as the
    kernel resolves it (links and ``..`` in order), and the last name itself unresolved (a
    writer replacing a link there, ``ln -sf``, ``mv``, writes the link, not its target). A
    path ending in ``.`` or ``..`` names a folder: resolved whole."""
    folder, name = os.path.split(path)
    if name in ("", ".", ".."):
        return walk(path).end
    return os.path.join(walk(folder or ".").end, name)
