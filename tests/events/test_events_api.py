"""``/warden/events`` on a real jupyter server (subprocess, real HTTP, real kernel)."""

import json
import signal
import textwrap
import uuid

import pytest
from events_for_tests import event
from jupyter_client import BlockingKernelClient
from labserver_harness import LabServer, wait_for


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    server = LabServer(
        tmp_path_factory.mktemp("lab"), {"events_max_body_bytes": 64 * 1024, "spool_interval": 0.2}
    )
    server.start()
    yield server
    server.stop()


def test_post_answers_per_event(lab):
    good = event(1)
    results = lab.post_events([good, good, event(2, severity="nope"), 42])
    assert [r["status"] for r in results] == ["accepted", "duplicate", "rejected", "rejected"]
    assert results[0]["event_id"] == good["event_id"]
    assert "severity" in results[2]["reason"]
    # a retry of the same post is idempotent
    assert [r["status"] for r in lab.post_events([good])] == ["duplicate"]


def test_identity_is_stamped_by_the_server(lab):
    spoofed = event(3, location={"path": "x.ipynb"})
    spoofed["user"] = "root"
    [result] = lab.post_events([spoofed])
    assert result["status"] == "rejected" and "user" in result["reason"]
    good = event(4)
    lab.post_events([good])
    row = next(r for r in lab.all_events() if r["event"]["event_id"] == good["event_id"])
    # the token user of a plain jupyter server is an anonymous-style name, never the body's
    assert row["user"] and row["user"] != "root"
    assert row["event"]["source"] == "frontend"


@pytest.mark.parametrize(
    ("raw", "status", "needle"),
    [
        (b"{not json", 400, "not valid JSON"),
        (b'{"event": []}', 400, '{"events": [ ... ]}'),
        (b"[]", 400, '{"events": [ ... ]}'),
        (json.dumps({"events": ["x"] * 1001}).encode(), 413, "more than 1000 events"),
        (b'{"events": ["' + b"x" * 70000 + b'"]}', 413, "larger than 65536 bytes"),
    ],
)
def test_malformed_posts_get_a_clear_error(lab, raw, status, needle):
    code, body = lab.request(
        "POST", "/warden/events", raw=raw, headers={"Content-Type": "application/json"}
    )
    assert code == status
    assert needle in body["message"]


def test_bad_posts_are_counted_as_drops(lab):
    before = lab.pipeline_status()["store"]["dropped"]
    lab.request("POST", "/warden/events", raw=b"{oops")
    after = lab.pipeline_status()["store"]["dropped"]
    assert after.get("malformed_request", 0) == before.get("malformed_request", 0) + 1


def test_requires_authentication(lab):
    code, _ = lab.request("GET", "/warden/events", token=False)
    assert code == 403
    code, _ = lab.request("POST", "/warden/events", {"events": [event(5)]}, token=False)
    assert code == 403
    code, _ = lab.request("GET", "/warden/events/status", token=False)
    assert code == 403


def test_get_pages_through_events(lab):
    ids = [e["event_id"] for e in [event(100 + i) for i in range(30)]]
    lab.post_events([event(100 + i, event_id=ids[i]) for i in range(30)])
    code, first = lab.request("GET", "/warden/events?limit=10")
    assert code == 200 and len(first["events"]) == 10
    assert first["events"][0]["event"]["event_id"] == ids[-1]  # newest first
    code, older = lab.request("GET", f"/warden/events?limit=10&before={first['oldest']}")
    assert [e["event"]["event_id"] for e in older["events"]] == list(reversed(ids[10:20]))
    since = older["events"][0]["seq"]
    code, forward = lab.request("GET", f"/warden/events?since={since}&limit=500")
    assert [e["event"]["event_id"] for e in forward["events"]] == ids[20:]
    assert forward["cursor"] == first["cursor"]
    for bad in ("limit=0", "limit=501", "since=abc", "before=-1"):
        code, body = lab.request("GET", f"/warden/events?{bad}")
        assert code == 400, bad


def test_a_real_kernel_reaches_the_store_through_the_spool(lab):
    code, kernel = lab.request("POST", "/api/kernels", {"name": "python3"})
    assert code == 201, kernel
    client = BlockingKernelClient()
    client.load_connection_file(str(lab.workdir / "runtime" / f"kernel-{kernel['id']}.json"))
    # No heartbeat: a client without a kernel manager calls the kernel dead as soon as one
    # heartbeat goes unanswered within a second, which a kernel still starting misses on a busy
    # machine; the kernel_info reply (and the execute reply below) prove it is alive.
    client.start_channels(hb=False)
    try:
        client.wait_for_ready(timeout=60)
        event_id = uuid.uuid4().hex
        code = textwrap.dedent(f"""
            import os
            from jupyterlab_warden.kernel.event_spool import append_event
            assert os.environ["WARDEN_EVENT_SPOOL"]
            assert append_event({{"event_id": "{event_id}", "time": "2026-11-25T22:00:00Z",
                "kind": "runtime", "rule_id": "pickle-blocked-global",
                "severity": "critical", "action": "blocked",
                "fingerprint": "00000000deadbeef", "evidence": {{"global": "os.system"}}}})
        """)
        reply = client.execute_interactive(code, timeout=60)
        assert reply["content"]["status"] == "ok", reply["content"]
    finally:
        client.stop_channels()
        lab.request("DELETE", f"/api/kernels/{kernel['id']}")

    def arrived():
        return next((r for r in lab.all_events() if r["event"]["event_id"] == event_id), None)

    row = wait_for(arrived, 30, 0.2, "the kernel's event")
    assert row["event"]["source"] == "kernel" and row["event"]["kind"] == "runtime"


def test_events_survive_a_restart_and_shutdown_is_clean(tmp_path):
    server = LabServer(tmp_path / "lab").start()
    events = [event(200 + i) for i in range(20)]
    server.post_events(events)
    assert server.stop(signal.SIGTERM) == 0
    assert "Warden event pipeline stopped" in server.log_text()
    server.start()
    try:
        stored = {r["event"]["event_id"] for r in server.all_events()}
        assert {e["event_id"] for e in events} <= stored
        assert [r["status"] for r in server.post_events(events[:2])] == ["duplicate"] * 2
        status = server.pipeline_status()
        # The lab also records its own posture findings at start (source "server").
        own = [r for r in server.all_events() if r["event"].get("source") == "server"]
        assert all(r["event"]["kind"] == "server" for r in own)
        assert status["central"] is None and status["store"]["rows"] == 20 + len(own)
    finally:
        server.stop()


def test_fuzzed_posts_never_break_the_endpoint(lab):
    import random

    rng = random.Random(99)
    odd = [None, True, -1, 2**70, 1.5, "", "x" * 3000, [], {}, {"a": [1]}, "static", "\u0000"]
    for _ in range(150):
        roll = rng.random()
        if roll < 0.2:
            raw = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 300)))
        elif roll < 0.4:
            raw = json.dumps(rng.choice(odd + [{"events": rng.choice(odd)}])).encode()
        else:
            batch = []
            for i in range(rng.randrange(1, 6)):
                item = event(5000 + i)
                for _ in range(rng.randrange(0, 3)):
                    item[rng.choice(list(item) + ["user", "extra"])] = rng.choice(odd)
                batch.append(item)
            raw = json.dumps({"events": batch}).encode()
        code, body = lab.request(
            "POST", "/warden/events", raw=raw, headers={"Content-Type": "application/json"}
        )
        assert code in (200, 400, 413), (code, body)
        if code == 200:
            sent = json.loads(raw)["events"]
            assert len(body["results"]) == len(sent)
            assert {r["status"] for r in body["results"]} <= {"accepted", "duplicate", "rejected"}
    assert lab.pipeline_status()["store"]["rows"] > 0


def test_drops_reported_by_the_browser_are_counted(lab):
    status, _ = lab.request("POST", "/warden/events", {"events": [], "client_dropped": 7})
    assert status == 200
    assert lab.pipeline_status()["store"]["dropped"].get("frontend_queue_full") == 7


def test_odd_input_gets_a_clear_answer_never_a_500(lab):
    """Issue 13 (low): a lone surrogate, an overflowing cursor and very deep JSON were 500s."""
    one = event(1, message="x")
    raw = json.dumps({"events": [one, event(2)]}).replace('"message": "x"', '"message": "\\ud800"')
    status, body = lab.request(
        "POST", "/warden/events", raw=raw.encode(), headers={"Content-Type": "application/json"}
    )
    assert status == 200
    assert [r["status"] for r in body["results"]] == ["rejected", "accepted"]
    assert body["results"][0]["reason"] == (
        "event holds text that is not valid Unicode (a lone surrogate)"
    )
    for cursor in ("since", "before"):
        status, body = lab.request("GET", f"/warden/events?{cursor}=" + "9" * 30)
        assert status == 400 and f"{cursor} must be between" in body["message"]
    deep = b"[" * 30000 + b"]" * 30000
    for method, path in (
        ("POST", "/warden/events"),
        ("PUT", "/warden/policy/user"),
        ("POST", "/warden/posture/kernel"),
    ):
        status, body = lab.request(method, path, raw=deep)
        assert status == 400 and body["message"] == "request body is nested too deeply", path
    status, body = lab.request("PUT", "/warden/policy/user", raw=b'{"rules": {"\\udc00": {}}}')
    assert status == 400 and "not valid Unicode" in body["message"]
