"""Seeded orders: IDs, the mix of states, determinism and size."""

from __future__ import annotations

import collections
from decimal import Decimal

from panel_async._states import OrderState
from panel_async.testing import FakePanel, ManualClock

from .conftest import MakeCall


def states_of(panel: FakePanel) -> list[OrderState]:
    return [view.state for view in panel.orders.values()]


def test_seeded_orders_have_ids_from_one() -> None:
    panel = FakePanel(seeded_orders=50)

    assert list(panel.orders) == list(range(1, 51))


def test_seeded_orders_cover_every_seeded_state() -> None:
    panel = FakePanel(seeded_orders=1000, clock=ManualClock())

    counts = collections.Counter(states_of(panel))

    assert set(counts) == {
        OrderState.COMPLETED,
        OrderState.PARTIAL,
        OrderState.IN_PROGRESS,
        OrderState.PENDING,
        OrderState.CANCELED,
        OrderState.FAILED,
    }
    assert counts[OrderState.COMPLETED] > counts[OrderState.PENDING]


def test_seeded_orders_repeat_for_same_seed() -> None:
    first = FakePanel(seeded_orders=200, seed=9, clock=ManualClock())
    second = FakePanel(seeded_orders=200, seed=9, clock=ManualClock())

    assert list(first.orders.values()) == list(second.orders.values())


def test_seeded_orders_differ_for_other_seed() -> None:
    first = FakePanel(seeded_orders=200, seed=1, clock=ManualClock())
    second = FakePanel(seeded_orders=200, seed=2, clock=ManualClock())

    assert states_of(first) != states_of(second)


def test_seeded_orders_keep_balance() -> None:
    panel = FakePanel(seeded_orders=100, clock=ManualClock())

    assert panel.balance == Decimal(1000)
    assert panel.orders_created == 0


def test_seeded_cancelled_orders_are_refunded() -> None:
    panel = FakePanel(seeded_orders=300, clock=ManualClock())

    cancelled = [v for v in panel.orders.values() if v.state is OrderState.CANCELED]

    assert cancelled
    assert all(view.charge == 0 for view in cancelled)
    assert all(view.refunded > 0 for view in cancelled)


def test_seeded_partial_orders_carry_refund() -> None:
    panel = FakePanel(seeded_orders=300, clock=ManualClock())

    partial = [v for v in panel.orders.values() if v.state is OrderState.PARTIAL]

    assert partial
    assert all(0 < view.remains < view.quantity for view in partial)
    assert all(view.refunded > 0 for view in partial)


def test_seeded_active_orders_finish_on_clock() -> None:
    clock = ManualClock()
    panel = FakePanel(seeded_orders=300, clock=clock)
    active = [i for i, v in panel.orders.items() if not v.state.is_final]

    clock.advance(60)

    assert active
    assert all(panel.orders[i].state.is_final for i in active)


def test_seeded_partial_refund_reaches_balance() -> None:
    """Active seeded orders that end Partial refund the balance when they finish."""
    clock = ManualClock()
    panel = FakePanel(seeded_orders=300, clock=clock, partial_ratio=1.0)
    clock.advance(60)

    assert panel.balance > Decimal(1000)


async def test_add_after_seeding_gets_next_id(make_call: MakeCall) -> None:
    call = make_call(FakePanel(seeded_orders=10))

    response = await call(
        "add", service="1", link="https://social.example/new", quantity="100"
    )

    assert response.json() == {"order": 11}


async def test_seeded_hundred_thousand_orders(make_call: MakeCall) -> None:
    panel = FakePanel(seeded_orders=100_000)
    call = make_call(panel)
    ids = ",".join(str(i) for i in range(99_901, 100_001))

    response = await call("status", orders=ids)

    assert len(panel.orders) == 100_000
    assert len(response.json()) == 100
    assert all("status" in value for value in response.json().values())
