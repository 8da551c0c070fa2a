"""Local ingest rate of the lab's event store, against a bare sqlite3 insert loop.

    PYTHONPATH=$PWD /work/main/.venv/bin/python bench/event_store_bench.py [--events 20000]

Every row stores batches of 100 events, one transaction per batch, in a fresh SQLite file
(WAL) in a temporary directory. The baseline inserts the same JSON bodies with a plain
``executemany`` and no validation, dedup, collapsing or bounds: what SQLite alone costs.
"""

import argparse
import json
import sqlite3
import tempfile
import time
import uuid
from pathlib import Path

from jupyterlab_warden.lab.events.store import EventStore
from jupyterlab_warden.lab.events.validation import EventValidator

BATCH = 100


def make_events(n):
    return [
        {
            "event_id": uuid.uuid4().hex,
            "time": "2026-11-25T22:00:00Z",
            "kind": "static",
            "rule_id": "torch-load-unsafe",
            "severity": "high",
            "action": "warned",
            "fingerprint": f"{i:016x}",
            "message": "torch.load without weights_only=True",
            "location": {"path": "work/train.ipynb", "cell_id": f"cell-{i % 50}", "line": 3},
            "evidence": {"call": "torch.load", "argument": "path"},
        }
        for i in range(n)
    ]


def batches(events):
    return [events[i : i + BATCH] for i in range(0, len(events), BATCH)]


def bare_sqlite(path, events, synchronous):
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute(f"PRAGMA synchronous={synchronous}")
    db.execute("CREATE TABLE events (seq INTEGER PRIMARY KEY, event_id TEXT UNIQUE, body TEXT)")
    start = time.perf_counter()
    for batch in batches(events):
        db.execute("BEGIN")
        db.executemany(
            "INSERT INTO events (event_id, body) VALUES (?, ?)",
            [(e["event_id"], json.dumps(e)) for e in batch],
        )
        db.execute("COMMIT")
    elapsed = time.perf_counter() - start
    db.close()
    return elapsed


def event_store(path, events, synchronous, repeats=False):
    store = EventStore(path, synchronous=synchronous, max_rows=10 * len(events))
    if repeats:  # every event a repeat of one of 50 findings: the collapsing path
        for i, event in enumerate(events):
            event["fingerprint"] = f"{i % 50:016x}"
    start = time.perf_counter()
    for batch in batches(events):
        results = store.add(batch, user="bench", lab_id="bench", source="frontend")
        assert all(r["status"] == "accepted" for r in results), results[0]
    elapsed = time.perf_counter() - start
    store.close()
    return elapsed


def validation_only(events):
    validator = EventValidator()
    start = time.perf_counter()
    for event in events:
        assert validator.reason(event) is None
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=20000)
    args = parser.parse_args()
    n = args.events
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for sync in ("NORMAL", "FULL"):
            base = bare_sqlite(str(Path(tmp) / f"bare-{sync}.sqlite"), make_events(n), sync)
            rows.append((f"bare sqlite3 executemany, synchronous={sync}", base, base))
            t = event_store(str(Path(tmp) / f"store-{sync}.sqlite"), make_events(n), sync)
            rows.append((f"EventStore.add, synchronous={sync}", t, base))
            t = event_store(str(Path(tmp) / f"rep-{sync}.sqlite"), make_events(n), sync, True)
            rows.append((f"EventStore.add, repeats collapsed, synchronous={sync}", t, base))
        rows.append(
            (
                "schema validation alone (EventValidator)",
                validation_only(make_events(n)),
                rows[0][1],
            )
        )
    print(f"{n} events in batches of {BATCH}; ratio = time / bare sqlite3 (same sync mode)\n")
    print(f"{'what':<55} {'events/s':>12} {'ratio':>8}")
    print("-" * 77)
    for name, elapsed, baseline in rows:
        print(f"{name:<55} {n / elapsed:>12,.0f} {elapsed / baseline:>7.1f}x")


if __name__ == "__main__":
    main()
