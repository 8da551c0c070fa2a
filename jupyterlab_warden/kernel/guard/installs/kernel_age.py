"""When the kernel's tree started, and whether a file changed since then (a file changed since
may be the notebook's). Its own module, loaded with only a built-in module (``time``),
``frozen_os`` and ``own_python`` (both loaded at the guard's boot): pip's own command asks a
file's age at its first import (``pip_process``), while ``-m`` still has the working folder
first on ``sys.path``; a module with further imports (``startup_modules``: ``ast``,
``typing``...) would run the working folder's ``typing.py`` inside Warden's own check (red team
35 R35-8)."""

import time

# the boot's os (mods 70): a cell's ``os.lstat`` answering for a file it wrote made that file
# look older than the kernel (the guard's code, its contract files)
from .frozen_os import FROZEN_OS as _os


def _kernel_started() -> float:
    """When the kernel's tree started (seconds since the epoch): a file changed since then may
    be the notebook's. The earlier of the lab's launch of the kernel (``OWN.tree_started``,
    read when the guard installed) and this process's own start, read from /proc (elsewhere
    this module's import, a little later)."""
    from .own_python import OWN

    own = _process_started()
    return own if OWN.tree_started is None else min(own, OWN.tree_started)


def _process_started() -> float:
    try:
        with open("/proc/self/stat") as fh:
            ticks = int(fh.read().rsplit(")", 1)[1].split()[19])
        # the start's age on the boot clock its ticks count on, taken from the wall clock now:
        # /proc/stat's btime is whole seconds (up to a second early, 0.8 s seen) and drifts from
        # the wall clock, so a file written well before the launch read as written after it
        age = time.clock_gettime(time.CLOCK_BOOTTIME) - ticks / _os.sysconf("SC_CLK_TCK")
        return time.time() - age
    except (OSError, ValueError, IndexError, AttributeError):
        return _IMPORTED


_IMPORTED = time.time()
_STARTED = _kernel_started()


def changed_since_start(path: str) -> bool:
    """Whether ``path``, any link on the way to its file, or the file changed since the kernel
    started (a path Warden cannot follow counts as changed)."""
    for _ in range(40):
        if _changed(path, missing=True):
            return True
        if not _os.path.islink(path):
            return False
        try:
            target = _os.readlink(path)
        except OSError:
            return True  # the link changed under the walk
        path = _os.path.join(_os.path.dirname(path), target)
    return True


def _changed(path: str, missing: bool = False) -> bool:
    """Whether ``path`` (or the file a link of it names) changed since the kernel started;
    ``missing``: the answer when neither can be looked at."""
    seen = False
    for look in (_os.lstat, _os.stat):
        try:
            if look(path).st_ctime >= _STARTED - 1:
                return True
            seen = True
        except OSError:
            continue
    return missing and not seen
