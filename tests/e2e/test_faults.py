"""Retries and order safety against the simulator's injected faults, over loopback HTTP.

Each test fixes the fault plan's seed. Concurrency decides which request draws which
fault, so the assertions hold for any draw rather than for one recorded run.
"""

from __future__ import annotations

import asyncio
import collections
import time
from collections.abc import AsyncIterator
from decimal import Decimal

import pytest

from panel_async import (
    PanelAmbiguousOrderError,
    PanelAuthError,
    PanelClient,
    PanelError,
    PanelRateLimitError,
    PanelTransportError,
    RetryEvent,
    RetryPolicy,
)
from panel_async.testing import FakePanel, FaultPlan, ManualClock, serve

from .conftest import KEY, connect

TRANSIENT_30_PERCENT = FaultPlan(
    reset_before=0.05,
    reset_after=0.05,
    http_502=0.05,
    http_503=0.05,
    http_429=0.05,
    truncated_json=0.05,
    retry_after=0,
    seed=11,
)


@pytest.fixture
async def served() -> AsyncIterator[tuple[FakePanel, str]]:
    """A panel with 10,000 seeded orders served on 127.0.0.1."""
    panel = FakePanel(key=KEY, seed=5, seeded_orders=10_000, clock=ManualClock())
    async with serve(panel) as url:
        yield panel, url


async def test_statuses_survive_transient_faults(
    served: tuple[FakePanel, str],
) -> None:
    """statuses() of 10,000 IDs under 30% faults returns every ID, all with values."""
    panel, url = served
    panel.faults = TRANSIENT_30_PERCENT
    ids = list(range(1, 10_001))

    async with PanelClient(url, KEY, max_concurrency=16) as client:
        result = await client.statuses(ids)

    assert list(result) == ids
    assert result.failed == {}
    assert sum(panel.faults_injected.values()) >= 30


async def test_statuses_without_retries_lose_no_id(
    served: tuple[FakePanel, str],
) -> None:
    """With one attempt, failed chunks still report each of their IDs once."""
    panel, url = served
    panel.faults = TRANSIENT_30_PERCENT
    ids = list(range(1, 10_001))

    async with PanelClient(url, KEY, retry=RetryPolicy.none()) as client:
        result = await client.statuses(ids)

    assert list(result) == ids
    assert len(result.succeeded) + len(result.failed) == 10_000
    assert result.failed


async def _place_orders(client: PanelClient, count: int) -> tuple[int, int, int]:
    """Place `count` orders with unique links; count IDs, ambiguous and other errors."""
    outcomes: collections.Counter[str] = collections.Counter()

    async def place(n: int) -> None:
        try:
            await client.add(service=1, link=f"https://x.test/order/{n}", quantity=100)
        except PanelAmbiguousOrderError as exc:
            # Counted, then checked after the gather: the fields name the order.
            outcomes["ambiguous"] += 1
            if (
                "key" in exc.fields
                or exc.fields.get("link") != f"https://x.test/order/{n}"
            ):
                outcomes["bad fields"] += 1
        except PanelError:
            outcomes["error"] += 1
        else:
            outcomes["id"] += 1

    await asyncio.gather(*(place(n) for n in range(count)))
    assert outcomes["bad fields"] == 0
    return outcomes["id"], outcomes["ambiguous"], outcomes["error"]


async def test_add_never_creates_two_orders() -> None:
    """1,000 add() calls under reset-after faults: orders = IDs + ambiguous calls."""
    panel = FakePanel(
        key=KEY,
        balance=Decimal("1000000"),
        clock=ManualClock(),
        faults=FaultPlan(reset_after=0.2, seed=7),
    )
    async with serve(panel) as url, PanelClient(url, KEY, max_concurrency=16) as client:
        returned, ambiguous, errors = await _place_orders(client, 1000)

    links = collections.Counter(order.link for order in panel.orders.values())
    assert errors == 0
    assert ambiguous > 0
    assert panel.orders_created == returned + ambiguous
    assert max(links.values()) == 1


async def test_add_mixed_faults_at_most_once() -> None:
    """Under resets before and after and 502s, no add() call makes two orders."""
    panel = FakePanel(
        key=KEY,
        balance=Decimal("1000000"),
        clock=ManualClock(),
        faults=FaultPlan(
            reset_after=0.1, reset_before=0.1, http_502=0.05, connect_error=0.05, seed=8
        ),
    )
    async with connect(panel) as client:
        returned, ambiguous, errors = await _place_orders(client, 1000)

    links = collections.Counter(order.link for order in panel.orders.values())
    assert errors == 0
    assert max(links.values()) == 1
    assert returned < panel.orders_created < returned + ambiguous
    assert panel.faults_injected["connect_error"] > 0


async def test_refill_and_cancel_sent_once() -> None:
    """Under reset-after faults, refills() and cancel() never act twice per order."""
    panel = FakePanel(
        key=KEY,
        seed=9,
        seeded_orders=2000,
        clock=ManualClock(),
        faults=FaultPlan(reset_after=0.3, seed=3, actions={"refill", "cancel"}),
    )
    async with connect(panel) as client:
        refills = await client.refills(range(1, 2001))
        cancels = await client.cancel(range(1, 2001))

    per_order = collections.Counter(
        refill.order_id for refill in panel.refills.values()
    )
    assert len(refills) == 2000
    assert len(cancels) == 2000
    assert max(per_order.values(), default=0) == 1
    assert any(isinstance(v, PanelAmbiguousOrderError) for v in refills.values())
    assert any(isinstance(v, PanelAmbiguousOrderError) for v in cancels.values())
    assert panel.requests["refill"] == 20
    assert panel.requests["cancel"] == 20


async def test_stalled_panel_abandoned_at_deadline() -> None:
    """A panel that never answers is abandoned at the policy's deadline."""
    panel = FakePanel(key=KEY, faults=FaultPlan(stall=1.0, stall_seconds=30.0))
    policy = RetryPolicy(attempts=100, deadline=1.0, initial_wait=0.0, max_wait=0.0)
    started = time.monotonic()

    async with serve(panel) as url, PanelClient(url, KEY, timeout=0.3) as client:
        with pytest.raises(PanelTransportError):
            await client.balance(retry=policy)

    assert time.monotonic() - started < 5.0
    assert panel.requests["balance"] >= 3


async def test_rate_limit_waits_retry_after() -> None:
    """A 429 storm is retried after the advertised Retry-After, then succeeds."""
    panel = FakePanel(key=KEY, faults=FaultPlan(http_429=0.6, retry_after=1, seed=2))
    events: list[RetryEvent] = []
    policy = RetryPolicy(
        attempts=20, deadline=30.0, max_wait=2.0, on_retry=events.append
    )

    async with serve(panel) as url, PanelClient(url, KEY, retry=policy) as client:
        balances = [await client.balance() for _ in range(5)]

    assert all(balance.amount > 0 for balance in balances)
    assert events
    assert all(isinstance(e.cause, PanelRateLimitError) for e in events)
    assert all(e.wait == 1.0 for e in events)


async def test_retry_after_above_cap_ends_retries() -> None:
    """A Retry-After longer than max_wait raises at once instead of waiting."""
    panel = FakePanel(key=KEY, faults=FaultPlan(http_429=1.0, retry_after=60))

    async with connect(panel, retry=RetryPolicy(max_wait=5.0)) as client:
        with pytest.raises(PanelRateLimitError) as caught:
            await client.balance()

    assert caught.value.retry_after == 60
    assert panel.requests["balance"] == 1


async def test_permanent_error_sent_once() -> None:
    """A bad key is raised after exactly one request, without retries."""
    panel = FakePanel(key=KEY)

    async with serve(panel) as url, PanelClient(url, "wrong-key-1") as client:
        with pytest.raises(PanelAuthError):
            await client.balance()

    assert panel.requests["balance"] == 1


async def test_cancelling_big_batch_stops_promptly() -> None:
    """Cancelling statuses() of 100,000 IDs returns fast and leaves nothing running."""
    panel = FakePanel(key=KEY, seed=1, seeded_orders=1000, latency=0.05)
    async with serve(panel) as url, PanelClient(url, KEY, max_concurrency=8) as client:
        task = asyncio.create_task(client.statuses(range(1, 100_001)))
        await asyncio.sleep(0.3)
        cancelled_at = time.monotonic()
        task.cancel()

        with pytest.raises(asyncio.CancelledError):
            await task
        elapsed = time.monotonic() - cancelled_at
        await asyncio.sleep(0.1)  # let the server finish the aborted requests

        others = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        client_tasks = [t for t in others if "panel_async/_" in repr(t.get_coro())]

        sent = client.requests_sent

    assert elapsed < 0.5
    assert client_tasks == []
    assert 0 < sent < 1000
    assert panel.in_flight == 0


async def test_tls_to_plain_server_not_retried() -> None:
    """https:// to a plain-HTTP server fails once, with a hint about the scheme."""
    panel = FakePanel(key=KEY)

    async with serve(panel) as url:
        client = PanelClient(url.replace("http://", "https://"), KEY)
        async with client:
            with pytest.raises(PanelTransportError, match="scheme") as caught:
                await client.balance()
            sent = client.requests_sent

    assert sent == 1
    assert "TLS handshake" in str(caught.value)
