"""The `status` action and the order lifecycle on the clock."""

from __future__ import annotations

from decimal import Decimal

from panel_async._states import OrderState
from panel_async.testing import FakePanel, ManualClock

from .conftest import Add, Call, MakeCall


async def test_status_single_pending_order(add: Add, call: Call) -> None:
    await add()

    response = await call("status", order="1")

    assert response.json() == {
        "charge": "0.09000",
        "start_count": "0",
        "status": "Pending",
        "remains": "100",
        "currency": "USD",
    }


async def test_status_in_progress_after_start(
    clock: ManualClock, add: Add, call: Call
) -> None:
    await add()
    clock.advance(5)

    response = await call("status", order="1")

    assert response.json()["status"] == "In progress"


async def test_status_in_progress_has_start_count(
    panel: FakePanel, clock: ManualClock, add: Add, call: Call
) -> None:
    await add()
    clock.advance(5)

    response = await call("status", order="1")

    assert response.json()["start_count"] == str(panel.orders[1].start_count)


async def test_status_remains_fall_during_progress(
    clock: ManualClock, add: Add, call: Call
) -> None:
    await add()
    clock.advance(5 + 55 / 2)

    response = await call("status", order="1")

    assert response.json()["remains"] == "50"


async def test_status_completed_after_finish(
    clock: ManualClock, add: Add, call: Call
) -> None:
    await add()
    clock.advance(60)

    response = await call("status", order="1")

    assert response.json()["status"] == "Completed"
    assert response.json()["remains"] == "0"


async def test_status_timings_follow_constructor(make_call: MakeCall) -> None:
    clock = ManualClock()
    call = make_call(
        FakePanel(clock=clock, start_after=1, finish_after=2, partial_ratio=0)
    )
    await call("add", service="1", link="https://social.example/p/x", quantity="100")
    clock.advance(2)

    response = await call("status", order="1")

    assert response.json()["status"] == "Completed"


async def test_status_partial_refunds_undelivered_part(make_call: MakeCall) -> None:
    clock = ManualClock()
    panel = FakePanel(clock=clock, partial_ratio=1.0)
    call = make_call(panel)
    await call("add", service="1", link="https://social.example/p/x", quantity="1000")
    clock.advance(60)

    body = (await call("status", order="1")).json()

    remains = int(body["remains"])
    refund = (Decimal("0.90000") * remains / 1000).quantize(Decimal("0.00001"))
    assert body["status"] == "Partial"
    assert 0 < remains < 1000
    assert Decimal(body["charge"]) == Decimal("0.90000") - refund
    assert panel.balance == Decimal(1000) - Decimal(body["charge"])


async def test_status_partial_refund_happens_once(make_call: MakeCall) -> None:
    clock = ManualClock()
    panel = FakePanel(clock=clock, partial_ratio=1.0)
    call = make_call(panel)
    await call("add", service="1", link="https://social.example/p/x", quantity="1000")
    clock.advance(60)
    first = panel.balance

    await call("status", order="1")
    clock.advance(600)

    assert panel.balance == first


async def test_status_unknown_single_order(call: Call) -> None:
    response = await call("status", order="42")

    assert response.json() == {"error": "Incorrect order ID"}


async def test_status_without_ids(call: Call) -> None:
    response = await call("status")

    assert response.json() == {"error": "Incorrect order ID"}


async def test_status_multi_keyed_by_id(add: Add, call: Call) -> None:
    await add(link="a")
    await add(link="b")

    response = await call("status", orders="1,2")

    assert set(response.json()) == {"1", "2"}
    assert response.json()["2"]["status"] == "Pending"


async def test_status_multi_unknown_id_gets_error_value(add: Add, call: Call) -> None:
    await add()

    response = await call("status", orders="1, 10,abc")

    assert response.json()["10"] == {"error": "Incorrect order ID"}
    assert response.json()["abc"] == {"error": "Incorrect order ID"}
    assert response.json()["1"]["status"] == "Pending"


async def test_status_multi_one_id_keeps_keyed_shape(add: Add, call: Call) -> None:
    await add()

    response = await call("status", orders="1")

    assert list(response.json()) == ["1"]


async def test_status_multi_above_max_ids_is_rejected(call: Call) -> None:
    ids = ",".join(str(i) for i in range(1, 102))

    response = await call("status", orders=ids)

    assert response.json() == {"error": "Too many orders, max 100"}


async def test_status_multi_at_max_ids_accepted(call: Call) -> None:
    ids = ",".join(str(i) for i in range(1, 101))

    response = await call("status", orders=ids)

    assert len(response.json()) == 100


async def test_status_panel_max_ids_is_configurable(make_call: MakeCall) -> None:
    call = make_call(FakePanel(max_ids=2))

    response = await call("status", orders="1,2,3")

    assert response.json() == {"error": "Too many orders, max 2"}


async def test_status_record_delay_hides_new_order(make_call: MakeCall) -> None:
    clock = ManualClock()
    call = make_call(FakePanel(clock=clock, record_delay=2))
    await call("add", service="1", link="https://social.example/p/x", quantity="100")

    during_delay = await call("status", order="1")
    clock.advance(2)
    after_delay = await call("status", order="1")

    assert during_delay.json() == {"error": "Incorrect order ID"}
    assert after_delay.json()["status"] == "Pending"


async def test_orders_view_follows_clock(
    panel: FakePanel, clock: ManualClock, add: Add
) -> None:
    await add()
    before = panel.orders[1]
    clock.advance(60)

    assert before.state is OrderState.PENDING
    assert panel.orders[1].state is OrderState.COMPLETED


async def test_orders_view_is_read_only(panel: FakePanel, add: Add) -> None:
    await add()

    assert len(panel.orders) == 1
    assert list(panel.orders) == [1]
    assert not hasattr(panel.orders, "__setitem__")
