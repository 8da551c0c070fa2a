"""A Python the kernel starts puts no program in a folder of its PATH (red team 34 R34-c).

A shell line is read before it runs, and the programs its commands name are looked up on PATH
then (``commands``). A guarded Python earlier on the line (``python w.py && pip install
requests``) is placed at its folder and its words (``commands.GuardedWriter``), but its code
may write anywhere: a script it put at ``<venv>/bin/pip``, or at a name the line gives that no
folder held yet, ran in place of what Warden had read: an install without a decision. So the
guard of every Python the kernel starts refuses, in a folder of the PATH it STARTED with
(absolute folders, by device and inode and by text: a link or a folder made again reaches it;
one missing when it started, by its inode once made: ``PathFolders._made_since``):

- creating or replacing an entry (``open`` for writing, ``os.rename``/``os.replace``,
  ``os.link``, ``os.symlink``), and making one executable (``os.chmod`` with an execute bit);
- renaming or linking the folder itself, or a folder holding it.

Not refused: the kernel itself (its writes are listed by the next line's reading:
``path_programs``), a pip install the gate allowed (its console scripts: ``allowed_install``),
and a conda or mamba the kernel started (``own_command``: their packages' programs; the gate
decided the install before the process existed). The line's reading refuses a start
after a guarded Python whose own PATH lacked one of the start's folders
(``commands._refuse_path_written``). A relative name opened for writing while the process
holds a PATH folder open as a descriptor is refused (``os.open(name, flags, dir_fd=fd)``: the
``open`` event carries no ``dir_fd``; ``start_writes.StartWrites._check_held``).

Only ``os`` at import (``frozen_os``' copy of it; loaded with the guard at every Python's
start; no ``typing``: its imports are no part of the guard's boot, ``start_names.GUARD_BOOT``).
"""

from __future__ import annotations

from ..frozen_builtins import FROZEN
from .frozen_os import FROZEN_OS as os  # the boot's os and os.path (red team 36 R36-3)

# the builtins of the boot for this module's functions (red team 38a R38a-1, R38a-5)
__builtins__ = FROZEN


class PathFolders:
    """The absolute folders of the PATH a Python started with (``search``)."""

    def __init__(self, search: str):
        self._search = search  # kept as it started; parsed at the first write (not at boot)
        self._texts: frozenset | None = None
        self._ids: dict | None = None
        self._missing: tuple = ()  # the folders missing at the first write (``_made_since``)
        self._inodes: tuple | None = None  # (folders' mtimes, their entries by inode)

    @property
    def texts(self) -> frozenset:
        if self._texts is None:
            words = self._search.split(os.pathsep)
            self._texts = frozenset(os.path.normpath(f) for f in words if f.startswith("/"))
        return self._texts

    def _identities(self) -> dict:
        """Each folder's device and inode, read at the first write (before it happens: the
        audit event comes first), so a folder renamed or linked later is still known."""
        if self._ids is None:
            found, missing = {}, []
            for folder in self.texts:
                try:
                    st = os.stat(folder)
                except (OSError, ValueError):
                    missing.append(folder)  # missing now: read at each write (``_made_since``)
                    continue
                found[(st.st_dev, st.st_ino)] = folder
            self._missing = tuple(missing)
            self._ids = found
        return self._ids

    def _made_since(self, folder_stat) -> str:
        """The PATH folder missing at the first write that is now the folder ``folder_stat``
        ('' none): one ``stat`` per such folder (``~/.local/bin`` on a fresh account), at each
        write, so a folder made then (``os.makedirs``, a `mkdir` child) is known by its inode,
        however the write names it (red team 36 R36-6: ``/proc/self/cwd/ls`` after a chdir),
        and so is one made again."""
        for folder in self._missing:
            try:
                st = os.stat(folder)
            except (OSError, ValueError):
                continue
            if (st.st_dev, st.st_ino) == (folder_stat.st_dev, folder_stat.st_ino):
                return folder
        return ""

    def holding(self, path: str, folder_stat) -> str:
        """The PATH folder that holds the entry ``path`` ('' none); ``folder_stat``: the
        ``stat`` of ``path``'s folder (None when it cannot be read)."""
        if not self.texts:
            return ""
        if folder_stat is not None:
            found = self._identities().get((folder_stat.st_dev, folder_stat.st_ino))
            if found:
                return found
            if self._missing:
                found = self._made_since(folder_stat)
                if found:
                    return found
        folder = os.path.dirname(os.path.abspath(path))
        return folder if folder in self.texts else ""

    def holding_inode(self, st) -> str:
        """The PATH folder holding another name of the file ``st`` (more than one name: a
        hard link made before, by the kernel's cell) ('' none): its entries by device and
        inode, read again when a folder changed (paid only by a write of such a file)."""
        stamp = []
        for folder in sorted(self.texts):
            try:
                stamp.append(os.stat(folder).st_mtime_ns)
            except (OSError, ValueError):
                stamp.append(0)
        if self._inodes is None or self._inodes[0] != stamp:
            found: dict = {}
            for folder in sorted(self.texts):
                try:
                    entries = list(os.scandir(folder))
                except (OSError, ValueError):
                    continue
                for entry in entries:
                    try:
                        own = entry.stat(follow_symlinks=False)
                    except (OSError, ValueError):
                        continue
                    found.setdefault((own.st_dev, own.st_ino), folder)
            self._inodes = (stamp, found)
        return self._inodes[1].get((st.st_dev, st.st_ino), "")

    def under(self, path: str) -> str:
        """The PATH folder that ``path`` (a folder renamed, linked or replaced) is or holds,
        by its text and its real path ('' none)."""
        for at in dict.fromkeys((os.path.abspath(path), os.path.realpath(path))):
            for folder in self.texts:
                if folder == at or folder.startswith(at.rstrip("/") + "/"):
                    return folder
        return ""
