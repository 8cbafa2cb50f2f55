"""The client-wide limiter: requests in flight, pacing, and slowing down after a 429.

Every request of one client, batched or not, passes through one Limiter. It keeps at
most a window of requests in flight, starts them no faster than a rate (evenly spaced,
so there are no bursts), and pauses everyone for the Retry-After of a 429.

The window starts small and doubles with each round trip until it reaches
max_concurrency, so a panel that takes few requests at once is not hit with a burst.
A 429 also teaches the limiter what the panel accepts. The window drops below the
number of requests that were in flight, and the rate drops below the rate observed
in the last second. Both then grow back: quickly up to just under the level that
drew the 429, then slowly, so that the client probes the panel's limit rarely
instead of hitting it over and over.
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

# After a 429, the rate restarts at this share of the rate that drew it, grows by
# _RATE_STEP per second up to _RATE_PLATEAU of that rate, then by _RATE_PROBE.
_RATE_BACKOFF = 0.85
_RATE_PLATEAU = 0.95
_RATE_STEP = 1.05
_RATE_PROBE = 1.01
# Requests in flight at the start. The window grows by one per answered request until
# it reaches max_concurrency or draws a 429, so a panel that takes few requests at once
# sees a small burst rather than max_concurrency requests at once.
_INITIAL_WINDOW = 4
# Successful requests per extra slot of window, past the window that drew a 429,
# in multiples of the window: one probe per this many window-fulls of requests.
_WINDOW_PROBE_FACTOR = 50
# Seconds of start times kept to measure the recent request rate, and the fewest
# starts in that time from which a 429 lowers the rate.
_RATE_SAMPLE = 1.0
_MIN_RATE_SAMPLE = 5


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
        self._clock = clock
        self._window = min(max_concurrency, _INITIAL_WINDOW)
        self._window_ceiling: int | None = None
        self._in_flight = 0
        self._successes = 0
        self._waiters: collections.deque[asyncio.Future[None]] = collections.deque()
        self._next_start = 0.0
        self._paused_until = 0.0
        self._adaptive_rate: float | None = None
        self._rate_ceiling = 0.0
        self._rate_changed = 0.0
        self._recent_starts: collections.deque[float] = collections.deque()
        self._first_start: float | None = None

    @property
    def window(self) -> int:
        """How many requests may be in flight now (at most `max_concurrency`)."""
        return self._window

    @property
    def in_flight(self) -> int:
        """How many requests hold a slot now."""
        return self._in_flight

    @property
    def rate(self) -> float | None:
        """Requests per second allowed now: rate_limit or the learned rate, if lower."""
        rates = [r for r in (self.rate_limit, self._adaptive_rate) if r is not None]
        return min(rates) if rates else None

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
        rate = self.rate
        interval = 1.0 / rate if rate else 0.0
        start = max(now, self._next_start, self._paused_until)
        self._next_start = start + interval
        if self._first_start is None:
            self._first_start = start
        self._recent_starts.append(start)
        while self._recent_starts[0] < start - _RATE_SAMPLE:
            self._recent_starts.popleft()
        if start > now:
            await asyncio.sleep(start - now)
        return start

    def note_success(self) -> None:
        """Record an answered request; grows the window and rate back after a 429."""
        if self._window < self.max_concurrency:
            self._successes += 1
            if self._window_ceiling is None:
                needed = 1  # slow start: the window doubles per round trip
            elif self._window < self._window_ceiling:
                needed = self._window
            else:
                needed = self._window * _WINDOW_PROBE_FACTOR
            if self._successes >= needed:
                self._successes = 0
                self._window += 1
                self._wake()
        if self._adaptive_rate is not None:
            self._grow_rate()

    def _grow_rate(self) -> None:
        assert self._adaptive_rate is not None  # checked by the caller
        now = self._clock()
        if now - self._rate_changed < 1.0:
            return
        self._rate_changed = now
        if self._adaptive_rate < _RATE_PLATEAU * self._rate_ceiling:
            grown = self._adaptive_rate * _RATE_STEP
            self._adaptive_rate = min(grown, _RATE_PLATEAU * self._rate_ceiling)
        else:
            self._adaptive_rate *= _RATE_PROBE
        if self.rate_limit is not None and self._adaptive_rate >= self.rate_limit:
            self._adaptive_rate = None  # the caller's own limit binds again

    def note_rate_limited(self, started: float, retry_after: float | None) -> None:
        """Record a 429 for a request started at `started`: shrink, slow down, pause.

        A 429 right after the window grew past the size that drew the last one is the
        answer to that probe: the window goes back and nothing else changes. Any
        other 429 shrinks the window to the requests still in flight, lowers the rate
        once the client has run long enough to measure it, and pauses every request
        for the Retry-After when the rate was lowered or a lone request was refused.
        """
        now = self._clock()
        ceiling = self._window_ceiling
        if ceiling is not None and self._window > ceiling:
            self._window = ceiling
            self._successes = 0
            logger.debug(
                "panel rejected a window of %d requests in flight; back to %d",
                ceiling + 1,
                ceiling,
            )
            return

        # The others in flight were accepted, so the panel takes about that many.
        window = max(1, self._in_flight - 1)
        changed = window < self._window
        if changed:
            self._window = window
            self._window_ceiling = window
            self._successes = 0

        rate_lowered = self._lower_rate(started, now)
        if retry_after is not None and (rate_lowered or self._in_flight <= 1):
            self._paused_until = max(self._paused_until, now + retry_after)
        changed = changed or rate_lowered

        # One line per change, not per 429, so that a storm of them stays readable.
        rate = self.rate
        logger.log(
            logging.WARNING if changed else logging.DEBUG,
            "panel responded with 429; now at most %d requests in flight, %s",
            self._window,
            "unpaced" if rate is None else f"{rate:.1f} requests per second",
            extra={"window": self._window, "rate": rate, "retry_after": retry_after},
        )

    def _lower_rate(self, started: float, now: float) -> bool:
        """Lower the rate below the one observed in the last second; True if lowered.

        A client that sent only a few requests, or only its first burst, tells
        nothing about the panel's rate, and neither does a request that started
        before the last change.
        """
        observed = len(self._recent_starts) / _RATE_SAMPLE
        first = self._first_start if self._first_start is not None else now
        if (
            started < self._rate_changed
            or observed < _MIN_RATE_SAMPLE
            or now - first < _RATE_SAMPLE
        ):
            return False

        self._rate_ceiling = observed
        current = self.rate or observed
        self._adaptive_rate = min(current, observed) * _RATE_BACKOFF
        self._rate_changed = now
        return True
