"""The event pipeline of one lab server: store, kernel spool, relay, status to central.

``start_pipeline(server_app, config, link, policy)`` is the one call ``extension.py`` makes
after the protection (policy, guard bootstrap) is already in place: it builds the pipeline
from the admin's ``c.Warden`` settings, starts it with the server's IO loop, stops it when
the server shuts down, and returns the ``/warden/events`` handlers.

A corrupt event store is moved aside and replaced (``events.recovery``); a store that cannot
be opened at all leaves the pipeline running without one: /warden/events answers 503 with
the reason, and the problem shows in /warden/status and the status bar.
"""

import asyncio
import getpass
import hashlib
import os
import secrets
from datetime import datetime, timezone
from typing import Callable, Dict, List, Optional

from jupyter_server.utils import url_path_join
from tornado.ioloop import IOLoop

from .. import __version__
from ..kernel.boot.status import kernels_status
from ..kernel.contracts import rule_catalog
from ..kernel.event_spool import SPOOL_ENV
from . import inventory
from .central.backoff import Backoff
from .central.link import CentralLink
from .central.relay import EventRelay
from .central.status_reporter import StatusReporter, kernel_coverage
from .events.handlers import EventPipelineStatusHandler, EventsHandler
from .events.recovery import Recovery, open_event_store
from .events.rule_policy import apply_rule_policy
from .events.session_paths import current_notebook, kernel_paths
from .events.spool import SpoolIngester
from .events.store import EventStore
from .kernel_launch import SETTINGS_KEY as KERNEL_STATUS_DIR
from .warden_config import Warden

SETTINGS_KEY = "warden_sync"
STORE_CORRUPT_RULE = "event-store-corrupt"


class WardenSync:
    """Owns the pipeline's parts and their background tasks."""

    def __init__(
        self,
        config: Warden,
        link: CentralLink,
        *,
        data_dir: str,
        spool_dir: str,
        lab_id: str,
        policy: Callable[[], dict] = dict,
        root_dir: str = "",
        session_manager=None,
        log,
    ) -> None:
        self.config = config
        self.root_dir = root_dir  # the server's root: event locations are made relative to it
        # the server's sessions: a kernel's events name its notebook as it is called now
        # (``session_paths``), read again before each look at the spool
        self.session_manager = session_manager
        self._kernel_paths: Dict[str, str] = {}
        self.log = log
        self.link = link
        self.data_dir = data_dir
        self.lab_id = lab_id
        self.policy = policy  # () -> the lab's effective policy
        # Kernels and the server itself act for the user this server runs for.
        self.user = os.environ.get("JUPYTERHUB_USER") or getpass.getuser()
        self.max_body_bytes = config.events_max_body_bytes
        self.errors: List[str] = []  # problems of the pipeline, shown in /warden/status
        self.store: Optional[EventStore] = None
        recovery: Optional[Recovery] = None
        try:
            os.makedirs(data_dir, mode=0o700, exist_ok=True)
            self.store, recovery = open_event_store(
                os.path.join(data_dir, "events.sqlite"),
                max_rows=config.events_max_rows,
                max_bytes=config.events_max_bytes,
                collapse_window=config.events_collapse_window,
                relay_enabled=bool(config.central_url),
                synchronous="FULL" if config.events_fsync else "NORMAL",
                frontend_share=config.events_frontend_share,
                kernel_share=config.events_kernel_share,
            )
        except Exception as err:  # the lab runs on without a queue, and says so
            self._error(f"the event store cannot be opened: {err}")
        if recovery is not None:
            self._error(recovery.message())
            self.raise_server_event(_store_corrupt_event(recovery))
        self.spool: Optional[SpoolIngester] = None
        if self.store is not None:
            self.spool = SpoolIngester(
                SpoolIngester.prepare(spool_dir),
                self.store,
                user=self.user,
                lab_id=self.lab_id,
                partial_grace=config.spool_partial_grace,
                log=log,
                shape=self._shape,
            )
            # Kernels started from now on inherit the variable and write to the spool.
            os.environ[SPOOL_ENV] = spool_dir
            link.attach(self.raise_server_event)
        self.client = link.client
        self.policy_source = link.policy_source
        self.relay: Optional[EventRelay] = None
        self.status_reporter: Optional[StatusReporter] = None
        if self.client is not None:
            if self.store is not None:
                self.relay = EventRelay(
                    self.store,
                    self.client,
                    self._backoff(),
                    batch_size=config.central_batch_size,
                    batch_bytes=config.central_batch_bytes,
                    log=log,
                    policy=policy,
                )
                self.policy_source.on_reachable.append(self.relay.central_reachable)
            self.status_reporter = StatusReporter(
                self.client,
                self.central_status,
                interval=config.central_status_interval,
                log=log,
            )
            self.policy_source.on_change.append(lambda _doc: self.status_reporter.wake())
        self._client_dropped: Dict[str, int] = {}
        self._tasks: List[asyncio.Task] = []

    def _error(self, message: str) -> None:
        self.errors.append(message)
        self.log.error("Warden: %s", message)

    def _backoff(self) -> Backoff:
        return Backoff(
            self.config.central_backoff_initial,
            self.config.central_backoff_max,
            self.config.central_retry_after_max,
        )

    # -- lifecycle ----------------------------------------------------------------------

    def start(self) -> None:
        """Start the background tasks on the running loop."""
        loops = []
        if self.spool is not None:
            loops.append(self._spool_loop)
        if self.relay is not None:
            loops.append(self.relay.run)
        if self.status_reporter is not None:
            loops.append(self.status_reporter.run)
        self._tasks = [asyncio.ensure_future(self._guarded(loop)) for loop in loops]
        self.log.info(
            "Warden event pipeline started (central: %s)", self.config.central_url or "none"
        )

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks = []
        if self.spool is not None:
            await self._read_sessions()
            self._ingest_spool()  # what kernels wrote during shutdown
        if self.store is not None:
            self.store.close()
        self.log.info("Warden event pipeline stopped")

    async def _spool_loop(self) -> None:
        while True:
            await self._read_sessions()
            self._ingest_spool()
            await asyncio.sleep(self.config.spool_interval)

    async def _read_sessions(self) -> None:
        """The kernels' current notebook paths; on a failure the last ones read are kept (a
        kernel's event then names the notebook as it was called then, or as the kernel does)."""
        if self.session_manager is None:
            return
        try:
            self._kernel_paths = await kernel_paths(self.session_manager)
        except Exception:  # noqa: BLE001 - never costs the events: they keep the kernel's path
            self.log.exception("Warden: cannot read the server's sessions")

    def _ingest_spool(self) -> None:
        try:
            self.spool.ingest_once()
        except Exception:  # a spool problem must never stop the loop; log and go on
            self.log.exception("Warden: spool ingestion failed")

    async def _guarded(self, loop) -> None:
        await guarded(loop, self.log)

    # -- intake ---------------------------------------------------------------------------

    def add_events(self, events: list, *, user: str, source: str) -> List[dict]:
        """Record events received for ``user``; posture findings go through the policy
        first (a rule switched off is not recorded, a severity override applies)."""
        policy, catalog = self.policy(), rule_catalog()
        results: List[Optional[dict]] = []
        kept = []
        for event in events:
            shaped = apply_rule_policy(relative_where(event, self.root_dir), policy, catalog)
            if shaped is None:
                results.append(_not_recorded(event))
            else:
                results.append(None)
                kept.append(shaped)
        stored = iter(self.store.add(kept, user=user, lab_id=self.lab_id, source=source))
        return [r if r is not None else next(stored) for r in results]

    def _shape(self, events: list) -> list:
        """Spooled events as the policy wants them; posture rules switched off left out.
        ``observers`` (the artifact registry, issue 19) see the kernels' events kept."""
        policy, catalog = self.policy(), rule_catalog()
        paths = self._kernel_paths
        shaped = (
            apply_rule_policy(
                relative_where(current_notebook(event, paths), self.root_dir), policy, catalog
            )
            for event in events
        )
        kept = [event for event in shaped if event is not None]
        for observe in getattr(self, "observers", ()):
            try:
                observe(kept)
            except Exception:  # noqa: BLE001 - an observer never costs the events themselves
                self.log.exception("Warden: an event observer failed")
        return kept

    def raise_server_event(self, event: dict) -> None:
        """Record an event the lab server itself raises (kind "server")."""
        if self.store is not None:
            self.add_events([event], user=self.user, source="server")

    def store_failed(self, err: Exception) -> str:
        """Record that the store failed while running; the message for the client."""
        detail = " ".join(str(err).split())[:200]
        if "locked" in detail or "busy" in detail:
            return f"the event store is busy ({detail}); retry"
        message = (
            f"the event store failed while running ({detail}); restart the server to move "
            "it aside and recover what is readable"
        )
        if message not in self.errors:
            self._error(message)
        return message

    def count_client_dropped(self, user: str, reported: object) -> int:
        """Count what a browser says its own queue dropped, bounded: one report cannot
        claim more than the browser's queue holds, and the count is attributed to the user."""
        if not isinstance(reported, int) or isinstance(reported, bool) or reported <= 0:
            return 0
        n = min(reported, self.config.events_client_dropped_max)
        self.store.count_drop("frontend_queue_full", n)
        self._client_dropped[user] = self._client_dropped.get(user, 0) + n
        if n < reported:
            self.log.warning(
                "Warden: %s reported %d events dropped by the browser; counted %d",
                user,
                reported,
                n,
            )
        return n

    # -- what others read ---------------------------------------------------------------

    def central_status(self) -> dict:
        """The body of POST /api/v1/status."""
        body = {
            "policy_revision": self.policy_source.revision,
            "warden_version": __version__,
        }
        if self.store is not None:
            body["queue_depth"] = self.store.queue_depth()
            body["dropped"] = self.store.drops()
        return body

    def status(self) -> dict:
        central = None
        if self.config.central_url:
            central = {
                "url": self.config.central_url,
                "policy": self.policy_source.status(),
                "relay_error": self.relay.last_error if self.relay else None,
                "delivered": self.relay.delivered if self.relay else 0,
                "status_error": self.status_reporter.last_error if self.status_reporter else None,
            }
        return {
            "lab_id": self.lab_id,
            "store": self.store.stats() if self.store is not None else None,
            "client_dropped_by_user": dict(self._client_dropped),
            "central": central,
            "spool_dir": self.spool.directory if self.spool else None,
            "errors": self.link.errors + self.errors,
        }


def relative_where(event: object, root_dir: str) -> object:
    """``event`` with ``location.path`` relative to the server's root, as the event schema
    says and as static findings already are. A kernel reports its notebook by the absolute
    path jupyter_server gives it (``JPY_SESSION_NAME``); made relative, one notebook reads the
    same in every event and across labs, and no home directory reaches central. A path
    outside the root stays as it is (there is nothing to be relative to)."""
    location = event.get("location") if isinstance(event, dict) else None
    path = location.get("path") if isinstance(location, dict) else None
    if not root_dir or not isinstance(path, str) or not os.path.isabs(path):
        return event
    root = os.path.realpath(root_dir)
    try:
        rel = os.path.relpath(os.path.realpath(path), root)
    except ValueError:  # another drive (Windows)
        return event
    if rel == os.pardir or rel.startswith(os.pardir + os.sep):
        return event
    return dict(event, location=dict(location, path=rel.replace(os.sep, "/")))


async def guarded(loop, log) -> None:
    """Run ``loop()`` forever: an unexpected error is logged and the loop restarted."""
    while True:
        try:
            await loop()
            return
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception(
                "Warden: %s crashed; restarting it in 5 s", getattr(loop, "__qualname__", loop)
            )
            await asyncio.sleep(5)


def start_pipeline(
    server_app,
    config: Warden,
    link: CentralLink,
    *,
    data_dir: str,
    spool_dir: str,
    lab_id: str,
    policy: Callable[[], dict],
    base: str,
) -> list:
    """Build and start the pipeline for ``server_app``; return its HTTP handlers (patterns
    under ``base``). The extension app stops it at shutdown (``sync.stop()``)."""
    sync = WardenSync(
        config,
        link,
        data_dir=data_dir,
        spool_dir=spool_dir,
        lab_id=lab_id,
        policy=policy,
        root_dir=server_app.root_dir,
        session_manager=server_app.session_manager,
        log=server_app.log,
    )
    server_app.web_app.settings[SETTINGS_KEY] = sync
    if sync.status_reporter is not None:
        sync.status_reporter.kernels = lambda: _kernel_coverage(server_app)
        snapshot = inventory.load_snapshot()
        sync.status_reporter.packages = lambda: inventory.package_inventory(
            inventory.read_kernel_inventories(spool_dir, server_app.log),
            inventory.policy_advisories(snapshot, policy()),
        )
    IOLoop.current().add_callback(sync.start)
    return [
        (url_path_join(base, "warden", "events"), EventsHandler, {"sync": sync}),
        (
            url_path_join(base, "warden", "events", "status"),
            EventPipelineStatusHandler,
            {"sync": sync},
        ),
    ]


def _kernel_coverage(server_app) -> dict:
    """Which running kernels have the guard, for central (the kernels of /warden/status)."""
    status_dir = server_app.web_app.settings.get(KERNEL_STATUS_DIR)
    if status_dir is None:  # the launch-time guard is off: no kernel reports one
        ids = server_app.kernel_manager.list_kernel_ids()
        return kernel_coverage([{"kernel_id": k} for k in ids], launch_guard=False)
    return kernel_coverage(kernels_status(server_app.kernel_manager, status_dir))


def sync_for(server_app) -> Optional[WardenSync]:
    """The running pipeline of ``server_app`` (e.g. ``sync_for(app).policy_source``)."""
    return server_app.web_app.settings.get(SETTINGS_KEY)


def _not_recorded(event: object) -> dict:
    event_id = event.get("event_id") if isinstance(event, dict) else None
    return {
        "event_id": event_id if isinstance(event_id, str) else None,
        "status": "accepted",
        "reason": "not recorded: the rule is off in this lab's policy",
    }


def _store_corrupt_event(recovery: Recovery) -> dict:
    now = datetime.now(timezone.utc).isoformat().replace("+00:00", "Z")
    return {
        "event_id": secrets.token_hex(16),
        "time": now,
        "kind": "server",
        "rule_id": STORE_CORRUPT_RULE,
        "severity": "high",
        "action": "warned",
        "fingerprint": hashlib.sha256(
            f"{STORE_CORRUPT_RULE}:{recovery.moved_to}".encode()
        ).hexdigest()[:32],
        "message": recovery.message()[:2000],
        "evidence": {
            "moved_to": os.path.basename(recovery.moved_to),
            "recovered": recovery.recovered,
            "unreadable": recovery.unreadable,
        },
    }
