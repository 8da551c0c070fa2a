"""``POST /warden/gate/confirm``: record a user's confirmation of exact code for one kernel.

Body ``{"kernel_id", "code_sha256"}`` or ``{"kernel_id", "code"}``, optional
``justification``. The user is the authenticated one, never taken from the body.
"""

import json
import re

from jupyter_server.base.handlers import APIHandler
from tornado import web

from .confirmations import code_sha256
from .connection import SETTINGS_KEY, principal

_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_MAX_BODY = 1024 * 1024


class GateConfirmHandler(APIHandler):
    @web.authenticated
    def post(self) -> None:
        gate = self.settings.get(SETTINGS_KEY)
        if gate is None:
            raise web.HTTPError(503, "the Warden server gate is not set up")
        if len(self.request.body) > _MAX_BODY:
            raise web.HTTPError(413, "confirmation too large")
        try:
            body = json.loads(self.request.body or b"{}")
        except ValueError as err:
            raise web.HTTPError(400, f"body is not JSON: {err}") from err
        if not isinstance(body, dict):
            raise web.HTTPError(400, "expected a JSON object")
        kernel_id = body.get("kernel_id")
        if not isinstance(kernel_id, str) or kernel_id not in self.kernel_manager:
            raise web.HTTPError(404, "kernel_id: no such running kernel")
        sha = body.get("code_sha256")
        if sha is None and isinstance(body.get("code"), str):
            sha = code_sha256(body["code"])
        if not isinstance(sha, str) or not _SHA256.match(sha):
            raise web.HTTPError(400, "code_sha256: 64 lowercase hex digits (or give code)")
        justification = body.get("justification")
        if justification is not None and not isinstance(justification, str):
            raise web.HTTPError(400, "justification: a string")
        try:
            ttl = gate.confirmations.record(
                sha, kernel_id, principal(self.current_user), justification
            )
        except OverflowError as err:
            raise web.HTTPError(429, str(err)) from err
        self.finish(json.dumps({"confirmed": sha, "kernel_id": kernel_id, "valid_seconds": ttl}))
