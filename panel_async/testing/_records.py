"""Orders and refills as the simulated panel stores them, and their lifecycles."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import attrs

from panel_async._states import OrderState, RefillState
from panel_async.testing._services import Service

__all__ = ["CENT_FRACTION", "Order", "Refill", "quantize_money"]

# Panels keep money to five decimal places ("charge": "0.27819").
CENT_FRACTION = Decimal("0.00001")


def quantize_money(amount: Decimal) -> Decimal:
    """Round an amount to five decimal places, halves away from zero as PHP does."""
    return amount.quantize(CENT_FRACTION, rounding=ROUND_HALF_UP)


@attrs.define(slots=True, eq=False)
class Order:
    """A stored order. Its state follows the clock until an action closes it.

    It is Pending before `starts_at`, In progress until `finishes_at`, then Partial
    when `final_remains` is above zero and Completed otherwise. A set `closed_state`
    (Canceled or Failed) overrides the clock.
    """

    order_id: int
    service: Service
    link: str
    quantity: int
    charge: Decimal
    start_count: int
    created_at: float
    starts_at: float
    finishes_at: float
    final_remains: int = 0
    runs: int | None = None
    interval: int | None = None
    fields: dict[str, str] = attrs.field(factory=dict)
    refunded: Decimal = Decimal(0)
    closed_state: OrderState | None = None
    closed_remains: int = 0
    settled: bool = False

    def state_at(self, now: float) -> OrderState:
        """Return the order's state at time `now`."""
        if self.closed_state is not None:
            return self.closed_state
        if now < self.starts_at:
            return OrderState.PENDING
        if now < self.finishes_at:
            return OrderState.IN_PROGRESS
        if self.final_remains > 0:
            return OrderState.PARTIAL

        return OrderState.COMPLETED

    def remains_at(self, now: float) -> int:
        """Return how many units are still to deliver at time `now`."""
        state = self.state_at(now)
        if self.closed_state is not None:
            return self.closed_remains
        if state is OrderState.PENDING:
            return self.quantity
        if state is OrderState.IN_PROGRESS:
            progress = (now - self.starts_at) / (self.finishes_at - self.starts_at)
            delivered = int((self.quantity - self.final_remains) * progress)
            return self.quantity - delivered

        return self.final_remains

    def partial_refund(self) -> Decimal:
        """Return the part of the charge that a Partial outcome gives back."""
        return quantize_money(self.charge * self.final_remains / self.quantity)


@attrs.define(slots=True, eq=False)
class Refill:
    """A stored refill: Pending until `finishes_at`, then Completed or Rejected."""

    refill_id: int
    order_id: int
    created_at: float
    finishes_at: float
    rejected: bool = False

    def state_at(self, now: float) -> RefillState:
        """Return the refill's state at time `now`."""
        if now < self.finishes_at:
            return RefillState.PENDING
        if self.rejected:
            return RefillState.REJECTED

        return RefillState.COMPLETED
