"""Shared keys, log capture and client calls for the security tests."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Iterator
from typing import TypeVar

import pytest

from panel_async import PanelClient, PanelError, RetryPolicy

from ._evidence import LogCapture

T = TypeVar("T")

#: A distinctive key: any text that contains it comes from a leak.
KEY = "sk-LEAK-CANARY-8c1f2"
#: A key whose form encoding, percent-encoding and JSON escaping differ from it.
SPECIAL_KEY = "sk+LEAK/CANARY=8c1f2"
#: In process the host is never resolved; the transport hands requests to the app.
IN_PROCESS_URL = "http://127.0.0.1/api/v2"
#: Retries without waiting, so that retry paths run fast.
INSTANT_RETRY = RetryPolicy(attempts=3, initial_wait=0.0, max_wait=0.0, deadline=None)


@pytest.fixture
def log_capture() -> Iterator[LogCapture]:
    """Every log record of every logger, from DEBUG up, for the test's duration."""
    capture = LogCapture()
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(capture)
    root.setLevel(logging.DEBUG)
    try:
        yield capture
    finally:
        root.removeHandler(capture)
        root.setLevel(old_level)


async def settle(call: Awaitable[T]) -> T | PanelError:
    """Return what `call` returns, or the PanelError it raises."""
    try:
        return await call
    except PanelError as error:
        return error


async def drain(stream: AsyncIterator[T]) -> list[T] | PanelError:
    """Return every item of `stream`, or the PanelError it raises."""
    try:
        return [item async for item in stream]
    except PanelError as error:
        return error


async def every_action(client: PanelClient) -> list[object]:
    """Call every public action of `client` once; return each value or error.

    The refill_status calls come last, because a panel that responds to them with 429
    makes the client pace every later request.
    """
    return [
        await settle(client.services()),
        await settle(client.services_by_id(max_age=0)),
        await settle(client.balance()),
        await settle(client.add(service=1, link="https://example.com/p", quantity=100)),
        await settle(client.status(1)),
        await settle(client.refill(1)),
        await settle(client.statuses([1, 2, 3])),
        await settle(client.refills([2, 3])),
        await settle(client.cancel([4, 5])),
        await drain(client.iter_statuses([1, 2])),
        await drain(client.iter_refills([6])),
        await drain(client.iter_cancels([7])),
        await drain(client.poll([1, 2], interval=0.01, deadline=0.05, max_failures=1)),
        await settle(client.refill_status(1)),
        await settle(client.refill_statuses([1, 2])),
        await drain(client.iter_refill_statuses([1])),
    ]
