"""The client-wide limiter: requests in flight, pacing, and slowing down after a 429.

Every request of one client, batched or not, passes through one Limiter. It keeps at
most a window of requests in flight, starts them no faster than `rate_limit` per second
(evenly spaced, so there are no bursts), and pauses everyone after the panel answers
429. The window halves on a 429 and grows back by one after a window's worth of
successful requests, so that the client settles near what the panel accepts.
"""

from __future__ import annotations

__all__ = ["Limiter"]

import asyncio
import collections
import logging
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

logger = logging.getLogger("panel_async.limits")


class Limiter:
    """Concurrency window, pacing and 429 back-off shared by one client's requests."""

    def __init__(
        self,
        max_concurrency: int,
        rate_limit: float | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_concurrency = max_concurrency
        self.rate_limit = rate_limit
        self._window = max_concurrency
        self._in_flight = 0
        self._waiters: collections.deque[asyncio.Future[None]] = collections.deque()
        self._clock = clock
        self._interval = 1.0 / rate_limit if rate_limit else 0.0
        self._next_start = 0.0
        self._paused_until = 0.0
        self._successes = 0
        self._last_decrease = -1.0

    @property
    def window(self) -> int:
        """How many requests may be in flight now (at most `max_concurrency`)."""
        return self._window

    @property
    def in_flight(self) -> int:
        """How many requests hold a slot now."""
        return self._in_flight

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[float]:
        """Hold one request slot; yields the clock time at which the request starts."""
        await self._acquire()
        try:
            started = await self._pace()
            yield started
        finally:
            self._release()

    async def _acquire(self) -> None:
        while self._in_flight >= self._window:
            waiter = asyncio.get_running_loop().create_future()
            self._waiters.append(waiter)
            try:
                await waiter
            except asyncio.CancelledError:
                if waiter.done() and not waiter.cancelled():
                    self._wake()  # pass the wake-up on to the next waiter
                raise
            finally:
                if waiter in self._waiters:
                    self._waiters.remove(waiter)
        self._in_flight += 1

    def _release(self) -> None:
        self._in_flight -= 1
        self._wake()

    def _wake(self) -> None:
        free = self._window - self._in_flight
        while free > 0 and self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)
                free -= 1

    async def _pace(self) -> float:
        now = self._clock()
        start = max(now, self._next_start, self._paused_until)
        self._next_start = start + self._interval
        if start > now:
            await asyncio.sleep(start - now)
        return start

    def note_success(self) -> None:
        """Record an answered request; grows the window back after a 429."""
        if self._window >= self.max_concurrency:
            return
        self._successes += 1
        if self._successes >= self._window:
            self._successes = 0
            self._window += 1
            self._wake()

    def note_rate_limited(self, started: float, retry_after: float | None) -> None:
        """Record a 429 for a request started at `started`: pause, shrink the window.

        All 429s of requests started before the last shrink count as one, so that a
        burst of them halves the window once.
        """
        now = self._clock()
        if retry_after is not None:
            self._paused_until = max(self._paused_until, now + retry_after)
        if started >= self._last_decrease:
            self._last_decrease = now
            self._window = max(1, self._window // 2)
            self._successes = 0
            logger.warning(
                "panel answered 429; window lowered to %d requests in flight",
                self._window,
                extra={"window": self._window, "retry_after": retry_after},
            )
