"""Clocks that drive the simulated panel's order and refill lifecycles."""

from __future__ import annotations

import time
from typing import Protocol

__all__ = ["Clock", "ManualClock", "MonotonicClock"]


class Clock(Protocol):
    """A source of time in seconds, used to move orders and refills along."""

    def now(self) -> float:
        """Return the current time in seconds."""
        ...


class MonotonicClock:
    """A clock that follows `time.monotonic()`."""

    def now(self) -> float:
        """Return `time.monotonic()`."""
        return time.monotonic()


class ManualClock:
    """A clock that moves only when `advance()` is called, for deterministic tests."""

    def __init__(self, start: float = 0.0) -> None:
        self._now = start

    def now(self) -> float:
        """Return the current time in seconds."""
        return self._now

    def advance(self, seconds: float) -> None:
        """Move the clock forward by `seconds`.

        Raises:
            ValueError: if `seconds` is negative, because time never goes back.
        """
        if seconds < 0:
            raise ValueError(f"seconds must not be negative, got {seconds}")
        self._now += seconds

    def __repr__(self) -> str:
        return f"ManualClock(now={self._now!r})"
