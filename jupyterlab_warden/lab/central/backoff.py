"""Retry delays: exponential with jitter, and central's Retry-After honoured."""

import random
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Callable, Optional


class Backoff:
    """``next_delay()`` after each failure, ``reset()`` after a success.

    Equal jitter: half the exponential step is fixed, half random, so many labs that lost
    central together do not return in lockstep, yet none retries in a tight loop.
    """

    def __init__(
        self,
        initial: float,
        maximum: float,
        retry_after_max: float = 3600.0,
        rng: Callable[[], float] = random.random,
    ) -> None:
        self.initial = initial
        self.maximum = maximum
        self.retry_after_max = retry_after_max
        self.failures = 0
        self._rng = rng

    def next_delay(self, retry_after: Optional[float] = None) -> float:
        self.failures += 1
        step = min(self.maximum, self.initial * (2 ** min(self.failures - 1, 30)))
        delay = step / 2 + self._rng() * step / 2
        if retry_after is not None:
            delay = max(delay, min(retry_after, self.retry_after_max))
        return delay

    def reset(self) -> None:
        self.failures = 0


def parse_retry_after(value: Optional[str], now: Optional[datetime] = None) -> Optional[float]:
    """Seconds from a Retry-After header (delta-seconds or HTTP-date); None if absent/bad."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    now = now or datetime.now(timezone.utc)
    return max(0.0, (when - now).total_seconds())
