"""Ship the lab's stored events to central until central has acknowledged each one.

Exactly once, by event_id: an event leaves the queue only when central answered
"accepted" or "duplicate" for it (both mean central has it). Anything else — no answer,
a timeout, 5xx, 429, garbage — leaves the batch pending and retries it after a backoff
(Retry-After honoured); central is idempotent on event_id, so a resend is harmless. A
"rejected" answer is final and counted as a drop, as are events central can never take.
"""

import asyncio
import logging
from typing import Optional

from ..events.store import EventStore
from .backoff import Backoff
from .client import CentralAnswer, CentralClient

# A single event answered 400 this many times in a row is not going to get through.
_BAD_REQUEST_GIVE_UP = 3


class EventRelay:
    def __init__(
        self,
        store: EventStore,
        client: CentralClient,
        backoff: Backoff,
        *,
        batch_size: int = 500,
        batch_bytes: int = 768 * 1024,
        idle_interval: float = 5.0,
        log: Optional[logging.Logger] = None,
    ) -> None:
        self.store = store
        self.client = client
        self.backoff = backoff
        self.max_batch_size = batch_size
        self.batch_size = batch_size
        self.batch_bytes = batch_bytes
        self.idle_interval = idle_interval
        self.log = log or logging.getLogger(__name__)
        self.last_error: Optional[str] = None
        self.delivered = 0
        self._wake = asyncio.Event()
        self._bad_requests = 0
        store.on_pending.append(self.wake)

    def wake(self) -> None:
        self._wake.set()

    async def run(self) -> None:
        while True:
            delay = await self.send_once()
            if delay is None:  # queue empty: sleep until new events (or another process's)
                await self._sleep(self.idle_interval, wake=True)
            elif delay > 0:
                await self._sleep(delay, wake=False)

    async def send_once(self) -> Optional[float]:
        """Send one batch. None: nothing to send; else seconds to wait before the next."""
        self._wake.clear()
        batch = self.store.claim_batch(self.batch_size, self.batch_bytes)
        if not batch:
            return None
        answer = await self.client.post_events([item["event"] for item in batch])
        if answer.ok:
            return self._settle(batch, answer)
        return self._failed(batch, answer)

    def _settle(self, batch: list, answer: CentralAnswer) -> float:
        results = answer.body.get("results") if isinstance(answer.body, dict) else None
        if not isinstance(results, list):
            return self._failed(batch, CentralAnswer(answer.status, error="no results list"))
        sent = {item["event_id"] for item in batch}
        ours = [r for r in results if isinstance(r, dict)
                and isinstance(r.get("event_id"), str) and r["event_id"] in sent]
        applied = self.store.settle(ours)
        self.delivered += applied["delivered"]
        self.backoff.reset()
        self._bad_requests = 0
        self.last_error = None
        self.batch_size = min(self.max_batch_size, self.batch_size * 2)
        if applied["delivered"] + applied["rejected"] < len(batch):
            # Central left some unanswered: they stay pending; do not spin on them.
            return self.backoff.next_delay()
        return 0.0

    def _failed(self, batch: list, answer: CentralAnswer) -> float:
        self.last_error = answer.error
        if answer.status == 413 or answer.status == 400:
            if len(batch) > 1:
                self.batch_size = max(1, len(batch) // 2)  # find the event central refuses
                return 0.0
            if answer.status == 413:
                self.store.give_up(batch[0]["event_id"], "too large for central",
                                   "central_too_large")
                return 0.0
            self._bad_requests += 1
            if self._bad_requests >= _BAD_REQUEST_GIVE_UP:
                self._bad_requests = 0
                self.store.give_up(batch[0]["event_id"], "central answers 400 to it",
                                   "central_bad_request")
                return 0.0
        delay = self.backoff.next_delay(answer.retry_after)
        self.log.warning("Warden: sending %d events to central failed (%s); retry in %.1f s",
                         len(batch), answer.error, delay)
        return delay

    async def _sleep(self, seconds: float, wake: bool) -> None:
        if not wake:
            await asyncio.sleep(seconds)
            return
        try:
            await asyncio.wait_for(self._wake.wait(), timeout=seconds)
        except asyncio.TimeoutError:
            pass
