"""Read-only snapshots of the simulated panel's orders and refills, for tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal
from typing import Generic, TypeVar

import attrs

from panel_async._states import OrderState, RefillState
from panel_async.testing._records import Order, Refill

__all__ = ["LiveView", "OrderView", "RefillView", "view_order", "view_refill"]


@attrs.frozen
class OrderView:
    """An order as it is at one moment.

    `charge` is what the order costs now, after refunds; `refunded` is what went back
    to the balance through a partial delivery or a cancel. `fields` contains the other
    form fields of `add`, such as `comments` or `usernames`.
    """

    order_id: int
    service_id: int
    service_type: str
    link: str
    quantity: int
    runs: int | None
    interval: int | None
    state: OrderState
    charge: Decimal
    refunded: Decimal
    start_count: int
    remains: int
    created_at: float
    fields: Mapping[str, str]

    @property
    def status(self) -> str:
        """The canonical status word, such as "In progress"."""
        return self.state.value


@attrs.frozen
class RefillView:
    """A refill as it is at one moment."""

    refill_id: int
    order_id: int
    state: RefillState
    created_at: float

    @property
    def status(self) -> str:
        """The canonical status word, such as "Completed"."""
        return self.state.value


def view_order(order: Order, now: float) -> OrderView:
    """Take a snapshot of `order` at time `now`."""
    return OrderView(
        order_id=order.order_id,
        service_id=order.service.service_id,
        service_type=order.service.service_type,
        link=order.link,
        quantity=order.quantity,
        runs=order.runs,
        interval=order.interval,
        state=order.state_at(now),
        charge=order.charge,
        refunded=order.refunded,
        start_count=order.start_count,
        remains=order.remains_at(now),
        created_at=order.created_at,
        fields=dict(order.fields),
    )


def view_refill(refill: Refill, now: float) -> RefillView:
    """Take a snapshot of `refill` at time `now`."""
    return RefillView(
        refill_id=refill.refill_id,
        order_id=refill.order_id,
        state=refill.state_at(now),
        created_at=refill.created_at,
    )


_Record = TypeVar("_Record")
_View = TypeVar("_View")


class LiveView(Mapping[int, _View], Generic[_Record, _View]):
    """A read-only mapping that takes a fresh snapshot of a record on each lookup.

    Snapshots are built one at a time, so a panel with 100,000 orders serves a
    single lookup without copying the others.
    """

    def __init__(
        self,
        records: Mapping[int, _Record],
        snapshot: Callable[[_Record], _View],
    ) -> None:
        self._records = records
        self._snapshot = snapshot

    def __getitem__(self, key: int) -> _View:
        return self._snapshot(self._records[key])

    def __iter__(self) -> Iterator[int]:
        return iter(list(self._records))

    def __len__(self) -> int:
        return len(self._records)
