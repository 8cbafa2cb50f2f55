"""The CPU cost of reading one `status` response of 100 orders, with no network.

The body is the exact one that the simulator sends for orders 1 to 100 in its
standard dialect. Three readings of it are timed in CPU seconds:

- `json.loads` alone, as the baseline does;
- the client's reading: `json.loads` with `parse_float=Decimal`, as
  `Transport._decode` calls it, then `error_message_of` and `read_order_statuses`;
- `read_order_statuses` alone, on a body decoded beforehand;
- building the 100 `OrderStatus` models alone, from field values converted
  beforehand: the minimum cost of any reading that builds these models.

The fastest of several repeats is kept, because other load only adds time.
"""

from __future__ import annotations

import asyncio
import gc
import json
import time
import timeit
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import httpx

from panel_async import OrderStatus
from panel_async._convert import error_message_of, read_order_statuses
from panel_async._values import read_decimal, read_int
from panel_async.testing import FakePanel

ORDERS_PER_RESPONSE = 100
_KEY = "bench-key"
_REPEATS = 7


@dataclass(frozen=True)
class ParseCosts:
    """CPU seconds per order status for each way of reading the response."""

    json_loads: float
    client_read: float
    models_only: float
    construction_only: float


async def _fetch_body(keys: list[str]) -> bytes:
    panel = FakePanel(key=_KEY, seeded_orders=len(keys))
    transport = panel.transport()
    async with httpx.AsyncClient(transport=transport) as client:
        fields = {"key": _KEY, "action": "status", "orders": ",".join(keys)}
        response = await client.post("http://127.0.0.1/api/v2", data=fields)
    return response.raise_for_status().content


def status_body() -> tuple[bytes, list[str]]:
    """Return the simulator's body for a status request of orders 1 to 100."""
    keys = [str(order_id) for order_id in range(1, ORDERS_PER_RESPONSE + 1)]
    return asyncio.run(_fetch_body(keys)), keys


def client_read(body: bytes, keys: list[str]) -> dict[str, Any]:
    """Read `body` the way the client reads a status response."""
    answer = json.loads(body, parse_float=Decimal)
    if error_message_of(answer) is not None:
        raise ValueError(f"the simulator returned an error: {body[:200]!r}")
    return read_order_statuses(answer, keys)


def _per_status(work: Callable[[], object], number: int) -> float:
    # timeit turns the garbage collector off unless the setup turns it back on; a
    # real job pays for the collections that the new objects trigger.
    timer = timeit.Timer(work, setup=gc.enable, timer=time.process_time)
    best = min(timer.repeat(repeat=_REPEATS, number=number))
    return best / (number * ORDERS_PER_RESPONSE)


def _field_values(decoded: dict[str, Any]) -> list[dict[str, Any]]:
    """Return the OrderStatus keyword arguments of each entry, already converted."""
    return [
        {
            "raw_status": entry["status"],
            "charge": read_decimal(entry.get("charge")),
            "start_count": read_int(entry.get("start_count")),
            "remains": read_int(entry.get("remains")),
            "currency": entry.get("currency"),
        }
        for entry in decoded.values()
    ]


def measure(number: int) -> ParseCosts:
    """Time each reading `number` times per repeat; keep the fastest repeat."""
    body, keys = status_body()
    decoded = json.loads(body, parse_float=Decimal)
    arguments = _field_values(decoded)
    return ParseCosts(
        json_loads=_per_status(lambda: json.loads(body), number),
        client_read=_per_status(lambda: client_read(body, keys), number),
        models_only=_per_status(lambda: read_order_statuses(decoded, keys), number),
        construction_only=_per_status(
            lambda: [OrderStatus(**fields) for fields in arguments], number
        ),
    )
