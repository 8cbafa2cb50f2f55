"""Seeded orders, so that a fresh panel already has a history for bulk demos."""

from __future__ import annotations

import bisect
import itertools
from decimal import Decimal

from panel_async._states import OrderState
from panel_async.testing._ledger import Ledger
from panel_async.testing._records import Order

__all__ = ["seed_orders"]

# Share of each state among seeded orders. Pending and In progress orders move on
# with the clock, like orders placed through `add`.
_STATE_WEIGHTS = (
    (OrderState.COMPLETED, 0.55),
    (OrderState.PARTIAL, 0.10),
    (OrderState.IN_PROGRESS, 0.12),
    (OrderState.PENDING, 0.08),
    (OrderState.CANCELED, 0.12),
    (OrderState.FAILED, 0.03),
)
_STATES = [state for state, _ in _STATE_WEIGHTS]
_CUMULATIVE = list(itertools.accumulate(weight for _, weight in _STATE_WEIGHTS))

_THIRTY_DAYS = 30 * 24 * 3600.0


def seed_orders(ledger: Ledger, count: int, now: float) -> None:
    """Store `count` orders with IDs from 1, in a seeded mix of states.

    Seeded orders do not change the balance. Partial ones already carry their
    refund, and Canceled and Failed ones a charge of zero.
    """
    services = list(ledger.services.values())
    draw = ledger.random.random
    for order_id in range(1, count + 1):
        service = services[int(draw() * len(services))]
        state = _STATES[bisect.bisect(_CUMULATIVE, draw() * _CUMULATIVE[-1])]
        quantity = 1
        if not service.is_package:
            high = min(service.max_quantity, service.min_quantity * 20)
            quantity = service.min_quantity + int(
                draw() * (high - service.min_quantity + 1)
            )
        order = Order(
            order_id=order_id,
            service=service,
            link=f"https://social.example/p/{order_id:07d}",
            quantity=quantity,
            charge=ledger.charge_for(service, quantity),
            start_count=int(draw() * 50_000),
            created_at=0.0,
            starts_at=0.0,
            finishes_at=0.0,
        )
        _place_in_time(ledger, order, state, now)
        ledger.store(order)


def _place_in_time(ledger: Ledger, order: Order, state: OrderState, now: float) -> None:
    """Set the order's times and outcome so that it is in `state` at `now`."""
    timing = ledger.lifecycle
    draw = ledger.random.random
    if state is OrderState.PENDING:
        order.created_at = now - draw() * timing.start_after
    elif state is OrderState.IN_PROGRESS:
        order.created_at = (
            now
            - timing.start_after
            - draw() * (timing.finish_after - timing.start_after)
        )
    else:
        order.created_at = now - timing.finish_after - 1.0 - draw() * _THIRTY_DAYS
    order.starts_at = order.created_at + timing.start_after
    order.finishes_at = order.created_at + timing.finish_after

    if state in (OrderState.CANCELED, OrderState.FAILED):
        order.closed_state = state
        order.closed_remains = order.quantity
        order.refunded, order.charge = order.charge, Decimal(0)
        return
    moving = state in (OrderState.PENDING, OrderState.IN_PROGRESS)
    partial = state is OrderState.PARTIAL or (moving and draw() < timing.partial_ratio)
    if partial and order.quantity >= 2:
        order.final_remains = 1 + int(draw() * (order.quantity // 4))
    if state is OrderState.PARTIAL and order.final_remains > 0:
        order.refunded = order.partial_refund()
        order.charge -= order.refunded
        order.settled = True
