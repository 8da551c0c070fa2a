"""The environment a kernel is launched with, so the guard is in it and in its children.

Applied through the kernel manager's ``env`` launch argument (jupyter_client passes it to
the provisioner), not by changing the server's own ``os.environ``.
"""

import functools
import os
import time
import uuid
from pathlib import Path
from typing import Callable, Dict, Mapping, Optional, Tuple

from ..environ import (
    DEFERRED_PYTHONPATH_ENV,
    EVENT_SPOOL_ENV,
    KERNEL_KEY_ENV,
    KERNEL_STATUS_ENV,
    KERNEL_UPDATE_ENV,
    POLICY_DIGEST_ENV,
    POLICY_FILE_ENV,
    TREE_STARTED_ENV,
)

SITE_DIR = str(Path(__file__).resolve().with_name("site"))
STATUS_ENV = KERNEL_STATUS_ENV


def kernel_env(
    base: Mapping[str, str],
    *,
    kernel_id: str,
    policy_file: str,
    spool_dir: Optional[str],
    status_dir: str,
    policy_digest: Optional[str] = None,
    key_file: Optional[str] = None,
    update_file: Optional[str] = None,
) -> Dict[str, str]:
    env = dict(base)
    env.update(kernel_pythonpath(env.get("PYTHONPATH", "")))
    env[POLICY_FILE_ENV] = policy_file
    # From the server's memory, never from the file: the guard refuses a file that differs.
    env.pop(POLICY_DIGEST_ENV, None)
    env.pop(KERNEL_KEY_ENV, None)
    env.pop(KERNEL_UPDATE_ENV, None)
    if policy_digest:
        env[POLICY_DIGEST_ENV] = policy_digest
    if key_file:
        env[KERNEL_KEY_ENV] = key_file
        if update_file:
            env[KERNEL_UPDATE_ENV] = update_file
    if spool_dir:
        env[EVENT_SPOOL_ENV] = spool_dir
    env[STATUS_ENV] = os.path.join(status_dir, f"{kernel_id}.json")
    env[TREE_STARTED_ENV] = f"{time.time():.3f}"  # before the kernel's own start
    return env


def kernel_pythonpath(pythonpath: str) -> Dict[str, str]:
    """The kernel's PYTHONPATH (and ``DEFERRED_PYTHONPATH_ENV``) for the lab's ``pythonpath``.

    The guard's folder first, so its ``sitecustomize`` is the one Python imports (it chains
    any other). A relative folder (``PYTHONPATH=.``, a folder named from wherever the lab was
    started) names a different folder for every working folder, so no Python the kernel
    starts may import from it before its guard (``child_path``: R9-15, R10-6): the kernel
    would hand every start a rewritten environment, read in full (1.36x on a cell starting
    processes). So the kernel is launched in the form its children get: only the absolute
    folders on PYTHONPATH, the whole one deferred, which its boot puts back in front once its
    guard is installed (``site_boot._in_front``, which makes each folder absolute from the
    kernel's own folder, as ``site`` would have). Its own start then imports nothing from a
    relative folder before its guard either.

    An absolute folder that holds a start-up module NOW (red team 56a R56a-3: the
    ``src/encodings`` a cell of the kernel's last run wrote into a folder it was started
    with, which Python imports at init, before ``site`` and the guard) is deferred the same
    way (``_holds_start_module``): a restart, or a new kernel, starts with none of its
    modules before the guard, and the folder still works after it."""
    rest = [p for p in pythonpath.split(os.pathsep) if p and p != SITE_DIR]
    whole = os.pathsep.join([SITE_DIR, *rest])
    started = [SITE_DIR, *(p for p in rest if os.path.isabs(p) and not _holds_start_module(p))]
    if len(started) == len(rest) + 1:
        return {"PYTHONPATH": whole}
    return {"PYTHONPATH": os.pathsep.join(started), DEFERRED_PYTHONPATH_ENV: whole}


def _holds_start_module(folder: str) -> bool:
    """Whether a Python started with ``folder`` on its PYTHONPATH (after the guard's) imports a
    module of it before the guard's ``sitecustomize``, as the kernel's reading tells for the
    Pythons it starts (``startup_modules.guarded_start_holder``), with the ``.pth`` imports of
    the lab's own site folders (a kernelspec's other Python has its own: the kernel's reading
    covers its children, not its own start). Read when the lab starts or restarts a kernel."""
    import site

    from ..guard.installs.startup_modules import guarded_start_holder

    sites = [*site.getsitepackages(), site.getusersitepackages()]
    return guarded_start_holder([folder], sites) is not None


def guard_kernel_launches(
    kernel_manager,
    *,
    policy: Callable[[], Tuple[str, Optional[str]]],
    keys,
    spool_dir,
    status_dir: str,
    on_key: Optional[Callable[[str], None]] = None,
) -> None:
    """Wrap ``kernel_manager.start_kernel`` so every kernel it starts gets ``kernel_env``.

    ``policy()`` is (the policy file, its SHA-256) as the server wrote it; ``keys`` is the
    server's ``launch_keys.KernelKeys``. A restart relaunches with the saved arguments: each
    one gets a fresh key and the current policy (the kernel's pre-start step is wrapped too).
    ``on_key(kernel_id)``: called once the kernel's key exists (the lab leaves its first
    signed update, with the fleet's artifact decisions, before the kernel starts).
    """
    os.makedirs(status_dir, mode=0o700, exist_ok=True)
    original = kernel_manager.start_kernel
    if getattr(original, "_warden_guarded", False):
        return

    def launch_env(base, kernel_id):
        path, digest = policy()
        key_file = keys.issue(kernel_id)
        if on_key is not None:
            on_key(kernel_id)
        return kernel_env(
            base,
            kernel_id=kernel_id,
            policy_file=path,
            policy_digest=digest,
            key_file=key_file,
            update_file=keys.update_path(kernel_id),
            spool_dir=spool_dir() if callable(spool_dir) else spool_dir,
            status_dir=status_dir,
        )

    @functools.wraps(original)
    async def start_kernel(*args, kernel_id=None, **kwargs):
        if kernel_id is None or kernel_id not in kernel_manager:
            kernel_id = kernel_id or str(uuid.uuid4())
            kwargs["env"] = launch_env(kwargs.get("env") or os.environ, kernel_id)
            started = await original(*args, kernel_id=kernel_id, **kwargs)
            _rekey_restarts(kernel_manager, kernel_id, launch_env)
            return started
        return await original(*args, kernel_id=kernel_id, **kwargs)

    start_kernel._warden_guarded = True
    kernel_manager.start_kernel = start_kernel


def _rekey_restarts(kernel_manager, kernel_id: str, launch_env) -> None:
    """jupyter_client restarts a kernel through its ``_async_pre_start_kernel`` with the saved
    launch arguments: give each restart a fresh key file (the old one was unlinked) and the
    policy in force now."""
    try:
        km = kernel_manager.get_kernel(kernel_id)
        pre_start = km._async_pre_start_kernel
    except (KeyError, AttributeError):
        return

    async def pre_start_with_guard(**kw):
        if isinstance(kw.get("env"), dict):
            kw["env"] = launch_env(kw["env"], kernel_id)
        return await pre_start(**kw)

    km._async_pre_start_kernel = pre_start_with_guard
