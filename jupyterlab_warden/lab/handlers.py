"""``GET /warden/status``: what Warden is doing in this lab, for the status bar."""

import json
from typing import Callable, List

from jupyter_server.base.handlers import APIHandler
from tornado import web

from .. import __version__
from ..kernel.boot.status import kernels_status
from .gate import gate_status
from .kernel_launch import SETTINGS_KEY as KERNEL_STATUS_DIR
from .policy_store import PolicyStore


class StatusHandler(APIHandler):
    def initialize(self, store: PolicyStore, problems: Callable[[], List[str]] = list) -> None:
        self.store = store
        self.problems = problems

    @web.authenticated
    def get(self) -> None:
        self.store.refresh()
        status_dir = self.settings.get(KERNEL_STATUS_DIR)
        self.finish(
            json.dumps(
                {
                    "version": __version__,
                    "mode": "active",
                    "policy": self.store.describe(),
                    # Warden's own problems besides the policy's (event queue, central link)
                    "problems": self.problems(),
                    "gate": gate_status(self.settings),
                    "kernels": (
                        kernels_status(self.kernel_manager, status_dir) if status_dir else []
                    ),
                }
            )
        )
