"""Tests of the batcher and BatchResult: chunks, duplicates, order, failures, limits."""

from __future__ import annotations

import asyncio
import urllib.parse
from collections.abc import Awaitable, Callable
from decimal import Decimal

import httpx
import pytest
import respx
from hypothesis import given, settings
from hypothesis import strategies as st

from panel_async import (
    BatchResult,
    OrderStatus,
    PanelAPIError,
    PanelClient,
    PanelError,
    PanelMissingIDError,
    PanelNotFoundError,
    PanelTooManyIDsError,
    PanelTransportError,
)

from .mocked import FAST, KEY, URL


def requested_ids(request: httpx.Request) -> list[str]:
    """The IDs of a batched request, in the order sent."""
    fields = dict(urllib.parse.parse_qsl(request.content.decode()))
    assert fields["key"] == KEY
    return fields["orders"].split(",")


def completed(ids: list[str]) -> httpx.Response:
    """Return a keyed status response with every ID completed, in reverse order."""
    return httpx.Response(200, json={key: {"status": "Completed"} for key in ids[::-1]})


def complete_all(request: httpx.Request) -> httpx.Response:
    return completed(requested_ids(request))


def calls_ids(api: respx.Route) -> list[list[str]]:
    return [requested_ids(call.request) for call in api.calls]


# --- chunks ---------------------------------------------------------------------


async def test_250_ids_in_three_requests(api: respx.Route, panel: PanelClient) -> None:
    api.mock(side_effect=complete_all)

    result = await panel.statuses(range(1, 251))

    chunks = calls_ids(api)
    assert api.call_count == 3
    assert sorted(len(chunk) for chunk in chunks) == [50, 100, 100]
    sent = [key for chunk in chunks for key in chunk]
    assert sorted(sent, key=int) == [str(n) for n in range(1, 251)]
    assert len(result) == 250
    assert list(result) == list(range(1, 251))
    assert all(isinstance(value, OrderStatus) for value in result.values())


@pytest.mark.parametrize(
    ("chunk_size", "requests"), [(1, 50), (7, 8), (33, 2), (50, 1)]
)
async def test_chunk_size_respected(
    api: respx.Route, chunk_size: int, requests: int
) -> None:
    api.mock(side_effect=complete_all)

    async with PanelClient(URL, KEY, retry=FAST, chunk_size=chunk_size) as client:
        result = await client.statuses(range(1, 51))

    assert api.call_count == requests
    assert all(len(chunk) <= chunk_size for chunk in calls_ids(api))
    assert len(result.succeeded) == 50


async def test_no_ids_no_request(api: respx.Route, panel: PanelClient) -> None:
    result = await panel.statuses([])
    assert len(result) == 0
    assert api.call_count == 0


# --- duplicates and order -------------------------------------------------------


async def test_duplicates_folded(api: respx.Route, panel: PanelClient) -> None:
    api.mock(side_effect=complete_all)

    result = await panel.statuses([1, "1", 2, 1, "2", "ord_a", "ord_a"])

    assert calls_ids(api) == [["1", "2", "ord_a"]]
    assert list(result) == [1, 2, "ord_a"]
    assert [type(key) for key in result] == [int, int, str]
    assert result[1] is result["1"]


async def test_duplicates_keyed_as_first_passed(
    api: respx.Route, panel: PanelClient
) -> None:
    api.mock(side_effect=complete_all)

    result = await panel.statuses(["1", 1])

    assert list(result) == ["1"]
    assert isinstance(result[1], OrderStatus)


async def test_input_order_kept(api: respx.Route) -> None:
    # The first chunk gets its response last, so chunks complete out of order.
    async def respond(request: httpx.Request) -> httpx.Response:
        ids = requested_ids(request)
        await asyncio.sleep(0.05 if "50" in ids else 0.0)
        return completed(ids)

    api.mock(side_effect=respond)
    order_ids = [50, 3, 99, 1, 7, 42, 8]

    async with PanelClient(URL, KEY, retry=FAST, chunk_size=2) as client:
        result = await client.statuses(order_ids)

    assert list(result) == order_ids
    assert list(result.succeeded) == order_ids


# --- failures -------------------------------------------------------------------


async def test_failing_chunk_keeps_others(api: respx.Route) -> None:
    def respond(request: httpx.Request) -> httpx.Response:
        ids = requested_ids(request)
        if "3" in ids:
            return httpx.Response(200, json={"error": "Server busy"})
        return completed(ids)

    api.mock(side_effect=respond)

    async with PanelClient(URL, KEY, retry=FAST, chunk_size=2) as client:
        result = await client.statuses([1, 2, 3, 4, 5, 6])

    assert list(result.succeeded) == [1, 2, 5, 6]
    assert list(result.failed) == [3, 4]
    error = result[3]
    assert isinstance(error, PanelAPIError)
    assert error.message == "Server busy"
    assert result[4] is error
    assert api.call_count == 3


async def test_network_failure_of_one_chunk(api: respx.Route) -> None:
    def respond(request: httpx.Request) -> httpx.Response:
        ids = requested_ids(request)
        if "1" in ids:
            raise httpx.ConnectError("connection refused")
        return completed(ids)

    api.mock(side_effect=respond)

    async with PanelClient(URL, KEY, retry=FAST, chunk_size=2) as client:
        result = await client.statuses([1, 2, 3, 4])

    assert isinstance(result[1], PanelTransportError)
    assert isinstance(result[2], PanelTransportError)
    assert list(result.succeeded) == [3, 4]
    # The failing chunk is tried three times, the other once.
    assert api.call_count == 4


async def test_too_many_ids_halves_chunk(api: respx.Route, panel: PanelClient) -> None:
    def respond(request: httpx.Request) -> httpx.Response:
        ids = requested_ids(request)
        if len(ids) > 25:
            return httpx.Response(200, json={"error": "Too many orders, maximum 25"})
        return completed(ids)

    api.mock(side_effect=respond)

    result = await panel.statuses(range(1, 101))

    assert len(result.succeeded) == 100
    assert panel.chunk_size == 25
    # 100 is rejected, then both halves of 50, then four chunks of 25 pass.
    assert sorted(len(chunk) for chunk in calls_ids(api)) == [25] * 4 + [50, 50, 100]

    first_calls = api.call_count
    second = await panel.statuses(range(101, 201))

    assert len(second.succeeded) == 100
    assert [len(chunk) for chunk in calls_ids(api)[first_calls:]] == [25] * 4


async def test_too_many_ids_for_one_id(api: respx.Route, panel: PanelClient) -> None:
    api.mock(return_value=httpx.Response(200, json={"error": "Too many orders"}))

    result = await panel.statuses([1, 2, 3, 4])

    assert list(result.failed) == [1, 2, 3, 4]
    assert all(isinstance(error, PanelTooManyIDsError) for error in result.values())
    assert panel.chunk_size == 1
    # 4 IDs, then 2 and 2, then four single IDs.
    assert api.call_count == 7


async def test_cut_off_read_resent(api: respx.Route, panel: PanelClient) -> None:
    # Some panels return only the first IDs of a multi request.
    def respond(request: httpx.Request) -> httpx.Response:
        return completed(requested_ids(request)[:30])

    api.mock(side_effect=respond)

    result = await panel.statuses(range(1, 101))

    assert len(result.succeeded) == 100
    assert panel.chunk_size == 30
    sent = [key for chunk in calls_ids(api) for key in chunk]
    assert sorted(set(sent), key=int) == [str(n) for n in range(1, 101)]


async def test_cut_off_write_not_resent(api: respx.Route, panel: PanelClient) -> None:
    def respond(request: httpx.Request) -> httpx.Response:
        ids = requested_ids(request)[:30]
        return httpx.Response(200, json=[{"order": key, "cancel": 1} for key in ids])

    api.mock(side_effect=respond)

    result = await panel.cancel(range(1, 101))

    assert api.call_count == 1
    assert len(result.succeeded) == 30
    assert len(result.failed) == 70
    assert all(
        isinstance(error, PanelMissingIDError) for error in result.failed.values()
    )


# --- concurrency ----------------------------------------------------------------


def peak_counting(
    delay: float,
) -> tuple[Callable[[httpx.Request], Awaitable[httpx.Response]], list[int]]:
    """Build a side effect that responds after `delay` s, and a list with its peak."""
    state = {"in_flight": 0}
    peak = [0]

    async def respond(request: httpx.Request) -> httpx.Response:
        state["in_flight"] += 1
        peak[0] = max(peak[0], state["in_flight"])
        try:
            await asyncio.sleep(delay)
        finally:
            state["in_flight"] -= 1
        return completed(requested_ids(request))

    return respond, peak


@pytest.mark.parametrize("max_concurrency", [1, 3, 8])
async def test_max_concurrency_respected(
    api: respx.Route, max_concurrency: int
) -> None:
    # Three rounds of one-ID chunks; each request takes 30 ms, long enough for every
    # chunk of a round to start before the first one ends.
    respond, peak = peak_counting(0.03)
    api.mock(side_effect=respond)
    count = 3 * max_concurrency

    async with PanelClient(
        URL, KEY, retry=FAST, chunk_size=1, max_concurrency=max_concurrency
    ) as client:
        result = await client.statuses(range(1, count + 1))

    assert len(result.succeeded) == count
    assert api.call_count == count
    assert peak[0] == max_concurrency


async def test_concurrency_shared_between_calls(api: respx.Route) -> None:
    respond, peak = peak_counting(0.01)
    api.mock(side_effect=respond)

    async with PanelClient(
        URL, KEY, retry=FAST, chunk_size=1, max_concurrency=2
    ) as client:
        await asyncio.gather(
            client.statuses(range(1, 6)), client.statuses(range(6, 11))
        )

    assert peak[0] == 2


# --- progress -------------------------------------------------------------------


async def test_progress_reported_per_chunk(api: respx.Route) -> None:
    def respond(request: httpx.Request) -> httpx.Response:
        ids = requested_ids(request)
        if "1" in ids:
            return httpx.Response(200, json={"error": "Server busy"})
        return completed(ids)

    api.mock(side_effect=respond)
    reports: list[tuple[int, int | None, int]] = []

    async with PanelClient(
        URL, KEY, retry=FAST, chunk_size=4, max_concurrency=1
    ) as client:
        await client.statuses(
            range(1, 11), on_progress=lambda *report: reports.append(report)
        )

    assert reports == [(4, 10, 4), (8, 10, 4), (10, 10, 4)]


# --- BatchResult ----------------------------------------------------------------


def make_result() -> BatchResult[OrderStatus]:
    error = PanelNotFoundError("Incorrect order ID", action="status")
    return BatchResult(
        {
            "1": (1, OrderStatus("Completed", charge=Decimal("0.5"))),
            "ord_2": ("ord_2", error),
            "3": ("3", OrderStatus("Pending")),
        }
    )


def test_batch_result_lookup_by_either_form() -> None:
    result = make_result()

    assert result[1] is result["1"]
    assert result[3] is result["3"]
    assert 1 in result
    assert "1" in result
    assert 3 in result
    assert "ord_2" in result
    assert 2 not in result
    assert None not in result
    assert 1.0 not in result
    with pytest.raises(KeyError):
        result[4]


def test_batch_result_mapping() -> None:
    result = make_result()

    assert len(result) == 3
    assert list(result) == [1, "ord_2", "3"]
    assert result.get(4) is None
    assert result.get(4, "absent") == "absent"
    assert result.get("1") is result[1]
    assert dict(result) == {1: result[1], "ord_2": result["ord_2"], "3": result[3]}


def test_batch_result_succeeded_and_failed() -> None:
    result = make_result()

    assert list(result.succeeded) == [1, "3"]
    assert list(result.failed) == ["ord_2"]
    assert isinstance(result.failed["ord_2"], PanelNotFoundError)
    assert all(isinstance(v, OrderStatus) for v in result.succeeded.values())


def test_batch_result_repr() -> None:
    assert repr(make_result()) == "<BatchResult 3 IDs: 2 succeeded, 1 failed>"
    assert repr(BatchResult({})) == "<BatchResult 0 IDs: 0 succeeded, 0 failed>"


# --- properties -----------------------------------------------------------------

ID_LISTS = st.lists(
    st.integers(min_value=1, max_value=300)
    | st.integers(min_value=1, max_value=300).map(str),
    max_size=250,
)
PROPERTY_SETTINGS = settings(max_examples=100, deadline=None)


async def run_with_handler(
    ids: list[int | str],
    chunk_size: int,
    handler: Callable[[httpx.Request], httpx.Response],
    call: str,
) -> BatchResult[object]:
    transport = httpx.MockTransport(handler)
    async with (
        httpx.AsyncClient(transport=transport) as http,
        PanelClient(
            URL, KEY, retry=FAST, chunk_size=chunk_size, http_client=http
        ) as client,
    ):
        result: BatchResult[object] = await getattr(client, call)(ids)
        return result


def first_forms(ids: list[int | str]) -> list[int | str]:
    forms: dict[str, int | str] = {}
    for order_id in ids:
        forms.setdefault(str(order_id), order_id)
    return list(forms.values())


@PROPERTY_SETTINGS
@given(ids=ID_LISTS, chunk_size=st.integers(min_value=1, max_value=100))
def test_every_id_back_once(ids: list[int | str], chunk_size: int) -> None:
    requests: list[list[str]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        chunk = requested_ids(request)
        requests.append(chunk)
        return completed(chunk)

    result = asyncio.run(run_with_handler(ids, chunk_size, handler, "statuses"))

    expected = first_forms(ids)
    assert list(result) == expected
    assert [type(key) for key in result] == [type(key) for key in expected]
    sent = [key for chunk in requests for key in chunk]
    assert sorted(sent) == sorted(str(key) for key in expected)
    assert all(len(chunk) <= chunk_size for chunk in requests)
    assert all(isinstance(value, OrderStatus) for value in result.values())


@PROPERTY_SETTINGS
@given(ids=ID_LISTS, chunk_size=st.integers(min_value=1, max_value=100))
def test_every_id_back_once_with_errors(ids: list[int | str], chunk_size: int) -> None:
    # IDs divisible by 5 are left out of the response, and IDs divisible by 3 get an
    # error.
    def handler(request: httpx.Request) -> httpx.Response:
        entries: list[dict[str, object]] = []
        for key in requested_ids(request):
            if int(key) % 5 == 0:
                continue
            if int(key) % 3 == 0:
                entries.append(
                    {"order": key, "cancel": {"error": "Incorrect order ID"}}
                )
            else:
                entries.append({"order": int(key), "cancel": 1})
        return httpx.Response(200, json=entries)

    result = asyncio.run(run_with_handler(ids, chunk_size, handler, "cancel"))

    assert list(result) == first_forms(ids)
    for order_id, value in result.items():
        number = int(order_id)
        if number % 5 == 0:
            assert isinstance(value, PanelMissingIDError)
        elif number % 3 == 0:
            assert isinstance(value, PanelNotFoundError)
        else:
            assert value is True
        assert not isinstance(value, PanelError) or value.action == "cancel"
