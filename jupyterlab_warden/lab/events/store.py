"""The lab's durable event queue: one SQLite file (WAL), survives restarts.

Every event that reaches the lab server lands here first: from the frontend (``POST
/warden/events``), from kernels (the spool) and from the server itself (e.g. a refused
central policy). The relay to central reads pending rows from here and marks them
delivered only when central has acknowledged them, so a crash at any point means a resend,
which central answers with "duplicate" (idempotent on ``event_id``): exactly once at central.

Repeats are collapsed: an event with the same fingerprint, user, rule and action as a row
that has not been offered to central yet is folded into that row (``count``,
``first_seen``, ``last_seen``). A row is frozen the moment the relay first offers it, so a
count never changes after central may have seen the event. Every event_id folded into a row
is remembered, so a retried post of it is still answered "duplicate".

The store is bounded by rows and bytes. Delivered history is evicted first; when only
undelivered events remain, new ones are refused and counted under ``queue_full``. Every
event that is refused or will never reach central is counted by reason in ``drops()``.
"""

import hashlib
import json
import sqlite3
import threading
import time
from datetime import datetime, timezone
from typing import Callable, Iterable, List, Optional

from .validation import EventValidator, parse_rfc3339

PENDING, DELIVERED, REJECTED, LOCAL = "pending", "delivered", "rejected", "local"

# Sources a client may claim in a posted event; "server" is reserved for the lab server.
CLIENT_SOURCES = ("frontend", "kernel", "cli")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id TEXT NOT NULL UNIQUE,
    collapse_key TEXT,
    received_at REAL NOT NULL,
    user TEXT NOT NULL,
    lab_id TEXT NOT NULL,
    body TEXT NOT NULL,
    bytes INTEGER NOT NULL,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    reason TEXT,
    channel TEXT NOT NULL DEFAULT 'frontend'
);
CREATE INDEX IF NOT EXISTS events_by_state ON events(state, seq);
-- Rows still open for folding repeats into: never offered to central (attempts = 0).
CREATE INDEX IF NOT EXISTS events_unsent_by_collapse_key
    ON events(collapse_key, seq) WHERE attempts = 0;
CREATE TABLE IF NOT EXISTS merged_ids (
    event_id TEXT PRIMARY KEY,
    seq INTEGER NOT NULL,
    channel TEXT NOT NULL DEFAULT 'frontend'
);
CREATE INDEX IF NOT EXISTS merged_ids_by_seq ON merged_ids(seq);
CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS spool_offsets (
    name TEXT NOT NULL, dev INTEGER NOT NULL, ino INTEGER NOT NULL, offset INTEGER NOT NULL,
    PRIMARY KEY (name, dev, ino)
);
"""

# Columns added after the first release: added to an older file when it is opened.
_ADDED_COLUMNS = (
    ("events", "channel", "TEXT NOT NULL DEFAULT 'frontend'"),
    ("merged_ids", "channel", "TEXT NOT NULL DEFAULT 'frontend'"),
)

# A folded repeat is a merged_ids row: its id plus SQLite's per-row and index overhead
# (measured: ~70 bytes a row on top of the id). It counts toward max_bytes like a body.
MERGED_ID_OVERHEAD = 80

# Totals kept by triggers so that several processes sharing the file see the same bounds:
# 'rows'/'bytes' for the whole store and 'rows:<channel>'/'bytes:<channel>' per channel.
# Recreated (and the totals recounted) each time a store is opened.
_TRIGGERS = """
DROP TRIGGER IF EXISTS events_ins;
DROP TRIGGER IF EXISTS events_del;
DROP TRIGGER IF EXISTS events_upd;
DROP TRIGGER IF EXISTS merged_ins;
DROP TRIGGER IF EXISTS merged_del;
CREATE TRIGGER events_ins AFTER INSERT ON events BEGIN
    UPDATE counters SET value = value + 1 WHERE name IN ('rows', 'rows:' || NEW.channel);
    UPDATE counters SET value = value + NEW.bytes
        WHERE name IN ('bytes', 'bytes:' || NEW.channel);
END;
CREATE TRIGGER events_del AFTER DELETE ON events BEGIN
    UPDATE counters SET value = value - 1 WHERE name IN ('rows', 'rows:' || OLD.channel);
    UPDATE counters SET value = value - OLD.bytes
        WHERE name IN ('bytes', 'bytes:' || OLD.channel);
    DELETE FROM merged_ids WHERE seq = OLD.seq;
END;
CREATE TRIGGER events_upd AFTER UPDATE OF bytes ON events BEGIN
    UPDATE counters SET value = value + NEW.bytes - OLD.bytes
        WHERE name IN ('bytes', 'bytes:' || NEW.channel);
END;
CREATE TRIGGER merged_ins AFTER INSERT ON merged_ids BEGIN
    UPDATE counters SET value = value + length(NEW.event_id) + {overhead}
        WHERE name IN ('bytes', 'bytes:' || NEW.channel);
END;
CREATE TRIGGER merged_del AFTER DELETE ON merged_ids BEGIN
    UPDATE counters SET value = value - length(OLD.event_id) - {overhead}
        WHERE name IN ('bytes', 'bytes:' || OLD.channel);
END;
""".replace("{overhead}", str(MERGED_ID_OVERHEAD))

CHANNELS = ("frontend", "kernel", "server")


class CorruptStore(sqlite3.DatabaseError):
    """The store's file fails SQLite's integrity check (or is not a database at all)."""


_RECENT = (
    "SELECT seq, body, user, lab_id, received_at, state, reason FROM events "
    "WHERE seq > ? AND seq < ? ORDER BY seq "
)
_RECENT_NEWEST_FIRST = _RECENT + "DESC LIMIT ?"
_RECENT_OLDEST_FIRST = _RECENT + "ASC LIMIT ?"


class EventStore:
    """Durable, bounded event queue. Thread-safe; every public call is one transaction."""

    def __init__(
        self,
        path: str,
        *,
        max_rows: int = 100_000,
        max_bytes: int = 64 * 1024 * 1024,
        collapse_window: float = 3600.0,
        relay_enabled: bool = True,
        synchronous: str = "FULL",
        frontend_share: float = 0.75,
        kernel_share: float = 0.95,
        validator: Optional[EventValidator] = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.path = path
        self.max_rows = max_rows
        self.max_bytes = max_bytes
        self.collapse_window = collapse_window
        self.relay_enabled = relay_enabled
        # Browser events may fill at most this share of the bounds: whatever one user posts
        # to /warden/events, kernel and server events keep the rest.
        self.frontend_share = frontend_share
        # Kernel code is the user's code too: it may not take the last of the bounds either,
        # so the lab's own server events (integrity findings) always fit.
        self.kernel_share = kernel_share
        self.validator = validator or EventValidator()
        self._clock = clock
        self._lock = threading.RLock()
        # Called (no arguments) after new pending events were committed: wakes the relay.
        self.on_pending: List[Callable[[], None]] = []
        self._db = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
        try:
            self._open(synchronous)
        except BaseException:
            self._db.close()
            raise

    def _open(self, synchronous: str) -> None:
        try:
            verdict = self._db.execute("PRAGMA quick_check(1)").fetchone()
        except sqlite3.OperationalError as err:
            if "locked" in str(err) or "busy" in str(err):
                raise
            raise CorruptStore(str(err)) from err
        except sqlite3.DatabaseError as err:  # "file is not a database", "malformed"
            raise CorruptStore(str(err)) from err
        if not verdict or verdict[0] != "ok":
            raise CorruptStore(f"integrity check: {verdict[0] if verdict else 'no answer'}")
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(f"PRAGMA synchronous={synchronous}")
        self._db.executescript(_SCHEMA)
        with self._transaction():
            for table, column, kind in _ADDED_COLUMNS:
                have = {row[1] for row in self._db.execute(f"PRAGMA table_info({table})")}
                if column not in have:
                    self._db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {kind}")
            for statement in _statements(_TRIGGERS):  # executescript would COMMIT first
                self._db.execute(statement)
            self._recount()

    def _recount(self) -> None:
        """Set the totals from the rows themselves (older files did not count merged ids)."""
        names = ["rows", "bytes"] + [f"{k}:{c}" for c in CHANNELS for k in ("rows", "bytes")]
        self._db.executemany(
            "INSERT OR IGNORE INTO counters (name, value) VALUES (?, 0)", [(n,) for n in names]
        )
        self._db.executemany("UPDATE counters SET value = 0 WHERE name = ?", [(n,) for n in names])
        for channel, rows, nbytes in self._db.execute(
            "SELECT channel, COUNT(*), COALESCE(SUM(bytes), 0) FROM events GROUP BY channel"
        ).fetchall():
            self._bump(channel, rows, nbytes)
        for channel, nbytes in self._db.execute(
            "SELECT channel, COALESCE(SUM(length(event_id) + ?), 0) FROM merged_ids"
            " GROUP BY channel",
            (MERGED_ID_OVERHEAD,),
        ).fetchall():
            self._bump(channel, 0, nbytes)

    def _bump(self, channel: str, rows: int, nbytes: int) -> None:
        self._db.execute(
            "UPDATE counters SET value = value + ? WHERE name IN ('rows', 'rows:' || ?)",
            (rows, channel),
        )
        self._db.execute(
            "UPDATE counters SET value = value + ? WHERE name IN ('bytes', 'bytes:' || ?)",
            (nbytes, channel),
        )

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # -- intake -------------------------------------------------------------------------

    def add(
        self,
        events: Iterable[object],
        *,
        user: str,
        lab_id: str,
        source: str,
        drop_reason_invalid: str = "invalid",
    ) -> List[dict]:
        """Store a batch. Identity (user, lab_id) comes from the caller, never the body.

        ``source`` is the channel: "frontend" (a client may also claim kernel/cli), "kernel"
        (the spool) or "server". Answers one result per event, in order:
        ``{"event_id", "status": accepted|duplicate|rejected, "reason"}``.
        """
        now = self._clock()
        results: List[dict] = []
        added = False
        with self._lock, self._transaction():
            for event in events:
                result = self._add_one(event, user, lab_id, source, now, drop_reason_invalid)
                added = added or (result["status"] == "accepted")
                results.append(result)
        if added and self.relay_enabled:
            for callback in list(self.on_pending):
                callback()
        return results

    def _add_one(self, event, user, lab_id, source, now, drop_reason_invalid) -> dict:
        event_id = event.get("event_id") if isinstance(event, dict) else None
        event_id = event_id if isinstance(event_id, str) else None
        reason = self.validator.reason(event)
        if reason is None:
            reason = _source_problem(event, source)
        if reason is not None:
            self._count_drop(drop_reason_invalid)
            return _result(event_id, "rejected", reason)
        if self._known(event_id):
            return _result(event_id, "duplicate", None)
        event = dict(event)
        event["source"] = event.get("source", source) if source == "frontend" else source
        key = _collapse_key(event, user, lab_id, source)
        if key is not None:
            folded = self._fold_into_open_row(key, event, now, source)
            if folded is not None:
                return folded
        body = json.dumps(event, separators=(",", ":"), ensure_ascii=False)
        size = len(body.encode("utf-8"))
        full = self._make_room(source, 1, size)
        if full is not None:
            self._count_drop(full)
            return _result(event_id, "rejected", _FULL_MESSAGE[full])
        self._db.execute(
            "INSERT INTO events (event_id, collapse_key, received_at, user, lab_id, body, bytes,"
            " state, channel) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                event_id,
                key,
                now,
                user,
                lab_id,
                body,
                size,
                PENDING if self.relay_enabled else LOCAL,
                source,
            ),
        )
        return _result(event_id, "accepted", None)

    def _known(self, event_id: str) -> bool:
        row = self._db.execute(
            "SELECT 1 FROM events WHERE event_id = ? UNION ALL "
            "SELECT 1 FROM merged_ids WHERE event_id = ? LIMIT 1",
            (event_id, event_id),
        ).fetchone()
        return row is not None

    def _fold_into_open_row(self, key: str, event: dict, now: float, source: str):
        """Fold a repeat into its open row: its result, or None when there is no such row.

        The folded event's id is remembered (a merged_ids row), which costs bytes like a new
        row does: repeats are bounded by the same limits, and refused when they are reached.
        """
        state = PENDING if self.relay_enabled else LOCAL
        row = self._db.execute(
            # "attempts = 0" literally, so SQLite can use the partial index
            "SELECT seq, body, channel FROM events WHERE collapse_key = ? AND attempts = 0"
            " AND state = ? AND received_at >= ? ORDER BY seq DESC LIMIT 1",
            (key, state, now - self.collapse_window),
        ).fetchone()
        if row is None:
            return None
        seq, body, channel = row
        held = json.loads(body)
        held_first = held.get("first_seen", held["time"])
        held_last = held.get("last_seen", held["time"])
        held["count"] = held.get("count", 1) + event.get("count", 1)
        held["first_seen"] = min(held_first, event.get("first_seen", event["time"]), key=_instant)
        held["last_seen"] = max(held_last, event.get("last_seen", event["time"]), key=_instant)
        new_body = json.dumps(held, separators=(",", ":"), ensure_ascii=False)
        new_size = len(new_body.encode("utf-8"))
        cost = new_size - len(body.encode("utf-8")) + len(event["event_id"]) + MERGED_ID_OVERHEAD
        full = self._make_room(source, 0, cost, spare=seq)
        if full is not None:
            self._count_drop(full)
            return _result(event["event_id"], "rejected", _FULL_MESSAGE[full])
        self._db.execute(
            "UPDATE events SET body = ?, bytes = ? WHERE seq = ?", (new_body, new_size, seq)
        )
        self._db.execute(
            "INSERT INTO merged_ids (event_id, seq, channel) VALUES (?, ?, ?)",
            (event["event_id"], seq, channel),
        )
        return _result(event["event_id"], "accepted", None)

    def _make_room(self, channel: str, rows: int, size: int, spare: Optional[int] = None):
        """Evict delivered history until ``rows`` more rows of ``size`` bytes fit; None when
        they fit, else the drop reason ("queue_full", or "<channel>_share_full" when the
        browser's or the kernels' share of the bounds is used up)."""
        full = self._over_limit(channel, rows, size)
        if full is None:
            return None
        # Evict a slice at a time so a full store does not evict on every single insert.
        totals = self._totals()
        slack = max(1, self.max_rows // 100)
        need_rows = max(0, totals["rows"] + rows - self.max_rows) + slack
        need_bytes = max(0, totals["bytes"] + size - self.max_bytes)
        candidates = self._db.execute(
            "SELECT seq, bytes FROM events WHERE state != ? AND seq != ? ORDER BY seq LIMIT ?",
            (
                PENDING,
                -1 if spare is None else spare,
                need_rows + 1000 if need_bytes else need_rows,
            ),
        ).fetchall()
        victims, freed = [], 0
        for seq, nbytes in candidates:
            if len(victims) >= need_rows and freed >= need_bytes:
                break
            victims.append((seq,))
            freed += nbytes
        self._db.executemany("DELETE FROM events WHERE seq = ?", victims)
        return self._over_limit(channel, rows, size)

    def _over_limit(self, channel: str, rows: int, size: int):
        totals = self._totals()
        if totals["rows"] + rows > self.max_rows or totals["bytes"] + size > self.max_bytes:
            return "queue_full"
        share = {"frontend": self.frontend_share, "kernel": self.kernel_share}.get(channel)
        if share is not None and (
            totals[f"rows:{channel}"] + rows > self.max_rows * share
            or totals[f"bytes:{channel}"] + size > self.max_bytes * share
        ):
            return f"{channel}_share_full"
        return None

    def _totals(self) -> dict:
        return dict(self._db.execute("SELECT name, value FROM counters").fetchall())

    # -- relay --------------------------------------------------------------------------

    def claim_batch(self, limit: int, max_bytes: int) -> List[dict]:
        """The oldest pending events, frozen for sending (no more folding into them).

        Each item: ``{"seq", "event_id", "event", "user", "lab_id"}``. Claiming does not
        remove anything: an event stays pending until ``settle`` hears central's answer.
        """
        with self._lock, self._transaction():
            rows = self._db.execute(
                "SELECT seq, event_id, body, bytes, user, lab_id FROM events WHERE state = ?"
                " ORDER BY seq LIMIT ?",
                (PENDING, limit),
            ).fetchall()
            batch, total = [], 0
            for seq, event_id, body, nbytes, user, lab_id in rows:
                if batch and total + nbytes > max_bytes:
                    break
                total += nbytes
                batch.append(
                    {
                        "seq": seq,
                        "event_id": event_id,
                        "event": json.loads(body),
                        "user": user,
                        "lab_id": lab_id,
                    }
                )
            self._db.executemany(
                "UPDATE events SET attempts = attempts + 1 WHERE seq = ?",
                [(item["seq"],) for item in batch],
            )
        return batch

    def settle(self, results: Iterable[dict]) -> dict:
        """Apply central's per-event answers; returns how many of each status were applied.

        accepted and duplicate both mean central has the event: delivered. rejected is final
        (central will never take it) and counted as a drop. Answers for event ids that are
        not pending here are ignored, and a pending event central did not answer stays
        pending for the next attempt.
        """
        applied = {"delivered": 0, "rejected": 0}
        with self._lock, self._transaction():
            for result in results:
                event_id, status = result.get("event_id"), result.get("status")
                if not isinstance(event_id, str):
                    continue
                if status in ("accepted", "duplicate"):
                    cur = self._db.execute(
                        "UPDATE events SET state = ?, reason = NULL WHERE event_id = ? AND"
                        " state = ?",
                        (DELIVERED, event_id, PENDING),
                    )
                    applied["delivered"] += cur.rowcount
                elif status == "rejected":
                    reason = str(result.get("reason") or "rejected by central")[:500]
                    cur = self._db.execute(
                        "UPDATE events SET state = ?, reason = ? WHERE event_id = ? AND state = ?",
                        (REJECTED, reason, event_id, PENDING),
                    )
                    if cur.rowcount:
                        applied["rejected"] += 1
                        self._count_drop("central_rejected")
        return applied

    def withhold(self, event_ids: List[str], reason: str) -> None:
        """Keep pending events in the lab only (the policy's telemetry settings); counted
        under ``withheld``, not as drops: the admin chose it."""
        with self._lock, self._transaction():
            n = 0
            for event_id in event_ids:
                n += self._db.execute(
                    "UPDATE events SET state = ?, reason = ? WHERE event_id = ? AND state = ?",
                    (LOCAL, f"not sent to central: {reason}", event_id, PENDING),
                ).rowcount
            if n:
                self._db.execute(
                    "INSERT INTO counters (name, value) VALUES (?, ?) "
                    "ON CONFLICT(name) DO UPDATE SET value = value + excluded.value",
                    (f"withheld:{reason}", n),
                )

    def withheld(self) -> dict:
        with self._lock:
            rows = self._db.execute(
                "SELECT name, value FROM counters WHERE name LIKE 'withheld:%'"
            ).fetchall()
        return {name[len("withheld:") :]: value for name, value in rows if value}

    def give_up(self, event_id: str, reason: str, drop_reason: str) -> None:
        """Mark one pending event as never deliverable (e.g. too large for central)."""
        with self._lock, self._transaction():
            cur = self._db.execute(
                "UPDATE events SET state = ?, reason = ? WHERE event_id = ? AND state = ?",
                (REJECTED, reason, event_id, PENDING),
            )
            if cur.rowcount:
                self._count_drop(drop_reason)

    # -- reading ------------------------------------------------------------------------

    def recent(
        self, limit: int = 100, since: Optional[int] = None, before: Optional[int] = None
    ) -> List[dict]:
        """Recent events. Newest first, or with ``since`` (a seq) the oldest ones after it
        first, so a reader can page forward without gaps; ``before`` pages back."""
        low = -1 if since is None else since
        high = 2**62 if before is None else before
        with self._lock:
            rows = self._db.execute(
                _RECENT_NEWEST_FIRST if since is None else _RECENT_OLDEST_FIRST,
                (low, high, limit),
            ).fetchall()
        return [
            {
                "seq": seq,
                "event": json.loads(body),
                "user": user,
                "lab_id": lab_id,
                "received_at": received_at,
                "relay": {"state": state, "reason": reason},
            }
            for seq, body, user, lab_id, received_at, state, reason in rows
        ]

    def queue_depth(self) -> int:
        with self._lock:
            return self._db.execute(
                "SELECT COUNT(*) FROM events WHERE state = ?", (PENDING,)
            ).fetchone()[0]

    def drops(self) -> dict:
        with self._lock:
            rows = self._db.execute(
                "SELECT name, value FROM counters WHERE name LIKE 'drop:%'"
            ).fetchall()
        return {name[len("drop:") :]: value for name, value in rows if value}

    def stats(self) -> dict:
        with self._lock:
            totals = self._totals()
        return {
            "rows": totals["rows"],
            "bytes": totals["bytes"],
            "by_source": {
                c: {"rows": totals[f"rows:{c}"], "bytes": totals[f"bytes:{c}"]} for c in CHANNELS
            },
            "shares": {"frontend": self.frontend_share, "kernel": self.kernel_share},
            "queue_depth": self.queue_depth(),
            "max_rows": self.max_rows,
            "max_bytes": self.max_bytes,
            "dropped": self.drops(),
            "withheld": self.withheld(),
        }

    def count_drop(self, reason: str, n: int = 1) -> None:
        """Count events lost before they could be stored (e.g. an unparsable spool line)."""
        with self._lock, self._transaction():
            self._count_drop(reason, n)

    def _count_drop(self, reason: str, n: int = 1) -> None:
        self._db.execute(
            "INSERT INTO counters (name, value) VALUES (?, ?) "
            "ON CONFLICT(name) DO UPDATE SET value = value + excluded.value",
            (f"drop:{reason}", n),
        )

    # -- spool bookkeeping (used by SpoolIngester) ------------------------------------------

    def spool_offset(self, name: str, dev: int, ino: int) -> int:
        with self._lock:
            row = self._db.execute(
                "SELECT offset FROM spool_offsets WHERE name = ? AND dev = ? AND ino = ?",
                (name, dev, ino),
            ).fetchone()
        return row[0] if row else 0

    def add_spooled(
        self,
        events: List[object],
        *,
        user: str,
        lab_id: str,
        garbage: dict,
        file_key: tuple,
        new_offset: Optional[int],
    ) -> List[dict]:
        """Store spooled events, count garbage lines and move the file's offset, atomically.

        ``new_offset`` None forgets the file (it is about to be removed).
        """
        with self._lock, self._transaction():
            results = self.add(
                events,
                user=user,
                lab_id=lab_id,
                source="kernel",
                drop_reason_invalid="spool_invalid",
            )
            for reason, n in garbage.items():
                if n:
                    self._count_drop(reason, n)
            name, dev, ino = file_key
            if new_offset is None:
                self._db.execute(
                    "DELETE FROM spool_offsets WHERE name = ? AND dev = ? AND ino = ?",
                    (name, dev, ino),
                )
            else:
                self._db.execute(
                    "INSERT INTO spool_offsets (name, dev, ino, offset) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT(name, dev, ino) DO UPDATE SET offset = excluded.offset",
                    (name, dev, ino, new_offset),
                )
        return results

    def forget_spool_files(self, keep: Iterable[str]) -> None:
        """Drop offsets of files that no longer exist."""
        keep = set(keep)
        with self._lock, self._transaction():
            names = [r[0] for r in self._db.execute("SELECT DISTINCT name FROM spool_offsets")]
            self._db.executemany(
                "DELETE FROM spool_offsets WHERE name = ?", [(n,) for n in names if n not in keep]
            )

    # -- plumbing -----------------------------------------------------------------------

    def _transaction(self):
        return _Transaction(self._db)


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT/ROLLBACK; nested uses join the outer transaction."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db
        self._outer = False

    def __enter__(self):
        if not self._db.in_transaction:
            self._db.execute("BEGIN IMMEDIATE")
            self._outer = True
        return self

    def __exit__(self, exc_type, exc, tb):
        if self._outer:
            self._db.execute("COMMIT" if exc_type is None else "ROLLBACK")
        return False


def _statements(script: str) -> List[str]:
    """Split ``_TRIGGERS`` into statements (a trigger body's ';' does not end it)."""
    statements, current = [], []
    for line in script.strip().splitlines():
        current.append(line)
        if line.startswith("DROP ") or line == "END;":
            statements.append("\n".join(current))
            current = []
    return statements


_FULL_MESSAGE = {
    "queue_full": "the lab's event queue is full",
    "frontend_share_full": "the browser's share of the lab's event queue is full",
    "kernel_share_full": "the kernels' share of the lab's event queue is full",
}


def _result(event_id, status, reason) -> dict:
    return {"event_id": event_id, "status": status, "reason": reason}


def _source_problem(event: dict, channel: str) -> Optional[str]:
    claimed = event.get("source")
    if channel == "frontend" and claimed is not None and claimed not in CLIENT_SOURCES:
        return f"source: '{claimed}' is reserved for events the lab server raises itself"
    if channel != "server" and event.get("kind") == "server":
        return "kind: 'server' events are raised by the lab server itself"
    return None


def _collapse_key(event: dict, user: str, lab_id: str, channel: str) -> Optional[str]:
    """Repeats share this key; None for events that must stay individual (user decisions).

    The channel is part of it: a browser post never folds into a kernel or server row, so
    it cannot spend the share of the bounds kept for them."""
    if event["action"] == "confirmed" or "justification" in event:
        return None
    parts = [
        event["fingerprint"],
        event["rule_id"],
        event["kind"],
        event["action"],
        event["severity"],
        event.get("source", ""),
        user,
        lab_id,
        channel,
        json.dumps(event.get("location", {}), sort_keys=True),
    ]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def _instant(value: str):
    """Sort key of an RFC 3339 time (already checked by the validator)."""
    return parse_rfc3339(value) or datetime.min.replace(tzinfo=timezone.utc)
