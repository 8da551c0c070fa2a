"""Tell central how this lab is doing: active policy revision, queue depth, drops."""

import asyncio
import logging
from typing import Callable, Optional

from .client import CentralClient


class StatusReporter:
    def __init__(
        self, client: CentralClient, snapshot: Callable[[], dict], *, interval: float = 60.0,
        log: Optional[logging.Logger] = None,
    ) -> None:
        self.client = client
        self.snapshot = snapshot  # () -> the status body (central/API.md, "Status")
        self.interval = interval
        self.log = log or logging.getLogger(__name__)
        self.last_error: Optional[str] = None
        self.last_sent: Optional[dict] = None
        self._wake = asyncio.Event()

    def wake(self) -> None:
        """Post soon (e.g. after a policy change) instead of at the next interval."""
        self._wake.set()

    async def run(self) -> None:
        while True:
            self._wake.clear()
            await self.send_once()
            try:
                await asyncio.wait_for(self._wake.wait(), timeout=self.interval)
            except asyncio.TimeoutError:
                pass

    async def send_once(self) -> bool:
        body = self.snapshot()
        answer = await self.client.post_status(body)
        self.last_error = answer.error
        if answer.ok:
            self.last_sent = body
        else:
            self.log.info("Warden: status post to central failed (%s)", answer.error)
        return answer.ok
