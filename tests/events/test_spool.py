"""Kernel spool ingestion with real writer processes, real files and a real SQLite store."""

import json
import os
import random
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from events_for_tests import kernel_event

from jupyterlab_warden.kernel.event_spool import append_event, spool_file
from jupyterlab_warden.lab.events.spool import SpoolIngester
from jupyterlab_warden.lab.events.store import EventStore

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def spool(tmp_path):
    directory = SpoolIngester.prepare(str(tmp_path / "spool"))
    store = EventStore(str(tmp_path / "events.sqlite"))
    ingester = SpoolIngester(directory, store, user="alice", lab_id="lab-1", partial_grace=30)
    yield ingester
    store.close()


def stored_ids(store):
    return [r["event"]["event_id"] for r in store.recent(limit=100000)]


def test_spool_directory_is_private(spool):
    assert os.stat(spool.directory).st_mode & 0o777 == 0o700


def test_lines_are_stored_with_server_identity_and_file_removed(spool):
    events = [kernel_event(i) for i in range(3)]
    for event in events:
        assert append_event(event, spool.directory)
    totals = spool.ingest_once()
    assert totals["accepted"] == 3
    assert os.listdir(spool.directory) == []
    rows = spool.store.recent()
    assert {r["event"]["event_id"] for r in rows} == {e["event_id"] for e in events}
    assert {(r["user"], r["event"]["source"]) for r in rows} == {("alice", "kernel")}


WRITER = textwrap.dedent(
    """
    import json, random, sys, time, uuid
    from jupyterlab_warden.kernel.event_spool import append_event
    directory, n, tag = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    for i in range(n):
        ok = append_event({"event_id": f"{tag}-{i:06d}", "time": "2026-11-25T22:00:00Z",
            "kind": "runtime", "rule_id": "pickle-blocked-global", "severity": "critical",
            "action": "blocked", "fingerprint": uuid.uuid4().hex[:16]}, directory)
        assert ok
        if random.random() < 0.05:
            time.sleep(0.002)
    """
)


def test_concurrent_writers_lose_nothing_while_files_are_removed(spool):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    writers = [
        subprocess.Popen([sys.executable, "-c", WRITER, spool.directory, "400", f"w{k}"], env=env)
        for k in range(4)
    ]
    removed_while_running = 0
    while any(w.poll() is None for w in writers):
        before = set(os.listdir(spool.directory))
        spool.ingest_once()
        removed_while_running += len(before - set(os.listdir(spool.directory)))
        time.sleep(0.01)
    assert all(w.returncode == 0 for w in writers)
    spool.ingest_once()
    ids = stored_ids(spool.store)
    assert len(ids) == len(set(ids)) == 1600
    assert set(ids) == {f"w{k}-{i:06d}" for k in range(4) for i in range(400)}
    assert os.listdir(spool.directory) == []
    assert removed_while_running > 0  # files really were removed while writers wrote
    assert spool.store.drops() == {}


def test_garbage_is_counted_by_reason_and_good_lines_still_stored(spool):
    path = spool_file(spool.directory)
    good = [kernel_event(i) for i in range(3)]
    lines = [
        json.dumps(good[0]),
        "this is not json",
        "[1, 2, 3]",
        "",
        json.dumps(kernel_event(9, severity="catastrophic")),
        json.dumps(good[1]),
        "\xff\xfe broken utf-8",
        "{" + "x" * (70 * 1024) + "}",
        json.dumps(good[2]),
    ]
    with open(path, "wb") as fh:
        for line in lines:
            fh.write(line.encode("utf-8", "surrogateescape") + b"\n")
        fh.write(b"\xff\xfe\xfd\n")
    totals = spool.ingest_once()
    assert totals["accepted"] == 3
    assert sorted(stored_ids(spool.store)) == sorted(e["event_id"] for e in good)
    assert spool.store.drops() == {
        "spool_unparsable": 4,
        "spool_invalid": 1,
        "spool_line_too_large": 1,
    }
    assert os.listdir(spool.directory) == []


def test_partial_last_line_waits_for_its_newline(spool):
    path = spool_file(spool.directory)
    first, second = kernel_event(1), kernel_event(2)
    text = json.dumps(second)
    with open(path, "w") as fh:
        fh.write(json.dumps(first) + "\n" + text[:20])
    spool.ingest_once()
    assert stored_ids(spool.store) == [first["event_id"]]
    assert os.listdir(spool.directory) == [os.path.basename(path)]  # kept for the rest
    with open(path, "a") as fh:
        fh.write(text[20:] + "\n")
    spool.ingest_once()
    assert sorted(stored_ids(spool.store)) == sorted([first["event_id"], second["event_id"]])
    assert spool.store.drops() == {} and os.listdir(spool.directory) == []


def test_stale_partial_line_is_counted_as_garbage(spool):
    spool.partial_grace = 0
    with open(spool_file(spool.directory), "w") as fh:
        fh.write('{"event_id": "abcdefgh", "ti')
    spool.ingest_once()
    assert spool.store.drops() == {"spool_partial_line": 1}
    assert os.listdir(spool.directory) == []


def test_reread_after_a_crash_stores_nothing_twice(spool):
    path = spool_file(spool.directory)
    events = [kernel_event(i) for i in range(5)]
    for event in events:
        append_event(event, spool.directory)
    content = Path(path).read_bytes()
    spool.ingest_once()
    # as if the server died after committing but before removing the file
    Path(path).write_bytes(content)
    totals = spool.ingest_once()
    assert totals["duplicate"] == 5 and totals["accepted"] == 0
    assert len(stored_ids(spool.store)) == 5


def test_offsets_survive_a_server_restart(tmp_path, spool):
    """A file read in part (the per-tick read bound) is resumed where the stored offset says
    after a restart: nothing re-read, nothing lost."""
    events = [kernel_event(i) for i in range(20)]
    for event in events:
        append_event(event, spool.directory)
    line_size = os.path.getsize(spool_file(spool.directory)) // 20
    spool.max_read_bytes = line_size * 7 + line_size // 2  # stops mid-line
    spool.ingest_once()
    seen = len(stored_ids(spool.store))
    assert 0 < seen < 20
    spool.store.close()
    store = EventStore(str(tmp_path / "events.sqlite"))
    again = SpoolIngester(spool.directory, store, user="alice", lab_id="lab-1")
    totals = {"duplicate": 0, "accepted": 0}
    for _ in range(5):
        for key, value in again.ingest_once().items():
            totals[key] = totals.get(key, 0) + value
    assert totals["duplicate"] == 0  # resumed at the stored offset, nothing re-read
    assert totals["accepted"] == 20 - seen
    assert sorted(stored_ids(store)) == sorted(e["event_id"] for e in events)
    assert os.listdir(spool.directory) == []
    spool.store = store


def test_fuzzed_spool_content_never_breaks_ingestion(spool):
    rng = random.Random(1234)
    good = []
    path = spool_file(spool.directory)
    with open(path, "wb") as fh:
        for i in range(300):
            choice = rng.random()
            if choice < 0.3:
                event = kernel_event(i)
                good.append(event["event_id"])
                fh.write(json.dumps(event).encode() + b"\n")
            elif choice < 0.6:
                fh.write(bytes(rng.randrange(256) for _ in range(rng.randrange(1, 200))) + b"\n")
            else:
                event = kernel_event(i)
                key = rng.choice(list(event))
                event[key] = rng.choice([None, 7, [], {}, "", "x" * 300, -1.5])
                fh.write(json.dumps(event).encode() + b"\n")
    spool.ingest_once()
    assert set(good) <= set(stored_ids(spool.store))
    assert os.listdir(spool.directory) == []
    stats = spool.store.stats()
    assert stats["rows"] == len(stored_ids(spool.store))


def test_symlinks_and_other_files_are_ignored(spool, tmp_path):
    outside = tmp_path / "secret.jsonl"
    outside.write_text(json.dumps(kernel_event(1)) + "\n")
    os.symlink(outside, os.path.join(spool.directory, "kernel-1.jsonl"))
    Path(spool.directory, "notes.txt").write_text("hello\n")
    # Not a writer's name (the one writer names files kernel-<pid>.jsonl): left alone.
    foreign = Path(spool.directory, "1234-abcdef.jsonl")
    foreign.write_text(json.dumps(kernel_event(2)) + "\n")
    spool.ingest_once()
    assert stored_ids(spool.store) == []
    assert outside.exists() and foreign.exists()
