"""Admin settings of the server extension (server config files only, never user settings)."""

import sys
from pathlib import Path

from traitlets import Float, Unicode
from traitlets.config import Configurable


def default_admin_policy_path() -> str:
    """``<sys.prefix>/etc/jupyter/warden/policy.json``: beside the environment's other
    system-wide Jupyter config, writable only by whoever installed the environment."""
    return str(Path(sys.prefix) / "etc" / "jupyter" / "warden" / "policy.json")


class Warden(Configurable):
    """Jupyter Warden server extension. Set in jupyter_server_config.py as ``c.Warden.<name>``."""

    policy_file = Unicode(
        default_admin_policy_path(),
        config=True,
        help="The admin's lab-wide policy document (JSON, schema/policy.schema.json). "
        "A missing file means the built-in default applies.",
    )
    policy_check_interval = Float(
        2.0,
        config=True,
        help="Seconds between checks of the admin policy file for changes.",
    )
