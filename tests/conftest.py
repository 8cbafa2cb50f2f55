"""Fixtures for the tests that mock the panel with respx.

Folders that test against the simulator define their own `panel` fixture, which
takes precedence over the one here.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
import respx

from panel_async import PanelClient

from .mocked import FAST, KEY, URL


@pytest.fixture
def api() -> Iterator[respx.Route]:
    """The panel's endpoint; a request to any other URL fails the test."""
    with respx.mock(assert_all_mocked=True, assert_all_called=False) as router:
        yield router.post(URL)


@pytest.fixture
async def panel() -> AsyncIterator[PanelClient]:
    """A client with three quick attempts per call."""
    async with PanelClient(URL, KEY, retry=FAST) as client:
        yield client
