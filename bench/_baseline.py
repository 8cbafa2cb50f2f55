"""The hand-written baseline that PanelClient.statuses() is measured against.

It is the least that hand-written code for the job does: a plain
`httpx.AsyncClient`, chunks of 100 IDs, a semaphore for the requests in flight, and
`json.loads` of each response. It builds no models, checks neither HTTP statuses nor
response shapes, and never retries.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Sequence
from typing import Any

import httpx

CHUNK_SIZE = 100


async def fetch_statuses(
    client: httpx.AsyncClient,
    url: str,
    key: str,
    order_ids: Sequence[int],
    *,
    max_in_flight: int,
) -> dict[str, Any]:
    """Fetch the status of every order and return the decoded entries keyed by ID."""
    semaphore = asyncio.Semaphore(max_in_flight)

    async def fetch(chunk: Sequence[int]) -> dict[str, Any]:
        fields = {"key": key, "action": "status", "orders": ",".join(map(str, chunk))}
        async with semaphore:
            response = await client.post(url, data=fields)
        entries: dict[str, Any] = json.loads(response.content)
        return entries

    chunks = [
        order_ids[start : start + CHUNK_SIZE]
        for start in range(0, len(order_ids), CHUNK_SIZE)
    ]
    responses = await asyncio.gather(*(fetch(chunk) for chunk in chunks))

    merged: dict[str, Any] = {}
    for entries in responses:
        merged.update(entries)
    return merged
