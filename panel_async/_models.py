"""Typed values returned by the client: services, balances, statuses and IDs."""

from __future__ import annotations

__all__ = [
    "Balance",
    "OrderId",
    "OrderStatus",
    "RefillId",
    "RefillStatus",
    "Service",
]

from collections.abc import Mapping
from decimal import Decimal
from typing import TypeAlias

import attrs

from ._errors import PanelInputError
from ._states import OrderState, RefillState

#: An order ID as the panel issued it: an int on most panels, a string on some.
OrderId: TypeAlias = "int | str"

#: A refill ID as the panel issued it: an int on most panels, a string on some.
RefillId: TypeAlias = "int | str"

_PER_THOUSAND = Decimal(1000)
# Folded names of the service types charged once per order.
_PACKAGE_TYPES = frozenset({"package", "custom comments package"})


@attrs.frozen(slots=True)
class Service:
    """One entry of the panel's catalogue.

    `rate` is the price per 1000 units in the panel's currency. `min` and `max` bound
    the quantity of one order; either is None when the panel leaves it out. `refill`,
    `cancel` and `dripfeed` are None when the panel does not say. `extra` keeps every
    field the panel sent beyond these (`desc`, `average_time`, ...).
    """

    id: int | str
    name: str
    rate: Decimal
    type: str = "Default"
    category: str = ""
    min: int | None = None
    max: int | None = None
    refill: bool | None = None
    cancel: bool | None = None
    dripfeed: bool | None = None
    extra: Mapping[str, object] = attrs.field(factory=dict, eq=False, repr=False)

    def cost(self, quantity: int = 1) -> Decimal:
        """Compute the exact price of an order of `quantity` units.

        The rate is per 1000 units, so the price is rate x quantity / 1000, except
        for the package types ("Package", "Custom Comments Package"), whose rate is
        the price of one order whatever the quantity. Panels round the charge to
        their own precision (often 5 decimal places); this value is not rounded.
        """
        if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 1:
            raise PanelInputError(f"quantity must be a positive int, got {quantity!r}")
        if self.is_package:
            return self.rate

        return self.rate * quantity / _PER_THOUSAND

    @property
    def is_package(self) -> bool:
        """Whether the rate is the price of a whole order rather than per 1000 units."""
        folded = " ".join(self.type.casefold().replace("_", " ").split())
        return folded in _PACKAGE_TYPES


@attrs.frozen(slots=True)
class Balance:
    """The account's balance: an exact amount and its currency code."""

    amount: Decimal
    currency: str | None = None


@attrs.frozen(slots=True)
class OrderStatus:
    """The state of one order as the panel reports it.

    `status` is the normalised state; `raw_status` is the word as the panel sent it,
    kept so that an unknown word (state UNKNOWN) is never lost. Numbers the panel left
    out or sent as empty text are None.
    """

    raw_status: str
    charge: Decimal | None = None
    start_count: int | None = None
    remains: int | None = None
    currency: str | None = None
    status: OrderState = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "status", OrderState.from_word(self.raw_status))

    @property
    def is_final(self) -> bool:
        """Whether the order is done: completed, partial, canceled, refunded, failed."""
        return self.status.is_final


@attrs.frozen(slots=True)
class RefillStatus:
    """The state of one refill; `raw_status` is the word as the panel sent it."""

    raw_status: str
    status: RefillState = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "status", RefillState.from_word(self.raw_status))

    @property
    def is_final(self) -> bool:
        """Whether the refill is done: completed, rejected, canceled or failed."""
        return self.status.is_final
