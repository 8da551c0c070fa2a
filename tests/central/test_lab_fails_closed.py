"""Issue 13, lab half, each attack as it was tried: real jupyter servers, real files, a fault
central on 127.0.0.1.

- a corrupt events.sqlite switched Warden off (every /warden/* answered 404);
- with the saved central policy deleted or corrupted, an older signed revision was accepted;
- one user flooding /warden/events made kernel and server events drop;
- after central came back the relay waited up to 300 s;
- the relay ignored the telemetry settings, posture rules ignored the policy;
- a plain http:// central_url to another host was accepted;
- client_dropped could be inflated by any amount; the Jupyter user was not relayed.
"""

import json
import os
import sqlite3
import threading
import time

from events_for_tests import event, events, kernel_event
from labserver_harness import LabServer, free_port, wait_for
from test_policy_source import live_policy

from jupyterlab_warden.kernel.event_spool import append_event
from jupyterlab_warden.lab.central.policy_source import REJECTED_RULE


def warden_status(lab):
    status, body = lab.request("GET", "/warden/status")
    assert status == 200, (status, body)
    return body


def protection_answers(lab):
    """The endpoints the protection needs, all answering."""
    for path in ("/warden/status", "/warden/policy", "/warden/guard/bootstrap"):
        status, body = lab.request("GET", path)
        assert status == 200, (path, status, body)
    _, bootstrap = lab.request("GET", "/warden/guard/bootstrap")
    assert bootstrap["enabled"] and "install" in bootstrap["source"]


def corrupt_middle(path, size=16384):
    """Overwrite pages in the middle of the file with garbage, as a failing disk would."""
    length = os.path.getsize(path)
    with open(path, "r+b") as fh:
        fh.seek(length // 2)
        fh.write(os.urandom(size))


def test_a_corrupt_event_store_is_moved_aside_recovered_and_reported(tmp_path):
    lab = LabServer(tmp_path / "lab", {"lab_id": "lab-a"})
    lab.start()
    try:
        sent = events(0, 400, message="m" * 400)
        for start in range(0, 400, 100):
            lab.post_events(sent[start : start + 100])
        # and what the server raised itself at start (posture findings)
        before = {r["event"]["event_id"] for r in lab.all_events()} | {e["event_id"] for e in sent}
    finally:
        lab.stop()
    store_path = tmp_path / "lab" / "data" / "warden" / "events.sqlite"
    assert (
        not os.path.exists(str(store_path) + "-wal")
        or os.path.getsize(str(store_path) + "-wal") == 0
    )
    corrupt_middle(store_path)

    lab.start()
    try:
        protection_answers(lab)
        problems = warden_status(lab)["problems"]
        assert len(problems) == 1 and "the event store was corrupt" in problems[0]
        moved = [n for n in os.listdir(store_path.parent) if ".corrupt-" in n]
        assert moved and moved[0].startswith("events.sqlite.corrupt-2")
        rows = lab.all_events()
        [raised] = [r for r in rows if r["event"]["rule_id"] == "event-store-corrupt"]
        recovered = raised["event"]["evidence"]["recovered"]
        assert 0 < recovered < 400 and raised["event"]["evidence"]["unreadable"] is True
        # what was readable is back in the queue; new events are taken
        status, body = lab.request("GET", "/warden/events?limit=500")
        kept = {r["event"]["event_id"] for r in body["events"]}
        assert len(kept & before) == recovered
        assert lab.post_events([event(999)])[0]["status"] == "accepted"
    finally:
        lab.stop()


def test_a_store_damaged_while_the_server_runs_answers_503_and_is_reported(tmp_path):
    lab = LabServer(tmp_path / "lab", {"lab_id": "lab-a"}).start()
    try:
        lab.post_events([event(1)])
        # another process (a kernel runs as the same user) damages the file under the server
        db = sqlite3.connect(str(tmp_path / "lab" / "data" / "warden" / "events.sqlite"))
        db.execute("DROP TABLE events")
        db.commit()
        db.close()
        status, body = lab.request("POST", "/warden/events", {"events": [event(2)]})
        assert status == 503 and "the event store failed while running" in body["message"]
        assert "no such table" in body["message"]
        protection_answers(lab)
        assert any("failed while running" in p for p in warden_status(lab)["problems"])
    finally:
        lab.stop()


def test_an_event_store_that_cannot_open_leaves_the_protection_running(tmp_path):
    lab = LabServer(tmp_path / "lab", {"lab_id": "lab-a"})
    (tmp_path / "lab" / "data" / "warden" / "events.sqlite").mkdir(parents=True)
    lab.start()
    try:
        protection_answers(lab)
        problems = warden_status(lab)["problems"]
        assert any("the event store cannot be opened" in p for p in problems)
        status, body = lab.request("POST", "/warden/events", {"events": [event(1)]})
        assert status == 503 and "cannot be opened" in body["message"]
    finally:
        lab.stop()


def test_no_rollback_after_the_saved_policy_is_deleted(tmp_path, central, lab_config, signing_key):
    central.set_policy(signing_key.envelope(live_policy(4)))
    lab = LabServer(tmp_path / "lab", lab_config).start()

    def central_policy():
        return lab.pipeline_status()["central"]["policy"]

    try:
        wait_for(lambda: central_policy()["revision"] == 4, 30, 0.2, "revision 4")
        central.set_policy(signing_key.envelope(live_policy(8, guard={"enabled": True})))
        wait_for(lambda: central_policy()["revision"] == 8, 30, 0.2, "revision 8")
    finally:
        lab.stop()
    # the attack: delete the saved policy (kernels can), restart, replay revision 4
    (tmp_path / "lab" / "data" / "warden" / "central-policy.json").unlink()
    central.set_policy(signing_key.envelope(live_policy(4, guard={"enabled": False})))
    lab.start()
    try:
        wait_for(
            lambda: "(old_revision)" in (central_policy()["error"] or ""),
            30,
            0.2,
            "the replay to be refused",
        )
        assert central_policy()["revision"] is None
        assert central_policy()["floor_revision"] == 8
        _, bootstrap = lab.request("GET", "/warden/guard/bootstrap")
        assert bootstrap["enabled"] is True
        refusals = [r for r in lab.all_events() if r["event"]["rule_id"] == REJECTED_RULE]
        assert refusals[0]["event"]["evidence"]["reason"] == "old_revision"
        central.set_policy(signing_key.envelope(live_policy(9)))
        wait_for(lambda: central_policy()["revision"] == 9, 30, 0.2, "revision 9")
        assert central_policy()["error"] is None
    finally:
        lab.stop()


def test_a_corrupt_saved_policy_stays_reported_through_fetch_errors(
    tmp_path, central, lab_config, signing_key
):
    central.set_policy(signing_key.envelope(live_policy(8)))
    lab = LabServer(tmp_path / "lab", lab_config).start()
    try:
        wait_for(
            lambda: lab.pipeline_status()["central"]["policy"]["revision"] == 8,
            30,
            0.2,
            "revision 8",
        )
    finally:
        lab.stop()
    (tmp_path / "lab" / "data" / "warden" / "central-policy.json").write_text('{"envel')
    central.stop()
    lab.start()
    try:

        def error():
            return lab.pipeline_status()["central"]["policy"]["error"] or ""

        wait_for(lambda: "cannot fetch policy" in error(), 30, 0.2, "a fetch error")
        assert "cannot read central-policy.json" in error()
        assert any(
            "cannot read central-policy.json" in e for e in warden_status(lab)["policy"]["errors"]
        )
    finally:
        lab.stop()


def test_a_browser_flood_does_not_make_kernel_or_server_events_drop(tmp_path, lab_config):
    # central is down for the whole test: nothing leaves the queue
    config = dict(lab_config, central_url=f"http://127.0.0.1:{free_port()}", events_max_rows=400)
    lab = LabServer(tmp_path / "lab", config).start()
    try:
        stop = threading.Event()
        refused = []

        def flood():
            n = 0
            while not stop.is_set():
                results = lab.post_events(events(n, 50))
                refused.extend(r for r in results if r["status"] == "rejected")
                n += 50

        flooder = threading.Thread(target=flood)
        flooder.start()
        try:
            wait_for(lambda: len(refused) > 200, 60, 0.1, "the browser's share to fill")
            spool = lab.pipeline_status()["spool_dir"]
            kernel = [kernel_event(10_000 + i) for i in range(40)]
            for item in kernel:
                assert append_event(item, spool)
            wait_for(
                lambda: lab.pipeline_status()["store"]["by_source"]["kernel"]["rows"] == 40,
                30,
                0.2,
                "the kernel events to be stored",
            )
        finally:
            stop.set()
            flooder.join()
        store = lab.pipeline_status()["store"]
        assert set(store["dropped"]) == {"frontend_share_full"}
        assert store["by_source"]["frontend"]["rows"] <= 300
        assert refused[0]["reason"] == "the browser's share of the lab's event queue is full"
    finally:
        lab.stop()


def test_the_relay_resumes_within_seconds_of_centrals_return(
    tmp_path, central, lab_config, signing_key
):
    # a first failure alone would make the relay wait 10..20 s before its next try
    config = dict(
        lab_config, central_backoff_initial=20.0, central_backoff_max=300.0, central_probe_max=1.0
    )
    central.set_policy(signing_key.envelope(live_policy(1)))
    lab = LabServer(tmp_path / "lab", config).start()
    try:
        wait_for(
            lambda: lab.pipeline_status()["central"]["policy"]["revision"] == 1,
            30,
            0.2,
            "revision 1",
        )
        central.stop()
        one = event(1)
        lab.post_events([one])
        wait_for(
            lambda: lab.pipeline_status()["central"]["relay_error"], 30, 0.2, "the relay to fail"
        )
        central.start()
        back = time.monotonic()
        wait_for(lambda: one["event_id"] in central.stored, 8, 0.1, "the event at central")
        assert time.monotonic() - back < 8
    finally:
        lab.stop()


def test_events_carry_the_jupyter_user_and_client_dropped_is_bounded(tmp_path, central, lab_config):
    lab = LabServer(tmp_path / "lab", lab_config).start()
    try:
        one = event(1, user="mallory")  # a user in the body is refused by the schema
        assert lab.post_events([one])[0]["status"] == "rejected"
        two = event(2)
        status, _ = lab.request(
            "POST", "/warden/events", {"events": [two], "client_dropped": 10**9}
        )
        assert status == 200
        wait_for(lambda: two["event_id"] in central.users, 30, 0.2, "the event at central")
        [row] = [r for r in lab.all_events() if r["event"]["event_id"] == two["event_id"]]
        assert central.users[two["event_id"]] == row["user"] and row["user"]
        pipeline = lab.pipeline_status()
        assert pipeline["store"]["dropped"]["frontend_queue_full"] == 5000
        assert pipeline["client_dropped_by_user"] == {row["user"]: 5000}
    finally:
        lab.stop()


def test_telemetry_settings_and_posture_rule_actions_apply(tmp_path, central, lab_config):
    admin = tmp_path / "admin-policy.json"
    admin.write_text(
        json.dumps(
            {
                "schema_version": 1,
                "revision": 1,
                "telemetry": {"enabled": True, "min_severity": "medium"},
                "rules": {
                    "server-runs-as-root": {"severity": "low"},
                    "sandbox-no-container": {"action": "off"},
                },
            }
        )
    )
    lab = LabServer(tmp_path / "lab", dict(lab_config, policy_file=str(admin))).start()
    try:
        # the lab runs as root: its start-up posture check finds it, at the admin's severity
        wait_for(
            lambda: [r for r in lab.all_events() if r["event"]["rule_id"] == "server-runs-as-root"],
            30,
            0.2,
            "the root finding",
        )
        [root] = [r for r in lab.all_events() if r["event"]["rule_id"] == "server-runs-as-root"]
        assert root["event"]["severity"] == "low"
        # below telemetry.min_severity: kept in the lab, never sent
        wait_for(
            lambda: (
                root["event"]["event_id"]
                in {
                    r["event"]["event_id"]
                    for r in lab.all_events()
                    if r["relay"]["state"] == "local"
                }
            ),
            30,
            0.2,
            "the finding to be withheld",
        )
        assert lab.pipeline_status()["store"]["withheld"]["below_min_severity"] >= 1
        # a rule switched off is not recorded at all
        off = event(3, kind="sandbox", rule_id="sandbox-no-container", severity="medium")
        [result] = lab.post_events([off])
        assert result["reason"] == "not recorded: the rule is off in this lab's policy"
        # the same from a kernel, through the spool
        spool = lab.pipeline_status()["spool_dir"]
        spooled_off = kernel_event(
            5, kind="sandbox", rule_id="sandbox-no-container", severity="medium"
        )
        marker = kernel_event(6)
        assert append_event(spooled_off, spool) and append_event(marker, spool)
        wait_for(
            lambda: marker["event_id"] in {r["event"]["event_id"] for r in lab.all_events()},
            30,
            0.2,
            "the spooled marker event",
        )
        assert spooled_off["event_id"] not in {r["event"]["event_id"] for r in lab.all_events()}
        sent = event(4, severity="high")
        lab.post_events([sent])
        wait_for(lambda: sent["event_id"] in central.stored, 30, 0.2, "the high event")
        assert off["event_id"] not in central.stored
        assert root["event"]["event_id"] not in central.stored
        # telemetry switched off: nothing more leaves the lab
        admin.write_text(
            json.dumps({"schema_version": 1, "revision": 2, "telemetry": {"enabled": False}})
        )
        wait_for(
            lambda: lab.request("GET", "/warden/policy")[1]["revision"] == 2,
            30,
            0.2,
            "revision 2 of the admin file",
        )
        late = event(5, severity="critical")
        lab.post_events([late])
        wait_for(
            lambda: lab.pipeline_status()["store"]["withheld"].get("telemetry_disabled"),
            30,
            0.2,
            "the event to be withheld",
        )
        assert late["event_id"] not in central.stored
    finally:
        lab.stop()


def test_plain_http_to_another_host_is_refused_at_start(tmp_path, lab_config):
    config = dict(lab_config, central_url="http://warden.example.org")
    lab = LabServer(tmp_path / "lab", config).start()
    try:
        problems = warden_status(lab)["problems"]
        assert any("plain http:// to warden.example.org" in p for p in problems)
        protection_answers(lab)
    finally:
        lab.stop()
