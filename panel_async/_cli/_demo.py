"""The `demo` command: a tour of the client against a simulated panel over HTTP.

It serves a FakePanel with seeded orders on a free loopback port, with uvicorn in the
same event loop. Then it uses PanelClient on it as a user would: balance, services,
orders of four types, the statuses of every seeded order, a few refills and cancels.
"""

from __future__ import annotations

__all__ = ["DemoSummary", "PlacedOrder", "run_demo", "tour"]

import argparse
import datetime
import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import attrs

from panel_async import (
    Balance,
    BatchResult,
    OrderId,
    OrderState,
    OrderStatus,
    PanelClient,
    PanelError,
    RefillId,
    Service,
)
from panel_async.testing import FakePanel, serve

from ._demo_report import show_summary, summary_json
from ._output import Output
from ._progress import progress_bar
from ._views import services_table

# The key of the simulated panel. It guards nothing, so the demo may print it.
SIMULATOR_KEY = "test-key"

# How many seeded orders of each kind the demo refills and cancels.
_REFILL_COUNT = 20
_CANCEL_COUNT = 10
_SERVICES_SHOWN = 8


@attrs.frozen
class PlacedOrder:
    """One order the demo placed: its service, and the new ID or the error."""

    service: Service
    result: OrderId | PanelError


@attrs.frozen
class DemoSummary:
    """Everything the demo did, with its timings and request counts."""

    url: str
    seeded_orders: int
    balance_before: Balance
    balance_after: Balance
    services: Sequence[Service]
    placed: Sequence[PlacedOrder]
    statuses: BatchResult[OrderStatus]
    refills: BatchResult[RefillId]
    cancels: BatchResult[bool]
    status_seconds: float
    status_requests: int
    seconds: float
    requests_sent: int


async def run_demo(args: argparse.Namespace, output: Output) -> int:
    """Run the tour and print its summary; return 1 if any status fetch failed."""
    started = time.perf_counter()
    panel = FakePanel(
        key=SIMULATOR_KEY,
        seeded_orders=args.seeded_orders,
        latency=args.latency,
        faults=args.faults,
    )
    async with serve(panel) as url, PanelClient(url, SIMULATOR_KEY) as client:
        if not output.json_mode:
            output.note(
                f"Simulated panel at {url} with {args.seeded_orders:,} seeded orders "
                f"(key {SIMULATOR_KEY})"
            )
        summary = await tour(client, url, args.seeded_orders, output, started)

    if output.json_mode:
        output.print_json(summary_json(summary))
    else:
        show_summary(output, summary)

    return 1 if summary.statuses.failed else 0


async def tour(
    client: PanelClient, url: str, seeded_orders: int, output: Output, started: float
) -> DemoSummary:
    """Run every step of the demo with `client`; `started` is a perf_counter time."""
    balance_before = await client.balance()
    services = await client.services()
    if not output.json_mode:
        _show_catalogue(output, balance_before, services)

    placed = [await _place(client, service) for service in _demo_services(services)]
    requests_before = client.requests_sent
    status_started = time.perf_counter()
    statuses = await _fetch_statuses(client, seeded_orders, output)
    status_seconds = time.perf_counter() - status_started
    status_requests = client.requests_sent - requests_before

    refills = await client.refills(_pick(statuses, _REFILLABLE, _REFILL_COUNT))
    to_cancel = _pick(statuses, _CANCELABLE, _CANCEL_COUNT) + _placed_ids(placed)
    cancels = await client.cancel(to_cancel)

    return DemoSummary(
        url=url,
        seeded_orders=seeded_orders,
        balance_before=balance_before,
        balance_after=await client.balance(),
        services=services,
        placed=placed,
        statuses=statuses,
        refills=refills,
        cancels=cancels,
        status_seconds=status_seconds,
        status_requests=status_requests,
        seconds=time.perf_counter() - started,
        requests_sent=client.requests_sent,
    )


def _show_catalogue(output: Output, balance: Balance, services: list[Service]) -> None:
    output.show(f"Balance: {balance.amount} {balance.currency}")
    first_services = services[:_SERVICES_SHOWN]
    caption = f"{len(first_services)} of {len(services)} services"
    output.show(services_table(first_services, caption=caption, narrow=True))


async def _fetch_statuses(
    client: PanelClient, seeded_orders: int, output: Output
) -> BatchResult[OrderStatus]:
    """Fetch the status of orders 1 to `seeded_orders`, with a progress bar."""
    with progress_bar(output, "Fetching statuses", transient=False) as on_progress:
        return await client.statuses(
            range(1, seeded_orders + 1), on_progress=on_progress
        )


_REFILLABLE = frozenset({OrderState.COMPLETED, OrderState.PARTIAL})
_CANCELABLE = frozenset({OrderState.PENDING, OrderState.IN_PROGRESS})


def _placed_ids(placed: Iterable[PlacedOrder]) -> list[OrderId]:
    ids: list[OrderId] = []
    for order in placed:
        if not isinstance(order.result, PanelError):
            ids.append(order.result)

    return ids


def _pick(
    statuses: BatchResult[OrderStatus], states: frozenset[OrderState], count: int
) -> list[OrderId]:
    """Return the first `count` order IDs whose status is one of `states`."""
    picked: list[OrderId] = []
    for order_id, status in statuses.succeeded.items():
        if status.status in states and len(picked) < count:
            picked.append(order_id)

    return picked


async def _place(client: PanelClient, service: Service) -> PlacedOrder:
    fields = _ORDER_FIELDS[service.type](service)
    try:
        order_id = await client.add(service=service, **fields)
    except PanelError as exc:
        # An order may fail under injected faults; the demo shows it and goes on.
        return PlacedOrder(service, exc)

    return PlacedOrder(service, order_id)


def _demo_services(services: Iterable[Service]) -> list[Service]:
    """Return the first service of each type the demo orders, in _ORDER_FIELDS order."""
    first: dict[str, Service] = {}
    for service in services:
        if service.type in _ORDER_FIELDS:
            first.setdefault(service.type, service)

    return [first[kind] for kind in _ORDER_FIELDS if kind in first]


def _link(service: Service) -> str:
    return f"https://social.example/demo/service-{service.id}"


def _default_order(service: Service) -> dict[str, Any]:
    return {"link": _link(service), "quantity": service.min or 100}


def _comments_order(service: Service) -> dict[str, Any]:
    count = service.min or 10
    comments = [f"Great picture, number {n}!" for n in range(1, count + 1)]

    return {"link": _link(service), "comments": comments}


def _mentions_order(service: Service) -> dict[str, Any]:
    usernames = ["alice", "bob", "carol"]

    return {
        "link": _link(service),
        "quantity": service.min or 100,
        "usernames": usernames,
    }


def _subscription_order(service: Service) -> dict[str, Any]:
    low = service.min or 100
    high = low * 2 if service.max is None else min(low * 2, service.max)
    expiry = datetime.date.today() + datetime.timedelta(days=30)

    return {
        "username": "demo_account",
        "min": low,
        "max": high,
        "delay": 0,
        "expiry": expiry,
    }


# The `add` fields the demo sends, by service type; each type needs other fields.
_ORDER_FIELDS: dict[str, Callable[[Service], dict[str, Any]]] = {
    "Default": _default_order,
    "Custom Comments": _comments_order,
    "Mentions": _mentions_order,
    "Subscriptions": _subscription_order,
}
