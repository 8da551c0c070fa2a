"""``/warden/policy``: the effective policy with where each value came from, and the user's
own stricter settings."""

import json

from jupyter_server.base.handlers import APIHandler
from tornado import web

from .json_body import parse_json_body
from .policy import ACTIONS, SEVERITIES
from .policy_store import PolicyStore

_MAX_BODY = 256 * 1024


class PolicyHandler(APIHandler):
    def initialize(self, store: PolicyStore) -> None:
        self.store = store

    @web.authenticated
    def get(self) -> None:
        self.store.refresh()
        eff = self.store.effective
        self.finish(
            json.dumps(
                {
                    "effective": eff.document,
                    "for_user": self.store.for_user(),
                    "provenance": eff.provenance,
                    **self.store.describe(),
                }
            )
        )


class UserPolicyHandler(APIHandler):
    """``PUT /warden/policy/user`` ``{"rules": {id: {"action"?, "severity"?}}}``."""

    def initialize(self, store: PolicyStore) -> None:
        self.store = store

    @web.authenticated
    def put(self) -> None:
        if len(self.request.body) > _MAX_BODY:
            raise web.HTTPError(413, "user policy settings too large")
        body = parse_json_body(self.request.body, default=b"{}")
        rules = body.get("rules") if isinstance(body, dict) else None
        if not isinstance(rules, dict):
            raise web.HTTPError(400, 'expected {"rules": {rule_id: {"action", "severity"}}}')
        clean = {}
        for rule_id, setting in rules.items():
            if not isinstance(setting, dict):
                raise web.HTTPError(400, f"rules/{rule_id}: expected an object")
            if setting.get("action", ACTIONS[0]) not in ACTIONS:
                raise web.HTTPError(400, f"rules/{rule_id}/action: one of {', '.join(ACTIONS)}")
            if setting.get("severity", SEVERITIES[0]) not in SEVERITIES:
                raise web.HTTPError(400, f"rules/{rule_id}/severity: one of {SEVERITIES}")
            clean[str(rule_id)] = {k: setting[k] for k in ("action", "severity") if k in setting}
        self.store.refresh()
        self.finish(json.dumps({"for_user": self.store.set_user_stricter(clean)}))


def policy_handlers(base: str, store: PolicyStore) -> list:
    from jupyter_server.utils import url_path_join

    return [
        (url_path_join(base, "warden", "policy"), PolicyHandler, {"store": store}),
        (url_path_join(base, "warden", "policy", "user"), UserPolicyHandler, {"store": store}),
    ]
