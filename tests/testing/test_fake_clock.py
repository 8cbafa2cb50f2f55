"""ManualClock and MonotonicClock."""

from __future__ import annotations

import pytest

from panel_async.testing import ManualClock, MonotonicClock


def test_manual_clock_starts_at_given_time() -> None:
    assert ManualClock(start=12.5).now() == 12.5


def test_manual_clock_advances() -> None:
    clock = ManualClock()

    clock.advance(3)
    clock.advance(0.5)

    assert clock.now() == 3.5


def test_manual_clock_rejects_negative_advance() -> None:
    with pytest.raises(ValueError, match="-1"):
        ManualClock().advance(-1)


def test_monotonic_clock_does_not_go_back() -> None:
    clock = MonotonicClock()

    first = clock.now()

    assert clock.now() >= first
