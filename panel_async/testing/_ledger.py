"""The simulated panel's in-memory state: balance, orders and refills."""

from __future__ import annotations

import heapq
import random
from collections.abc import Iterable
from decimal import Decimal

import attrs

from panel_async._states import OrderState
from panel_async.testing._outcomes import ActionError, Failure, OrderStatus
from panel_async.testing._records import Order, Refill, quantize_money
from panel_async.testing._services import Service
from panel_async.testing._validate import OrderRequest

__all__ = ["Ledger", "Lifecycle", "parse_id"]

_REFILLABLE = frozenset({OrderState.COMPLETED, OrderState.PARTIAL})


def _check_ratio(
    instance: Lifecycle, attribute: attrs.Attribute[float], value: float
) -> None:
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"{attribute.name} must be between 0 and 1, got {value}")


@attrs.frozen
class Lifecycle:
    """Timings in seconds and outcome ratios of orders and refills."""

    start_after: float = attrs.field(default=5.0, validator=attrs.validators.ge(0.0))
    finish_after: float = 60.0
    refill_after: float = attrs.field(default=30.0, validator=attrs.validators.ge(0.0))
    partial_ratio: float = attrs.field(default=0.1, validator=_check_ratio)
    reject_ratio: float = attrs.field(default=0.1, validator=_check_ratio)
    record_delay: float = attrs.field(default=0.0, validator=attrs.validators.ge(0.0))

    def __attrs_post_init__(self) -> None:
        if self.finish_after < self.start_after:
            raise ValueError(
                f"finish_after ({self.finish_after}) must not be less than "
                f"start_after ({self.start_after})"
            )


def parse_id(text: str) -> int | None:
    """Return the positive integer ID written in `text`, or None if it is not one."""
    text = text.strip()
    if not text.isascii() or not text.isdigit() or int(text) == 0:
        return None

    return int(text)


class Ledger:
    """Balance, orders and refills, with the rules of `add`, `refill` and `cancel`.

    Methods take the current time, so that the caller reads the clock once per
    request. Every method is synchronous, so on one event loop no other request can
    run between a check and the change it guards.
    """

    def __init__(
        self,
        *,
        services: Iterable[Service],
        balance: Decimal,
        lifecycle: Lifecycle,
        seed: int,
        one_active_order_per_link: bool,
    ) -> None:
        self.services = {service.service_id: service for service in services}
        self.balance = balance
        self.lifecycle = lifecycle
        self.one_active_order_per_link = one_active_order_per_link
        self.orders: dict[int, Order] = {}
        self.refills: dict[int, Refill] = {}
        self.orders_created = 0
        self.random = random.Random(seed)
        self._last_order_id = 0
        self._latest_by_link: dict[tuple[int, str], int] = {}
        self._latest_refill: dict[int, int] = {}
        # (finishes_at, order ID) of orders that will end Partial and owe a refund.
        self._partials: list[tuple[float, int]] = []

    def settle(self, now: float) -> None:
        """Refund the undelivered part of every order that turned Partial by `now`."""
        while self._partials and self._partials[0][0] <= now:
            _, order_id = heapq.heappop(self._partials)
            order = self.orders[order_id]
            if order.closed_state is None and not order.settled:
                self._refund(order, order.partial_refund())
            order.settled = True

    def next_order_id(self) -> int:
        """Return the ID that the next order will get."""
        return self._last_order_id + 1

    def store(self, order: Order) -> None:
        """Store a new order and schedule its partial refund, if it will owe one."""
        self.orders[order.order_id] = order
        self._last_order_id = max(self._last_order_id, order.order_id)
        if order.final_remains > 0 and not order.settled:
            heapq.heappush(self._partials, (order.finishes_at, order.order_id))

    def place(self, service: Service, request: OrderRequest, now: float) -> Order:
        """Charge the balance and store a new order.

        Raises:
            ActionError: "You have active order with this link" or "Not enough funds
                on balance".
        """
        link_key = (service.service_id, request.link)
        if self.one_active_order_per_link and self._has_active_order(link_key, now):
            raise ActionError("You have active order with this link")
        charge = self.charge_for(service, request.units)
        if charge > self.balance:
            raise ActionError("Not enough funds on balance")

        order = self._new_order(service, request, charge, now)
        self.balance -= charge
        self.store(order)
        self._latest_by_link[link_key] = order.order_id
        self.orders_created += 1

        return order

    @staticmethod
    def charge_for(service: Service, units: int) -> Decimal:
        """Return the price of `units`: the rate per 1000, or the rate for a package."""
        if service.is_package:
            return quantize_money(service.rate)

        return quantize_money(service.rate * units / 1000)

    def find_order(self, text: str, now: float) -> Order | None:
        """Return the order with the ID in `text`, unless it is unknown or too new.

        An order younger than `record_delay` seconds is not found yet, as on panels
        that record new orders a moment after responding to `add`.
        """
        order_id = parse_id(text)
        order = None if order_id is None else self.orders.get(order_id)
        if order is None or now - order.created_at < self.lifecycle.record_delay:
            return None

        return order

    def order_status(self, text: str, now: float) -> OrderStatus | Failure:
        """Return the status of one order, or a Failure for an unknown ID."""
        order = self.find_order(text, now)
        if order is None:
            return Failure("Incorrect order ID")
        state = order.state_at(now)
        started = state is not OrderState.PENDING

        return OrderStatus(
            charge=order.charge,
            start_count=order.start_count if started else 0,
            state=state,
            remains=order.remains_at(now),
        )

    def request_refill(self, text: str, now: float) -> int | Failure:
        """Store a refill of one order and return its ID, or a Failure with a reason."""
        order = self.find_order(text, now)
        if order is None:
            return Failure("Incorrect order ID")
        if not order.service.refill:
            return Failure("Refill is disabled for this service")
        if order.state_at(now) not in _REFILLABLE:
            return Failure("Refill is available only for completed orders")
        latest = self._latest_refill.get(order.order_id)
        if latest is not None and not self.refills[latest].state_at(now).is_final:
            return Failure("Refill request already exists")

        refill = Refill(
            refill_id=len(self.refills) + 1,
            order_id=order.order_id,
            created_at=now,
            finishes_at=now + self.lifecycle.refill_after,
            rejected=self.random.random() < self.lifecycle.reject_ratio,
        )
        self.refills[refill.refill_id] = refill
        self._latest_refill[order.order_id] = refill.refill_id

        return refill.refill_id

    def refill_status(self, text: str, now: float) -> Refill | Failure:
        """Return the refill with the ID in `text`, or a Failure if there is none."""
        refill_id = parse_id(text)
        refill = None if refill_id is None else self.refills.get(refill_id)
        if refill is None:
            return Failure("Refill not found")

        return refill

    def cancel(self, text: str, now: float) -> Failure | None:
        """Cancel one order and refund its whole charge, or return a Failure."""
        order = self.find_order(text, now)
        if order is None:
            return Failure("Incorrect order ID")
        if not order.service.cancel:
            return Failure("Cancel is disabled for this service")
        state = order.state_at(now)
        if state.is_final:
            return Failure(f"Order cannot be canceled in status {state.value}")

        order.closed_remains = order.remains_at(now)
        order.closed_state = OrderState.CANCELED
        self._refund(order, order.charge)

        return None

    def _has_active_order(self, link_key: tuple[int, str], now: float) -> bool:
        # With the rule on, at most one order per link is active at a time, so the
        # newest order of the link is the only one that can still be active.
        order_id = self._latest_by_link.get(link_key)
        if order_id is None:
            return False

        return not self.orders[order_id].state_at(now).is_final

    def _refund(self, order: Order, amount: Decimal) -> None:
        order.charge -= amount
        order.refunded += amount
        self.balance += amount

    def _new_order(
        self, service: Service, request: OrderRequest, charge: Decimal, now: float
    ) -> Order:
        final_remains = 0
        can_be_partial = not service.is_package and request.quantity >= 2
        if can_be_partial and self.random.random() < self.lifecycle.partial_ratio:
            final_remains = self.random.randint(1, max(1, request.quantity // 4))

        return Order(
            order_id=self.next_order_id(),
            service=service,
            link=request.link,
            quantity=request.quantity,
            charge=charge,
            start_count=self.random.randint(0, 50_000),
            created_at=now,
            starts_at=now + self.lifecycle.start_after,
            finishes_at=now + self.lifecycle.finish_after,
            final_remains=final_remains,
            runs=request.runs,
            interval=request.interval,
            fields=dict(request.fields),
        )
