"""The lab server's side of the launch-time guard: kernels it starts get the Warden
``sitecustomize`` on PYTHONPATH (``kernel/boot``), and /warden/status reads what they report."""

import os

from ..kernel.boot.launch_env import guard_kernel_launches
from ..kernel.event_spool import SPOOL_ENV

SETTINGS_KEY = "warden_kernel_status_dir"


def launch_with_guard(server_app, policy_file: str, status_dir) -> None:
    guard_kernel_launches(
        server_app.kernel_manager,
        policy_file=policy_file,
        # The event pipeline names the spool folder when it starts; read it at launch time.
        spool_dir=lambda: os.environ.get(SPOOL_ENV),
        status_dir=str(status_dir),
    )
    server_app.web_app.settings[SETTINGS_KEY] = str(status_dir)
