"""The subcommands that talk to a panel: one handler each, given an open client."""

from __future__ import annotations

__all__ = ["PANEL_HANDLERS", "Handler"]

import argparse
from collections.abc import Awaitable, Callable
from typing import TypeVar

from panel_async import BatchResult, PanelClient, ProgressCallback, Service

from ._fields import order_fields
from ._output import Output
from ._progress import progress_bar
from ._views import (
    CANCEL_VIEW,
    REFILL_STATUS_VIEW,
    REFILL_VIEW,
    STATUS_VIEW,
    BatchView,
    balance_json,
    batch_json,
    batch_table,
    service_json,
    services_table,
)

T = TypeVar("T")

#: Runs one subcommand and returns its exit code.
Handler = Callable[[PanelClient, argparse.Namespace, Output], Awaitable[int]]


async def show_services(
    client: PanelClient, args: argparse.Namespace, output: Output
) -> int:
    """Print the catalogue."""
    services = await client.services()
    if output.json_mode:
        output.print_json([service_json(service) for service in services])
    else:
        output.show(services_table(services, caption=f"{len(services)} services"))

    return 0


async def show_balance(
    client: PanelClient, args: argparse.Namespace, output: Output
) -> int:
    """Print the balance and its currency."""
    balance = await client.balance()
    if output.json_mode:
        output.print_json(balance_json(balance))
    else:
        output.show(f"Balance: {balance.amount} {balance.currency or ''}".rstrip())

    return 0


async def place_order(
    client: PanelClient, args: argparse.Namespace, output: Output
) -> int:
    """Place one order, checked against its catalogue entry unless --no-check."""
    fields = order_fields(args)
    service: str | Service = args.service
    if not args.no_check:
        catalogue = await client.services_by_id()
        # A service missing from the catalogue goes out unchecked; the panel decides.
        service = catalogue.get(args.service, args.service)

    order_id = await client.add(service=service, **fields)
    if output.json_mode:
        output.print_json({"order": order_id})
    else:
        name = f" ({service.name})" if isinstance(service, Service) else ""
        output.show(f"Order {order_id} placed for service {args.service}{name}.")

    return 0


async def _run_batch(
    output: Output,
    view: BatchView[T],
    call: Callable[[ProgressCallback | None], Awaitable[BatchResult[T]]],
) -> int:
    """Run a batched call with a progress bar and print every ID's outcome.

    Returns 0 when every ID succeeded and 1 when any failed.
    """
    with progress_bar(output, f"Sending {view.label}") as on_progress:
        result = await call(on_progress)
    if output.json_mode:
        output.print_json(batch_json(result, view))
    else:
        output.show(batch_table(result, view))

    return 1 if result.failed else 0


async def show_statuses(
    client: PanelClient, args: argparse.Namespace, output: Output
) -> int:
    """Print the status of each order ID."""
    return await _run_batch(
        output,
        STATUS_VIEW,
        lambda progress: client.statuses(args.ids, on_progress=progress),
    )


async def request_refills(
    client: PanelClient, args: argparse.Namespace, output: Output
) -> int:
    """Ask for a refill of each order ID and print the refill IDs."""
    return await _run_batch(
        output,
        REFILL_VIEW,
        lambda progress: client.refills(args.ids, on_progress=progress),
    )


async def show_refill_statuses(
    client: PanelClient, args: argparse.Namespace, output: Output
) -> int:
    """Print the status of each refill ID."""
    return await _run_batch(
        output,
        REFILL_STATUS_VIEW,
        lambda progress: client.refill_statuses(args.ids, on_progress=progress),
    )


async def cancel_orders(
    client: PanelClient, args: argparse.Namespace, output: Output
) -> int:
    """Cancel each order ID."""
    return await _run_batch(
        output,
        CANCEL_VIEW,
        lambda progress: client.cancel(args.ids, on_progress=progress),
    )


PANEL_HANDLERS: dict[str, Handler] = {
    "services": show_services,
    "balance": show_balance,
    "add": place_order,
    "status": show_statuses,
    "refill": request_refills,
    "refill-status": show_refill_statuses,
    "cancel": cancel_orders,
}
