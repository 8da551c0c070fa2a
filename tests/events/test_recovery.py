"""A corrupt event store file is moved aside, replaced, and what is readable carried over."""

import os

from events_for_tests import event

from jupyterlab_warden.lab.events.recovery import open_event_store
from jupyterlab_warden.lab.events.store import EventStore


def filled(path, n=300):
    store = EventStore(path)
    sent = [event(i, message="m" * 500) for i in range(n)]
    store.add(sent, user="alice", lab_id="lab-a", source="kernel")
    store.count_drop("queue_full", 3)
    store.close()
    return sent


def test_a_healthy_store_opens_as_it_is(tmp_path):
    path = str(tmp_path / "events.sqlite")
    filled(path, 10)
    store, recovery = open_event_store(path)
    assert recovery is None and store.queue_depth() == 10


def test_damaged_pages_the_rest_is_carried_over(tmp_path):
    path = str(tmp_path / "events.sqlite")
    sent = filled(path)
    with open(path, "r+b") as fh:
        fh.seek(os.path.getsize(path) // 2)
        fh.write(os.urandom(8192))
    store, recovery = open_event_store(path)
    assert os.path.basename(recovery.moved_to).startswith("events.sqlite.corrupt-")
    assert os.path.exists(recovery.moved_to)
    assert recovery.unreadable and 0 < recovery.recovered < len(sent)
    rows = store.recent(limit=500)
    assert len(rows) == recovery.recovered
    assert {r["user"] for r in rows} == {"alice"}
    assert {r["event"]["source"] for r in rows} == {"kernel"}
    assert store.drops() == {"queue_full": 3}
    assert "undelivered events recovered; some of it was unreadable" in recovery.message()
    # the fresh store works and is itself sound at the next open
    store.add([event(999)], user="alice", lab_id="lab-a", source="frontend")
    store.close()
    assert open_event_store(path)[1] is None


def test_a_file_that_is_not_a_database_is_replaced(tmp_path):
    path = str(tmp_path / "events.sqlite")
    filled(path, 5)
    with open(path, "r+b") as fh:
        fh.write(b"not a database at all" * 10)
    store, recovery = open_event_store(path)
    assert recovery.recovered == 0 and recovery.unreadable
    assert "file is not a database" in recovery.problem
    assert store.queue_depth() == 0
