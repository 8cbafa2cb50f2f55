"""The demo's summary, as JSON for scripts and as tables for people."""

from __future__ import annotations

__all__ = ["show_summary", "summary_json"]

import collections
from typing import TYPE_CHECKING, Any

from rich.table import Table

from panel_async import BatchResult, OrderState, OrderStatus, PanelError

from ._output import Output
from ._views import balance_json, error_json

if TYPE_CHECKING:
    from ._demo import DemoSummary, PlacedOrder


def count_states(statuses: BatchResult[OrderStatus]) -> dict[str, int]:
    """Count the fetched statuses of each OrderState, every state included."""
    counts = collections.Counter(
        status.status for status in statuses.succeeded.values()
    )

    return {state.value: counts[state] for state in OrderState}


def _errors(result: BatchResult[Any]) -> dict[str, int]:
    """Count the failed IDs of a batch by error message."""
    counts = collections.Counter(str(error) for error in result.failed.values())

    return dict(counts.most_common())


def _outcome_json(result: BatchResult[Any]) -> dict[str, Any]:
    failed = len(result.failed)

    return {
        "requested": len(result),
        "succeeded": len(result) - failed,
        "failed": failed,
        "errors": _errors(result),
    }


def _placed_json(order: PlacedOrder) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "service": order.service.id,
        "service_type": order.service.type,
    }
    if isinstance(order.result, PanelError):
        entry["error"] = error_json(order.result)
    else:
        entry["order"] = order.result

    return entry


def summary_json(summary: DemoSummary) -> dict[str, Any]:
    """Describe the demo's run; `statuses.ids` counts the distinct IDs fetched."""
    statuses = summary.statuses
    failed = len(statuses.failed)

    return {
        "url": summary.url,
        "seeded_orders": summary.seeded_orders,
        "balance_before": balance_json(summary.balance_before),
        "balance_after": balance_json(summary.balance_after),
        "services": len(summary.services),
        "orders_placed": [_placed_json(order) for order in summary.placed],
        "statuses": {
            "ids": len(statuses),
            "succeeded": len(statuses) - failed,
            "failed": failed,
            "by_status": count_states(statuses),
            "errors": _errors(statuses),
        },
        "refills": _outcome_json(summary.refills),
        "cancels": _outcome_json(summary.cancels),
        "status_seconds": round(summary.status_seconds, 3),
        "status_requests": summary.status_requests,
        "seconds": round(summary.seconds, 3),
        "requests_sent": summary.requests_sent,
    }


def _placed_table(placed: list[PlacedOrder]) -> Table:
    table = Table(title="Orders placed")
    table.add_column("Service", justify="right")
    table.add_column("Type")
    table.add_column("Order ID or error")
    for order in placed:
        result = order.result
        cell = f"error: {result}" if isinstance(result, PanelError) else str(result)
        table.add_row(str(order.service.id), order.service.type, cell)

    return table


def _states_table(statuses: BatchResult[OrderStatus]) -> Table:
    table = Table(title="Statuses of the seeded orders")
    table.add_column("Status")
    table.add_column("Orders", justify="right")
    for state, count in count_states(statuses).items():
        table.add_row(state, f"{count:,}")
    table.add_row("(failed to fetch)", f"{len(statuses.failed):,}")
    table.add_section()
    table.add_row("Total IDs", f"{len(statuses):,}")

    return table


def _outcome_line(name: str, result: BatchResult[Any]) -> str:
    failed = len(result.failed)
    line = f"{name}: {len(result)} requested, {len(result) - failed} accepted"
    if failed:
        reasons = ", ".join(f"{text} ({n})" for text, n in _errors(result).items())
        line += f", {failed} failed: {reasons}"

    return line


def show_summary(output: Output, summary: DemoSummary) -> None:
    """Print the orders placed, the statuses by state, refills, cancels and timings."""
    statuses = summary.statuses
    failed = len(statuses.failed)
    after = summary.balance_after
    output.show(_placed_table(list(summary.placed)))
    output.show(_states_table(statuses))
    output.show(_outcome_line("Refills", summary.refills))
    output.show(_outcome_line("Cancels", summary.cancels))
    output.show(
        f"Balance after the orders and cancels: {after.amount} {after.currency}"
    )
    output.show(
        f"{len(statuses):,} of {summary.seeded_orders:,} IDs accounted for: "
        f"{len(statuses) - failed:,} statuses, {failed:,} failed."
    )
    output.show(
        f"Took {summary.seconds:.2f} s and {summary.requests_sent} HTTP requests; "
        f"the statuses took {summary.status_seconds:.2f} s in "
        f"{summary.status_requests} requests."
    )
