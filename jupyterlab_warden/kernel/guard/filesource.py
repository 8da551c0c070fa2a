"""Find the file behind a load call's argument, scan it and hash it, without moving the caller.

``describe(target)`` accepts what ``torch.load`` & co. accept: a path (str, bytes, PathLike) or
an open binary file. Open files are scanned from their current position, which is restored.
Hashes (and, in ``GuardState``, scan reports) are cached by path, size, mtime, ctime and inode,
so re-loading a big model costs one ``stat``.
"""

from __future__ import annotations

import io
import os

from ..scan.records import Record, field

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only: typing is not imported at interpreter start
    from typing import Dict, Optional, Tuple

_HASH_CHUNK = 1 << 20
_MAX_CACHE = 1024


class FileSource(Record):
    """path: real file on disk, scanned by path (or None); data: bytes or a memoryview of an
    mmap when there is no usable path; size; stat_key: (path, size, mtime, ctime, inode), the
    key of the hash/scan caches (or None). A record (scan/records.py), not a namedtuple:
    collections is not imported at interpreter start."""

    __slots__ = ()
    _fields = ("path", "data", "size", "stat_key")

    def __new__(cls, path, data, size, stat_key):
        return tuple.__new__(cls, (path, data, size, stat_key))

    path = field(0)
    data = field(1)
    size = field(2)
    stat_key = field(3)


def describe(target) -> Optional[FileSource]:
    """What to scan for this load target, or None when there is no file to look at."""
    if isinstance(target, (str, bytes, os.PathLike)):
        try:
            path = os.fsdecode(os.fspath(target))
            st = os.stat(path)
        except (OSError, TypeError, ValueError):
            return None
        if not os.path.isfile(path):
            return None
        return FileSource(path, None, st.st_size, _stat_key(path, st))
    if isinstance(target, io.BytesIO):
        pos = target.tell()
        data = target.getvalue()[pos:]
        return FileSource(None, data, len(data), None)
    return _open_file(target)


def unchanged(source: FileSource) -> bool:
    """Is the file behind ``source`` still the version described (same stat key)?"""
    if source.stat_key is None:
        return True  # bytes or a mapping of the open file: what the unpickler reads
    try:
        return _stat_key(source.path, os.stat(source.path)) == source.stat_key
    except OSError:
        return False


def _stat_key(path: str, st) -> Tuple:
    """Identity of one version of a file. ctime cannot be set back by a user, so a rewrite
    that restores size and mtime still changes the key."""
    return (os.path.realpath(path), st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


def _open_file(fh) -> Optional[FileSource]:
    try:
        if not fh.seekable():
            return None
        if not isinstance(fh, (io.BufferedReader, io.BufferedRandom, io.FileIO)) or not _has_fd(fh):
            # (a tarfile member is a BufferedReader without a file descriptor)
            # a decompressing or archive stream (gzip, zip member, joblib's zlib file): its
            # fileno() is the compressed file, so read what the unpickler will read instead
            pos = fh.tell()
            data = fh.read()
            fh.seek(pos)
            if not isinstance(data, (bytes, bytearray)):
                return None
            return FileSource(None, bytes(data), len(data), None)
        pos = fh.tell()
        st = os.fstat(fh.fileno())
        name = getattr(fh, "name", None)
        if pos == 0 and isinstance(name, str) and os.path.isfile(name):
            same = os.stat(name)
            if (same.st_ino, same.st_dev) == (st.st_ino, st.st_dev):
                return FileSource(name, None, st.st_size, _stat_key(name, st))
        if st.st_size == 0 or pos >= st.st_size:
            return None
        # Map the file and look at it from the caller's position: no copy, position untouched.
        import mmap  # on first use: not at interpreter start

        with mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
            data = bytes(mapped[pos:]) if st.st_size - pos < (1 << 20) else None
        if data is None:
            mapped = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
            data = memoryview(mapped)[pos:]
        return FileSource(None, data, len(data), None)
    except (AttributeError, OSError, ValueError, io.UnsupportedOperation):
        return None


def _has_fd(fh) -> bool:
    try:
        return isinstance(fh.fileno(), int)
    except (AttributeError, OSError, ValueError, io.UnsupportedOperation):
        return False


class HashCache:
    def __init__(self):
        self._by_stat: Dict[Tuple, str] = {}

    def sha256(self, source: FileSource) -> Optional[str]:
        if source.data is not None:
            import hashlib  # on the first hashed load: OpenSSL is not loaded at start (sha.py)

            return hashlib.sha256(source.data).hexdigest()
        if source.stat_key in self._by_stat:
            return self._by_stat[source.stat_key]
        import hashlib

        digest = hashlib.sha256()
        try:
            with open(source.path, "rb") as fh:
                for chunk in iter(lambda: fh.read(_HASH_CHUNK), b""):
                    digest.update(chunk)
        except OSError:
            return None
        value = digest.hexdigest()
        if len(self._by_stat) >= _MAX_CACHE:
            self._by_stat.clear()
        self._by_stat[source.stat_key] = value
        return value
