"""Open the event store, and when its file is corrupt: move it aside, start a fresh one and
carry over what can still be read from the old file.

A corrupt queue must not switch Warden off (issue 13): the lab keeps running with a fresh
store and says so (a server event, /warden/status, the status bar). Events in unreadable
pages of the old file are lost; the moved-aside copy stays for the admin to inspect.
"""

import json
import os
import sqlite3
import time
from dataclasses import dataclass
from typing import Optional, Tuple

from .store import CHANNELS, LOCAL, PENDING, CorruptStore, EventStore

# After an unreadable stretch of rows, skip ahead this many times at most (each skip doubles).
_MAX_SKIPS = 40
_BATCH = 500


@dataclass
class Recovery:
    """What happened to a corrupt store file."""

    problem: str  # why the file was refused (SQLite's words; no event contents)
    moved_to: str
    recovered: int  # undelivered events carried over into the fresh store
    unreadable: bool  # parts of the old file could not be read

    def message(self) -> str:
        lost = "; some of it was unreadable" if self.unreadable else ""
        return (
            f"the event store was corrupt ({self.problem}): moved to "
            f"{os.path.basename(self.moved_to)}, a fresh one started, {self.recovered} "
            f"undelivered events recovered{lost}"
        )


def open_event_store(path: str, **options) -> Tuple[EventStore, Optional[Recovery]]:
    """The store at ``path``; a corrupt file is replaced as described above."""
    try:
        return EventStore(path, **options), None
    except CorruptStore as err:
        problem = " ".join(str(err).split())[:200]
    moved_to = _move_aside(path, time.time())
    store = EventStore(path, **options)
    recovered, unreadable = _carry_over(moved_to, store)
    return store, Recovery(problem, moved_to, recovered, unreadable)


def _move_aside(path: str, now: float) -> str:
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(now))
    target = f"{path}.corrupt-{stamp}"
    n = 1
    while os.path.exists(target):
        n += 1
        target = f"{path}.corrupt-{stamp}-{n}"
    os.replace(path, target)
    for suffix in ("-wal", "-shm"):  # the WAL may hold the last commits: keep it with it
        if os.path.exists(path + suffix):
            os.replace(path + suffix, target + suffix)
    return target


def _carry_over(old_path: str, store: EventStore) -> Tuple[int, bool]:
    """Re-add the undelivered events and the drop counters readable in ``old_path``."""
    try:
        old = sqlite3.connect(old_path, timeout=5)
        old.row_factory = sqlite3.Row
    except sqlite3.DatabaseError:
        return 0, True
    recovered, unreadable = 0, False
    try:
        rows, unreadable = _readable_rows(old)
        # One transaction per batch of the same identity: a full store carries over in
        # seconds, not one fsync per event.
        batch, identity = [], None
        for row in rows:
            channel = row.get("channel") or "frontend"
            if row.get("state") not in (PENDING, LOCAL) or channel not in CHANNELS:
                continue
            try:
                event = json.loads(row["body"])
            except (TypeError, ValueError):
                unreadable = True
                continue
            key = (str(row.get("user") or "unknown"), str(row.get("lab_id") or ""), channel)
            if batch and (key != identity or len(batch) >= _BATCH):
                recovered += _add(store, batch, identity)
                batch = []
            identity = key
            batch.append(event)
        if batch:
            recovered += _add(store, batch, identity)
        try:
            for name, value in old.execute(
                "SELECT name, value FROM counters WHERE name LIKE 'drop:%'"
            ).fetchall():
                if isinstance(value, int) and value > 0:
                    store.count_drop(name[len("drop:") :], value)
        except sqlite3.DatabaseError:
            unreadable = True
    finally:
        old.close()
    return recovered, unreadable


def _add(store: EventStore, events: list, identity: tuple) -> int:
    user, lab_id, channel = identity
    results = store.add(events, user=user, lab_id=lab_id, source=channel)
    return sum(r["status"] == "accepted" for r in results)


def _readable_rows(db: sqlite3.Connection):
    """Every event row SQLite can still read, in order; skips past unreadable stretches."""
    rows, unreadable, after, skips, step = [], False, -1, 0, 1
    while skips <= _MAX_SKIPS:
        try:
            cursor = db.execute("SELECT * FROM events WHERE seq > ? ORDER BY seq", (after,))
            for row in cursor:
                rows.append(dict(row))
                after = row["seq"]
            return rows, unreadable
        except sqlite3.DatabaseError:
            unreadable = True
            skips += 1
            after += step
            step *= 2
    return rows, True
