"""The durable event store on a real SQLite file: idempotency, collapsing, bounds, restarts."""

import json
import os
import sqlite3

import pytest
from events_for_tests import event

from jupyterlab_warden.lab.events.store import MERGED_ID_OVERHEAD, EventStore


def make_event(fingerprint="ab" * 8, **fields):
    return event(fingerprint=fingerprint, **fields)


def unique_event(i, **fields):
    fields.setdefault("fingerprint", f"{i:016x}")
    return make_event(**fields)


@pytest.fixture
def db_path(tmp_path):
    return str(tmp_path / "events.sqlite")


def add(store, events, user="alice", source="frontend"):
    return store.add(events, user=user, lab_id="lab-1", source=source)


def test_results_per_event_in_order(db_path):
    store = EventStore(db_path)
    good = unique_event(1)
    results = add(store, [good, good, {"event_id": "x" * 8}, "not an object", unique_event(2)])
    assert [r["status"] for r in results] == [
        "accepted",
        "duplicate",
        "rejected",
        "rejected",
        "accepted",
    ]
    assert results[0]["event_id"] == good["event_id"]
    assert "missing required field" in results[2]["reason"]
    assert results[3]["reason"] == "an event must be a JSON object"
    assert store.drops() == {"invalid": 2}
    assert store.queue_depth() == 2


@pytest.mark.parametrize(
    ("patch", "needle"),
    [
        ({"severity": "apocalyptic"}, "severity: must be one of"),
        ({"time": "yesterday"}, "time: not a valid date-time"),
        ({"fingerprint": "XYZ"}, "fingerprint: does not match"),
        ({"user": "mallory"}, "unknown field(s) user"),
        ({"evidence": {"blob": "x" * 20000}}, "bytes, more than the limit"),
        ({"kind": "server"}, "raised by the lab server itself"),
        ({"source": "server"}, "reserved for events the lab server raises"),
    ],
)
def test_invalid_events_are_refused_with_a_reason(db_path, patch, needle):
    store = EventStore(db_path)
    [result] = add(store, [unique_event(1, **patch)])
    assert result["status"] == "rejected"
    assert needle in result["reason"]
    assert store.stats()["rows"] == 0


def test_identity_comes_from_the_caller_not_the_body(db_path):
    store = EventStore(db_path)
    add(store, [unique_event(1)], user="alice")
    [row] = store.recent()
    assert row["user"] == "alice" and row["lab_id"] == "lab-1"
    assert row["event"]["source"] == "frontend"
    # The spool channel forces source=kernel whatever the line claims.
    store.add([unique_event(2, source="cli")], user="alice", lab_id="lab-1", source="kernel")
    assert store.recent(limit=1)[0]["event"]["source"] == "kernel"


def test_repeats_collapse_into_one_pending_row_and_stay_idempotent(db_path):
    store = EventStore(db_path)
    first = make_event(time="2026-11-25T22:00:05Z")
    earlier = make_event(time="2026-11-25T21:59:00Z")
    later = make_event(time="2026-11-25T22:10:00+00:00", count=3)
    assert [r["status"] for r in add(store, [first, earlier, later])] == ["accepted"] * 3
    [row] = store.recent()
    assert row["event"]["event_id"] == first["event_id"]
    assert row["event"]["count"] == 5
    assert row["event"]["first_seen"] == "2026-11-25T21:59:00Z"
    assert row["event"]["last_seen"] == "2026-11-25T22:10:00+00:00"
    # Every folded event_id is still known: a retried post is a duplicate, not a new count.
    assert [r["status"] for r in add(store, [earlier, later])] == ["duplicate", "duplicate"]
    assert store.recent()[0]["event"]["count"] == 5


def test_decisions_and_other_users_are_never_collapsed(db_path):
    store = EventStore(db_path)
    add(store, [make_event(action="confirmed", justification="known model")])
    add(store, [make_event(action="confirmed", justification="known model")])
    add(store, [make_event()], user="alice")
    add(store, [make_event()], user="bob")
    add(store, [make_event(action="blocked")], user="bob")
    assert store.stats()["rows"] == 5


def test_a_claimed_row_is_frozen_so_relayed_counts_never_change(db_path):
    store = EventStore(db_path)
    add(store, [make_event()])
    [claimed] = store.claim_batch(10, 1 << 20)
    assert claimed["event"].get("count", 1) == 1
    # central may already hold the claimed row: a repeat now starts a new row
    add(store, [make_event()])
    rows = store.recent()
    assert len(rows) == 2
    assert all(r["event"].get("count", 1) == 1 for r in rows)
    # after a failed attempt the claimed row is still pending, still frozen
    add(store, [make_event()])
    assert {r["event"].get("count", 1) for r in store.recent()} == {1, 2}


def test_settle_delivers_exactly_the_acknowledged_events(db_path):
    store = EventStore(db_path)
    events = [unique_event(i) for i in range(5)]
    add(store, events)
    batch = store.claim_batch(10, 1 << 20)
    assert [b["event_id"] for b in batch] == [e["event_id"] for e in events]
    applied = store.settle(
        [
            {"event_id": events[0]["event_id"], "status": "accepted"},
            {"event_id": events[1]["event_id"], "status": "duplicate"},
            {"event_id": events[2]["event_id"], "status": "rejected", "reason": "bad"},
            {"event_id": "not-ours-123", "status": "accepted"},
            {"event_id": None, "status": "accepted"},
        ]
    )
    assert applied == {"delivered": 2, "rejected": 1}
    assert store.queue_depth() == 2  # 3 and 4 were not answered: still pending
    assert store.drops() == {"central_rejected": 1}
    # answering again changes nothing (a late duplicate answer after a resend)
    assert store.settle([{"event_id": events[0]["event_id"], "status": "accepted"}]) == {
        "delivered": 0,
        "rejected": 0,
    }
    states = {r["event"]["event_id"]: r["relay"]["state"] for r in store.recent()}
    assert states[events[2]["event_id"]] == "rejected"
    assert [b["event_id"] for b in store.claim_batch(10, 1 << 20)] == [
        events[3]["event_id"],
        events[4]["event_id"],
    ]


def test_claim_respects_the_byte_budget_but_always_sends_one(db_path):
    store = EventStore(db_path)
    add(store, [unique_event(i, message="m" * 1000) for i in range(10)])
    assert len(store.claim_batch(100, 3000)) == 2
    assert len(store.claim_batch(100, 10)) == 1


def test_bounded_by_rows_evicts_history_first_then_counts_queue_full(db_path):
    store = EventStore(db_path, max_rows=10)
    add(store, [unique_event(i) for i in range(10)], source="server")
    batch = store.claim_batch(4, 1 << 20)
    store.settle([{"event_id": b["event_id"], "status": "accepted"} for b in batch])
    # 4 delivered rows may go to make room; pending ones never are evicted
    results = add(store, [unique_event(100 + i) for i in range(6)], source="server")
    assert [r["status"] for r in results] == ["accepted"] * 4 + ["rejected"] * 2
    assert results[-1]["reason"] == "the lab's event queue is full"
    assert store.drops() == {"queue_full": 2}
    stats = store.stats()
    assert stats["rows"] == 10 and stats["queue_depth"] == 10


def test_bounded_by_bytes(db_path):
    store = EventStore(db_path, max_bytes=4000, max_rows=1000)
    results = add(store, [unique_event(i, message="m" * 500) for i in range(20)], source="server")
    accepted = sum(r["status"] == "accepted" for r in results)
    assert 0 < accepted < 20
    assert store.stats()["bytes"] <= 4000
    assert store.drops()["queue_full"] == 20 - accepted


def test_survives_reopening_and_keeps_totals_consistent(db_path):
    store = EventStore(db_path)
    events = [unique_event(i) for i in range(50)]
    add(store, events)
    add(store, [make_event(), make_event()])
    store.close()
    reopened = EventStore(db_path)
    assert reopened.queue_depth() == 51
    assert [r["status"] for r in add(reopened, events[:3])] == ["duplicate"] * 3
    db = sqlite3.connect(db_path)
    rows, total = db.execute("SELECT COUNT(*), SUM(bytes) FROM events").fetchone()
    # every folded repeat's remembered id counts too
    total += db.execute(
        "SELECT COALESCE(SUM(length(event_id) + ?), 0) FROM merged_ids", (MERGED_ID_OVERHEAD,)
    ).fetchone()[0]
    assert reopened.stats()["rows"] == rows and reopened.stats()["bytes"] == total


def test_two_processes_sharing_the_file_see_the_same_bounds(db_path):
    one = EventStore(db_path, max_rows=5)
    two = EventStore(db_path, max_rows=5)
    add(one, [unique_event(i) for i in range(3)], source="server")
    results = add(two, [unique_event(10 + i) for i in range(3)], source="server")
    assert [r["status"] for r in results] == ["accepted", "accepted", "rejected"]


def test_recent_pages_back_and_forward_without_gaps(db_path):
    store = EventStore(db_path)
    add(store, [unique_event(i) for i in range(25)])
    newest = store.recent(limit=10)
    assert [r["seq"] for r in newest] == list(range(25, 15, -1))
    older = store.recent(limit=10, before=newest[-1]["seq"])
    assert [r["seq"] for r in older] == list(range(15, 5, -1))
    forward = store.recent(limit=10, since=20)
    assert [r["seq"] for r in forward] == [21, 22, 23, 24, 25]
    assert json.loads(json.dumps(forward))  # JSON-serialisable for the handler


def test_give_up_counts_a_drop(db_path):
    store = EventStore(db_path)
    event = unique_event(1)
    add(store, [event])
    store.give_up(event["event_id"], "too large for central", "central_too_large")
    assert store.queue_depth() == 0
    assert store.drops() == {"central_too_large": 1}


def test_without_central_events_are_kept_locally_and_evictable(db_path):
    store = EventStore(db_path, relay_enabled=False, max_rows=5)
    results = add(store, [unique_event(i) for i in range(8)])
    assert all(r["status"] == "accepted" for r in results)
    assert store.queue_depth() == 0
    assert store.drops() == {}
    assert store.stats()["rows"] <= 5


def test_folded_repeats_count_toward_the_byte_bound(db_path):
    """Issue 13: 35,000 repeats folded into one row grew the file while the counters stayed
    at the cap. Each remembered id now costs bytes, and repeats past the bound are refused."""
    store = EventStore(db_path, max_bytes=64 * 1024)
    results = []
    for start in range(0, 35_000, 1000):
        results += add(store, [make_event() for _ in range(1000)], source="server")
    accepted = sum(r["status"] == "accepted" for r in results)
    refused = [r for r in results if r["status"] == "rejected"]
    assert store.stats()["bytes"] <= 64 * 1024
    assert 0 < accepted < 1000  # ~100 bytes a repeat: a few hundred fit in 64 KiB
    assert len(refused) == 35_000 - accepted
    assert refused[0]["reason"] == "the lab's event queue is full"
    assert store.drops() == {"queue_full": 35_000 - accepted}
    merged = sqlite3.connect(db_path).execute("SELECT COUNT(*) FROM merged_ids").fetchone()[0]
    assert merged == accepted - 1
    store.close()
    # the file on disk follows the bound, not the number of repeats posted
    assert os.path.getsize(db_path) < 1024 * 1024


def test_browser_events_cannot_take_the_share_kept_for_kernel_and_server(db_path):
    store = EventStore(db_path, max_rows=100, frontend_share=0.75)
    flood = add(store, [unique_event(i) for i in range(200)], source="frontend")
    assert sum(r["status"] == "accepted" for r in flood) == 75
    assert flood[-1]["reason"] == "the browser's share of the lab's event queue is full"
    assert store.drops() == {"frontend_share_full": 125}
    kernel = add(store, [unique_event(1000 + i) for i in range(20)], source="kernel")
    server = add(
        store,
        [unique_event(2000 + i, kind="server", rule_id="server-no-auth") for i in range(5)],
        source="server",
    )
    assert all(r["status"] == "accepted" for r in kernel + server)
    assert store.stats()["by_source"]["frontend"]["rows"] == 75


def test_older_files_are_migrated_and_recounted(db_path):
    store = EventStore(db_path)
    add(store, [make_event() for _ in range(5)])
    store.close()
    db = sqlite3.connect(db_path)  # make it look like a file of the previous release
    db.execute("UPDATE counters SET value = 0")
    db.commit()
    db.close()
    reopened = EventStore(db_path)
    body_bytes = sqlite3.connect(db_path).execute("SELECT SUM(bytes) FROM events").fetchone()[0]
    assert reopened.stats()["rows"] == 1
    assert reopened.stats()["bytes"] > body_bytes  # four folded ids counted


def test_kernel_events_cannot_take_the_last_of_the_bounds_from_the_server(db_path):
    store = EventStore(db_path, max_rows=100, kernel_share=0.95)
    flood = add(store, [unique_event(i) for i in range(120)], source="kernel")
    assert sum(r["status"] == "accepted" for r in flood) == 95
    assert flood[-1]["reason"] == "the kernels' share of the lab's event queue is full"
    server = add(store, [unique_event(500 + i) for i in range(5)], source="server")
    assert all(r["status"] == "accepted" for r in server)
    assert store.drops() == {"kernel_share_full": 25}
