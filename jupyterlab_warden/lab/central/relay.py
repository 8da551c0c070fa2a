"""Ship the lab's stored events to central until central has acknowledged each one.

Exactly once, by event_id: an event leaves the queue only when central answered
"accepted" or "duplicate" for it (both mean central has it). Anything else — no answer,
a timeout, 5xx, 429, garbage — leaves the batch pending and retries it after a backoff
(Retry-After honoured); central is idempotent on event_id, so a resend is harmless. A
"rejected" answer is final and counted as a drop, as are events central can never take.

The policy's telemetry settings decide what leaves the lab: with ``telemetry.enabled`` false
or below ``telemetry.min_severity`` an event stays in the lab's own list (state "local",
counted under ``withheld``) and is never sent. Each event goes with the Jupyter user the lab
authenticated when it received it (``users``, parallel to ``events``).

After a failure the relay waits its backoff, but wakes as soon as central answers anything
else (``central_reachable``, called by the policy source's probe), so it resumes within
seconds of central's return; a Retry-After from central is still honoured.
"""

import asyncio
import logging
from typing import Callable, Optional

from ..policy import SEVERITIES
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
        policy: Callable[[], dict] = dict,
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
        self.policy = policy  # () -> the lab's effective policy (telemetry settings)
        self._wake = asyncio.Event()
        self._reachable = asyncio.Event()
        self._not_before = 0.0  # loop time before which central asked us not to call
        self._bad_requests = 0
        store.on_pending.append(self.wake)

    def wake(self) -> None:
        self._wake.set()

    def central_reachable(self) -> None:
        """Central answered another call: end a failure backoff early."""
        self._reachable.set()

    async def run(self) -> None:
        while True:
            delay = await self.send_once()
            if delay is None:  # queue empty: sleep until new events (or another process's)
                await self._sleep(self.idle_interval, wake=True)
            elif delay > 0:
                await self._sleep_after_failure(delay)

    async def send_once(self) -> Optional[float]:
        """Send one batch. None: nothing to send; else seconds to wait before the next."""
        self._wake.clear()
        batch = self.store.claim_batch(self.batch_size, self.batch_bytes)
        if not batch:
            return None
        batch = self._withhold(batch)
        if not batch:
            return 0.0
        self._reachable.clear()
        answer = await self.client.post_events(
            [item["event"] for item in batch], users=[item["user"] for item in batch]
        )
        if answer.ok:
            return self._settle(batch, answer)
        return self._failed(batch, answer)

    def _withhold(self, batch: list) -> list:
        """Keep in the lab what the policy's telemetry settings keep out of central."""
        telemetry = (self.policy() or {}).get("telemetry") or {}
        floor = telemetry.get("min_severity")
        rank = SEVERITIES.index(floor) if floor in SEVERITIES else 0
        send, withheld = [], {}
        for item in batch:
            severity = item["event"].get("severity")
            if telemetry.get("enabled", True) is False:
                withheld.setdefault("telemetry_disabled", []).append(item["event_id"])
            elif severity in SEVERITIES and SEVERITIES.index(severity) < rank:
                withheld.setdefault("below_min_severity", []).append(item["event_id"])
            else:
                send.append(item)
        for reason, ids in withheld.items():
            self.store.withhold(ids, reason)
        return send

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
        if answer.retry_after is not None:
            self._not_before = asyncio.get_event_loop().time() + min(
                answer.retry_after, self.backoff.retry_after_max)
        self.log.warning("Warden: sending %d events to central failed (%s); retry in %.1f s",
                         len(batch), answer.error, delay)
        return delay

    async def _sleep_after_failure(self, seconds: float) -> None:
        try:
            await asyncio.wait_for(self._reachable.wait(), timeout=seconds)
        except asyncio.TimeoutError:
            return
        remaining = self._not_before - asyncio.get_event_loop().time()
        if remaining > 0:
            await asyncio.sleep(remaining)

    async def _sleep(self, seconds: float, wake: bool) -> None:
        if not wake:
            await asyncio.sleep(seconds)
            return
        try:
            await asyncio.wait_for(self._wake.wait(), timeout=seconds)
        except asyncio.TimeoutError:
            pass
