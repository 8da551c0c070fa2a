"""JupyterLab server configuration for the Galata UI tests.

Galata's helper sets a temporary root dir, no token and no browser. Warden's server extension
is loaded from the installed package, exactly as a user's lab loads it.
"""

import os
import tempfile

from jupyterlab.galata import configure_jupyter_server

configure_jupyter_server(c)  # noqa: F821 (c is injected by traitlets)

c.ServerApp.ip = "127.0.0.1"  # noqa: F821
c.ServerApp.port = int(os.environ.get("WARDEN_UI_TEST_PORT", "8888"))  # noqa: F821
c.LabApp.expose_app_in_browser = True  # noqa: F821
# CI machines run everything as root; Warden's own posture check reports it, the test does not.
c.ServerApp.allow_root = True  # noqa: F821

# The admin policy file the UI tests write to, as an admin would on a real lab.
c.Warden.policy_file = os.environ.get(  # noqa: F821
    "WARDEN_UI_ADMIN_POLICY",
    os.path.join(os.path.dirname(os.path.abspath(__file__)), ".admin-policy", "policy.json"),
)

# A fresh event store per test server: events of earlier runs on the same machine must not
# show up in this run's assertions.
c.Warden.data_dir = tempfile.mkdtemp(prefix="warden-ui-data-")  # noqa: F821
