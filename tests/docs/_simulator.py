"""The simulated panel that the docs samples talk to, and the guards around them.

Samples are written for a real panel at the illustrative URL
`https://panel.example/api/v2`. The test serves a FakePanel on 127.0.0.1 in a thread
of its own, so that samples can start their own event loops with `asyncio.run()`,
and points the samples at it. Two guards keep the samples honest and fast:

- `loopback_only()` makes name resolution fail for every host but loopback, so a
  sample that still reaches for the illustrative URL fails instead of going out.
- `virtual_sleep()` turns each `asyncio.sleep()` of a second or more on the
  sample's thread into a jump of the panel's ManualClock. A poll loop with a
  30-second interval then runs at once, and its orders move on between rounds.
"""

from __future__ import annotations

import asyncio
import contextlib
import queue
import socket
import threading
from collections.abc import Iterator
from typing import Any, TypeVar

import pytest

from panel_async.testing import FakePanel, ManualClock, serve

T = TypeVar("T")

#: The URL the docs show; replaced by the simulator's URL before a sample runs.
ILLUSTRATIVE_URL = "https://panel.example/api/v2"

#: The placeholder key the docs show. The simulator accepts it, so samples keep it.
DOCS_KEY = "YOUR_API_KEY"

#: Orders 1 to N exist from the start, so samples can fetch statuses of old orders.
SEEDED_ORDERS = 5000

# Sleeps shorter than this really wait: the server loop, retry back-off and pacing
# rely on them. Poll intervals and long back-offs are at least this long.
_VIRTUAL_SLEEP_FROM = 1.0

_LOOPBACK_HOSTS = frozenset({"127.0.0.1", "::1", "localhost"})


def docs_panel(clock: ManualClock) -> FakePanel:
    """Return the panel for one page: seeded orders, `clock` and the docs key."""
    return FakePanel(key=DOCS_KEY, seed=0, seeded_orders=SEEDED_ORDERS, clock=clock)


@contextlib.contextmanager
def served_in_thread(panel: FakePanel) -> Iterator[str]:
    """Serve `panel` on 127.0.0.1 from a thread; yield its URL until the block ends."""
    started: queue.Queue[str | BaseException] = queue.Queue()
    stop = threading.Event()

    async def serve_until_stopped() -> None:
        try:
            async with serve(panel) as url:
                started.put(url)
                await asyncio.to_thread(stop.wait)
        except BaseException as error:  # reported to the test thread below
            started.put(error)
            raise

    thread = threading.Thread(
        target=asyncio.run, args=(serve_until_stopped(),), name="docs-panel"
    )
    thread.start()
    try:
        outcome = started.get(timeout=30)
        if isinstance(outcome, BaseException):
            raise RuntimeError("the docs simulator did not start") from outcome
        yield outcome
    finally:
        stop.set()
        thread.join(timeout=30)


def loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make name resolution raise OSError for every host that is not loopback."""
    real_getaddrinfo = socket.getaddrinfo

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else str(host)
        if name.strip("[]") not in _LOOPBACK_HOSTS:
            raise OSError(f"docs samples may only connect to loopback, not {name!r}")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


def virtual_sleep(monkeypatch: pytest.MonkeyPatch, clock: ManualClock) -> None:
    """Replace long sleeps on the calling thread by jumps of `clock`."""
    real_sleep = asyncio.sleep
    sample_thread = threading.get_ident()

    async def sleep(delay: float, result: T | None = None) -> T | None:
        if threading.get_ident() == sample_thread and delay >= _VIRTUAL_SLEEP_FROM:
            clock.advance(delay)
            delay = 0
        return await real_sleep(delay, result)

    monkeypatch.setattr(asyncio, "sleep", sleep)
