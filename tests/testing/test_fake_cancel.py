"""The `cancel` action and its refunds."""

from __future__ import annotations

from decimal import Decimal

from panel_async._states import OrderState


async def test_cancel_pending_order(panel, add, call) -> None:
    await add()

    response = await call("cancel", orders="1")

    assert response.json() == [{"order": 1, "cancel": 1}]
    assert panel.orders[1].state is OrderState.CANCELED


async def test_cancel_refunds_whole_charge(panel, add, call) -> None:
    await add()

    await call("cancel", orders="1")

    assert panel.balance == Decimal("1000")
    assert panel.orders[1].charge == Decimal(0)
    assert panel.orders[1].refunded == Decimal("0.09000")


async def test_cancel_in_progress_order(panel, clock, add, call) -> None:
    await add()
    clock.advance(10)

    response = await call("cancel", orders="1")

    assert response.json() == [{"order": 1, "cancel": 1}]


async def test_cancelled_order_stays_cancelled(panel, clock, add, call) -> None:
    await add()
    await call("cancel", orders="1")
    clock.advance(600)

    response = await call("status", order="1")

    assert response.json()["status"] == "Canceled"
    assert response.json()["charge"] == "0.00000"


async def test_cancel_completed_order_is_rejected(panel, clock, add, call) -> None:
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


async def test_cancel_twice_is_rejected(add, call) -> None:
    await add()
    await call("cancel", orders="1")

    response = await call("cancel", orders="1")

    assert response.json() == [
        {"order": 1, "cancel": {"error": "Order cannot be canceled in status Canceled"}}
    ]


async def test_cancel_service_without_cancel(add, call) -> None:
    """Service 3 has cancel false."""
    await add(service="3")

    response = await call("cancel", orders="1")

    assert response.json() == [
        {"order": 1, "cancel": {"error": "Cancel is disabled for this service"}}
    ]


async def test_cancel_mixed_ids(add, call) -> None:
    await add()

    response = await call("cancel", orders="9,1")

    assert response.json() == [
        {"order": 9, "cancel": {"error": "Incorrect order ID"}},
        {"order": 1, "cancel": 1},
    ]


async def test_cancel_single_order_field_is_not_read(add, call) -> None:
    """The document has no single form of cancel."""
    await add()

    response = await call("cancel", order="1")

    assert response.json() == {"error": "Incorrect order ID"}


async def test_cancel_frees_link_for_new_order(add, call) -> None:
    await add()
    await call("cancel", orders="1")

    response = await add()

    assert response.json() == {"order": 2}
