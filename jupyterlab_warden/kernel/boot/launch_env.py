"""The environment a kernel is launched with, so the guard is in it and in its children.

Applied through the kernel manager's ``env`` launch argument (jupyter_client passes it to
the provisioner), not by changing the server's own ``os.environ``.
"""

import functools
import os
import uuid
from pathlib import Path
from typing import Dict, Mapping, Optional

from ..environ import EVENT_SPOOL_ENV, KERNEL_STATUS_ENV, POLICY_FILE_ENV

SITE_DIR = str(Path(__file__).resolve().with_name("site"))
STATUS_ENV = KERNEL_STATUS_ENV


def kernel_env(
    base: Mapping[str, str],
    *,
    kernel_id: str,
    policy_file: str,
    spool_dir: Optional[str],
    status_dir: str,
) -> Dict[str, str]:
    env = dict(base)
    # First on PYTHONPATH so it is the `sitecustomize` Python imports; it chains any other.
    rest = [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p and p != SITE_DIR]
    env["PYTHONPATH"] = os.pathsep.join([SITE_DIR, *rest])
    env[POLICY_FILE_ENV] = policy_file
    if spool_dir:
        env[EVENT_SPOOL_ENV] = spool_dir
    env[STATUS_ENV] = os.path.join(status_dir, f"{kernel_id}.json")
    return env


def guard_kernel_launches(kernel_manager, *, policy_file: str, spool_dir, status_dir: str) -> None:
    """Wrap ``kernel_manager.start_kernel`` so every kernel it starts gets ``kernel_env``.

    Restarts reuse the launch arguments, env included, so a restarted kernel is guarded too.
    """
    os.makedirs(status_dir, mode=0o700, exist_ok=True)
    original = kernel_manager.start_kernel
    if getattr(original, "_warden_guarded", False):
        return

    @functools.wraps(original)
    async def start_kernel(*args, kernel_id=None, **kwargs):
        if kernel_id is None or kernel_id not in kernel_manager:
            kernel_id = kernel_id or str(uuid.uuid4())
            kwargs["env"] = kernel_env(
                kwargs.get("env") or os.environ,
                kernel_id=kernel_id,
                policy_file=policy_file,
                spool_dir=spool_dir() if callable(spool_dir) else spool_dir,
                status_dir=status_dir,
            )
        return await original(*args, kernel_id=kernel_id, **kwargs)

    start_kernel._warden_guarded = True
    kernel_manager.start_kernel = start_kernel
