"""``GET /warden/guard/bootstrap?kernel_id=...``: the code the frontend runs in a kernel to
install the guard with this lab's effective policy (the user's stricter settings included), or
to update the guard already there with that policy signed for the kernel's key."""

import json

from jupyter_server.base.handlers import APIHandler
from jupyter_server.utils import url_path_join
from tornado import web

from .bootstrap import STATUS_VARIABLE, bootstrap_source
from .kernel_updates import KernelUpdates
from .policy_store import PolicyStore


class GuardBootstrapHandler(APIHandler):
    def initialize(self, store: PolicyStore, updates: KernelUpdates) -> None:
        self.store = store
        self.updates = updates  # seals the update (policy, rules, the fleet's word)
        self.keys = updates.keys

    @web.authenticated
    def get(self) -> None:
        self.store.refresh()
        policy = self.store.for_user()
        enabled = policy.get("guard", {}).get("enabled", True)
        kernel_id = self.get_query_argument("kernel_id", "")
        self.finish(
            json.dumps(
                {
                    "enabled": enabled,
                    "source": self._source(policy, kernel_id) if enabled else "",
                    "status_variable": STATUS_VARIABLE,
                    "policy_revision": policy.get("revision", 0),
                }
            )
        )

    def _source(self, policy: dict, kernel_id: str) -> str:
        if not kernel_id or kernel_id not in self.kernel_manager:
            return bootstrap_source(policy)  # no kernel named: install or tighten only
        install_key = None
        if not self.keys.known(kernel_id):
            # not launched by this server (or launched before it had keys): the guard this
            # source installs takes its key from here
            install_key = self.keys.adopt(kernel_id)
        update = self.updates.seal(kernel_id)
        return bootstrap_source(policy, update=update, install_key=install_key)


def guard_handlers(base: str, store: PolicyStore, updates: KernelUpdates) -> list:
    return [
        (
            url_path_join(base, "warden", "guard", "bootstrap"),
            GuardBootstrapHandler,
            {"store": store, "updates": updates},
        )
    ]
