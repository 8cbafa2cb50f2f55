"""Fixtures for the CLI tests: a simulated panel served on loopback, and a runner.

`main()` calls `asyncio.run()` itself, so async tests run it in a worker thread while
the test's event loop keeps serving the panel.
"""

from __future__ import annotations

import asyncio
import io
import sys
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest

from panel_async._cli import main
from panel_async.testing import FakePanel, serve

# A distinctive key, so that a test can search the output for it.
KEY = "cli-secret-KEY-5e1f9b"
SEEDED_ORDERS = 30

RunCli = Callable[..., Awaitable[int]]
FeedStdin = Callable[[str], None]


@pytest.fixture
def panel() -> FakePanel:
    """A simulated panel with 30 seeded orders that accepts KEY."""
    return FakePanel(key=KEY, seeded_orders=SEEDED_ORDERS)


@pytest.fixture
async def panel_url(panel: FakePanel) -> AsyncIterator[str]:
    """Serve `panel` on 127.0.0.1 and yield its URL."""
    async with serve(panel) as url:
        yield url


@pytest.fixture
def panel_env(panel_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """Set PANEL_URL and PANEL_KEY for the served panel; return the URL."""
    monkeypatch.setenv("PANEL_URL", panel_url)
    monkeypatch.setenv("PANEL_KEY", KEY)

    return panel_url


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Remove PANEL_URL and PANEL_KEY inherited from the shell running the tests."""
    monkeypatch.delenv("PANEL_URL", raising=False)
    monkeypatch.delenv("PANEL_KEY", raising=False)


@pytest.fixture
def stdin(monkeypatch: pytest.MonkeyPatch) -> FeedStdin:
    """Return a function that replaces standard input with the given text."""

    def feed(text: str) -> None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(text))

    return feed


@pytest.fixture
def run_cli() -> RunCli:
    """Return an async function that runs `main(args)` in a thread."""

    async def run(*args: str) -> int:
        return await asyncio.to_thread(main, list(args))

    return run
