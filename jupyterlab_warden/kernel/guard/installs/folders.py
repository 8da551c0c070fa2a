"""Where a started program finds itself, and the folders it searches up from there.

uv finds its config (``uv.toml``, ``pyproject.toml`` ``[tool.uv]``) and its project by
walking up from the folder it runs in as ``getcwd()`` returns it: the PHYSICAL folder, links
resolved. A path as written walks up the wrong side of a link (red team 11 R11-2:
``Popen(uv ..., cwd="link")``, link to far/sub, far/uv.toml naming a refused index, was read
from link's parents). Two searches start from a path as written instead, so both chains are
read there (``chains``): pyenv walks up the shell's logical ``$PWD``, and uv looks for the
workspace above a project folder it is GIVEN (``uv pip install ./proj``) after normalizing
the path as text. Every upward search Warden makes goes through this module.
"""

import os
from typing import List


def child_folder(cwd: str, moved: str = "") -> str:
    """The folder ``getcwd()`` returns in a program started in ``cwd`` (Popen's ``cwd``,
    relative: from this process's folder) after the line's ``cd`` moved it to ``moved``
    (relative: from ``cwd``; the shell's logical ``cd``, already taken as it does by
    ``commands._cd_folder``). ``chdir`` resolves links and ``..`` physically, so no part is
    normalized as text (``link/..`` is the link target's parent)."""
    return os.path.realpath(os.path.join(cwd, moved) if moved else cwd)


def in_full(folder: str) -> str:
    """``folder`` (relative: from this process's folder; '': that folder) named from the root
    with no part normalized as text, so the system finds the folder the reading's own opens
    of ``folder/NAME`` find (red team 48a R48a-2: ``os.path.abspath("lnk/../x")`` is the x
    beside lnk, the system's is the x beside lnk's target). A start handed this name runs
    where its files were read."""
    return os.path.join(os.getcwd(), folder) if folder else os.getcwd()


def upward(folder: str) -> List[str]:
    """``folder`` as a program running there finds it (``child_folder``) and each parent up
    to the root, nearest first."""
    return _chain(child_folder(folder))


def chains(folder: str) -> List[List[str]]:
    """``upward(folder)`` and, when it differs, the same walk from the path as written,
    absolute and ``..``-normalized as text (a link's side, not its target's): for a search
    that may start from either, each chain is read to its own nearest hit."""
    found = [upward(folder), _chain(os.path.normpath(os.path.abspath(folder)))]
    return found[:1] if found[0] == found[1] else found


def _chain(here: str) -> List[str]:
    found = [here]
    while os.path.dirname(here) != here:
        here = os.path.dirname(here)
        found.append(here)
    return found
