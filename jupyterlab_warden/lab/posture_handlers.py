"""HTTP endpoints of the sandbox posture feature. Every one requires Jupyter's authentication.

``GET  /warden/posture``         server checks of this lab + catalog metadata of posture rules.
``POST /warden/posture/kernel``  a probe report from the frontend: validated, re-scored from
                                 the catalog, returned with the events to forward.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone

import jsonschema
from jupyter_server.base.handlers import APIHandler
from jupyter_server.utils import url_path_join
from tornado import web

from ..kernel.contracts import load_contract, rule_catalog
from ..kernel.probe import posture_events, scoring
from .json_body import parse_json_body
from .posture import check_server, snapshot_from_server_app

MAX_BODY = 512 * 1024
POSTURE_LAYERS = ("sandbox", "server")
KEPT_REPORT_FIELDS = ("version", "generated_at", "duration_ms", "summary")


def _now() -> str:
    return datetime.now(timezone.utc).isoformat().replace("+00:00", "Z")


def posture_catalog() -> dict:
    """Catalog entries of the sandbox and server rules, keyed by rule id."""
    return {rid: rule for rid, rule in rule_catalog().items() if rule["layer"] in POSTURE_LAYERS}


def rescore_probe_report(body: object) -> dict:
    """Validate a probe report and rebuild it from the catalog; ValueError when invalid.

    Only rule_id, status and evidence of each check are trusted from the body: severity,
    titles, remediation and the score come from the catalog, so a tampered kernel cannot
    make a failing check look harmless by relabelling it.
    """
    try:
        jsonschema.validate(body, load_contract("posture-report.schema.json"))
    except jsonschema.ValidationError as exc:
        where = "/".join(str(p) for p in exc.absolute_path) or "(root)"
        raise ValueError(f"invalid posture report at {where}: {exc.message}") from None
    assert isinstance(body, dict)  # noqa: S101 - guaranteed by the schema
    seen = set()
    results = []
    for check in body["checks"]:
        rule_id = check["rule_id"]
        if rule_id in seen:
            raise ValueError(f"invalid posture report: rule {rule_id!r} appears twice")
        seen.add(rule_id)
        results.append((rule_id, check["status"], check["evidence"]))
    try:
        checks = scoring.enrich(results, "sandbox")
    except KeyError as exc:
        raise ValueError(f"invalid posture report: {exc.args[0]}") from None
    extra = {k: body[k] for k in KEPT_REPORT_FIELDS if k in body}
    report = scoring.scored_report("sandbox", checks, **extra)
    report["received_at"] = _now()
    return report


class ServerPostureHandler(APIHandler):
    """``GET /warden/posture``: this server's configuration checks."""

    @web.authenticated
    def get(self) -> None:
        report = check_server(snapshot_from_server_app(self.serverapp))
        report["generated_at"] = _now()
        self.finish(json.dumps({"report": report, "catalog": posture_catalog()}))


class KernelPostureHandler(APIHandler):
    """``POST /warden/posture/kernel``: score a probe report sent by the frontend."""

    @web.authenticated
    def post(self) -> None:
        if len(self.request.body) > MAX_BODY:
            raise web.HTTPError(413, f"posture report larger than {MAX_BODY} bytes")
        body = parse_json_body(self.request.body, default=b"null")
        if not isinstance(body, dict) or not isinstance(body.get("report"), dict):
            raise web.HTTPError(400, 'expected {"report": {...}, "kernel_id": "..."}')
        kernel_id = body.get("kernel_id")
        if kernel_id is not None and not isinstance(kernel_id, str):
            raise web.HTTPError(400, "kernel_id must be a string")
        try:
            report = rescore_probe_report(body["report"])
        except ValueError as exc:
            # Written directly: the message quotes the body and must not pass through
            # HTTPError's %-formatting of log messages.
            self.set_status(400)
            self.finish(json.dumps({"message": str(exc), "reason": "invalid posture report"}))
            return
        events = posture_events(report, kernel_id=kernel_id)
        self.finish(json.dumps({"report": report, "events": events}))


def posture_handlers(base_url: str) -> list:
    """Route table entries for ``web_app.add_handlers``."""
    return [
        (url_path_join(base_url, "warden", "posture"), ServerPostureHandler),
        (url_path_join(base_url, "warden", "posture", "kernel"), KernelPostureHandler),
    ]
