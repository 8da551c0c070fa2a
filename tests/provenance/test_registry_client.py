"""The lab's registry client (issue 19): signed fleet decisions verified like the policy and
kept offline, lookups, and reports queued on disk until central takes them. Central's routes
are not on this branch yet: the round trips here run the lab's real HTTP client against a
small server on 127.0.0.1 speaking the contract (contract-registry.md) - not a substitute for
the real central round trip (two labs), which is still to do."""

import asyncio
import base64
import hashlib
import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from jupyterlab_warden.lab.artifacts.decisions import FleetDecisionStore
from jupyterlab_warden.lab.artifacts.registry import ArtifactRegistry
from jupyterlab_warden.lab.artifacts.reports import ReportOutbox, report_from_event
from jupyterlab_warden.lab.central.client import CentralClient
from jupyterlab_warden.lab.central.signing import load_public_keys

SHA_A, SHA_B = hashlib.sha256(b"a").hexdigest(), hashlib.sha256(b"b").hexdigest()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class Signer:
    def __init__(self):
        self.private = Ed25519PrivateKey.generate()
        raw = self.private.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        self.key_id = hashlib.sha256(raw).hexdigest()[:16]
        self.keys = load_public_keys({self.key_id: _b64(raw)})

    def envelope(self, doc: dict) -> dict:
        payload = json.dumps(doc).encode()
        return {
            "alg": "Ed25519",
            "key_id": self.key_id,
            "payload": _b64(payload),
            "signature": _b64(self.private.sign(payload)),
        }


def _decisions(revision: int, items) -> dict:
    return {
        "kind": "artifact-decisions",
        "revision": revision,
        "issued_at": "2026-11-30T12:00:00Z",
        "artifacts": [
            {"sha256": sha, "decision": d, "note": "", "at": "2026-11-30T12:00:00Z"}
            for sha, d in items
        ],
    }


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


class RegistryStub:
    """Speaks the lab-facing routes of contract-registry.md; records what reached it."""

    def __init__(self, signer, token="wdl_lab"):
        self.signer, self.token = signer, token
        self.envelope = signer.envelope(_decisions(1, [(SHA_A, "banned")]))
        self.verdicts = {
            SHA_B: {
                "sha256": SHA_B,
                "fleet_decision": None,
                "scan": {"verdict": "safe", "scanner_version": "v1", "at": "2026-11-30T12:00:00Z"},
                "signature": None,
                "first_seen": "2026-11-30T12:00:00Z",
            }
        }
        self.reports, self.lookups = [], []
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _answer(self, status, body=None):
                data = json.dumps(body).encode() if body is not None else b""
                self.send_response(status)
                self.send_header("Content-Length", str(len(data)))
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):  # noqa: N802
                if self.headers.get("Authorization") != f"Bearer {stub.token}":
                    return self._answer(401, {"error": "unauthorized"})
                url = urlparse(self.path)
                if url.path != "/api/v1/artifacts/decisions":
                    return self._answer(404, {"error": "not found"})
                held = json.loads(base64.urlsafe_b64decode(stub.envelope["payload"] + "=="))
                if url.query == f"since={held['revision']}":
                    return self._answer(304)
                return self._answer(200, stub.envelope)

            def do_POST(self):  # noqa: N802
                if self.headers.get("Authorization") != f"Bearer {stub.token}":
                    return self._answer(401, {"error": "unauthorized"})
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                if self.path == "/api/v1/artifacts/lookup":
                    stub.lookups.append(body["sha256"])
                    found = {s: stub.verdicts[s] for s in body["sha256"] if s in stub.verdicts}
                    return self._answer(200, {"artifacts": found})
                if self.path == "/api/v1/artifacts/reports":
                    stub.reports.extend(body["reports"])
                    return self._answer(202)
                return self._answer(404, {"error": "not found"})

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.handler = Handler
        self.server = None

    def start(self):
        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), self.handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


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
