"""Fault tests of the lab → central event relay: real lab server, real HTTP, injected faults.

Central is the fault injector of ``fault_central.py`` (idempotent on event_id like the real
service). The outage length is scaled down from the issue's 60 s; set WARDEN_OUTAGE_SECONDS
to run the full length.
"""

import os
import signal
import time

import pytest
from events_for_tests import event, events
from labserver_harness import LabServer, wait_for
from outage_scenario import run_outage

OUTAGE = float(os.environ.get("WARDEN_OUTAGE_SECONDS", "6"))


def delivered(central, ids, timeout=60):
    ids = set(ids)
    wait_for(
        lambda: ids <= set(central.stored),
        timeout,
        0.2,
        f"{len(ids - set(central.stored))} events to reach central",
    )


def assert_exactly_once(central, ids):
    for event_id in ids:
        assert central.accepted_answers.get(event_id) == 1, event_id


def queue_drained(lab):
    return lab.pipeline_status()["store"]["queue_depth"] == 0


class InjectorCentral:
    """The fault injector seen through the scenario's interface."""

    def __init__(self, central):
        self.central = central

    def stop(self):
        self.central.stop()

    def start(self):
        self.central.start()

    def stored(self):
        # the injector is idempotent like central; accepted_answers proves one store each
        return {
            i: [e] * self.central.accepted_answers[i] for i, e in list(self.central.stored.items())
        }


@pytest.mark.parametrize("outage", [OUTAGE])
@pytest.mark.parametrize("restart", [signal.SIGTERM, signal.SIGKILL], ids=["stop", "crash"])
def test_outage_with_lab_restart_delivers_every_event_exactly_once(
    tmp_path, central, lab_config, restart, outage
):
    run_outage(tmp_path, lab_config, InjectorCentral(central), restart, outage)


def test_500_garbage_slow_and_dropped_answers_lose_nothing(tmp_path, central, lab_config):
    central.event_faults = [
        {"kind": "status", "status": 500, "before_store": True},
        {"kind": "status", "status": 502, "before_store": True},
        {"kind": "garbage", "raw": b"<html>proxy error</html>", "before_store": True},
        {"kind": "garbage", "raw": b'{"results": "nope"}', "type": "application/json"},
        {"kind": "garbage", "raw": b"\x1f\x8b garbage"},
        {"kind": "slow", "seconds": 4},  # past central_timeout (1.5 s): answer never heard
        {"kind": "drop"},
        {"kind": "status", "status": 503, "headers": {"Retry-After": "1"}, "before_store": True},
    ]
    lab = LabServer(tmp_path / "lab", lab_config).start()
    try:
        sent = []
        for k in range(8):
            batch = events(k * 10, 10)
            lab.post_events(batch)
            sent += [e["event_id"] for e in batch]
            time.sleep(0.3)
        delivered(central, sent, timeout=90)
        wait_for(lambda: queue_drained(lab), 30, 0.2, "the lab's queue to drain")
        assert_exactly_once(central, sent)
        # Nothing but what was sent, and what the lab raises itself at start (source "server").
        assert len([e for e in central.stored.values() if e.get("source") != "server"]) == len(sent)
        # answers were lost after central stored: the resends were answered "duplicate"
        assert sum(central.duplicate_answers.values()) > 0
        assert central.event_faults == []
        assert lab.proc.poll() is None
        status = lab.pipeline_status()
        assert status["store"]["dropped"] == {}
        assert status["central"]["relay_error"] is None
    finally:
        lab.stop()


def test_retry_after_is_honoured(tmp_path, central, lab_config):
    central.event_faults = [
        {"kind": "status", "status": 429, "before_store": True, "headers": {"Retry-After": "3"}}
    ]
    lab = LabServer(tmp_path / "lab", lab_config).start()
    try:
        one = event(1)
        lab.post_events([one])
        delivered(central, [one["event_id"]], timeout=30)
        posts = central.event_posts()
        assert [p[3] for p in posts[:2]] == [429, 200]
        # backoff alone would retry within central_backoff_max (1 s)
        assert posts[1][0] - posts[0][0] >= 2.9
    finally:
        lab.stop()


def test_batches_central_finds_too_large_are_split(tmp_path, central, lab_config):
    central.max_batch = 7
    lab = LabServer(tmp_path / "lab", lab_config).start()
    try:
        sent = events(0, 50)
        lab.post_events(sent)
        delivered(central, [e["event_id"] for e in sent])
        assert_exactly_once(central, [e["event_id"] for e in sent])
        assert 413 in [p[3] for p in central.event_posts()]
        assert central.gzip_posts > 0  # batches over 1 KiB go gzip-compressed
        assert lab.pipeline_status()["store"]["dropped"] == {}
    finally:
        lab.stop()


def test_rejected_events_are_counted_and_reported_to_central(tmp_path, central, lab_config):
    sent = events(0, 5)
    central.reject_ids = {sent[2]["event_id"]}
    lab = LabServer(tmp_path / "lab", lab_config).start()
    try:
        lab.post_events(sent)
        wait_for(lambda: queue_drained(lab), 30, 0.2, "the lab's queue to drain")
        assert lab.pipeline_status()["store"]["dropped"] == {"central_rejected": 1}
        row = next(r for r in lab.all_events() if r["event"]["event_id"] == sent[2]["event_id"])
        assert row["relay"] == {"state": "rejected", "reason": "/rule_id: refused by test"}

        def reported():
            return any(
                s.get("dropped") == {"central_rejected": 1} and s["queue_depth"] == 0
                for s in list(central.statuses)
            )

        wait_for(reported, 30, 0.2, "a status post with the drop")
        last = central.statuses[-1]
        # packages: the running kernels' inventory (issue 20), when the lab has one
        assert set(last) - {"packages"} == {
            "policy_revision",
            "queue_depth",
            "dropped",
            "warden_version",
            "kernels",  # kernel guard coverage for central's Labs view (counts, no names)
        }
        assert set(last["kernels"]) >= {"total", "unguarded"}
    finally:
        lab.stop()


def test_wrong_token_keeps_events_until_central_accepts_it(tmp_path, central, lab_config):
    central.token = "wdl_other"
    lab = LabServer(tmp_path / "lab", lab_config).start()
    try:
        sent = events(0, 5)
        lab.post_events(sent)
        wait_for(
            lambda: (lab.pipeline_status()["central"]["relay_error"] or "").startswith("HTTP 401"),
            30,
            0.2,
            "the relay to report the 401",
        )
        assert central.stored == {}
        central.token = lab_config["central_token"]
        delivered(central, [e["event_id"] for e in sent])
        assert lab.pipeline_status()["store"]["dropped"] == {}
    finally:
        lab.stop()
