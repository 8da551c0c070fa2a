"""The lab server's per-kernel policy-update keys (server side; the guard's side is
``guard/authority.py``).

A key is random, kept in the server's memory per kernel, and handed to the kernel once through a
0600 file in a 0700 folder, named in the kernel's launch environment; the guard unlinks it at
start. Each signed update gets the next counter, so the guard can refuse a replayed older one.

Running kernels the server launched also read their latest signed update from a file of their
own (``update_path``, named in the launch environment, 0600 in a 0700 folder beside the keys'):
the server rewrites it when what kernels must know changes (the fleet's artifact decisions,
lab/kernel_updates.py), and the guard checks it before each load. The file is only a mailbox:
the guard takes what it holds only with this kernel's MAC and a newer counter.
"""

import os
import secrets
import threading
from typing import Dict, Optional

from ..guard import authority


class KernelKeys:
    def __init__(self, folder: str):
        self.folder = folder
        self.updates_folder = os.path.join(os.path.dirname(folder.rstrip(os.sep)), "updates")
        self._launched = set()  # kernels this server started with a key (they read update_path)
        self._keys: Dict[str, bytes] = {}
        self._counters: Dict[str, int] = {}
        self._lock = threading.Lock()

    def issue(self, kernel_id: str) -> str:
        """A new key for a kernel about to (re)start; returns the file the kernel reads it from."""
        key = secrets.token_bytes(authority.KEY_BYTES)
        os.makedirs(self.folder, mode=0o700, exist_ok=True)
        path = os.path.join(self.folder, f"{kernel_id}.key")
        tmp = f"{path}.{secrets.token_hex(4)}"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(key)
        os.replace(tmp, path)
        with self._lock:
            self._keys[kernel_id] = key
            self._counters[kernel_id] = 0
            self._launched.add(kernel_id)
        try:  # a restart's new key: the old key's update must not wait for it
            os.unlink(self.update_path(kernel_id))
        except OSError:
            pass
        return path

    def update_path(self, kernel_id: str) -> str:
        """Where this kernel's guard reads its latest signed update (the launch env names it)."""
        return os.path.join(self.updates_folder, f"{kernel_id}.json")

    def launched(self) -> list:
        """Kernels started with a key from this server (they poll ``update_path``)."""
        with self._lock:
            return sorted(self._launched)

    def write_update(self, kernel_id: str, envelope: dict) -> None:
        """Leave a signed update for a running kernel (atomic: a reader sees old or new)."""
        import json

        os.makedirs(self.updates_folder, mode=0o700, exist_ok=True)
        path = self.update_path(kernel_id)
        tmp = f"{path}.{secrets.token_hex(4)}"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(envelope, fh)
        os.replace(tmp, path)

    def adopt(self, kernel_id: str) -> bytes:
        """A key for a kernel this server did not launch (the browser fallback installs the
        guard with it); an existing one is kept."""
        with self._lock:
            key = self._keys.get(kernel_id)
            if key is None:
                key = self._keys[kernel_id] = secrets.token_bytes(authority.KEY_BYTES)
                self._counters[kernel_id] = 0
            return key

    def seal(self, kernel_id: str, **update) -> Optional[dict]:
        """A signed update for ``kernel_id`` (None if this server holds no key for it)."""
        with self._lock:
            key = self._keys.get(kernel_id)
            if key is None:
                return None
            self._counters[kernel_id] += 1
            counter = self._counters[kernel_id]
        return authority.seal(key, kernel_id=kernel_id, counter=counter, **update)

    def known(self, kernel_id: str) -> bool:
        with self._lock:
            return kernel_id in self._keys

    def forget(self, kernel_id: str) -> None:
        with self._lock:
            self._keys.pop(kernel_id, None)
            self._counters.pop(kernel_id, None)
            self._launched.discard(kernel_id)
        for path in (os.path.join(self.folder, f"{kernel_id}.key"), self.update_path(kernel_id)):
            try:
                os.unlink(path)
            except OSError:
                pass
