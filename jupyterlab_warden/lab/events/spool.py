"""Ingest the kernel event spool (the reader half of ``jupyterlab_warden/kernel/event_spool.py``).

Kernels append JSON lines to ``*.jsonl`` files in the spool directory. Each tick, for every
file: take its lock (skip it this tick if a writer holds it), read from the offset stored
with the events, and store the complete lines and the new offset in one transaction. A crash
between that commit and anything after it re-reads lines on restart, which the store answers
"duplicate" (idempotent on event_id): nothing is lost and nothing is stored twice.

Kernels have one writer (``event_spool.append_line``): ``kernel-<pid>.jsonl`` files, each line
written whole by one ``write`` under the file's lock, and the writer re-checks after locking that
the path still names the file it opened. So a file is removed as soon as it has been read to its
end, still under the lock: no line can land in it afterwards. Files not named like that are not
a writer's and are left alone.

A last line without its newline cannot be a write in progress (writes are whole, under the
lock); it is the remains of a crash or of a foreign write. It is left for the next tick and
counted as garbage once the file has not changed for ``partial_grace`` seconds.

Lines that are not JSON objects or fail the event schema are counted as drops by reason;
nothing in a spool file can stop ingestion.
"""

import json
import os
import re
import stat
import time
from typing import Dict, Optional

from ...kernel.event_spool import MAX_LINE_BYTES, SPOOL_SUFFIX, fcntl
from .store import EventStore


class SpoolIngester:
    """Moves events from the spool directory into the store; call ``ingest_once`` often."""

    def __init__(
        self,
        directory: str,
        store: EventStore,
        *,
        user: str,
        lab_id: str,
        partial_grace: float = 30.0,
        max_read_bytes: int = 1024 * 1024,  # per file per tick: bounds time on the IO loop
        log=None,
        shape=None,
    ) -> None:
        self.directory = directory
        self.store = store
        self.user = user
        self.lab_id = lab_id
        self.partial_grace = partial_grace
        self.max_read_bytes = max_read_bytes
        self.log = log
        # (events) -> the events to store, as the policy wants them (posture rules switched
        # off are left out); the identity when None.
        self.shape = shape or (lambda events: events)

    @staticmethod
    def prepare(directory: str) -> str:
        """Create the spool directory, private to this user (0700)."""
        os.makedirs(directory, mode=0o700, exist_ok=True)
        os.chmod(directory, 0o700)
        return directory

    def ingest_once(self) -> Dict[str, int]:
        """One pass over the spool; returns counts of accepted/duplicate/rejected/garbage."""
        totals = {"accepted": 0, "duplicate": 0, "rejected": 0, "garbage": 0}
        try:
            names = sorted(n for n in os.listdir(self.directory) if _WRITER_NAME.match(n))
        except FileNotFoundError:
            self.prepare(self.directory)
            return totals
        for name in names:
            try:
                counts = self._ingest_file(name)
            except OSError as err:  # one unreadable file must not stop the others
                if self.log:
                    self.log.warning("Warden spool: cannot read %s: %s", name, err.strerror)
                continue
            for key, value in counts.items():
                totals[key] += value
        self.store.forget_spool_files(names)
        return totals

    def _ingest_file(self, name: str) -> Dict[str, int]:
        counts = {"accepted": 0, "duplicate": 0, "rejected": 0, "garbage": 0}
        path = os.path.join(self.directory, name)
        try:
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except FileNotFoundError:
            return counts
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                return counts
            if fcntl is not None:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    return counts  # a writer is mid-line; next tick
                if not _still_linked(fd, path):
                    return counts
            info = os.fstat(fd)
            key = (name, info.st_dev, info.st_ino)
            offset = self.store.spool_offset(*key)
            os.lseek(fd, offset, os.SEEK_SET)
            data = _read(fd, self.max_read_bytes)
            more = offset + len(data) < info.st_size
            cut = data.rfind(b"\n") + 1
            events, garbage = _parse_lines(data[:cut])
            events = self.shape(events)
            consumed = cut
            tail = data[cut:]
            idle = time.time() - info.st_mtime
            if tail and len(tail) > MAX_LINE_BYTES:
                garbage["spool_line_too_large"] = garbage.get("spool_line_too_large", 0) + 1
                consumed = len(data)
            elif tail and not more and idle >= self.partial_grace:
                garbage["spool_partial_line"] = garbage.get("spool_partial_line", 0) + 1
                consumed = len(data)
            finished = not more and consumed == len(data)
            new_offset: Optional[int] = None if finished else offset + consumed
            if events or any(garbage.values()) or new_offset != offset:
                results = self.store.add_spooled(
                    events,
                    user=self.user,
                    lab_id=self.lab_id,
                    garbage=garbage,
                    file_key=key,
                    new_offset=new_offset,
                )
                for result in results:
                    counts[result["status"]] += 1
                counts["garbage"] += sum(garbage.values())
            if finished:
                os.unlink(path)  # still under the lock: no writer can be appending
        finally:
            os.close(fd)
        return counts


# The one writer's file names (event_spool.spool_file).
_WRITER_NAME = re.compile(r"^kernel-\d+" + re.escape(SPOOL_SUFFIX) + "$")


def _parse_lines(data: bytes):
    events, garbage = [], {}
    for raw in data.split(b"\n"):
        if not raw.strip():
            continue
        if len(raw) > MAX_LINE_BYTES:
            garbage["spool_line_too_large"] = garbage.get("spool_line_too_large", 0) + 1
            continue
        try:
            value = json.loads(raw)
        except (ValueError, RecursionError):  # includes UnicodeDecodeError; deep nesting
            value = None
        if not isinstance(value, dict):
            garbage["spool_unparsable"] = garbage.get("spool_unparsable", 0) + 1
            continue
        events.append(value)
    return events, garbage


def _read(fd: int, limit: int) -> bytes:
    chunks, total = [], 0
    while total < limit:
        chunk = os.read(fd, min(1024 * 1024, limit - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks)


def _still_linked(fd: int, path: str) -> bool:
    try:
        here = os.stat(path, follow_symlinks=False)
    except FileNotFoundError:
        return False
    mine = os.fstat(fd)
    return (here.st_dev, here.st_ino) == (mine.st_dev, mine.st_ino)
