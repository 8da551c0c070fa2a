"""HTTP endpoints under /warden. Every one requires Jupyter's own authentication."""

import json

from jupyter_server.base.handlers import APIHandler
from tornado import web

from .. import __version__


class StatusHandler(APIHandler):
    """``GET /warden/status``: what Warden is doing in this lab, for the status bar."""

    @web.authenticated
    def get(self) -> None:
        self.finish(
            json.dumps(
                {
                    "version": __version__,
                    "mode": "active",
                    "policy": {"source": "built-in", "revision": 0, "errors": []},
                }
            )
        )
