"""Fixtures for the FakePanel tests: a manual clock, a panel and in-process clients."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any, Protocol

import httpx
import pytest

from panel_async.testing import FakePanel, ManualClock

KEY = "test-key"
# The in-process transport never opens a socket; the URL only fills the request.
BASE_URL = "http://127.0.0.1"
API_PATH = "/api/v2"


class Call(Protocol):
    async def __call__(self, action: str, /, **fields: Any) -> httpx.Response: ...


class Add(Protocol):
    async def __call__(self, **fields: Any) -> httpx.Response: ...


MakeCall = Callable[[FakePanel], Call]


def _caller(client: httpx.AsyncClient) -> Call:
    async def post(action: str, /, **fields: Any) -> httpx.Response:
        data = {"key": KEY, "action": action, **fields}
        return await client.post(
            API_PATH, data={k: v for k, v in data.items() if v is not None}
        )

    return post


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def panel(clock: ManualClock) -> FakePanel:
    """A panel whose orders always complete and whose refills always succeed."""
    return FakePanel(clock=clock, partial_ratio=0.0, reject_ratio=0.0)


@pytest.fixture
async def client(panel: FakePanel) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(
        transport=panel.transport(), base_url=BASE_URL
    ) as client:
        yield client


@pytest.fixture
def call(client: httpx.AsyncClient) -> Call:
    """Post one action with the valid key to `panel`; `key=None` leaves it out."""
    return _caller(client)


@pytest.fixture
async def make_call() -> AsyncIterator[MakeCall]:
    """Return a factory of `call` functions for other panels than the fixture's."""
    clients: list[httpx.AsyncClient] = []

    def factory(other: FakePanel) -> Call:
        client = httpx.AsyncClient(transport=other.transport(), base_url=BASE_URL)
        clients.append(client)
        return _caller(client)

    yield factory
    for client in clients:
        await client.aclose()


@pytest.fixture
def add(call: Call) -> Add:
    """Place an order of 100 followers of service 1; keyword fields override it."""

    async def post(**overrides: Any) -> httpx.Response:
        fields: dict[str, Any] = {
            "service": "1",
            "link": "https://social.example/p/abc",
            "quantity": "100",
        }
        fields.update(overrides)
        return await call("add", **fields)

    return post
