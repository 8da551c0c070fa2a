"""The lab's registry client (issue 19): signed fleet decisions verified like the policy and
kept offline, lookups, and reports queued on disk until central takes them. Central's routes
are not on this branch yet: the round trips here run the lab's real HTTP client against a
small server on 127.0.0.1 speaking the contract (contract-registry.md) - not a substitute for
the real central round trip (two labs), which is still to do."""

import asyncio
import json

from registry_stub import SHA_A, SHA_B, RegistryStub, Signer, _b64, _decisions

from jupyterlab_warden.lab.artifacts.decisions import FleetDecisionStore
from jupyterlab_warden.lab.artifacts.registry import ArtifactRegistry
from jupyterlab_warden.lab.artifacts.reports import ReportOutbox, report_from_event
from jupyterlab_warden.lab.central.client import CentralClient


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
    assert stub.lookups == [sorted([SHA_A, SHA_B])]
    assert again == {"decisions": None, "looked_up": 0, "reported": 0, "errors": []}  # 304
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
