"""A fault injector speaking central's wire format (central/API.md) on 127.0.0.1.

Not a stand-in for the product: it exists to give answers the real service never gives on
purpose (500, garbage, slow, dropped connections), to go down and come back on the same port,
and to record exactly what reached it. Its event intake is idempotent on event_id like
central's, so "every event arrives exactly once" can be checked on what it stored.
"""

import base64
import gzip
import hashlib
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Optional
from urllib.parse import parse_qs, urlparse

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class SigningKey:
    def __init__(self):
        self.private = Ed25519PrivateKey.generate()
        raw = self.private.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        self.public_b64 = b64url(raw)
        self.key_id = hashlib.sha256(raw).hexdigest()[:16]

    def envelope(self, document: dict, key_id: Optional[str] = None) -> dict:
        payload = json.dumps(document).encode()
        return {"alg": "Ed25519", "key_id": key_id or self.key_id, "payload": b64url(payload),
                "signature": b64url(self.private.sign(payload))}


class FaultCentral:
    def __init__(self, port: int, token: str = "wdl_test"):
        self.port = port
        self.token = token
        self.lock = threading.Condition()
        self.stored = {}  # event_id -> event
        self.users = {}  # event_id -> the user the lab relayed with it ("users" in the POST)
        self.accepted_answers = {}  # event_id -> how often answered "accepted"
        self.duplicate_answers = {}
        self.requests = []  # (monotonic time, method, path, status)
        self.parked = 0  # policy long polls being held right now
        self.statuses = []
        self.gzip_posts = 0
        self.event_faults = []  # queue of faults for POST /events: see _fault_answer
        self.reject_ids = set()
        self.max_batch = 1000
        self.envelope: Optional[dict] = None
        self.identity = {"lab": "lab-a", "user": None, "groups": [], "role": "lab",
                         "via": "lab-token"}
        self._server: Optional[ThreadingHTTPServer] = None

    # -- lifecycle ------------------------------------------------------------------------

    def start(self) -> "FaultCentral":
        handler = _handler_for(self)
        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def set_policy(self, envelope: dict) -> None:
        with self.lock:
            self.envelope = envelope
            self.lock.notify_all()

    def etag(self) -> Optional[str]:
        if self.envelope is None:
            return None
        digest = hashlib.sha256(json.dumps(self.envelope, sort_keys=True).encode()).digest()
        return '"' + b64url(digest)[:22] + '"'

    def event_posts(self):
        return [r for r in self.requests if r[2] == "/api/v1/events"]


def _handler_for(central: FaultCentral):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def _send(self, status, body=None, headers=None, raw: Optional[bytes] = None):
            data = raw if raw is not None else (
                json.dumps(body).encode() if body is not None else b"")
            self.send_response(status)
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            if body is not None and raw is None:
                self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            with central.lock:
                central.requests.append((time.monotonic(), self.command,
                                         urlparse(self.path).path, status))

        def _authorized(self):
            if self.headers.get("Authorization") != f"Bearer {central.token}":
                self._send(401, {"error": "unauthorized", "message": "bad token"},
                           {"WWW-Authenticate": "Bearer"})
                return False
            return True

        def _body(self):
            data = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            if self.headers.get("Content-Encoding") == "gzip":
                data = gzip.decompress(data)
                with central.lock:
                    central.gzip_posts += 1
            return json.loads(data)

        def do_GET(self):
            if not self._authorized():
                return
            url = urlparse(self.path)
            if url.path == "/api/v1/whoami":
                return self._send(200, central.identity)
            if url.path != "/api/v1/policy":
                return self._send(404, {"error": "not_found", "message": "no such route"})
            wait = int(parse_qs(url.query).get("wait", ["0"])[0])
            asked = self.headers.get("If-None-Match")
            deadline = time.monotonic() + wait
            with central.lock:
                while asked and asked == central.etag() and time.monotonic() < deadline:
                    central.parked += 1
                    try:
                        central.lock.wait(deadline - time.monotonic())
                    finally:
                        central.parked -= 1
                envelope, etag = central.envelope, central.etag()
            if envelope is None:
                return self._send(503, {"error": "unavailable", "message": "no policy"},
                                  {"Retry-After": "1"})
            if asked and asked == etag:
                return self._send(304, None, {"ETag": etag})
            self._send(200, envelope, {"ETag": etag, "Cache-Control": "no-cache"})

        def do_POST(self):
            if not self._authorized():
                return
            path = urlparse(self.path).path
            body = self._body()
            if path == "/api/v1/status":
                with central.lock:
                    central.statuses.append(body)
                return self._send(204)
            if path != "/api/v1/events":
                return self._send(404, {"error": "not_found", "message": "no such route"})
            events = body["events"]
            users = body.get("users")
            if users is not None and (not isinstance(users, list) or len(users) != len(events)):
                return self._send(400, {"error": "bad_request", "message": "users"})
            with central.lock:
                fault = central.event_faults.pop(0) if central.event_faults else None
            if fault is not None and fault.get("before_store"):
                return self._fault_answer(fault)
            if len(events) > central.max_batch:
                return self._send(413, {"error": "payload_too_large", "message": "batch"})
            results = []
            with central.lock:
                for index, event in enumerate(events):
                    event_id = event.get("event_id")
                    if event_id in central.reject_ids:
                        results.append({"event_id": event_id, "status": "rejected",
                                        "reason": "/rule_id: refused by test"})
                    elif event_id in central.stored:
                        central.duplicate_answers[event_id] = (
                            central.duplicate_answers.get(event_id, 0) + 1)
                        results.append({"event_id": event_id, "status": "duplicate"})
                    else:
                        central.stored[event_id] = event
                        if users is not None:
                            central.users[event_id] = users[index]
                        central.accepted_answers[event_id] = (
                            central.accepted_answers.get(event_id, 0) + 1)
                        results.append({"event_id": event_id, "status": "accepted"})
            if fault is not None:  # stored, but the lab never hears the good answer
                return self._fault_answer(fault)
            self._send(200, {"results": results})

        def _fault_answer(self, fault):
            kind = fault["kind"]
            if kind == "status":
                return self._send(fault["status"], {"error": "x", "message": "injected"},
                                  fault.get("headers"))
            if kind == "garbage":
                return self._send(200, raw=fault["raw"],
                                  headers={"Content-Type": fault.get("type", "text/html")})
            if kind == "slow":
                time.sleep(fault["seconds"])
                return self._send(200, {"results": []})
            if kind == "drop":  # close the connection without any answer
                self.close_connection = True
                self.connection.shutdown(2)
                return None
            raise AssertionError(kind)

    return Handler
