"""Fixtures that connect a real PanelClient to the simulator."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from panel_async import PanelClient, RetryPolicy
from panel_async.testing import FakePanel, ManualClock

KEY = "e2e-key-7f3a9c"
# The host is never resolved: the in-process transport hands requests to the app.
IN_PROCESS_URL = "http://127.0.0.1/api/v2"
FAST_RETRY = RetryPolicy(attempts=4, initial_wait=0.0, max_wait=0.0)


@pytest.fixture
def clock() -> ManualClock:
    """A clock that tests move by hand."""
    return ManualClock()


@pytest.fixture
def panel(clock: ManualClock) -> FakePanel:
    """A simulated panel with 500 seeded orders."""
    return FakePanel(key=KEY, seed=1, seeded_orders=500, clock=clock)


@contextlib.asynccontextmanager
async def connect(
    panel: FakePanel, *, retry: RetryPolicy = FAST_RETRY, **options: Any
) -> AsyncIterator[PanelClient]:
    """Open a client that talks to `panel` in process; close both on exit."""
    async with (
        httpx.AsyncClient(transport=panel.transport()) as http,
        PanelClient(
            IN_PROCESS_URL, KEY, retry=retry, http_client=http, **options
        ) as client,
    ):
        yield client


@pytest.fixture
async def client(panel: FakePanel) -> AsyncIterator[PanelClient]:
    """A client connected to `panel` in process."""
    async with connect(panel) as client:
        yield client
