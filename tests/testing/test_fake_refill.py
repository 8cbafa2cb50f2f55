"""The `refill` and `refill_status` actions."""

from __future__ import annotations

from typing import Any

from panel_async._states import RefillState
from panel_async.testing import FakePanel, ManualClock

from .conftest import Add, Call, MakeCall


async def completed_order(add: Add, clock: ManualClock, **fields: Any) -> None:
    await add(**fields)
    clock.advance(60)


async def test_refill_single_returns_string_id(
    add: Add, clock: ManualClock, call: Call
) -> None:
    await completed_order(add, clock)

    response = await call("refill", order="1")

    assert response.json() == {"refill": "1"}


async def test_refill_multi_lists_each_order(
    add: Add, clock: ManualClock, call: Call
) -> None:
    await completed_order(add, clock)

    response = await call("refill", orders="1,7")

    assert response.json() == [
        {"order": 1, "refill": 1},
        {"order": 7, "refill": {"error": "Incorrect order ID"}},
    ]


async def test_refill_service_without_refill(
    add: Add, clock: ManualClock, call: Call
) -> None:
    """Service 3 has refill false."""
    await completed_order(add, clock, service="3", quantity="100")

    response = await call("refill", order="1")

    assert response.json() == {"error": "Refill is disabled for this service"}


async def test_refill_order_not_completed(add: Add, call: Call) -> None:
    await add()

    response = await call("refill", order="1")

    assert response.json() == {"error": "Refill is available only for completed orders"}


async def test_refill_partial_order_is_accepted(make_call: MakeCall) -> None:
    clock = ManualClock()
    call = make_call(FakePanel(clock=clock, partial_ratio=1.0))
    await call("add", service="1", link="https://social.example/p/x", quantity="1000")
    clock.advance(60)

    response = await call("refill", order="1")

    assert response.json() == {"refill": "1"}


async def test_refill_twice_while_pending(
    add: Add, clock: ManualClock, call: Call
) -> None:
    await completed_order(add, clock)
    await call("refill", order="1")

    response = await call("refill", order="1")

    assert response.json() == {"error": "Refill request already exists"}


async def test_refill_again_after_first_finished(
    add: Add, clock: ManualClock, call: Call
) -> None:
    await completed_order(add, clock)
    await call("refill", order="1")
    clock.advance(30)

    response = await call("refill", order="1")

    assert response.json() == {"refill": "2"}


async def test_refill_status_pending_then_completed(
    panel: FakePanel, add: Add, clock: ManualClock, call: Call
) -> None:
    await completed_order(add, clock)
    await call("refill", order="1")

    pending = await call("refill_status", refill="1")
    clock.advance(30)
    completed = await call("refill_status", refill="1")

    assert pending.json() == {"status": "Pending"}
    assert completed.json() == {"status": "Completed"}
    assert panel.refills[1].state is RefillState.COMPLETED


async def test_refill_status_rejected_by_ratio(make_call: MakeCall) -> None:
    clock = ManualClock()
    call = make_call(FakePanel(clock=clock, partial_ratio=0, reject_ratio=1.0))
    await call("add", service="1", link="https://social.example/p/x", quantity="100")
    clock.advance(60)
    await call("refill", order="1")
    clock.advance(30)

    response = await call("refill_status", refill="1")

    assert response.json() == {"status": "Rejected"}


async def test_refill_status_unknown_single(call: Call) -> None:
    response = await call("refill_status", refill="5")

    assert response.json() == {"error": "Refill not found"}


async def test_refill_status_multi_lists_each_refill(
    add: Add, clock: ManualClock, call: Call
) -> None:
    await completed_order(add, clock)
    await call("refill", order="1")

    response = await call("refill_status", refills="1,3")

    assert response.json() == [
        {"refill": 1, "status": "Pending"},
        {"refill": 3, "status": {"error": "Refill not found"}},
    ]


async def test_refill_status_without_ids(call: Call) -> None:
    response = await call("refill_status")

    assert response.json() == {"error": "Refill not found"}


async def test_refill_status_above_max_ids(call: Call) -> None:
    ids = ",".join(str(i) for i in range(1, 102))

    response = await call("refill_status", refills=ids)

    assert response.json() == {"error": "Too many refills, max 100"}
