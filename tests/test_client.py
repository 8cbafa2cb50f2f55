"""Tests of PanelClient: the request and the response of every action, with respx.

Every request goes to a respx router that fails on any request it has no route for,
so nothing leaves the process.
"""

from __future__ import annotations

import datetime
import urllib.parse
from collections.abc import AsyncIterator
from decimal import Decimal

import httpx
import pytest
import respx

from panel_async import (
    Balance,
    BatchResult,
    OrderState,
    OrderStatus,
    PanelClient,
    PanelClientClosedError,
    PanelError,
    PanelInputError,
    PanelNotFoundError,
    PollEvent,
    RefillState,
    RefillStatus,
    RetryPolicy,
    Service,
)

from .mocked import FAST, KEY, URL


def form_of(request: httpx.Request) -> dict[str, str]:
    """Decode a form body, checking that no field is sent twice."""
    pairs = urllib.parse.parse_qsl(request.content.decode(), keep_blank_values=True)
    names = [name for name, _ in pairs]
    assert len(names) == len(set(names)), f"a field is sent twice: {names}"
    return dict(pairs)


def sent(api: respx.Route, index: int = -1) -> dict[str, str]:
    """Return the form fields of one request, checking the key and the URL."""
    request = api.calls[index].request
    assert str(request.url) == URL
    fields = form_of(request)
    assert fields.pop("key") == KEY
    return fields


def json_response(body: object) -> httpx.Response:
    return httpx.Response(200, json=body)


# --- services and balance -------------------------------------------------------

SERVICES = [
    {"service": 1, "name": "Followers", "type": "Default", "category": "First",
     "rate": "0.90", "min": "50", "max": "10000", "refill": True, "cancel": True},
    {"service": "2", "name": "Comments", "type": "Custom Comments", "category": "2nd",
     "rate": "8", "min": "10", "max": "1500", "refill": False, "cancel": True},
]  # fmt: skip


async def test_services(api: respx.Route, panel: PanelClient) -> None:
    api.mock(return_value=json_response(SERVICES))

    services = await panel.services()

    assert sent(api) == {"action": "services"}
    assert [service.id for service in services] == [1, 2]
    assert services[0].rate == Decimal("0.90")
    assert services[1].type == "Custom Comments"


async def test_services_by_id_cached(api: respx.Route, panel: PanelClient) -> None:
    api.mock(return_value=json_response({"services": SERVICES}))

    first = await panel.services_by_id()
    second = await panel.services_by_id()

    assert list(first) == ["1", "2"]
    assert first == second
    assert api.call_count == 1

    await panel.services_by_id(max_age=0)
    assert api.call_count == 2


async def test_balance(api: respx.Route, panel: PanelClient) -> None:
    api.mock(return_value=json_response({"balance": "100.84292", "currency": "USD"}))

    balance = await panel.balance()

    assert sent(api) == {"action": "balance"}
    assert balance == Balance(Decimal("100.84292"), "USD")
    assert str(balance.amount) == "100.84292"


async def test_balance_json_number_stays_exact(
    api: respx.Route, panel: PanelClient
) -> None:
    api.mock(
        return_value=httpx.Response(
            200, content=b'{"balance": 0.08011655652, "currency": "EUR"}'
        )
    )
    balance = await panel.balance()
    assert str(balance.amount) == "0.08011655652"
    assert balance.currency == "EUR"


# --- add ------------------------------------------------------------------------


async def test_add_default(api: respx.Route, panel: PanelClient) -> None:
    api.mock(return_value=json_response({"order": 23501}))

    order_id = await panel.add(service=1, link="https://example.com/p/1", quantity=100)

    assert order_id == 23501
    assert sent(api) == {
        "action": "add",
        "service": "1",
        "link": "https://example.com/p/1",
        "quantity": "100",
    }


async def test_add_drip_feed(api: respx.Route, panel: PanelClient) -> None:
    api.mock(return_value=json_response({"order": "23502"}))

    order_id = await panel.add(
        service="18801",
        link="https://example.com/p/1",
        quantity=100,
        runs=5,
        interval=30,
    )

    assert order_id == 23502
    assert sent(api) == {
        "action": "add",
        "service": "18801",
        "link": "https://example.com/p/1",
        "quantity": "100",
        "runs": "5",
        "interval": "30",
    }


async def test_add_custom_comments_joined(api: respx.Route, panel: PanelClient) -> None:
    api.mock(return_value=json_response({"order": 1}))

    await panel.add(service=2, link="https://example.com/p/1", comments=["Nice", "Wow"])
    await panel.add(service=2, link="https://example.com/p/1", comments="Nice\r\nWow")

    assert sent(api, 0)["comments"] == "Nice\nWow"
    assert sent(api, 1)["comments"] == "Nice\nWow"
    assert "quantity" not in sent(api, 0)


async def test_add_subscription(api: respx.Route, panel: PanelClient) -> None:
    api.mock(return_value=json_response({"order": "sub_01HG"}))

    order_id = await panel.add(
        service=3,
        username="someone",
        min=100,
        max=200,
        posts=10,
        old_posts=0,
        delay=30,
        expiry=datetime.date(2026, 3, 5),
    )

    assert order_id == "sub_01HG"
    assert sent(api) == {
        "action": "add",
        "service": "3",
        "username": "someone",
        "min": "100",
        "max": "200",
        "posts": "10",
        "old_posts": "0",
        "delay": "30",
        "expiry": "05/03/2026",
    }


async def test_add_extra_fields(api: respx.Route, panel: PanelClient) -> None:
    api.mock(return_value=json_response({"order": 1}))

    await panel.add(
        service=4,
        link="https://example.com/p/1",
        quantity=100,
        usernames=["first", "second"],
        answer_number=2,
        country="US",
    )

    assert sent(api) == {
        "action": "add",
        "service": "4",
        "link": "https://example.com/p/1",
        "quantity": "100",
        "usernames": "first\nsecond",
        "answer_number": "2",
        "country": "US",
    }


async def test_add_with_service_object(api: respx.Route, panel: PanelClient) -> None:
    api.mock(return_value=json_response({"order": 5}))
    service = Service(id=18801, name="Followers", rate=Decimal("0.9"), min=10, max=1000)

    await panel.add(service=service, link="https://example.com/p/1", quantity=10)

    assert sent(api)["service"] == "18801"


@pytest.mark.parametrize("body", [{}, {"status": "ok"}, [], {"order": None}])
async def test_add_response_without_id(
    api: respx.Route, panel: PanelClient, body: object
) -> None:
    api.mock(return_value=json_response(body))

    with pytest.raises(PanelError, match="add"):
        await panel.add(service=1, link="https://example.com/p/1", quantity=100)

    assert api.call_count == 1


# --- one order or refill --------------------------------------------------------


async def test_status(api: respx.Route, panel: PanelClient) -> None:
    api.mock(
        return_value=json_response(
            {
                "charge": "0.27819",
                "start_count": "3572",
                "status": "Partial",
                "remains": "157",
                "currency": "USD",
            }
        )
    )

    status = await panel.status(5)

    assert sent(api) == {"action": "status", "order": "5"}
    assert status == OrderStatus(
        "Partial", charge=Decimal("0.27819"), start_count=3572, remains=157,
        currency="USD",
    )  # fmt: skip
    assert status.status is OrderState.PARTIAL


async def test_status_keyed_response(api: respx.Route, panel: PanelClient) -> None:
    api.mock(return_value=json_response({"ord_7": {"status": "Completed"}}))

    status = await panel.status("ord_7")

    assert sent(api) == {"action": "status", "order": "ord_7"}
    assert status.status is OrderState.COMPLETED


async def test_status_error_word_is_status(
    api: respx.Route, panel: PanelClient
) -> None:
    # "Error" is an order status word too; with order fields it is not an error body.
    body = {"status": "Error", "charge": "0", "start_count": "0", "remains": "100"}
    api.mock(return_value=json_response(body))

    status = await panel.status(5)

    assert status.status is OrderState.FAILED
    assert status.raw_status == "Error"
    assert status.remains == 100
    assert api.call_count == 1


async def test_status_unknown_order(api: respx.Route, panel: PanelClient) -> None:
    api.mock(return_value=json_response({"error": "Incorrect order ID"}))

    with pytest.raises(PanelNotFoundError):
        await panel.status(5)

    assert api.call_count == 1


async def test_refill(api: respx.Route, panel: PanelClient) -> None:
    api.mock(return_value=json_response({"refill": "1"}))

    refill_id = await panel.refill(5)

    assert sent(api) == {"action": "refill", "order": "5"}
    assert refill_id == 1


async def test_refill_error_inside(api: respx.Route, panel: PanelClient) -> None:
    api.mock(return_value=json_response({"refill": {"error": "Incorrect order ID"}}))

    with pytest.raises(PanelNotFoundError):
        await panel.refill(5)


async def test_refill_status(api: respx.Route, panel: PanelClient) -> None:
    api.mock(return_value=json_response({"status": "Completed"}))

    status = await panel.refill_status(7)

    assert sent(api) == {"action": "refill_status", "refill": "7"}
    assert status == RefillStatus("Completed")
    assert status.status is RefillState.COMPLETED


# --- many orders or refills -----------------------------------------------------


async def test_statuses(api: respx.Route, panel: PanelClient) -> None:
    api.mock(
        return_value=json_response(
            {
                "1": {"status": "Completed", "charge": "1.5"},
                "10": {"error": "Incorrect order ID"},
                "100": {"status": "In progress"},
            }
        )
    )

    result = await panel.statuses([1, 10, 100])

    assert sent(api) == {"action": "status", "orders": "1,10,100"}
    assert isinstance(result, BatchResult)
    assert list(result) == [1, 10, 100]
    first = result[1]
    assert isinstance(first, OrderStatus)
    assert first.charge == Decimal("1.5")
    assert isinstance(result[10], PanelNotFoundError)
    assert list(result.failed) == [10]


async def test_statuses_single_shape_for_one_id(
    api: respx.Route, panel: PanelClient
) -> None:
    api.mock(return_value=json_response({"status": "Pending", "charge": "0"}))

    result = await panel.statuses([42])

    assert sent(api) == {"action": "status", "orders": "42"}
    status = result[42]
    assert isinstance(status, OrderStatus)
    assert status.status is OrderState.PENDING


async def test_refills(api: respx.Route, panel: PanelClient) -> None:
    api.mock(
        return_value=json_response(
            [
                {"order": 1, "refill": 11},
                {"order": 2, "refill": "12", "success": "ok"},
                {"order": 3, "refill": {"error": "Incorrect order ID"}},
            ]
        )
    )

    result = await panel.refills([1, 2, 3])

    assert sent(api) == {"action": "refill", "orders": "1,2,3"}
    assert result[1] == 11
    assert result[2] == 12
    assert isinstance(result[3], PanelNotFoundError)


async def test_refill_statuses(api: respx.Route, panel: PanelClient) -> None:
    api.mock(
        return_value=json_response(
            [
                {"refill": 1, "status": "Completed"},
                {"refill": 2, "status": "Rejected"},
                {"refill": 3, "status": {"error": "Refill not found"}},
            ]
        )
    )

    result = await panel.refill_statuses([1, 2, 3])

    assert sent(api) == {"action": "refill_status", "refills": "1,2,3"}
    first = result[1]
    assert isinstance(first, RefillStatus)
    assert first.status is RefillState.COMPLETED
    second = result[2]
    assert isinstance(second, RefillStatus)
    assert second.status is RefillState.REJECTED
    assert isinstance(result[3], PanelNotFoundError)


async def test_cancel(api: respx.Route, panel: PanelClient) -> None:
    api.mock(
        return_value=json_response(
            [
                {"order": 9, "cancel": {"error": "Incorrect order ID"}},
                {"order": 2, "cancel": 1},
            ]
        )
    )

    result = await panel.cancel([2, 9])

    assert sent(api) == {"action": "cancel", "orders": "2,9"}
    assert result[2] is True
    assert isinstance(result[9], PanelNotFoundError)


async def test_cancel_single_response(api: respx.Route, panel: PanelClient) -> None:
    api.mock(return_value=json_response({"cancel": 1}))
    result = await panel.cancel([4, 5])
    assert dict(result) == {4: True, 5: True}


async def test_iter_statuses(api: respx.Route) -> None:
    def respond(request: httpx.Request) -> httpx.Response:
        ids = form_of(request)["orders"].split(",")
        return json_response({order_id: {"status": "Completed"} for order_id in ids})

    api.mock(side_effect=respond)

    async def order_ids() -> AsyncIterator[int]:
        for order_id in range(1, 8):
            yield order_id

    async with PanelClient(URL, KEY, retry=FAST, chunk_size=3) as client:
        seen = [order_id async for order_id, _ in client.iter_statuses(order_ids())]

    assert sorted(seen, key=int) == list(range(1, 8))
    assert api.call_count == 3


@pytest.mark.parametrize(
    ("method", "action", "ids_field", "body"),
    [
        ("iter_refills", "refill", "orders", [{"order": 1, "refill": 5}]),
        ("iter_refill_statuses", "refill_status", "refills", {"status": "Completed"}),
        ("iter_cancels", "cancel", "orders", {"cancel": 1}),
    ],
)
async def test_iter_other_actions(
    api: respx.Route,
    panel: PanelClient,
    method: str,
    action: str,
    ids_field: str,
    body: object,
) -> None:
    api.mock(return_value=json_response(body))

    items = [item async for item in getattr(panel, method)([1])]

    assert sent(api) == {"action": action, ids_field: "1"}
    assert len(items) == 1
    assert items[0][0] == 1
    assert not isinstance(items[0][1], PanelError)


async def test_poll_until_final(api: respx.Route, panel: PanelClient) -> None:
    api.mock(
        side_effect=[
            json_response(
                {"1": {"status": "In progress"}, "2": {"status": "Completed"}}
            ),
            json_response({"status": "Completed"}),
        ]
    )

    events: list[PollEvent] = [
        event async for event in panel.poll([1, 2], interval=0.01)
    ]

    assert sent(api, 0) == {"action": "status", "orders": "1,2"}
    assert sent(api, 1) == {"action": "status", "orders": "1"}
    assert [(event.order_id, event.old is None) for event in events] == [
        (1, True),
        (2, True),
        (1, False),
    ]
    last = events[-1].new
    assert last is not None
    assert last.status is OrderState.COMPLETED


# --- retry per call -------------------------------------------------------------


async def test_retry_overridden_per_call(api: respx.Route, panel: PanelClient) -> None:
    api.mock(side_effect=httpx.ConnectError("refused"))

    with pytest.raises(PanelError):
        await panel.balance(retry=RetryPolicy.none())

    assert api.call_count == 1


# --- lifecycle ------------------------------------------------------------------


async def test_closed_client_sends_nothing(api: respx.Route) -> None:
    client = PanelClient(URL, KEY)
    async with client:
        pass
    await client.aclose()

    assert "closed" in repr(client)
    with pytest.raises(PanelClientClosedError):
        await client.balance()
    with pytest.raises(PanelClientClosedError):
        await client.statuses([1])
    with pytest.raises(PanelClientClosedError):
        async with client:
            pass
    assert api.call_count == 0


async def test_given_http_client_left_open(api: respx.Route) -> None:
    api.mock(return_value=json_response({"balance": "1"}))

    async with httpx.AsyncClient() as http:
        async with PanelClient(URL, KEY, http_client=http) as client:
            await client.balance()
        assert not http.is_closed


@pytest.mark.parametrize(
    "options",
    [
        {"chunk_size": 0},
        {"chunk_size": 101},
        {"chunk_size": True},
        {"max_concurrency": 0},
        {"max_response_bytes": 0},
        {"rate_limit": 0},
        {"rate_limit": -1.0},
        {"timeout": 0},
        {"timeout": -1.0},
    ],
)
def test_bad_options_rejected(options: dict[str, object]) -> None:
    with pytest.raises(PanelInputError):
        PanelClient(URL, KEY, **options)  # type: ignore[arg-type]


@pytest.mark.parametrize("key", ["", " sk-test-1", "sk-test-1\n", "sk test", 12345])
def test_bad_key_rejected_without_showing_it(key: object) -> None:
    with pytest.raises(PanelInputError) as caught:
        PanelClient(URL, key)  # type: ignore[arg-type]

    if isinstance(key, str) and key.strip():
        assert key.strip() not in str(caught.value)


async def test_chunk_size_property() -> None:
    async with PanelClient(URL, KEY, chunk_size=40) as client:
        assert client.chunk_size == 40
        assert client.url == URL
        assert client.requests_sent == 0
