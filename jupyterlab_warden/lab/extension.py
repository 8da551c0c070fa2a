"""Wire Warden into a running jupyter_server: config, policy store, handlers, periodic work.

The protection loads first and on its own: the policy authority (admin file and central
link) and the guard bootstrap are registered before the event pipeline is built, and a
failure of the pipeline is caught and reported, never allowed to take /warden/* down.
"""

import os
import socket
from pathlib import Path

from jupyter_core.paths import jupyter_data_dir, jupyter_runtime_dir
from jupyter_server.utils import url_path_join
from tornado.ioloop import IOLoop, PeriodicCallback

from ..kernel.environ import POLICY_FILE_ENV
from ..kernel.probe import posture_events
from .central.link import CentralLink
from .gate import install_server_gate
from .guard_handlers import guard_handlers
from .handlers import StatusHandler
from .kernel_launch import launch_with_guard
from .policy_handlers import policy_handlers
from .policy_store import PolicyStore
from .posture import check_server, snapshot_from_server_app
from .posture_handlers import posture_handlers
from .sync import guarded, start_pipeline, sync_for
from .warden_config import Warden


def load_extension(server_app) -> None:
    config = Warden(parent=server_app)
    runtime = Path(server_app.runtime_dir or jupyter_runtime_dir()) / "warden" / str(os.getpid())
    kernel_policy = runtime / "policy.json"
    data_dir = Path(config.data_dir or Path(server_app.data_dir or jupyter_data_dir()) / "warden")
    spool_dir = config.spool_dir or str(
        Path(server_app.runtime_dir or jupyter_runtime_dir()) / "warden-spool"
    )
    lab_id = config.lab_id or socket.gethostname()
    problems: list = []  # what went wrong loading the parts below the protection
    try:
        data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as err:  # saved copies are lost on restart; the pipeline will say so too
        problems.append(f"cannot create the data dir {data_dir}: {err.strerror}")
    store = PolicyStore(
        config.policy_file,
        kernel_policy_path=str(kernel_policy),
        last_good_path=str(data_dir / "admin-policy-last-good.json"),
        user_settings_path=str(data_dir / "user-settings.json"),
    )
    # jupyter_server passes its environment to every kernel it starts: this is how a kernel's
    # guard finds the lab's effective policy.
    os.environ[POLICY_FILE_ENV] = str(kernel_policy)

    watcher = PeriodicCallback(store.refresh, config.policy_check_interval * 1000)
    watcher.start()

    # Central sits above the admin file in the chain; a new verified revision recomposes.
    link = CentralLink(config, data_dir=str(data_dir), lab_id=lab_id, log=server_app.log)
    if config.central_url:
        store.remote = link.policy_source
        link.policy_source.on_change.append(lambda _document: store.recompose())
        store.recompose()
        IOLoop.current().add_callback(link.start, lambda loop: guarded(loop, server_app.log))

    web_app = server_app.web_app
    base = web_app.settings["base_url"]
    web_app.settings["warden"] = {"config": config, "policy_store": store}
    handlers = [
        (
            url_path_join(base, "warden", "status"),
            StatusHandler,
            {"store": store, "problems": lambda: link.errors + _problems(server_app, problems)},
        )
    ]
    handlers += policy_handlers(base, store)
    handlers += posture_handlers(base)
    handlers += guard_handlers(base, store)
    if config.server_gate:
        handlers += install_server_gate(server_app, store, _event_recorder(server_app))
    if config.kernel_launch_guard:
        launch_with_guard(server_app, str(kernel_policy), runtime / "kernels")
    web_app.add_handlers(".*$", handlers)

    try:
        event_handlers = start_pipeline(
            server_app,
            config,
            link,
            data_dir=str(data_dir),
            spool_dir=spool_dir,
            lab_id=lab_id,
            policy=lambda: store.effective.document,
        )
    except Exception as err:  # the protection above keeps working; say what is missing
        server_app.log.exception("Jupyter Warden could not start its event pipeline")
        problems.append(f"the event pipeline did not start: {err}")
    else:
        web_app.add_handlers(".*$", event_handlers)
        _report_server_posture(server_app)
    server_app.log.info(
        "Jupyter Warden loaded: policy from %s (revision %s)",
        store.effective.source,
        store.effective.document.get("revision"),
    )


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
