"""Wire Warden's handlers into a running jupyter_server."""

from jupyter_server.utils import url_path_join

from .handlers import StatusHandler
from .sync import event_handlers


def load_extension(server_app) -> None:
    web_app = server_app.web_app
    base_url = web_app.settings["base_url"]
    handlers = [
        (url_path_join(base_url, "warden", "status"), StatusHandler),
    ]
    handlers += event_handlers(base_url, server_app)
    web_app.add_handlers(".*$", handlers)
    server_app.log.info("Jupyter Warden server extension loaded")
