"""Request limits of the simulated panel: requests in flight and a rate per key."""

from __future__ import annotations

import math
from typing import Literal

import attrs

__all__ = ["RateLimiter", "ThrottleEvent", "ThrottleReason"]

ThrottleReason = Literal["max_in_flight", "rate_limit", "fault"]


@attrs.frozen
class ThrottleEvent:
    """One HTTP 429 that the panel sent.

    `time` is the panel's clock reading and `retry_after` the Retry-After header in
    seconds.
    """

    reason: ThrottleReason
    action: str
    time: float
    retry_after: int


class RateLimiter:
    """A token bucket per API key, refilled at `rate` requests per second.

    A bucket contains at most `max(1, rate)` tokens, so a key may send a burst of one
    second's worth of requests. Time comes from the panel's clock, so a manual clock
    also controls the limit.
    """

    def __init__(self, rate: float) -> None:
        if rate <= 0:
            raise ValueError(
                f"rate_limit must be above 0 requests per second, got {rate}"
            )
        self.rate = rate
        self.capacity = max(1.0, rate)
        self._buckets: dict[str, tuple[float, float]] = {}

    def acquire(self, key: str, now: float) -> int | None:
        """Take a token for `key`, or return the seconds to wait when there is none."""
        tokens, last = self._buckets.get(key, (self.capacity, now))
        tokens = min(self.capacity, tokens + (now - last) * self.rate)
        if tokens >= 1.0:
            self._buckets[key] = (tokens - 1.0, now)
            return None
        self._buckets[key] = (tokens, now)

        return max(1, math.ceil((1.0 - tokens) / self.rate))
