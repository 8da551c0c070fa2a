"""Confirmations recorded with the server: a user said "run this exact code in this kernel".

Bound to sha256(code) + kernel id + user, good for one run, and only for a short time, so a
confirmation can neither be replayed nor carried to other code or another kernel. Pure
(time is injected), kept in memory: a server restart forgets pending confirmations.
"""

import hashlib
import threading
import time
from typing import Callable, Dict, Optional, Tuple

DEFAULT_TTL_SECONDS = 120.0
MAX_PENDING = 10_000


def code_sha256(code: str) -> str:
    return hashlib.sha256(code.encode("utf-8")).hexdigest()


class ConfirmationStore:
    def __init__(
        self, ttl: float = DEFAULT_TTL_SECONDS, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.ttl = ttl
        self._clock = clock
        self._lock = threading.Lock()
        self._pending: Dict[Tuple[str, str, str], Tuple[float, Optional[str]]] = {}

    def record(
        self, sha256: str, kernel_id: str, user: str, justification: Optional[str] = None
    ) -> float:
        """Record a confirmation; returns seconds it stays valid."""
        with self._lock:
            self._expire()
            if len(self._pending) >= MAX_PENDING:
                raise OverflowError("too many pending confirmations")
            self._pending[(sha256, kernel_id, user)] = (self._clock() + self.ttl, justification)
        return self.ttl

    def consume(self, sha256: str, kernel_id: str, user: str) -> Optional[Dict[str, object]]:
        """Use a confirmation once; None when there is none (or it expired)."""
        with self._lock:
            self._expire()
            entry = self._pending.pop((sha256, kernel_id, user), None)
        if entry is None:
            return None
        return {"justification": entry[1]}

    def forget_kernel(self, kernel_id: str) -> None:
        """Drop the pending confirmations for a kernel that is gone."""
        with self._lock:
            for key in [k for k in self._pending if k[1] == kernel_id]:
                del self._pending[key]

    def kernels(self) -> set:
        with self._lock:
            return {k[1] for k in self._pending}

    def _expire(self) -> None:
        now = self._clock()
        for key in [k for k, (until, _) in self._pending.items() if until <= now]:
            del self._pending[key]
