"""A helper that connects the examples to a simulated panel in process."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

import httpx

from panel_async import PanelClient, RetryPolicy
from panel_async.testing import FakePanel

KEY = "examples-key"
# The in-process transport hands requests to the panel; the host is never resolved.
IN_PROCESS_URL = "http://127.0.0.1/api/v2"
INSTANT_RETRY = RetryPolicy(attempts=3, initial_wait=0.0, max_wait=0.0)


@contextlib.asynccontextmanager
async def connect(panel: FakePanel, **options: Any) -> AsyncIterator[PanelClient]:
    """Open a client that talks to `panel` in process; close both on exit."""
    options.setdefault("retry", INSTANT_RETRY)
    async with (
        httpx.AsyncClient(transport=panel.transport()) as http,
        PanelClient(IN_PROCESS_URL, KEY, http_client=http, **options) as client,
    ):
        yield client
