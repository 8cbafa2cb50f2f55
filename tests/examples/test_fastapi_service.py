"""examples/fastapi_service.py through httpx.ASGITransport, lifespan included."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

import httpx
import pytest

from panel_async import OrderState, PanelClient
from panel_async.testing import FakePanel, FaultPlan, ManualClock

from ._panel import KEY, connect

pytest.importorskip("fastapi", reason="the FastAPI example needs fastapi")

from examples.fastapi_service import create_app

# ASGITransport hands requests to the app; the host is never resolved.
SHOP_URL = "http://127.0.0.1"
ORDER = {"service": 1, "link": "https://instagram.com/p/shop", "quantity": 1000}


@pytest.fixture
def panel() -> FakePanel:
    return FakePanel(key=KEY, seeded_orders=100, clock=ManualClock())


@contextlib.asynccontextmanager
async def open_shop(panel: FakePanel) -> AsyncIterator[httpx.AsyncClient]:
    """Start the app, with a PanelClient connected to `panel`, and stop it on exit."""

    def open_client() -> contextlib.AbstractAsyncContextManager[PanelClient]:
        return connect(panel)

    app = create_app(open_client)
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url=SHOP_URL) as shop,
    ):
        yield shop


@pytest.fixture
async def shop(panel: FakePanel) -> AsyncIterator[httpx.AsyncClient]:
    async with open_shop(panel) as client:
        yield client


async def test_services_listed(shop: httpx.AsyncClient) -> None:
    response = await shop.get("/services")

    assert response.status_code == 200
    services = response.json()
    assert len(services) == 18
    assert services[0]["rate"] == "0.90"


async def test_order_placed(shop: httpx.AsyncClient, panel: FakePanel) -> None:
    response = await shop.post("/orders", json=ORDER)

    assert response.status_code == 201
    order_id = response.json()["order_id"]
    assert panel.orders[order_id].quantity == 1000


async def test_order_below_minimum_is_422(
    shop: httpx.AsyncClient, panel: FakePanel
) -> None:
    response = await shop.post("/orders", json={**ORDER, "quantity": 10})

    assert response.status_code == 422
    assert "below the minimum 50" in response.json()["detail"]
    assert panel.requests.get("add", 0) == 0


async def test_unknown_service_is_404(shop: httpx.AsyncClient) -> None:
    response = await shop.post("/orders", json={**ORDER, "service": 999})

    assert response.status_code == 404


async def test_duplicate_order_is_409(shop: httpx.AsyncClient) -> None:
    first = await shop.post("/orders", json=ORDER)
    second = await shop.post("/orders", json=ORDER)

    assert first.status_code == 201
    assert second.status_code == 409
    assert second.json()["type"] == "PanelDuplicateOrderError"


async def test_lost_response_is_503_with_guidance(panel: FakePanel) -> None:
    panel.faults = FaultPlan(reset_after=1.0, actions={"add"})

    async with open_shop(panel) as shop:
        response = await shop.post("/orders", json=ORDER)

    assert response.status_code == 503
    assert "Do not send it again" in response.json()["detail"]
    assert panel.orders_created == 1


async def test_rate_limit_is_429_with_retry_after(panel: FakePanel) -> None:
    panel.faults = FaultPlan(http_429=1.0, retry_after=30, actions={"status"})

    async with open_shop(panel) as shop:
        response = await shop.get("/orders/1")

    assert response.status_code == 429
    assert response.headers["retry-after"] == "30"


async def test_shop_account_errors_are_502() -> None:
    broke = FakePanel(key=KEY, balance=0, clock=ManualClock())

    async with open_shop(broke) as shop:
        response = await shop.post("/orders", json=ORDER)

    assert response.status_code == 502
    body = response.json()
    assert body["type"] == "PanelInsufficientFundsError"
    assert "balance" not in body["detail"]


async def test_status_of_one_order(shop: httpx.AsyncClient) -> None:
    found = await shop.get("/orders/1")
    missing = await shop.get("/orders/99999")

    assert found.status_code == 200
    assert found.json()["status"] in {state.value for state in OrderState}
    assert missing.status_code == 404


async def test_bulk_statuses_keep_per_id_errors(shop: httpx.AsyncClient) -> None:
    response = await shop.post(
        "/orders/statuses", json={"order_ids": [*range(1, 101), 99999]}
    )

    assert response.status_code == 200
    body = response.json()
    assert len(body["statuses"]) == 100
    assert body["errors"]["99999"]["type"] == "PanelNotFoundError"


async def test_bulk_statuses_cap_ids(shop: httpx.AsyncClient) -> None:
    response = await shop.post(
        "/orders/statuses", json={"order_ids": list(range(1, 1002))}
    )

    assert response.status_code == 422
