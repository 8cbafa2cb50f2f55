"""Requests in flight, the rate limit and latency."""

from __future__ import annotations

import asyncio
import time

import pytest

from panel_async.testing import FakePanel, ManualClock

from .conftest import MakeCall


async def test_max_in_flight_sends_429(make_call: MakeCall) -> None:
    panel = FakePanel(max_in_flight=1, latency=0.1)
    call = make_call(panel)

    responses = await asyncio.gather(*(call("balance") for _ in range(3)))

    assert sorted(r.status_code for r in responses) == [200, 429, 429]
    assert [e.reason for e in panel.throttled] == ["max_in_flight", "max_in_flight"]


async def test_max_in_flight_sends_retry_after(make_call: MakeCall) -> None:
    call = make_call(FakePanel(max_in_flight=1, latency=0.05))

    responses = await asyncio.gather(call("balance"), call("balance"))

    rejected = next(r for r in responses if r.status_code == 429)
    assert rejected.headers["retry-after"] == "1"


async def test_max_in_flight_frees_slots(make_call: MakeCall) -> None:
    panel = FakePanel(max_in_flight=1, latency=0.01)
    call = make_call(panel)
    await asyncio.gather(call("balance"), call("balance"))

    response = await call("balance")

    assert response.status_code == 200
    assert panel.in_flight == 0


async def test_rate_limit_sends_429_above_rate(make_call: MakeCall) -> None:
    clock = ManualClock()
    call = make_call(FakePanel(clock=clock, rate_limit=2))

    statuses = [(await call("balance")).status_code for _ in range(3)]

    assert statuses == [200, 200, 429]


async def test_rate_limit_headers(make_call: MakeCall) -> None:
    clock = ManualClock()
    call = make_call(FakePanel(clock=clock, rate_limit=2))
    await call("balance")
    await call("balance")

    response = await call("balance")

    assert response.headers["retry-after"] == "1"
    assert response.headers["x-ratelimit-limit"] == "120"
    assert response.headers["x-ratelimit-remaining"] == "0"


async def test_rate_limit_refills_with_clock(make_call: MakeCall) -> None:
    clock = ManualClock()
    call = make_call(FakePanel(clock=clock, rate_limit=2))
    await call("balance")
    await call("balance")
    clock.advance(0.5)

    response = await call("balance")

    assert response.status_code == 200


async def test_rate_limit_slow_rate_retry_after(make_call: MakeCall) -> None:
    """At one request per 10 s, the second request waits 10 s."""
    clock = ManualClock()
    call = make_call(FakePanel(clock=clock, rate_limit=0.1))
    await call("balance")

    response = await call("balance")

    assert response.headers["retry-after"] == "10"


async def test_rate_limit_is_per_key(make_call: MakeCall) -> None:
    clock = ManualClock()
    panel = FakePanel(clock=clock, rate_limit=1)
    call = make_call(panel)
    await call("balance")

    other_key = await call("balance", key="other")

    assert other_key.json() == {"error": "Invalid API key"}
    assert [e.reason for e in panel.throttled] == []


async def test_rate_limit_records_event(make_call: MakeCall) -> None:
    clock = ManualClock(start=100.0)
    panel = FakePanel(clock=clock, rate_limit=1)
    call = make_call(panel)
    await call("status", order="1")
    await call("status", order="1")

    assert [(e.reason, e.action, e.time) for e in panel.throttled] == [
        ("rate_limit", "status", 100.0)
    ]


def test_rate_limit_must_be_positive() -> None:
    with pytest.raises(ValueError, match="rate_limit"):
        FakePanel(rate_limit=0)


def test_max_in_flight_must_be_positive() -> None:
    with pytest.raises(ValueError, match="max_in_flight"):
        FakePanel(max_in_flight=0)


async def test_latency_delays_response(make_call: MakeCall) -> None:
    call = make_call(FakePanel(latency=0.05))
    started = time.perf_counter()

    await call("balance")

    assert time.perf_counter() - started >= 0.05
