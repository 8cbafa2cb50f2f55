"""JSON and rich-table forms of the client's values.

JSON keeps money as strings of the exact Decimal, and keys batched results by the ID
as text. A failed ID becomes `{"error": message, "type": error class name}`.
"""

from __future__ import annotations

__all__ = [
    "CANCEL_VIEW",
    "REFILL_STATUS_VIEW",
    "REFILL_VIEW",
    "STATUS_VIEW",
    "BatchView",
    "balance_json",
    "batch_json",
    "batch_table",
    "error_json",
    "order_status_json",
    "service_json",
    "services_table",
]

from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import Any, Generic, TypeVar

import attrs
from rich.console import JustifyMethod
from rich.table import Table
from rich.text import Text

from panel_async import (
    Balance,
    BatchResult,
    OrderState,
    OrderStatus,
    PanelError,
    RefillId,
    RefillState,
    RefillStatus,
    Service,
)

T = TypeVar("T")


def _money(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _cell(value: object) -> str:
    return "" if value is None else str(value)


def error_json(error: PanelError) -> dict[str, str]:
    """Describe a per-ID or per-call error as JSON."""
    return {"error": str(error), "type": type(error).__name__}


def service_json(service: Service) -> dict[str, Any]:
    """Describe one catalogue entry with the API's field names."""
    return {
        "service": service.id,
        "name": service.name,
        "type": service.type,
        "category": service.category,
        "rate": _money(service.rate),
        "min": service.min,
        "max": service.max,
        "refill": service.refill,
        "cancel": service.cancel,
        "dripfeed": service.dripfeed,
    }


_SERVICE_COLUMNS: tuple[tuple[str, JustifyMethod, Callable[[Service], str]], ...] = (
    ("ID", "right", lambda service: _cell(service.id)),
    ("Name", "left", lambda service: service.name),
    ("Type", "left", lambda service: service.type),
    ("Category", "left", lambda service: service.category),
    ("Rate/1000", "right", lambda service: _cell(service.rate)),
    ("Min", "right", lambda service: _cell(service.min)),
    ("Max", "right", lambda service: _cell(service.max)),
    ("Refill", "left", lambda service: _yes_no(service.refill)),
    ("Cancel", "left", lambda service: _yes_no(service.cancel)),
)

# Columns of the narrow table, which fits 80 characters for short names.
_NARROW_COLUMNS = frozenset({"ID", "Name", "Type", "Rate/1000", "Min", "Max"})


def services_table(
    services: Sequence[Service], caption: str | None = None, *, narrow: bool = False
) -> Table:
    """Build a table of services; `narrow` leaves out category, refill and cancel."""
    columns = [
        column
        for column in _SERVICE_COLUMNS
        if not narrow or column[0] in _NARROW_COLUMNS
    ]
    table = Table(caption=caption)
    for header, justify, _ in columns:
        table.add_column(header, justify=justify, overflow="fold")
    for service in services:
        table.add_row(*(cell(service) for _, _, cell in columns))

    return table


def _yes_no(flag: bool | None) -> str:
    if flag is None:
        return "?"

    return "yes" if flag else "no"


def balance_json(balance: Balance) -> dict[str, str | None]:
    """Describe the balance: the exact amount as a string, and its currency."""
    return {"balance": _money(balance.amount), "currency": balance.currency}


def order_status_json(status: OrderStatus) -> dict[str, Any]:
    """Describe one order's status; `status` is the normalised state's word."""
    return {
        "status": status.status.value,
        "raw_status": status.raw_status,
        "charge": _money(status.charge),
        "start_count": status.start_count,
        "remains": status.remains,
        "currency": status.currency,
    }


def _state_cell(state: OrderState | RefillState, raw_status: str) -> str:
    if state in (OrderState.UNKNOWN, RefillState.UNKNOWN):
        return f"Unknown ({raw_status})"

    return str(state.value)


def _order_status_row(status: OrderStatus) -> list[str]:
    return [
        _state_cell(status.status, status.raw_status),
        _cell(status.charge),
        _cell(status.start_count),
        _cell(status.remains),
        _cell(status.currency),
    ]


def _refill_status_json(status: RefillStatus) -> dict[str, str]:
    return {"status": status.status.value, "raw_status": status.raw_status}


@attrs.frozen
class BatchView(Generic[T]):
    """The label, table columns and JSON form of one batched command's values."""

    label: str  # what the progress bar counts, such as "statuses"
    id_header: str
    headers: tuple[str, ...]
    row: Callable[[T], list[str]]
    to_json: Callable[[T], object]


STATUS_VIEW = BatchView[OrderStatus](
    "statuses",
    "Order ID",
    ("Status", "Charge", "Start count", "Remains", "Currency"),
    _order_status_row,
    order_status_json,
)
REFILL_VIEW = BatchView[RefillId](
    "refills", "Order ID", ("Refill ID",), lambda refill: [str(refill)], lambda r: r
)
REFILL_STATUS_VIEW = BatchView[RefillStatus](
    "refill statuses",
    "Refill ID",
    ("Status",),
    lambda status: [_state_cell(status.status, status.raw_status)],
    _refill_status_json,
)
CANCEL_VIEW = BatchView[bool](
    "cancels", "Order ID", ("Result",), lambda _: ["canceled"], lambda _: True
)


def batch_json(result: BatchResult[T], view: BatchView[T]) -> dict[str, object]:
    """Map each ID, as text, to its value's JSON or to its error's JSON."""
    return {
        str(item_id): error_json(value)
        if isinstance(value, PanelError)
        else view.to_json(value)
        for item_id, value in result.items()
    }


def batch_table(result: BatchResult[T], view: BatchView[T]) -> Table:
    """Build a table with one row per ID; a failed ID shows its error in red."""
    failed = len(result.failed)
    caption = f"{len(result)} IDs: {len(result) - failed} succeeded, {failed} failed"
    table = Table(caption=caption)
    table.add_column(view.id_header, justify="right", overflow="fold")
    for header in view.headers:
        table.add_column(header, overflow="fold")
    for item_id, value in result.items():
        table.add_row(str(item_id), *_cells(value, view))

    return table


def _cells(value: T | PanelError, view: BatchView[T]) -> Iterable[str | Text]:
    if isinstance(value, PanelError):
        message = f"error: {value} ({type(value).__name__})"
        return [Text(message, style="red"), *[""] * (len(view.headers) - 1)]

    return view.row(value)
