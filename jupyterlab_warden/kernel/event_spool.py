"""The kernel side of the event spool: how a kernel hands events to its lab server.

The lab server creates a private directory and names it in the environment variable
``WARDEN_EVENT_SPOOL`` before kernels start, so every kernel inherits it. A kernel appends
one JSON object per line to a file of its own in that directory; the server ingests the
files periodically and removes them once read (``lab/events/spool.py``).

The protocol that makes removal safe while kernels keep writing:

- a writer opens the file for append, takes an exclusive ``flock`` on it, checks that the
  path still names the inode it opened (the reader may have removed it meanwhile; then it
  retries on a fresh file), writes the whole line with one ``write`` and closes;
- the reader takes the same lock before it reads and removes a file, so no line can land in
  a file after it was read and before it was removed.

Standard library only and Python >= 3.8: the kernel guard imports this module.
"""

import _thread  # threading's own primitives: threading imports functools at start-up
import os

from .environ import EVENT_SPOOL_ENV as SPOOL_ENV
from .guard.frozen_builtins import FROZEN

# the boot's builtins for the guard's event writes, its late ``import json`` a private copy
# once a guarded Python is sealed (red team 39a: the library module the process holds is the
# process's, and it may load it with rebound builtins)
__builtins__ = FROZEN

SPOOL_SUFFIX = ".jsonl"
# A line longer than this is refused by the reader; the writer refuses it first.
MAX_LINE_BYTES = 64 * 1024

try:  # POSIX; on Windows the spool works without locking (see append_line).
    import fcntl
except ImportError:  # pragma: no cover - not on the platforms the tests run on
    fcntl = None

_lock = _thread.allocate_lock()


def spool_dir():
    """The directory named by the lab server (or an admin's kernelspec), or None."""
    return os.environ.get(SPOOL_ENV) or None


def spool_file(directory, pid=None):
    """The file this process writes to: one per process, so writers rarely contend."""
    return os.path.join(directory, f"kernel-{pid or os.getpid()}{SPOOL_SUFFIX}")


def append_event(event, directory=None):
    """Append one event (a dict in the shape of schema/event.schema.json) to the spool.

    Returns False when there is no spool to write to or the event is too large; never raises
    for I/O problems, because a kernel must keep working when its server is gone.
    """
    directory = directory or spool_dir()
    if not directory:
        return False
    import json  # when an event is written, not at interpreter start

    line = (json.dumps(event, separators=(",", ":"), ensure_ascii=False) + "\n").encode("utf-8")
    if len(line) > MAX_LINE_BYTES:
        return False
    try:
        if not os.path.isdir(directory):
            # The lab server prepares it; a kernelspec's folder may not exist yet. Private.
            os.makedirs(directory, mode=0o700, exist_ok=True)
        append_line(spool_file(directory), line)
    except OSError:
        return False
    return True


def append_line(path, line):
    """Append ``line`` (bytes ending in a newline) to ``path`` under the spool lock protocol."""
    with _lock:  # threads of one kernel share the file; the flock serialises processes
        for _ in range(100):
            fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                if fcntl is not None:
                    fcntl.flock(fd, fcntl.LOCK_EX)
                    if not _still_linked(fd, path):
                        continue  # the reader removed it after we opened it: open afresh
                os.write(fd, line)
                return
            finally:
                os.close(fd)  # closing releases the flock
        raise OSError(f"spool file {path} keeps disappearing")


def _still_linked(fd, path):
    try:
        here = os.stat(path)
    except FileNotFoundError:
        return False
    mine = os.fstat(fd)
    return (here.st_dev, here.st_ino) == (mine.st_dev, mine.st_ino)
