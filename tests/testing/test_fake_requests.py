"""Request-level behaviour of FakePanel: methods, keys, actions and counters."""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

import httpx
import pytest

from panel_async.testing import FakePanel

from .conftest import Call, MakeCall

ACTIONS = ("services", "add", "status", "refill", "refill_status", "cancel", "balance")


@pytest.mark.parametrize("action", ACTIONS)
async def test_request_wrong_key_is_rejected(call: Call, action: str) -> None:
    response = await call(action, key="wrong-key")

    assert response.status_code == 200
    assert response.json() == {"error": "Invalid API key"}


async def test_request_missing_key_is_rejected(call: Call) -> None:
    response = await call("balance", key=None)

    assert response.json() == {"error": "Invalid API key"}


async def test_request_unknown_action_is_incorrect(call: Call) -> None:
    response = await call("orders")

    assert response.json() == {"error": "Incorrect request"}


async def test_request_missing_action_is_incorrect(call: Call) -> None:
    response = await call("")

    assert response.json() == {"error": "Incorrect request"}


async def test_request_get_is_incorrect(client: httpx.AsyncClient) -> None:
    response = await client.get(
        "/api/v2", params={"key": "test-key", "action": "balance"}
    )

    assert response.json() == {"error": "Incorrect request"}


async def test_request_json_body_is_not_read(client: httpx.AsyncClient) -> None:
    """Like PHP's $_POST, the panel reads only form-encoded bodies."""
    response = await client.post(
        "/api/v2", json={"key": "test-key", "action": "balance"}
    )

    assert response.json() == {"error": "Invalid API key"}


async def test_request_any_path_is_served(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/other/path", data={"key": "test-key", "action": "balance"}
    )

    assert response.json() == {"balance": "1000.00000", "currency": "USD"}


async def test_request_body_over_limit_gets_413(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/api/v2",
        content=b"x" * (1024 * 1024 + 1),
        headers={"content-type": "text/plain"},
    )

    assert response.status_code == 413


async def test_request_counter_counts_by_action(panel: FakePanel, call: Call) -> None:
    await call("balance")
    await call("balance")
    await call("status", order="1")
    await call("balance", key="wrong-key")

    assert panel.requests == {"balance": 3, "status": 1}


async def test_request_response_is_json(call: Call) -> None:
    response = await call("balance")

    assert response.headers["content-type"] == "application/json"


async def test_balance_uses_given_currency_and_balance(make_call: MakeCall) -> None:
    call = make_call(FakePanel(balance="12.5", currency="EUR"))

    response = await call("balance")

    assert response.json() == {"balance": "12.50000", "currency": "EUR"}


async def test_panel_repr_hides_key() -> None:
    panel = FakePanel(key="secret-key-123")

    assert "secret-key-123" not in repr(panel)


async def test_panel_rejects_negative_latency() -> None:
    with pytest.raises(ValueError, match="latency"):
        FakePanel(latency=-1)


async def test_panel_rejects_float_balance() -> None:
    with pytest.raises(TypeError, match="float"):
        FakePanel(balance=1.5)  # type: ignore[arg-type]


async def test_panel_rejects_finish_before_start() -> None:
    with pytest.raises(ValueError, match="finish_after"):
        FakePanel(start_after=10, finish_after=5)


async def test_lifespan_scope_is_acknowledged(panel: FakePanel) -> None:
    messages = iter([{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}])
    sent: list[MutableMapping[str, Any]] = []

    async def receive() -> dict[str, str]:
        return next(messages)

    async def send(message: MutableMapping[str, Any]) -> None:
        sent.append(message)

    await panel({"type": "lifespan"}, receive, send)

    assert [m["type"] for m in sent] == [
        "lifespan.startup.complete",
        "lifespan.shutdown.complete",
    ]


async def test_client_keeps_working_after_error(call: Call) -> None:
    """An error response leaves the connection usable for the next request."""
    await call("balance", key="wrong")

    response = await call("balance")

    assert response.json()["currency"] == "USD"
