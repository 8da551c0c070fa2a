"""The lab server's side of the launch-time guard: kernels it starts get the Warden
``sitecustomize`` on PYTHONPATH (``kernel/boot``), the policy pinned by its digest and a
policy-update key; /warden/status reads what they report."""

import os

from ..kernel.boot import status as boot_status
from ..kernel.boot.launch_env import guard_kernel_launches
from ..kernel.boot.launch_keys import KernelKeys
from ..kernel.event_spool import SPOOL_ENV
from .kernel_lifecycle import on_kernel_removed

SETTINGS_KEY = "warden_kernel_status_dir"


def launch_with_guard(server_app, store, keys: KernelKeys, runtime_dir, on_key=None) -> None:
    """``on_key(kernel_id)``: called when a kernel's key is issued, before it starts (the lab
    leaves its first signed update there: lab/kernel_updates.py)."""
    status_dir = os.path.join(str(runtime_dir), "kernels")

    def policy():
        written = store.pinned_kernel_policy()
        return written.path, written.sha256

    guard_kernel_launches(
        server_app.kernel_manager,
        policy=policy,
        keys=keys,
        # The event pipeline names the spool folder when it starts; read it at launch time.
        spool_dir=lambda: os.environ.get(SPOOL_ENV),
        status_dir=status_dir,
        on_key=on_key,
    )
    on_kernel_removed(server_app.kernel_manager, keys.forget)
    on_kernel_removed(
        server_app.kernel_manager, lambda kernel_id: boot_status.forget(status_dir, [kernel_id])
    )
    server_app.web_app.settings[SETTINGS_KEY] = status_dir
