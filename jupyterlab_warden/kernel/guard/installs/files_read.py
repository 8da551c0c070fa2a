"""The files one install's reading read, each once, where the reading opens them
(``requirements.read_regular_file``: the requirements and constraints files and the files they
include, the config files, the environment and env files, the project files...).

``own_redirect`` compares an install's own output redirections with them (red team 55b R55b-1:
``-r r.txt`` holding ``-r inner.txt``, ``2>inner.txt`` empties inner.txt before uv starts,
although no word of the install names it; R55b-2: a hard link of r.txt has another name and
another real path, so a file is kept by its identity, (st_dev, st_ino), as well).

A reading collects in a context variable of its own (``collect``); a file read while none
collects (a line's parse, a start that is no install) is not kept. Nested collections (``uv
run --env-file``'s inner installs) give theirs to the outer one too.
"""

import os
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Iterator, List, NamedTuple, Optional


class FileRead(NamedTuple):
    real: str  # its real path, from the reader's folder
    identity: tuple  # (st_dev, st_ino) of what was opened


_COLLECTED: ContextVar[Optional[List[FileRead]]] = ContextVar("warden_files_read", default=None)


@contextmanager
def collect() -> Iterator[List[FileRead]]:
    """The files read inside the block, in a list filled as they are read."""
    outer = _COLLECTED.get()
    mine: List[FileRead] = []
    token = _COLLECTED.set(mine)
    try:
        yield mine
    finally:
        _COLLECTED.reset(token)
        if outer is not None:
            outer.extend(mine)


def note(path: str, info: os.stat_result) -> None:
    """Keep ``path``, opened as ``info`` (its ``fstat``), when a reading collects."""
    collected = _COLLECTED.get()
    if collected is not None:
        collected.append(FileRead(os.path.realpath(path), (info.st_dev, info.st_ino)))
