"""``/warden/events``: the frontend posts events here and the findings UI reads them back.

Identity is stamped from Jupyter's authenticated user, never read from the body.
"""

import functools
import json
import sqlite3

from jupyter_server.base.handlers import APIHandler
from tornado import web

from ..json_body import parse_json_body

# Most events in one POST; matches central's batch limit.
MAX_EVENTS_PER_POST = 1000
MAX_LIMIT = 500
MAX_SEQ = 2**62  # SQLite integers are 64-bit: a larger cursor is a 400, not an overflow


def _store_errors(method):
    """A store that fails while the server runs (its file damaged under it) answers 503 with
    the reason and is reported in /warden/status, instead of an unexplained 500."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except sqlite3.DatabaseError as err:
            raise web.HTTPError(503, self.sync.store_failed(err)) from None

    return wrapper


class EventsHandler(APIHandler):
    """``POST`` a batch ``{"events": [...]}``; ``GET ?limit=&since=&before=`` recent events."""

    def initialize(self, sync) -> None:
        self.sync = sync

    def _store(self):
        if self.sync.store is None:  # the lab runs on without a queue; say why
            raise web.HTTPError(503, "; ".join(self.sync.errors) or "no event store")
        return self.sync.store

    @web.authenticated
    @_store_errors
    def post(self) -> None:
        store = self._store()
        if len(self.request.body) > self.sync.max_body_bytes:
            store.count_drop("request_too_large")
            raise web.HTTPError(
                413, f"request body is larger than {self.sync.max_body_bytes} bytes"
            )
        try:
            body = parse_json_body(self.request.body, check_text=False)
        except web.HTTPError:
            store.count_drop("malformed_request")
            raise
        events = body.get("events") if isinstance(body, dict) else None
        if not isinstance(events, list):
            store.count_drop("malformed_request")
            raise web.HTTPError(400, 'request body must be {"events": [ ... ]}')
        if len(events) > MAX_EVENTS_PER_POST:
            store.count_drop("request_too_large", len(events))
            raise web.HTTPError(413, f"more than {MAX_EVENTS_PER_POST} events in one request")
        user = _username(self.current_user)
        # The browser's own queue is bounded too: it reports what it had to drop, so every
        # drop is counted here (bounded, per user) and relayed in the status to central.
        self.sync.count_client_dropped(user, body.get("client_dropped", 0))
        results = self.sync.add_events(events, user=user, source="frontend")
        self.finish(json.dumps({"results": results}))

    @web.authenticated
    @_store_errors
    def get(self) -> None:
        limit = self._int_arg("limit", 100, 1, MAX_LIMIT)
        since = self._int_arg("since", None, 0, MAX_SEQ)
        before = self._int_arg("before", None, 0, MAX_SEQ)
        events = self._store().recent(limit=limit, since=since, before=before)
        cursor = max([e["seq"] for e in events], default=since or 0)
        self.finish(
            json.dumps(
                {
                    "events": events,
                    "cursor": cursor,
                    "oldest": min([e["seq"] for e in events], default=None),
                }
            )
        )

    def _int_arg(self, name, default, low, high):
        raw = self.get_query_argument(name, None)
        if raw is None:
            return default
        try:
            value = int(raw)
        except ValueError:
            raise web.HTTPError(400, f"{name} must be an integer") from None
        if value < low or (high is not None and value > high):
            raise web.HTTPError(400, f"{name} must be between {low} and {high or 'any'}")
        return value


class EventPipelineStatusHandler(APIHandler):
    """``GET /warden/events/status``: queue depth, drops by reason, central link state."""

    def initialize(self, sync) -> None:
        self.sync = sync

    @web.authenticated
    def get(self) -> None:
        self.finish(json.dumps(self.sync.status()))


def _username(user) -> str:
    name = getattr(user, "username", None) or getattr(user, "name", None)
    return str(name or user)
