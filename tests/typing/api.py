"""Typical user code of panel_async, checked by mypy --strict in test_api_types.py.

The test only type-checks this file; nothing runs it, so the URL is a placeholder.
"""

from __future__ import annotations

import contextlib
import datetime
from decimal import Decimal

from panel_async import (
    Balance,
    BatchResult,
    OrderId,
    OrderState,
    OrderStatus,
    PanelAmbiguousOrderError,
    PanelAPIError,
    PanelClient,
    PanelError,
    PanelRateLimitError,
    PollEvent,
    RefillId,
    RefillState,
    RefillStatus,
    RetryEvent,
    RetryPolicy,
    Service,
)


def log_retry(event: RetryEvent) -> None:
    print(f"retrying {event.action} in {event.wait:.1f}s: {event.cause}")


def show_progress(done: int, total: int | None, failed: int) -> None:
    print(f"{done}/{total or '?'} done, {failed} failed")


async def place_order(panel: PanelClient, service: Service) -> OrderId | None:
    price: Decimal = service.cost(1000)
    if price > Decimal("5"):
        return None
    try:
        return await panel.add(
            service=service, link="https://example.com/p/1", quantity=1000
        )
    except PanelAmbiguousOrderError as error:
        sent: dict[str, str] = error.fields
        print(f"order may exist: {sent}")
    except PanelRateLimitError as error:
        wait: float | None = error.retry_after
        print(f"slow down for {wait}s")
    except PanelAPIError as error:
        print(error.message, error.status_code, error.transient)
    return None


async def report(key: str) -> Decimal:
    retry = RetryPolicy(attempts=3, initial_wait=0.5, max_wait=10.0, on_retry=log_retry)
    async with PanelClient("https://panel.example/api/v2", key, retry=retry) as panel:
        balance: Balance = await panel.balance()
        total: Decimal = balance.amount + Decimal(1)
        currency: str | None = balance.currency

        services: list[Service] = await panel.services()
        by_id: dict[str, Service] = await panel.services_by_id(max_age=60.0)
        rate: Decimal = by_id["1"].rate
        print(len(services), rate, currency)

        order_id = await place_order(panel, services[0])
        if order_id is not None:
            status: OrderStatus = await panel.status(order_id)
            if status.status is OrderState.COMPLETED:
                charge: Decimal | None = status.charge
                remains: int | None = status.remains
                print(charge, remains, status.raw_status, status.is_final)

        result: BatchResult[OrderStatus] = await panel.statuses(
            [1, 2, "ord_3"], on_progress=show_progress
        )
        for order, value in result.items():
            if isinstance(value, PanelError):
                print(order, value.message, value.action)
            elif value.status is OrderState.PARTIAL:
                print(order, value.remains)
        done: dict[int | str, OrderStatus] = result.succeeded
        failed: dict[int | str, PanelError] = result.failed
        first: OrderStatus | PanelError = result[1]
        print(len(done), len(failed), first)

        refills: BatchResult[RefillId] = await panel.refills([1, 2])
        refill_id = refills.get(1)
        if isinstance(refill_id, (int, str)):
            refill: RefillStatus = await panel.refill_status(refill_id)
            print(refill.status is RefillState.REJECTED)
        states: BatchResult[RefillStatus] = await panel.refill_statuses([7, 8])
        cancels: BatchResult[bool] = await panel.cancel([3])
        print(states, cancels.succeeded)

        async for streamed_id, streamed in panel.iter_statuses(range(1, 1000)):
            if not isinstance(streamed, PanelError):
                print(streamed_id, streamed.status.value)

        events = panel.poll([1, 2], interval=30.0, deadline=600.0)
        async with contextlib.aclosing(events):
            async for event in events:
                polled: PollEvent = event
                print(polled.order_id, polled.new, polled.error)

        expiry = datetime.date.today() + datetime.timedelta(days=30)
        await panel.add(
            service=9, username="someone", min=10, max=20, delay=30, expiry=expiry
        )
        return total
