"""The lab's registry client (issue 19): signed fleet decisions verified like the policy and
kept offline, lookups, and reports queued on disk until central takes them. Central's routes
are not on this branch yet: the round trips here run the lab's real HTTP client against a
small server on 127.0.0.1 speaking the contract (contract-registry.md) - not a substitute for
the real central round trip (two labs), which is still to do."""

import asyncio
import json
from pathlib import Path

import jsonschema
from registry_stub import SHA_A, SHA_B, RegistryStub, Signer, _b64, _decisions

from jupyterlab_warden.lab.artifacts import registry as registry_module
from jupyterlab_warden.lab.artifacts.decisions import FleetDecisionStore
from jupyterlab_warden.lab.artifacts.registry import ArtifactRegistry
from jupyterlab_warden.lab.artifacts.reports import ReportOutbox, report_from_event
from jupyterlab_warden.lab.central.client import CentralClient

REPO = Path(__file__).resolve().parents[2]


def test_decisions_verified_like_the_policy_and_kept_offline(tmp_path):
    signer, stranger = Signer(), Signer()
    path = str(tmp_path / "decisions.json")
    store = FleetDecisionStore(path, signer.keys)
    assert store.accept(signer.envelope(_decisions(2, [(SHA_A, "banned")])))
    assert store.decisions() == {SHA_A: "banned"}
    assert not store.accept(stranger.envelope(_decisions(3, [])))  # another key
    assert "unknown_key" in store.last_error
    assert not store.accept(signer.envelope({"revision": 9, "rules": {}}))  # a policy payload
    assert "wrong_kind" in store.last_error
    assert not store.accept(signer.envelope(_decisions(1, [])))  # older: a replay
    assert "replay" in store.last_error
    assert store.decisions() == {SHA_A: "banned"}
    again = FleetDecisionStore(path, signer.keys)  # the lab restarts offline
    assert again.revision == 2 and again.decisions() == {SHA_A: "banned"}
    tampered = json.load(open(path))
    tampered["payload"] = _b64(json.dumps(_decisions(2, [(SHA_A, "trusted")])).encode())
    json.dump(tampered, open(path, "w"))
    refused = FleetDecisionStore(path, signer.keys)
    assert refused.decisions() == {} and "bad_signature" in refused.last_error


def test_decisions_floor_refuses_rollback_and_equivocation_across_restarts(tmp_path):
    signer = Signer()
    path = str(tmp_path / "decisions.json")
    store = FleetDecisionStore(path, signer.keys)
    old = signer.envelope(_decisions(3, []))  # an older signed document an attacker kept
    assert store.accept(old)
    assert store.accept(signer.envelope(_decisions(5, [(SHA_A, "banned")])))
    # Same revision, same decisions, signed again later (another replica, a new key): taken.
    again = _decisions(5, [(SHA_A, "banned")])
    again["issued_at"] = "2026-11-30T13:00:00Z"
    assert store.accept(signer.envelope(again)), store.last_error
    # Same revision, other decisions: equivocation, refused; the ban stays.
    assert not store.accept(signer.envelope(_decisions(5, [(SHA_A, "trusted")])))
    assert "equivocation" in store.last_error
    assert store.decisions() == {SHA_A: "banned"}
    # The offline copy replaced by the older signed one (or deleted): the floor file holds.
    json.dump(old, open(path, "w"))
    restarted = FleetDecisionStore(path, signer.keys)
    assert restarted.decisions() == {} and "rollback" in restarted.last_error
    assert not restarted.accept(old) and "replay" in restarted.last_error
    assert not restarted.accept(signer.envelope(_decisions(5, [(SHA_B, "trusted")])))
    assert "equivocation" in restarted.last_error
    assert restarted.accept(signer.envelope(_decisions(5, [(SHA_A, "banned")])))
    assert restarted.decisions() == {SHA_A: "banned"}
    (tmp_path / "decisions.json").unlink()
    fresh = FleetDecisionStore(path, signer.keys)
    assert not fresh.accept(signer.envelope(_decisions(4, []))) and "replay" in fresh.last_error
    assert fresh.accept(signer.envelope(_decisions(6, [])))


def test_report_from_event_names_the_file_never_its_folder():
    event = {
        "kind": "runtime",
        "rule_id": "model-signature-untrusted",
        "action": "blocked",
        "time": "2026-11-30T12:00:00.000Z",
        "location": {"kernel_id": "k/../1", "cell_id": "c1"},
        "evidence": {"sha256": SHA_A, "size": 10, "path": "/home/u/secret-project/model.pt"},
        "artifact": {
            "name": "model.pt",
            "kind": "torch",
            "signature": {"status": "untrusted", "signer": None},
        },
    }
    report = report_from_event(event)
    assert report == {
        "sha256": SHA_A,
        "size": 10,
        "name": "model.pt",
        "kind": "torch",
        "signature": {"status": "untrusted", "signer": None},
        "load": {
            "decision": "blocked",
            "at": "2026-11-30T12:00:00.000Z",
            "kernel": "k-..-1",
            "cell": "c1",
        },
    }
    assert "secret-project" not in json.dumps(report)
    unverifiable = dict(event, artifact={"signature": {"status": "unverifiable"}})
    assert "signature" not in report_from_event(unverifiable)  # not in the registry's vocabulary
    assert report_from_event({"kind": "runtime", "evidence": {}}) is None


def test_outbox_survives_a_restart_and_drops_only_what_was_acknowledged(tmp_path):
    path = str(tmp_path / "out.jsonl")
    ReportOutbox(path).add([{"sha256": SHA_A}, {"sha256": SHA_B}])
    again = ReportOutbox(path)
    assert [r["sha256"] for r in again.peek()] == [SHA_A, SHA_B]
    again.ack(1)
    assert [r["sha256"] for r in ReportOutbox(path).peek()] == [SHA_B]


def _load_event(sha, size=5):
    return {
        "kind": "runtime",
        "rule_id": "model-file-dangerous-globals",
        "action": "blocked",
        "time": "2026-11-30T12:00:00.000Z",
        "evidence": {"sha256": sha, "size": size},
        "artifact": {"name": "m.pkl", "kind": "pickle"},
    }


def test_sync_round_trip_and_nothing_lost_while_central_is_down(tmp_path):
    signer = Signer()
    stub = RegistryStub(signer)
    registry = ArtifactRegistry(str(tmp_path), signer.keys)
    assert registry.observe([_load_event(SHA_A), _load_event(SHA_B), {"kind": "static"}]) == 2

    async def rounds():
        client = CentralClient(f"http://127.0.0.1:{stub.port}", "wdl_lab", timeout=5)
        try:
            down = await registry.sync_once(client)  # nobody listening yet
            down["kept"] = len(ArtifactRegistry(str(tmp_path), signer.keys).outbox)  # on disk
            stub.start()
            up = await registry.sync_once(client)
            again = await registry.sync_once(client)
            return down, up, again
        finally:
            client.close()
            stub.stop()

    down, up, again = asyncio.run(rounds())
    assert down["reported"] == 0 and len(down["errors"]) == 3 and down["kept"] == 2
    assert up["decisions"] is True and up["reported"] == 2 and up["errors"] == []
    assert [r["sha256"] for r in stub.reports] == [SHA_A, SHA_B]
    # asked again next round (A had no verdict yet, B's may have changed); decisions: 304
    assert stub.lookups == [sorted([SHA_A, SHA_B])] * 2
    assert again == {
        "decisions": None, "looked_up": 2, "reported": 0, "set_aside": 0, "errors": []
    }  # fmt: skip
    pushed = registry.for_kernels()
    assert pushed == {
        "decisions": {SHA_A: "banned"},
        "scans": {SHA_B: {"verdict": "safe", "scanner_version": "v1"}},
    }
    offline = ArtifactRegistry(str(tmp_path), signer.keys)  # restart without central
    assert offline.for_kernels() == pushed


def test_refused_reports_stay_queued(tmp_path):
    signer = Signer()
    stub = RegistryStub(signer, token="another-token")
    registry = ArtifactRegistry(str(tmp_path), signer.keys)
    registry.observe([_load_event(SHA_A)])
    stub.start()

    async def one():
        client = CentralClient(f"http://127.0.0.1:{stub.port}", "wdl_lab", timeout=5)
        try:
            return await registry.sync_once(client)
        finally:
            client.close()
            stub.stop()

    done = asyncio.run(one())
    assert done["reported"] == 0 and any("401" in e for e in done["errors"])
    assert len(registry.outbox) == 1


def _hub_event(sha, hub, name="model.bin", kind="torch", time="2026-11-30T12:00:00.000Z"):
    return {
        "kind": "runtime",
        "rule_id": "artifact-loaded",
        "action": "allowed",
        "time": time,
        "evidence": {"sha256": sha, "size": 7},
        "artifact": {"name": name, "kind": kind, "source": {"hub": hub}},
    }


def test_reports_are_made_valid_for_central_field_by_field():
    """Each field central's schema would refuse is cut or dropped, not the report (and not,
    at central, the whole batch)."""
    wrap = {"reports": []}
    long = _hub_event(
        SHA_A, {"repo": "org/m", "revision": "r" * 300, "filename": "f" * 600, "extra": 1}
    )
    report = report_from_event(long)
    assert report["source"]["hub"] == {
        "repo": "org/m",
        "revision": "r" * 200,
        "filename": "f" * 500,
    }
    wrap["reports"].append(report)
    spaced = report_from_event(_hub_event(SHA_A, {"repo": "org/my model"}))
    assert "source" not in spaced and spaced["load"]["decision"] == "allowed"
    bom = report_from_event(_hub_event(SHA_A, {"repo": "org/m\ufeff"}))  # \s to JavaScript
    assert "source" not in bom
    dots = report_from_event(_hub_event(SHA_A, {"repo": "org/m"}, name="..", kind="Torch!"))
    assert dots["name"] == SHA_A[:16] and dots["kind"] == "other" and "source" in dots
    untimed = report_from_event(_hub_event(SHA_B, {"repo": "org/m"}, time="yesterday"))
    assert "load" not in untimed and untimed["source"] == {"hub": {"repo": "org/m"}}
    scanned = _hub_event(SHA_B, {"repo": "org/m"})
    scanned.update(rule_id=None, evidence={"sha256": SHA_B, "size": 7, "verdict": "safe"})
    scanned["evidence"]["scanner_version"] = "v" * 150
    scanned = report_from_event(scanned)  # the scan is kept: its verdict matters most
    assert scanned["scan"] == {"verdict": "safe", "scanner_version": "v" * 100, "rules": []}
    wrap["reports"] += [spaced, bom, dots, untimed, scanned]
    schema = json.load(open(REPO / "schema" / "artifact-report.schema.json"))
    jsonschema.validate(wrap, schema, format_checker=jsonschema.FormatChecker())


def _round(registry, stub, rounds=1):
    async def run():
        client = CentralClient(f"http://127.0.0.1:{stub.port}", "wdl_lab", timeout=5)
        try:
            return [await registry.sync_once(client) for _ in range(rounds)]
        finally:
            client.close()

    stub.start()
    try:
        return asyncio.run(run())
    finally:
        stub.stop()


def test_a_report_central_refuses_is_set_aside_and_the_rest_delivered(tmp_path):
    signer = Signer()
    stub = RegistryStub(signer)
    registry = ArtifactRegistry(str(tmp_path), signer.keys)
    good = [report_from_event(_load_event(SHA_A)), report_from_event(_load_event(SHA_B))]
    bad = dict(good[0], name="..")  # queued by an older lab, or a rule central added since
    registry.outbox.add([good[0], bad, good[1]])
    first, second = _round(registry, stub, rounds=2)
    assert [r["sha256"] for r in stub.reports] == [SHA_A, SHA_B]
    assert first["reported"] == 2 and first["set_aside"] == 1 and stub.refused >= 1
    assert second["reported"] == 0 and second["set_aside"] == 0 and second["errors"] == []
    assert len(registry.outbox) == 0
    assert registry.status() == {"queued": 0, "dropped": 0, "set_aside": 1}
    assert "set aside" in registry.problems()[0]
    assert ReportOutbox(str(tmp_path / "artifact-reports-refused.jsonl")).peek() == [bad]


def test_outbox_is_bounded_oldest_dropped_and_counted(tmp_path):
    path = str(tmp_path / "out.jsonl")
    reports = [{"sha256": f"{i:064x}"} for i in range(6)]
    by_count = ReportOutbox(path, max_reports=4)
    by_count.add(reports[:3])
    by_count.add(reports[3:])
    assert by_count.peek() == reports[2:] and by_count.dropped == 2
    line = len(json.dumps(reports[0], separators=(",", ":"))) + 1
    by_bytes = ReportOutbox(str(tmp_path / "b.jsonl"), max_bytes=3 * line)
    by_bytes.add(reports)
    assert by_bytes.peek() == reports[3:] and by_bytes.dropped == 3
    assert ReportOutbox(path).peek() == reports[2:]  # what is kept survives a restart


def test_cached_verdicts_are_looked_up_again_and_a_later_dangerous_wins(tmp_path):
    signer = Signer()
    stub = RegistryStub(signer)
    registry = ArtifactRegistry(str(tmp_path), signer.keys)
    registry.observe([_load_event(SHA_B)])
    _round(registry, stub)
    assert registry.for_kernels()["scans"][SHA_B]["verdict"] == "safe"
    stub.verdicts[SHA_B]["scan"] = dict(stub.verdicts[SHA_B]["scan"], verdict="dangerous")
    _round(registry, stub)
    assert registry.for_kernels()["scans"][SHA_B]["verdict"] == "dangerous"
    restarted = ArtifactRegistry(str(tmp_path), signer.keys)  # the refresh is on disk
    assert restarted.for_kernels()["scans"][SHA_B]["verdict"] == "dangerous"
    del stub.verdicts[SHA_B]  # central no longer holds one: the lab forgets its copy
    _round(restarted, stub)
    assert restarted.for_kernels()["scans"] == {}


def test_refresh_asks_new_sha256s_first_then_the_least_recently_asked(tmp_path, monkeypatch):
    signer = Signer()
    stub = RegistryStub(signer)
    registry = ArtifactRegistry(str(tmp_path), signer.keys)
    old = [f"{i:064x}" for i in range(3)]
    for when, sha in enumerate(old):
        registry.scans.update({"artifacts": {}}, [sha], now=float(when))
    monkeypatch.setattr(registry_module, "MAX_LOOKUP", 3)
    registry.observe([_load_event(SHA_A)])
    _round(registry, stub, rounds=2)
    # round 2: old[2] (asked longest ago), then those asked in round 1 (ties: by sha256)
    assert stub.lookups == [[SHA_A, old[0], old[1]], [old[2], old[0], old[1]]]


def test_decisions_that_cannot_be_saved_hold_in_memory_and_the_round_goes_on(tmp_path):
    """Red-team finding F17: an OSError writing the offline copy or the floor is recorded, not
    raised out of the round (which would skip the reports and the kernels' push)."""
    signer = Signer()
    stub = RegistryStub(signer)
    registry = ArtifactRegistry(str(tmp_path), signer.keys)
    registry.observe([_load_event(SHA_B)])
    # a folder where each write's temporary file goes: both writes fail (EISDIR), even as root
    blocked = [
        tmp_path / "artifact-decisions.json.tmp",
        tmp_path / "artifact-decisions-floor.json.tmp",
    ]
    for path in blocked:
        path.mkdir()
    (first,) = _round(registry, stub)
    assert first["decisions"] is True and first["reported"] == 1  # the round went on
    assert registry.for_kernels()["decisions"] == {SHA_A: "banned"}  # held in memory
    assert any("not saved" in e and "offline copy" in e and "floor" in e for e in first["errors"])
    assert any("not saved" in p for p in registry.problems())
    assert not (tmp_path / "artifact-decisions.json").exists()

    for path in blocked:
        path.rmdir()
    (second,) = _round(registry, stub)  # central answers 304: the pending writes happen now
    assert second["decisions"] is None and second["errors"] == []
    assert registry.problems() == [] and registry.decisions.save_error is None
    restarted = ArtifactRegistry(str(tmp_path), signer.keys)  # offline, from what was saved
    assert restarted.for_kernels()["decisions"] == {SHA_A: "banned"}
    assert restarted.decisions.last_error is None  # the floor was written too
