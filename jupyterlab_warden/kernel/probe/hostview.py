"""Read-only access to the files the probe looks at, under a root path.

Every path the probe names is *logical* (as the kernel sees it, e.g. ``/proc/self/status``);
``HostView`` maps it under ``root`` so tests point the probe at a fixture tree. Nothing
here writes, connects or follows a path into a FIFO or socket: files are opened with
``O_NONBLOCK`` and read only when they are regular files.
"""

from __future__ import annotations

import errno
import os
import stat
from typing import Iterable, List, Mapping, Optional, Tuple

MAX_READ = 256 * 1024


class HostView:
    """The machine as seen from ``root`` with environment ``environ``."""

    def __init__(self, root: str = "/", environ: Optional[Mapping[str, str]] = None):
        self.root = os.path.abspath(root)
        self.environ: Mapping[str, str] = dict(os.environ if environ is None else environ)

    def path(self, logical: str) -> str:
        """The real path behind a logical absolute path."""
        if self.root == "/":
            return logical
        return os.path.join(self.root, logical.lstrip("/"))

    def logical(self, real: str) -> str:
        """The logical path of a real path under root (inverse of :meth:`path`)."""
        if self.root == "/":
            return real
        rel = os.path.relpath(real, self.root)
        return "/" if rel == "." else "/" + rel

    def read(self, logical: str, limit: int = MAX_READ) -> Tuple[Optional[str], Optional[int]]:
        """Text of a regular file (at most ``limit`` bytes) or ``(None, errno)``."""
        try:
            fd = os.open(self.path(logical), os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY)
        except OSError as exc:
            return None, exc.errno
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                return None, errno.EINVAL
            chunks = []
            remaining = limit
            while remaining > 0:
                chunk = os.read(fd, min(remaining, 65536))
                if not chunk:
                    break
                chunks.append(chunk)
                remaining -= len(chunk)
            return b"".join(chunks).decode("utf-8", "replace"), None
        except OSError as exc:
            return None, exc.errno
        finally:
            os.close(fd)

    def read_text(self, logical: str, limit: int = MAX_READ) -> Optional[str]:
        return self.read(logical, limit)[0]

    def stat(self, logical: str, follow: bool = True) -> Optional[os.stat_result]:
        try:
            return os.stat(self.path(logical), follow_symlinks=follow)
        except (OSError, ValueError):
            return None

    def exists(self, logical: str) -> bool:
        return self.stat(logical, follow=False) is not None

    def listdir(self, logical: str, limit: int = 500) -> List[str]:
        try:
            with os.scandir(self.path(logical)) as it:
                names = []
                for entry in it:
                    names.append(entry.name)
                    if len(names) >= limit:
                        break
                return sorted(names)
        except (OSError, ValueError):
            return []

    def realpath(self, logical: str) -> str:
        """The logical path with symlinks resolved inside the view."""
        real = os.path.realpath(self.path(logical))
        if self.root != "/" and not (real == self.root or real.startswith(self.root + os.sep)):
            return logical  # a link that points outside the fixture: keep the name
        return self.logical(real)

    def env_names(self) -> Iterable[str]:
        return self.environ.keys()
