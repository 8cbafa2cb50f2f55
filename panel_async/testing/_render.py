"""Writing action results as JSON values in a panel's dialect."""

from __future__ import annotations

import random
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from panel_async._states import OrderState, RefillState
from panel_async.testing._dialect import Dialect
from panel_async.testing._outcomes import Failure, OrderStatus
from panel_async.testing._records import quantize_money
from panel_async.testing._services import Service

__all__ = ["PerId", "Renderer"]

# One requested ID as the client wrote it, with its result.
PerId = tuple[str, Any]

_PENDING_START_COUNTS: dict[str, Any] = {
    "empty": "",
    "null": None,
    "unknown": "Unknown",
}


class Renderer:
    """The writer of JSON-ready values for one dialect.

    The "mixed" number style draws from its own `random.Random(seed)`, so a seeded
    panel writes the same responses every run.
    """

    def __init__(self, dialect: Dialect, currency: str, seed: int) -> None:
        self.dialect = dialect
        self.currency = currency
        self._random = random.Random(seed)

    def number(self, value: int | Decimal) -> Any:
        """Write a count or an amount of money in the dialect's number style."""
        style = self.dialect.numbers
        if style == "mixed":
            style = self._random.choice(("string", "number", "float"))
        if style == "string":
            return str(value)
        if style == "float" or isinstance(value, Decimal):
            # For values of up to 15 significant digits, the shortest repr of the
            # float, which json writes, has the same value as the Decimal.
            return float(value)

        return value

    def money(self, value: Decimal) -> Any:
        """Write an amount of money with five decimal places."""
        return self.number(quantize_money(value))

    def boolean(self, value: bool) -> Any:
        """Write a boolean in the dialect's style (callers drop the key for "omit")."""
        if self.dialect.booleans == "int":
            return int(value)
        if self.dialect.booleans == "string":
            return "1" if value else "0"

        return value

    def identifier(self, value: int | str, *, string_in_document: bool = False) -> Any:
        """Write an order, refill or service ID in the dialect's ID style."""
        text = str(value)
        if self.dialect.ids == "string" or (
            self.dialect.ids == "document" and string_in_document
        ):
            return text

        return int(text) if text.isascii() and text.isdigit() else text

    def word(self, state: OrderState | RefillState) -> str:
        """Write a status word in the dialect's spelling."""
        return self.dialect.status_word(state.value)

    def order_status(self, status: OrderStatus) -> dict[str, Any]:
        """Write one order's fields for a `status` response."""
        start_count: Any = self.number(status.start_count)
        pending_style = self.dialect.pending_start_count
        if status.state is OrderState.PENDING and pending_style != "zero":
            start_count = _PENDING_START_COUNTS[pending_style]

        return {
            "charge": self.money(status.charge),
            "start_count": start_count,
            "status": self.word(status.state),
            "remains": self.number(status.remains),
            "currency": self.currency,
        }

    def keyed(self, results: Sequence[PerId], write: Any) -> dict[str, Any]:
        """Write per-ID results as an object keyed by the ID, as `status` returns."""
        output: dict[str, Any] = {}
        for text, result in results:
            if not isinstance(result, Failure):
                output[text] = write(result)
            elif self.dialect.id_errors == "value":
                output[text] = {"error": result.message}
            elif self.dialect.id_errors == "entry":
                output[text] = {"order": self.identifier(text), "error": result.message}

        return output

    def listed(
        self, results: Sequence[PerId], id_key: str, value_key: str, write: Any
    ) -> list[dict[str, Any]]:
        """Write per-ID results as a list of entries, as `refill` returns."""
        output: list[dict[str, Any]] = []
        for text, result in results:
            entry: dict[str, Any] = {id_key: self.identifier(text)}
            if not isinstance(result, Failure):
                entry.update(write(result))
            elif self.dialect.id_errors == "value":
                entry[value_key] = {"error": result.message}
            elif self.dialect.id_errors == "entry":
                entry["error"] = result.message
            else:
                continue
            output.append(entry)

        return output

    def service(self, service: Service) -> dict[str, Any]:
        """Write one entry of the `services` response."""
        entry: dict[str, Any] = {
            "service": self.identifier(service.service_id),
            "name": service.name,
            "type": service.service_type,
            "category": service.category,
            "rate": self.number(service.rate),
            "min": self.number(service.min_quantity),
            "max": self.number(service.max_quantity),
        }
        flags = {"refill": service.refill, "cancel": service.cancel}
        if self.dialect.service_extra_fields:
            flags["dripfeed"] = service.dripfeed
        if self.dialect.booleans != "omit":
            entry.update({name: self.boolean(flag) for name, flag in flags.items()})
        if self.dialect.service_extra_fields:
            entry["desc"] = service.description
            entry["average_time"] = service.average_time

        return entry
