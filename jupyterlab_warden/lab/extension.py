"""Warden as a jupyter_server ``ExtensionApp``: config, policy store, handlers, periodic work,
shutdown.

The protection loads first and on its own: the policy authority (admin file and central
link) and the guard bootstrap are registered before the event pipeline is built, and a
failure of the pipeline is caught and reported, never allowed to take /warden/* down.
"""

import os
import socket
from pathlib import Path

from jupyter_core.paths import jupyter_data_dir, jupyter_runtime_dir
from jupyter_server.extension.application import ExtensionApp
from tornado.ioloop import IOLoop, PeriodicCallback

from ..kernel.boot.launch_keys import KernelKeys
from ..kernel.environ import POLICY_FILE_ENV
from ..kernel.probe import posture_events
from .artifacts.registry import ArtifactRegistry
from .central.link import CentralLink
from .gate import install_server_gate
from .guard_handlers import guard_handlers
from .handlers import StatusHandler
from .kernel_launch import launch_with_guard
from .kernel_updates import KernelUpdates
from .policy_handlers import policy_handlers
from .policy_store import PolicyStore
from .posture import check_server, snapshot_from_server_app
from .posture_handlers import posture_handlers
from .sync import guarded, start_pipeline, sync_for
from .warden_config import Warden


class WardenExtension(ExtensionApp):
    """Jupyter Warden's server extension. Its settings are ``c.Warden.*`` (``warden_config``);
    this app only orders the parts: the protection (policy authority, central link, server gate,
    kernel launch guard, guard bootstrap) in ``initialize_settings``; routes in
    ``initialize_handlers``, where the event pipeline is built last and its failure is caught
    and reported, never allowed to take /warden/* down; ``stop_extension`` at shutdown."""

    name = "jupyterlab_warden"
    load_other_extensions = True

    def initialize_settings(self) -> None:
        server_app = self.serverapp
        self._warden = config = Warden(parent=server_app)
        runtime = Path(server_app.runtime_dir or jupyter_runtime_dir()) / "warden"
        self._runtime = runtime / str(os.getpid())
        self._kernel_policy = self._runtime / "policy.json"
        self._data_dir = Path(
            config.data_dir or Path(server_app.data_dir or jupyter_data_dir()) / "warden"
        )
        self._spool_dir = config.spool_dir or str(
            Path(server_app.runtime_dir or jupyter_runtime_dir()) / "warden-spool"
        )
        self._lab_id = config.lab_id or socket.gethostname()
        self._problems: list = []  # what went wrong loading the parts below the protection
        try:
            self._data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as err:  # saved copies are lost on restart; the pipeline will say so
            self._problems.append(f"cannot create the data dir {self._data_dir}: {err.strerror}")
        self._store = store = PolicyStore(
            config.policy_file,
            kernel_policy_path=str(self._kernel_policy),
            last_good_path=str(self._data_dir / "admin-policy-last-good.json"),
            user_settings_path=str(self._data_dir / "user-settings.json"),
        )
        # jupyter_server passes its environment to every kernel it starts: this is how a
        # kernel's guard finds the lab's effective policy.
        os.environ[POLICY_FILE_ENV] = str(self._kernel_policy)
        self._watcher = PeriodicCallback(store.refresh, config.policy_check_interval * 1000)
        self._watcher.start()

        # Central sits above the admin file in the chain; a new verified revision recomposes.
        self._link = link = CentralLink(
            config, data_dir=str(self._data_dir), lab_id=self._lab_id, log=self.log
        )
        if config.central_url:
            store.remote = link.policy_source
            link.policy_source.on_change.append(lambda _document: store.recompose())
            store.recompose()
            IOLoop.current().add_callback(link.start, lambda loop: guarded(loop, self.log))
        server_app.web_app.settings["warden"] = {"config": config, "policy_store": store}
        self._gate_handlers = []
        if config.server_gate:
            self._gate_handlers = install_server_gate(
                server_app, store, _event_recorder(server_app), base="/"
            )
        # The fleet artifact registry's offline copies (issue 19): pushed to kernels with the
        # policy; synced with central when linked.
        self._artifacts = ArtifactRegistry(str(self._data_dir), link.policy_source.keys)
        self._artifact_sync = None
        if link.client is not None:
            self._artifact_sync = PeriodicCallback(
                self._sync_artifacts, config.central_poll_interval * 1000
            )
            self._artifact_sync.start()
        # Per-kernel policy-update keys, also for kernels the browser guards (remote ones).
        self._keys = KernelKeys(str(self._runtime / "keys"))
        # What kernels' guards are told, sealed per kernel; running kernels the server launched
        # get the fleet's new word through their update file (after each sync round).
        self._updates = KernelUpdates(store, self._keys, self._artifacts, log=self.log)
        if config.kernel_launch_guard:
            launch_with_guard(
                server_app, store, self._keys, self._runtime, on_key=self._updates.leave_for
            )
        # ExtensionApp copied web_app.settings before this method and writes that copy back
        # after it: what the parts above set there (the gated websocket connection class...)
        # must be in the copy, or it is silently undone.
        self.settings.update(server_app.web_app.settings)

    def initialize_handlers(self) -> None:
        # Patterns are relative: ExtensionApp puts the server's base_url in front of each.
        server_app, store, link = self.serverapp, self._store, self._link
        problems, artifacts = self._problems, self._artifacts
        self.handlers.append(
            (
                "/warden/status",
                StatusHandler,
                {
                    "store": store,
                    "problems": lambda: (
                        link.errors + artifacts.problems() + _problems(server_app, problems)
                    ),
                },
            )
        )
        self.handlers.extend(policy_handlers("/", store))
        self.handlers.extend(posture_handlers("/"))
        self.handlers.extend(guard_handlers("/", store, self._updates))
        self.handlers.extend(self._gate_handlers)
        try:
            self.handlers.extend(
                start_pipeline(
                    server_app,
                    self._warden,
                    link,
                    data_dir=str(self._data_dir),
                    spool_dir=self._spool_dir,
                    lab_id=self._lab_id,
                    policy=lambda: store.effective.document,
                    base="/",
                )
            )
        except Exception as err:  # the protection above keeps working; say what is missing
            self.log.exception("Jupyter Warden could not start its event pipeline")
            problems.append(f"the event pipeline did not start: {err}")
        else:
            _report_server_posture(server_app)
            sync = sync_for(server_app)
            if sync is not None:  # kernels' events that name a file become artifact reports
                sync.observers = [self._artifacts.observe]
        self.log.info(
            "Jupyter Warden loaded: policy from %s (revision %s)",
            store.effective.source,
            store.effective.document.get("revision"),
        )

    async def _sync_artifacts(self) -> None:
        """One round with central's artifact registry; a failure waits for the next round
        (decisions and reports stay on disk meanwhile). Kernels are told what the lab holds
        even when the round failed part way (red-team finding F17)."""
        try:
            done = await self._artifacts.sync_once(self._link.client)
        except Exception:  # noqa: BLE001 - never let the periodic round die
            self.log.exception("Warden: artifact registry sync failed")
            done = {"errors": []}
        for error in done["errors"]:
            self.log.warning("Warden: artifact registry: %s", error)
        # running kernels learn a new ban (or trust, or verdict) now, not at their next start
        self._updates.push_if_changed()

    async def stop_extension(self) -> None:
        """Called by jupyter_server at shutdown: stop the periodic work and the central link."""
        self._watcher.stop()
        if self._artifact_sync is not None:
            self._artifact_sync.stop()
        sync = sync_for(self.serverapp)
        if sync is not None:
            await sync.stop()
        await self._link.stop()


def _event_recorder(server_app):
    """Server gate events go to the pipeline (looked up per event: it may start later)."""

    def record(event: dict) -> None:
        sync = sync_for(server_app)
        if sync is not None:
            sync.raise_server_event(event)

    return record


def _problems(server_app, problems: list) -> list:
    """What is wrong with the event pipeline (for the status bar)."""
    sync = sync_for(server_app)
    return (sync.errors if sync else []) + problems


def _report_server_posture(server_app) -> None:
    """Record each failing server check once per start, for the admin's event stream."""
    sync = sync_for(server_app)
    if sync is None:
        return
    try:
        report = check_server(snapshot_from_server_app(server_app))
        for event in posture_events(report):
            sync.raise_server_event(event)
    except Exception:  # a posture bug must never take the lab down
        server_app.log.exception("Jupyter Warden could not check the server's settings")
