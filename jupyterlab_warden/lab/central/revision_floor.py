"""The revision floor file of a signed document central serves (the policy, the fleet
decisions): the highest revision the lab accepted and a digest of its content.

It lives apart from the offline copy so that replacing or deleting the copy cannot roll the
lab back to an older signed document, or to another one with the same revision, across a
restart. Reading and writing only; what a floor refuses is the caller's rule.
"""

import json
import os
from typing import Optional, Tuple


def read_floor(path: str) -> Optional[Tuple[int, Optional[str]]]:
    """``(revision, content digest or None)``; None when there is no floor file. Raises
    OSError or ValueError when the file is there but unreadable."""
    try:
        with open(path, encoding="utf-8") as fh:
            saved = json.load(fh)
    except FileNotFoundError:
        return None
    if not isinstance(saved, dict) or "revision" not in saved:
        raise ValueError("not a floor file")
    revision, content = saved["revision"], saved.get("content")
    if not isinstance(revision, int) or isinstance(revision, bool):
        raise ValueError("revision is not an integer")
    return revision, content if isinstance(content, str) else None


def write_floor(path: str, revision: int, content: Optional[str]) -> None:
    """Replace the floor file in one step (owner-only, synced); raises OSError."""
    tmp = path + ".tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump({"revision": revision, "content": content}, fh)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
