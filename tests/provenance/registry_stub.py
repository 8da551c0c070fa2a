"""A stand-in for central's lab-facing artifact routes (contract-registry.md) on 127.0.0.1:
central's own routes are not on this branch yet. It answers lookups from the verdicts it holds
and the scans labs reported, like the registry does, and records what reached it."""

import base64
import hashlib
import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlparse

import jsonschema
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from jupyterlab_warden.lab.central.signing import load_public_keys

REPORT_SCHEMA = json.loads(
    (Path(__file__).resolve().parents[2] / "schema" / "artifact-report.schema.json").read_text()
)

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
        self.reports, self.lookups, self.refused = [], [], 0
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
                    found = {s: stub.verdict(s) for s in body["sha256"] if stub.verdict(s)}
                    return self._answer(200, {"artifacts": found})
                if self.path == "/api/v1/artifacts/reports":
                    try:  # like central: one invalid report refuses the whole batch
                        jsonschema.validate(
                            body, REPORT_SCHEMA, format_checker=jsonschema.FormatChecker()
                        )
                    except jsonschema.ValidationError as err:
                        stub.refused += 1
                        return self._answer(400, {"error": err.message[:200]})
                    stub.reports.extend(body["reports"])
                    return self._answer(202)
                return self._answer(404, {"error": "not found"})

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.handler = Handler
        self.server = None

    def verdict(self, sha):
        """What central would answer: a stored verdict, else the first reported scan."""
        if sha in self.verdicts:
            return self.verdicts[sha]
        for report in self.reports:
            if report["sha256"] == sha and "scan" in report:
                scan = dict(report["scan"], at="2026-11-30T12:00:00Z")
                scan.pop("rules", None)
                return {
                    "sha256": sha,
                    "fleet_decision": None,
                    "scan": scan,
                    "signature": report.get("signature"),
                    "first_seen": "2026-11-30T12:00:00Z",
                }
        return None

    def start(self):
        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), self.handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
