"""Writes whose answer arrived but could not be read are reported as ambiguous."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
import respx

from panel_async import PanelAmbiguousOrderError, PanelClient, RetryPolicy

URL = "https://panel.example/api/v2"
KEY = "ambiguous-test-key-1"


@pytest.fixture
def router() -> Iterator[respx.MockRouter]:
    """A respx router that fails on unmatched requests and uncalled routes."""
    with respx.mock(assert_all_mocked=True, assert_all_called=True) as mock:
        yield mock


@pytest.fixture
def client(router: respx.MockRouter) -> PanelClient:
    """A client that never retries, created while the router is active."""
    return PanelClient(URL, KEY, retry=RetryPolicy.none())


async def test_add_unreadable_id_is_ambiguous(
    router: respx.MockRouter, client: PanelClient
) -> None:
    """add() answered with no order ID raises PanelAmbiguousOrderError once."""
    route = router.post(URL).mock(return_value=httpx.Response(200, json={"ok": 1}))

    with pytest.raises(PanelAmbiguousOrderError) as caught:
        await client.add(service=1, link="https://x.test/a", quantity=100)

    assert route.call_count == 1
    assert caught.value.fields["link"] == "https://x.test/a"
    assert "key" not in caught.value.fields


async def test_add_oversized_answer_is_ambiguous(router: respx.MockRouter) -> None:
    """add() whose 200 answer exceeds max_response_bytes may have created the order."""
    router.post(URL).mock(return_value=httpx.Response(200, content=b"{" + b" " * 5000))
    client = PanelClient(URL, KEY, retry=RetryPolicy.none(), max_response_bytes=1000)

    with pytest.raises(PanelAmbiguousOrderError):
        await client.add(service=1, link="https://x.test/a", quantity=100)


async def test_refill_unreadable_id_is_ambiguous(
    router: respx.MockRouter, client: PanelClient
) -> None:
    """refill() answered with an unreadable refill ID is ambiguous."""
    router.post(URL).mock(return_value=httpx.Response(200, json={"refill": [1, 2]}))

    with pytest.raises(PanelAmbiguousOrderError) as caught:
        await client.refill(5)

    assert caught.value.fields == {"order": "5"}


async def test_cancel_unreadable_entry_is_ambiguous(
    router: respx.MockRouter, client: PanelClient
) -> None:
    """cancel() keeps clear per-ID errors and marks unreadable entries ambiguous."""
    answer = [
        {"order": 1, "cancel": 1},
        {"order": 2, "cancel": {"error": "Incorrect order ID"}},
        {"order": 3, "cancel": [None]},
    ]
    router.post(URL).mock(return_value=httpx.Response(200, json=answer))

    result = await client.cancel([1, 2, 3])

    assert result[1] is True
    assert not isinstance(result[2], PanelAmbiguousOrderError)
    assert isinstance(result[3], PanelAmbiguousOrderError)
