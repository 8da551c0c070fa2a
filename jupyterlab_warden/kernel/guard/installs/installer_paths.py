"""The files pip or uv opens for a local path they are given (red team 42a).

Warden reads a local index, find-links location, project folder or wheel before the installer
opens it, so it must read what the INSTALLER opens, and installers do not resolve a path the
way the file system does. pip (23.2) tests a path through the file system (``os.path.exists``,
``isdir``: a link's ``..`` is the link target's parent) but opens ``path_to_url(path)``, whose
``normpath(abspath(...))`` folds ``..`` by its text: ``./lnk/../simple`` with ``lnk`` a link to
``./a/b`` is ``./simple`` to pip and ``./a/simple`` to the file system. uv folds paths by their
text too. pip's find-links folder, though, is listed at its ``realpath``
(``_FlatDirectorySource``). Which one is opened thus depends on the file system at the
installer's own time: ``opened`` gives both, and every caller reads each that exists.

The name stays as given: pip and uv take ``./x-1.0-py3-none-any.whl`` for a wheel by that name
even when it is a link to ``./blob``, so the text-folded path (the given name) comes first.
"""

import os
from typing import List, Optional


def opened(path: str) -> List[str]:
    """The paths an installer may open for ``path`` (absolute: joined to the base folder the
    installer uses): its text-folded form (pip's ``path_to_url``, uv's ``normalize_path``),
    then the file system's resolution when that is another file."""
    folded = os.path.normpath(path)
    real = os.path.realpath(path)
    return [folded] if real == os.path.realpath(folded) else [folded, real]


def joined(text: str, bases: List[Optional[str]]) -> List[str]:
    """``opened`` for a relative (or absolute) ``text`` taken from each of ``bases`` (the
    working folder, a requirements file's folder: both when the installer's choice between
    them depends on what exists), in order, without repeats."""
    found: List[str] = []
    for base in bases:
        if base:
            for path in opened(os.path.join(base, text)):
                if path not in found:
                    found.append(path)
    return found
