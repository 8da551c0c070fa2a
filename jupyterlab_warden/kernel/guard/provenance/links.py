"""Hard links into a signature-required folder (red-team finding P4).

A path requirement (``required_for.paths``) matches a file's absolute and real paths; a hard
link is a second name of the same file that neither path reveals (tar archives make them, and
``protected_hardlinks`` lets a user link any file they own). A file with more than one link is
looked for under the required globs by identity (``st_dev``, ``st_ino``). Files with a single
link - nearly all - cost one ``stat``. The search is bounded: when a required folder is too big
to search, the link is treated as inside it (fail closed: a signature is required).
"""

from __future__ import annotations

import os

from .policy import glob_match

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only: typing is not imported at interpreter start
    from typing import List, Optional

_MAX_ENTRIES = 20000  # per load of a hard-linked file: a bounded walk of the required folders
_MAGIC = ("*", "?", "[")


def _fixed_root(pattern: str) -> str:
    """The folder a glob can only match under: its longest prefix without wildcards."""
    cut = min((pattern.find(m) for m in _MAGIC if m in pattern), default=len(pattern))
    return os.path.dirname(pattern[:cut]) or os.sep


def required_by_link(path: str, patterns: List[str]) -> Optional[str]:
    """'path <glob> (hard link)' when ``path`` is another name of a file under a required
    glob (or a required folder is too big to tell); None otherwise."""
    if not patterns:
        return None
    try:
        st = os.stat(path)
    except OSError:
        return None
    if st.st_nlink <= 1:
        return None
    identity = (st.st_dev, st.st_ino)
    seen = 0
    for pattern in patterns:
        for root, dirs, files in os.walk(_fixed_root(pattern)):
            seen += len(dirs)
            for name in files:
                seen += 1
                if seen > _MAX_ENTRIES:
                    return f"path {pattern} (a hard link; the folder is too big to search)"
                candidate = os.path.join(root, name)
                if not glob_match(candidate, pattern):
                    continue
                try:
                    other = os.stat(candidate)
                except OSError:
                    continue
                if (other.st_dev, other.st_ino) == identity:
                    return f"path {pattern} (hard link {os.path.basename(candidate)[:100]})"
    return None
