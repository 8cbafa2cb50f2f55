"""The `cancel` action and its refunds."""

from __future__ import annotations

from decimal import Decimal

from panel_async._states import OrderState
from panel_async.testing import FakePanel, ManualClock

from .conftest import Add, Call


async def test_cancel_pending_order(panel: FakePanel, add: Add, call: Call) -> None:
    await add()

    response = await call("cancel", orders="1")

    assert response.json() == [{"order": 1, "cancel": 1}]
    assert panel.orders[1].state is OrderState.CANCELED


async def test_cancel_refunds_whole_charge(
    panel: FakePanel, add: Add, call: Call
) -> None:
    await add()

    await call("cancel", orders="1")

    assert panel.balance == Decimal("1000")
    assert panel.orders[1].charge == Decimal(0)
    assert panel.orders[1].refunded == Decimal("0.09000")


async def test_cancel_in_progress_order(
    panel: FakePanel, clock: ManualClock, add: Add, call: Call
) -> None:
    await add()
    clock.advance(10)

    response = await call("cancel", orders="1")

    assert response.json() == [{"order": 1, "cancel": 1}]


async def test_cancelled_order_stays_cancelled(
    panel: FakePanel, clock: ManualClock, add: Add, call: Call
) -> None:
    await add()
    await call("cancel", orders="1")
    clock.advance(600)

    response = await call("status", order="1")

    assert response.json()["status"] == "Canceled"
    assert response.json()["charge"] == "0.00000"


async def test_cancel_completed_order_is_rejected(
    panel: FakePanel, clock: ManualClock, add: Add, call: Call
) -> None:
    await add()
    clock.advance(60)

    response = await call("cancel", orders="1")

    assert response.json() == [
        {
            "order": 1,
            "cancel": {"error": "Order cannot be canceled in status Completed"},
        }
    ]
    assert panel.balance == Decimal("999.91000")


async def test_cancel_twice_is_rejected(add: Add, call: Call) -> None:
    await add()
    await call("cancel", orders="1")

    response = await call("cancel", orders="1")

    assert response.json() == [
        {"order": 1, "cancel": {"error": "Order cannot be canceled in status Canceled"}}
    ]


async def test_cancel_service_without_cancel(add: Add, call: Call) -> None:
    """Service 3 has cancel false."""
    await add(service="3")

    response = await call("cancel", orders="1")

    assert response.json() == [
        {"order": 1, "cancel": {"error": "Cancel is disabled for this service"}}
    ]


async def test_cancel_mixed_ids(add: Add, call: Call) -> None:
    await add()

    response = await call("cancel", orders="9,1")

    assert response.json() == [
        {"order": 9, "cancel": {"error": "Incorrect order ID"}},
        {"order": 1, "cancel": 1},
    ]


async def test_cancel_single_order_field_is_not_read(add: Add, call: Call) -> None:
    """The document has no single form of cancel."""
    await add()

    response = await call("cancel", order="1")

    assert response.json() == {"error": "Incorrect order ID"}


async def test_cancel_frees_link_for_new_order(add: Add, call: Call) -> None:
    await add()
    await call("cancel", orders="1")

    response = await add()

    assert response.json() == {"order": 2}
