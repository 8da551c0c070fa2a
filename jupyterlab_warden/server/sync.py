"""The event pipeline of one lab server: store, kernel spool, relay, central policy, status.

``event_handlers(base_url, server_app)`` is the one call ``extension.py`` makes: it builds
the pipeline from the admin's ``c.Warden`` settings, starts it with the server's IO loop,
stops it when the server shuts down, and returns the ``/warden/events`` handlers.
``central_policy_source(server_app)`` is the central link of the policy chain.
"""

import asyncio
import getpass
import os
import socket
from typing import List, Optional

from jupyter_core.paths import jupyter_data_dir, jupyter_runtime_dir
from jupyter_server.utils import url_path_join
from tornado.ioloop import IOLoop

from .. import __version__
from ..event_spool import SPOOL_ENV
from .central.backoff import Backoff
from .central.client import CentralClient
from .central.policy_source import CentralPolicySource
from .central.relay import EventRelay
from .central.signing import load_public_keys
from .central.status_reporter import StatusReporter
from .events.handlers import EventPipelineStatusHandler, EventsHandler
from .events.spool import SpoolIngester
from .events.store import EventStore
from .warden_config import Warden

SETTINGS_KEY = "warden_sync"


class WardenSync:
    """Owns the pipeline's parts and their background tasks."""

    def __init__(self, config: Warden, *, data_dir: str, spool_dir: str, log) -> None:
        self.config = config
        self.log = log
        self.data_dir = data_dir
        os.makedirs(data_dir, mode=0o700, exist_ok=True)
        self.lab_id = config.lab_id or socket.gethostname()
        # Kernels and the server itself act for the user this server runs for.
        self.user = os.environ.get("JUPYTERHUB_USER") or getpass.getuser()
        self.max_body_bytes = config.events_max_body_bytes
        self.errors: List[str] = []
        self.store = EventStore(
            os.path.join(data_dir, "events.sqlite"),
            max_rows=config.events_max_rows,
            max_bytes=config.events_max_bytes,
            collapse_window=config.events_collapse_window,
            relay_enabled=bool(config.central_url),
            synchronous="FULL" if config.events_fsync else "NORMAL",
        )
        self.spool = SpoolIngester(
            SpoolIngester.prepare(spool_dir), self.store, user=self.user, lab_id=self.lab_id,
            partial_grace=config.spool_partial_grace, log=log,
        )
        # Kernels started from now on inherit the variable and write to the spool.
        os.environ[SPOOL_ENV] = spool_dir
        self.client = self._make_client()
        keys = {}
        try:
            keys = load_public_keys(config.central_public_keys)
        except ValueError as err:
            self.errors.append(f"central_public_keys: {err}")
            log.error("Warden: %s", self.errors[-1])
        self.policy_source = CentralPolicySource(
            data_dir, keys, url=config.central_url, client=self.client,
            backoff=self._backoff(), wait=config.central_policy_wait,
            poll_interval=config.central_poll_interval, raise_event=self.raise_server_event,
            log=log,
        )
        self.relay: Optional[EventRelay] = None
        self.status_reporter: Optional[StatusReporter] = None
        if self.client is not None:
            self.relay = EventRelay(
                self.store, self.client, self._backoff(), batch_size=config.central_batch_size,
                batch_bytes=config.central_batch_bytes, log=log,
            )
            self.status_reporter = StatusReporter(
                self.client, self.central_status, interval=config.central_status_interval,
                log=log,
            )
            self.policy_source.on_change.append(lambda _doc: self.status_reporter.wake())
        self._tasks: List[asyncio.Task] = []

    def _make_client(self) -> Optional[CentralClient]:
        config = self.config
        if not config.central_url:
            return None
        token = config.central_token
        if config.central_token_file:
            try:
                with open(config.central_token_file, encoding="utf-8") as fh:
                    token = fh.read().strip()
            except OSError as err:
                self.errors.append(f"central_token_file: {err.strerror}")
        if not token:
            self.errors.append("central_url is set but no central token is configured")
            self.log.error("Warden: %s", self.errors[-1])
        return CentralClient(config.central_url, token, timeout=config.central_timeout,
                             ca_file=config.central_ca_file,
                             user_agent=f"jupyter-warden/{__version__}")

    def _backoff(self) -> Backoff:
        return Backoff(self.config.central_backoff_initial, self.config.central_backoff_max,
                       self.config.central_retry_after_max)

    # -- lifecycle ----------------------------------------------------------------------

    def start(self) -> None:
        """Start the background tasks on the running loop."""
        loops = [self._spool_loop]
        if self.client is not None:
            loops += [self.relay.run, self.policy_source.run, self.status_reporter.run]
        self._tasks = [asyncio.ensure_future(self._guarded(loop)) for loop in loops]
        self.log.info("Warden event pipeline started (central: %s)",
                      self.config.central_url or "none")

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks = []
        self._ingest_spool()  # what kernels wrote during shutdown
        if self.client is not None:
            self.client.close()
        self.store.close()
        self.log.info("Warden event pipeline stopped")

    async def _spool_loop(self) -> None:
        while True:
            self._ingest_spool()
            await asyncio.sleep(self.config.spool_interval)

    def _ingest_spool(self) -> None:
        try:
            self.spool.ingest_once()
        except Exception:  # a spool problem must never stop the loop; log and go on
            self.log.exception("Warden: spool ingestion failed")

    async def _guarded(self, loop) -> None:
        """Run ``loop()`` forever: an unexpected error is logged and the loop restarted."""
        while True:
            try:
                await loop()
                return
            except asyncio.CancelledError:
                raise
            except Exception:
                self.log.exception("Warden: %s crashed; restarting it in 5 s",
                                   getattr(loop, "__qualname__", loop))
                await asyncio.sleep(5)

    # -- what others read ---------------------------------------------------------------

    def raise_server_event(self, event: dict) -> None:
        """Record an event the lab server itself raises (kind "server")."""
        self.store.add([event], user=self.user, lab_id=self.lab_id, source="server")

    def central_status(self) -> dict:
        """The body of POST /api/v1/status."""
        return {"policy_revision": self.policy_source.revision,
                "queue_depth": self.store.queue_depth(), "dropped": self.store.drops(),
                "warden_version": __version__}

    def status(self) -> dict:
        central = None
        if self.client is not None:
            central = {
                "url": self.config.central_url,
                "policy": self.policy_source.status(),
                "relay_error": self.relay.last_error,
                "delivered": self.relay.delivered,
                "status_error": self.status_reporter.last_error,
            }
        return {"lab_id": self.lab_id, "store": self.store.stats(), "central": central,
                "spool_dir": self.spool.directory, "errors": self.errors}


def event_handlers(base_url: str, server_app) -> list:
    """Build and start the pipeline for ``server_app``; return its HTTP handlers."""
    sync = sync_for(server_app)
    if sync is None:
        sync = _create(server_app)
    return [
        (url_path_join(base_url, "warden", "events"), EventsHandler, {"sync": sync}),
        (url_path_join(base_url, "warden", "events", "status"), EventPipelineStatusHandler,
         {"sync": sync}),
    ]


def sync_for(server_app) -> Optional[WardenSync]:
    """The running pipeline of ``server_app`` (e.g. ``sync_for(app).policy_source``)."""
    return server_app.web_app.settings.get(SETTINGS_KEY)


def central_policy_source(server_app) -> Optional[CentralPolicySource]:
    """The central link of the policy chain (None before ``event_handlers`` ran)."""
    sync = sync_for(server_app)
    return sync.policy_source if sync is not None else None


def _create(server_app) -> WardenSync:
    config = Warden(parent=server_app)
    data_dir = config.data_dir or os.path.join(
        getattr(server_app, "data_dir", None) or jupyter_data_dir(), "warden")
    spool_dir = config.spool_dir or os.path.join(
        getattr(server_app, "runtime_dir", None) or jupyter_runtime_dir(), "warden-spool")
    sync = WardenSync(config, data_dir=data_dir, spool_dir=spool_dir, log=server_app.log)
    server_app.web_app.settings[SETTINGS_KEY] = sync
    IOLoop.current().add_callback(sync.start)
    # jupyter_server only calls stop hooks of ExtensionApp extensions; this module-style
    # extension stops its tasks from the server's own cleanup instead.
    original_cleanup = server_app.cleanup_extensions

    async def cleanup_extensions() -> None:
        await sync.stop()
        await original_cleanup()

    server_app.cleanup_extensions = cleanup_extensions
    return sync
