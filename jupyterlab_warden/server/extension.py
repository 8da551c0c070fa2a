"""Wire Warden into a running jupyter_server: config, policy store, handlers, periodic work."""

import os
from pathlib import Path

from jupyter_core.paths import jupyter_runtime_dir
from jupyter_server.utils import url_path_join
from tornado.ioloop import PeriodicCallback

from .config import Warden
from .guard_handlers import guard_handlers
from .handlers import StatusHandler
from .policy_handlers import policy_handlers
from .policy_store import PolicyStore
from .posture_handlers import posture_handlers


def load_extension(server_app) -> None:
    config = Warden(parent=server_app)
    runtime = Path(server_app.runtime_dir or jupyter_runtime_dir()) / "warden" / str(os.getpid())
    kernel_policy = runtime / "policy.json"
    store = PolicyStore(config.policy_file, kernel_policy_path=str(kernel_policy))
    # jupyter_server passes its environment to every kernel it starts: this is how a kernel's
    # guard finds the lab's effective policy.
    os.environ["WARDEN_POLICY_FILE"] = str(kernel_policy)

    watcher = PeriodicCallback(store.refresh, config.policy_check_interval * 1000)
    watcher.start()

    web_app = server_app.web_app
    base = web_app.settings["base_url"]
    web_app.settings["warden"] = {"config": config, "policy_store": store}
    handlers = [(url_path_join(base, "warden", "status"), StatusHandler, {"store": store})]
    handlers += policy_handlers(base, store)
    handlers += posture_handlers(base)
    handlers += guard_handlers(base, store)
    web_app.add_handlers(".*$", handlers)
    server_app.log.info(
        "Jupyter Warden loaded: policy from %s (revision %s)",
        store.effective.source,
        store.effective.document.get("revision"),
    )
