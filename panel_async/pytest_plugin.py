"""Pytest fixtures for code that uses panel_async: a simulated panel and a client.

Enable them in a `conftest.py`:

```python
pytest_plugins = ["panel_async.pytest_plugin"]
```

Then `fake_panel` is a fresh `FakePanel` with 100 seeded orders and a manual clock
(`fake_panel.clock.advance(seconds)` moves orders along), `panel_client` is a
`PanelClient` connected to it in process, and `fake_panel_url` serves it over HTTP on
127.0.0.1 for code that builds its own client. Override `fake_panel` in your own
`conftest.py` to change the panel (a dialect, faults, more orders). The async
fixtures need pytest-asyncio; `fake_panel_url` also needs uvicorn (the `cli` extra).

This module lives beside `panel_async.testing` rather than in it, because the
simulator must not import the client it is meant to check.
"""

from __future__ import annotations

__all__ = ["TEST_KEY", "fake_panel", "fake_panel_url", "panel_client"]

from collections.abc import AsyncIterator

import httpx
import pytest
import pytest_asyncio

from panel_async import PanelClient, RetryPolicy
from panel_async.testing import FakePanel, ManualClock, serve

#: The API key that `fake_panel` accepts; a test value, not a secret.
TEST_KEY = "test-key"

# In process the host is never resolved, so the URL only has to be well formed.
_IN_PROCESS_URL = "http://127.0.0.1/api/v2"


@pytest.fixture
def fake_panel() -> FakePanel:
    """Return a simulated panel with 100 seeded orders (IDs 1 to 100), manual clock."""
    return FakePanel(key=TEST_KEY, seed=0, seeded_orders=100, clock=ManualClock())


@pytest_asyncio.fixture
async def panel_client(fake_panel: FakePanel) -> AsyncIterator[PanelClient]:
    """Yield a PanelClient connected to `fake_panel` in process, instant retries."""
    retry = RetryPolicy(initial_wait=0.0, max_wait=0.0)
    async with (
        httpx.AsyncClient(transport=fake_panel.transport()) as http,
        PanelClient(_IN_PROCESS_URL, TEST_KEY, retry=retry, http_client=http) as client,
    ):
        yield client


@pytest_asyncio.fixture
async def fake_panel_url(fake_panel: FakePanel) -> AsyncIterator[str]:
    """Serve `fake_panel` with uvicorn on 127.0.0.1 and yield its URL."""
    async with serve(fake_panel) as url:
        yield url
