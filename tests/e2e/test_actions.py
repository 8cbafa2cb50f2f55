"""Every action of PanelClient against the simulator, in process."""

from __future__ import annotations

import datetime
from decimal import Decimal

import httpx
import pytest

from panel_async import (
    OrderState,
    PanelAuthError,
    PanelClient,
    PanelDuplicateOrderError,
    PanelInputError,
    PanelInsufficientFundsError,
    PanelMissingIDError,
    PanelNotFoundError,
    PanelValidationError,
    RefillState,
    Service,
)
from panel_async.testing import FakePanel, ManualClock

from .conftest import IN_PROCESS_URL, connect


def _service_of_type(services: list[Service], type_name: str) -> Service:
    return next(s for s in services if s.type == type_name)


async def test_services_typed_and_exact(client: PanelClient) -> None:
    """services() returns typed Service models with Decimal rates."""
    services = await client.services()

    assert len(services) > 5
    assert all(isinstance(s.rate, Decimal) for s in services)
    assert {"Default", "Custom Comments", "Subscriptions"} <= {s.type for s in services}


async def test_balance_is_exact_decimal(client: PanelClient) -> None:
    """balance() returns the panel's starting balance exactly."""
    balance = await client.balance()

    assert balance.amount == Decimal("1000")
    assert balance.currency == "USD"


async def test_add_default_charges_rate(client: PanelClient, panel: FakePanel) -> None:
    """add() of a Default service charges rate x quantity / 1000 and returns an ID."""
    service = _service_of_type(await client.services(), "Default")
    quantity = service.min or 100

    order_id = await client.add(
        service=service, link="https://example.com/p/1", quantity=quantity
    )

    assert str(order_id) in {str(i) for i in panel.orders}
    assert panel.balance == Decimal("1000") - service.cost(quantity).quantize(
        Decimal("0.00001")
    )


async def test_add_custom_comments_sends_lines(
    client: PanelClient, panel: FakePanel
) -> None:
    """add() joins a list of comments one per line; the panel counts the lines."""
    service = _service_of_type(await client.services(), "Custom Comments")
    lines = [f"comment {n}" for n in range(service.min or 10)]

    order_id = await client.add(
        service=service, link="https://x.test/p", comments=lines
    )

    order = panel.orders[int(order_id)]
    assert order.quantity == len(lines)


async def test_add_subscription_with_expiry(client: PanelClient) -> None:
    """add() of a Subscriptions service sends min, max, delay and a d/m/Y expiry."""
    service = _service_of_type(await client.services(), "Subscriptions")
    low = service.min or 10

    order_id = await client.add(
        service=service,
        username="someone",
        min=low,
        max=low,
        delay=30,
        expiry=datetime.date(2030, 1, 31),
    )

    assert order_id


async def test_add_checks_service_before_sending(
    client: PanelClient, panel: FakePanel
) -> None:
    """add() with a Service rejects a quantity above max without a request."""
    service = _service_of_type(await client.services(), "Default")
    assert service.max is not None
    sent_before = client.requests_sent

    with pytest.raises(PanelInputError, match="above the maximum"):
        await client.add(
            service=service, link="https://x.test/a", quantity=service.max + 1
        )

    assert client.requests_sent == sent_before


async def test_add_out_of_range_by_id_rejected(client: PanelClient) -> None:
    """add() by service ID leaves the range check to the panel, which rejects it."""
    service = _service_of_type(await client.services(), "Default")
    assert service.max is not None

    with pytest.raises(PanelValidationError):
        await client.add(
            service=service.id, link="https://x.test/a", quantity=service.max + 1
        )


async def test_add_duplicate_link_rejected(client: PanelClient) -> None:
    """A second add() for an active link raises PanelDuplicateOrderError."""
    service = _service_of_type(await client.services(), "Default")
    quantity = service.min or 100
    await client.add(service=service, link="https://x.test/dup", quantity=quantity)

    with pytest.raises(PanelDuplicateOrderError):
        await client.add(service=service, link="https://x.test/dup", quantity=quantity)


async def test_add_without_funds_rejected(clock: ManualClock) -> None:
    """add() beyond the balance raises PanelInsufficientFundsError."""
    poor = FakePanel(key="e2e-key-7f3a9c", balance=Decimal("0.001"), clock=clock)

    async with connect(poor) as client:
        service = _service_of_type(await client.services(), "Default")
        with pytest.raises(PanelInsufficientFundsError):
            await client.add(
                service=service, link="https://x.test/f", quantity=service.min or 100
            )


async def test_bad_key_raises_auth_error(panel: FakePanel) -> None:
    """Any action with a wrong key raises PanelAuthError."""
    async with connect(panel) as good:
        url = good.url
    assert url == IN_PROCESS_URL

    import httpx

    async with (
        httpx.AsyncClient(transport=panel.transport()) as http,
        PanelClient(IN_PROCESS_URL, "wrong-key", http_client=http) as client,
    ):
        with pytest.raises(PanelAuthError):
            await client.balance()


async def test_order_moves_on_clock(client: PanelClient, clock: ManualClock) -> None:
    """status() follows an order from Pending to a final state as time passes."""
    service = _service_of_type(await client.services(), "Default")
    order_id = await client.add(
        service=service, link="https://x.test/c", quantity=service.min or 100
    )

    first = await client.status(order_id)
    clock.advance(3600)
    last = await client.status(order_id)

    assert first.status is OrderState.PENDING
    assert last.status in {OrderState.COMPLETED, OrderState.PARTIAL}
    assert last.is_final


async def test_status_unknown_order_not_found(client: PanelClient) -> None:
    """status() of an unknown order raises PanelNotFoundError."""
    with pytest.raises(PanelNotFoundError):
        await client.status(987654321)


async def test_statuses_every_id_once(client: PanelClient) -> None:
    """statuses() of seeded and unknown IDs returns each distinct ID once."""
    ids: list[int | str] = [*range(1, 501), 999_999, "1", 2]

    result = await client.statuses(ids)

    assert len(result) == 501
    assert list(result)[:3] == [1, 2, 3]
    assert isinstance(result[999_999], PanelNotFoundError)
    assert len(result.succeeded) == 500
    assert client.requests_sent == 6


async def test_refill_and_refill_status(
    client: PanelClient, clock: ManualClock
) -> None:
    """refill() of a finished refillable order gives an ID whose status completes."""
    services = {str(s.id): s for s in await client.services()}
    statuses = await client.statuses(range(1, 501))
    candidates = [
        order_id
        for order_id, value in statuses.succeeded.items()
        if value.status is OrderState.COMPLETED
    ]
    results = await client.refills(candidates)
    refill_ids = list(results.succeeded.values())
    assert refill_ids, "some seeded completed order should be refillable"
    assert services

    clock.advance(3600)
    states = await client.refill_statuses(refill_ids)

    assert len(states) == len(set(map(str, refill_ids)))
    assert all(
        value.status in {RefillState.COMPLETED, RefillState.REJECTED}
        for value in states.succeeded.values()
    )


async def test_cancel_accepts_and_refunds(
    client: PanelClient, panel: FakePanel
) -> None:
    """cancel() of a fresh cancellable order returns True and refunds its charge."""
    service = next(
        s for s in await client.services() if s.type == "Default" and s.cancel
    )
    before = panel.balance
    order_id = await client.add(
        service=service, link="https://x.test/z", quantity=service.min or 100
    )

    result = await client.cancel([order_id, 987654321])

    assert result[order_id] is True
    assert isinstance(result[987654321], PanelNotFoundError | PanelMissingIDError)
    assert panel.balance == before


async def test_bad_key_stops_big_batch(panel: FakePanel) -> None:
    """A rejected key fails every ID of a big batch after a few requests, not all."""
    async with (
        httpx.AsyncClient(transport=panel.transport()) as http,
        PanelClient(IN_PROCESS_URL, "wrong-key-2", http_client=http) as client,
    ):
        result = await client.statuses(range(1, 100_001))

    assert len(result.failed) == 100_000
    assert all(isinstance(e, PanelAuthError) for e in result.failed.values())
    assert panel.requests["status"] <= 16
