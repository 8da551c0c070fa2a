"""``GET /warden/guard/bootstrap``: the code the frontend runs in a kernel to install the guard
with this lab's effective policy (the user's stricter settings included)."""

import json

from jupyter_server.base.handlers import APIHandler
from jupyter_server.utils import url_path_join
from tornado import web

from .bootstrap import STATUS_VARIABLE, bootstrap_source
from .policy_store import PolicyStore


class GuardBootstrapHandler(APIHandler):
    def initialize(self, store: PolicyStore) -> None:
        self.store = store

    @web.authenticated
    def get(self) -> None:
        self.store.refresh()
        policy = self.store.for_user()
        enabled = policy.get("guard", {}).get("enabled", True)
        self.finish(
            json.dumps(
                {
                    "enabled": enabled,
                    "source": bootstrap_source(policy) if enabled else "",
                    "status_variable": STATUS_VARIABLE,
                    "policy_revision": policy.get("revision", 0),
                }
            )
        )


def guard_handlers(base: str, store: PolicyStore) -> list:
    return [
        (
            url_path_join(base, "warden", "guard", "bootstrap"),
            GuardBootstrapHandler,
            {"store": store},
        )
    ]
