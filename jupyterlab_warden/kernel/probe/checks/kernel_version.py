"""The host kernel's release, which all container isolation rests on."""

from __future__ import annotations

from .. import procfs
from .base import FAIL, PASS, UNKNOWN, Context, check

OLDEST_MAINTAINED = (5, 10)


@check("sandbox-old-linux-kernel")
def old_linux_kernel(ctx: Context):
    release = (ctx.view.read_text("/proc/sys/kernel/osrelease", 256) or "").strip()
    version = procfs.parse_kernel_release(release)
    if version is None:
        return UNKNOWN, {"release": release[:100], "reason": "kernel release unreadable"}
    evidence = {"release": release[:100], "oldest_maintained": "{}.{}".format(*OLDEST_MAINTAINED)}
    return (FAIL if version < OLDEST_MAINTAINED else PASS), evidence
