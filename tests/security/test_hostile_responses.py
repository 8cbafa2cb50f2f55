"""Hostile values in responses: deep nesting, invalid UTF-8, NaN, huge numbers.

Reads must raise PanelResponseError (or read an optional field as None), and writes,
whose response may follow an action the panel did run, PanelAmbiguousOrderError.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import httpx
import pytest

from panel_async import (
    BatchResult,
    PanelAmbiguousOrderError,
    PanelAPIError,
    PanelClient,
    PanelResponseError,
    RetryPolicy,
)

from .conftest import IN_PROCESS_URL, KEY

DIGITS_5000 = "7" * 5000

# JSON number literals that no money or count field may be read from.
HOSTILE_NUMBERS = {
    "nan": "NaN",
    "infinity": "-Infinity",
    "int-5000-digits": DIGITS_5000,
    "decimal-5000-digits": f"1.{DIGITS_5000}",
    "exponent-1e999999": "1E+999999",
    "exponent-1e-999999": "1e-999999",
}
# Whole responses that cannot be read at all.
HOSTILE_BODIES = {
    "deep-nesting": b"[" * 100_000 + b"]" * 100_000,
    "unclosed-nesting": b"[" * 100_000,
    "invalid-utf8": b'{"balance": "1\xff", "status": "Pending\xff", "charge": "1"}',
}
HOSTILE_MONEY = HOSTILE_BODIES | {
    name: f'{{"balance": {n}, "status": "Pending", "charge": {n}}}'.encode()
    for name, n in HOSTILE_NUMBERS.items()
}
HOSTILE_MULTI = HOSTILE_BODIES | {
    name: f'{{"1": {{"status": "Pending", "charge": {n}}},'
    f' "2": {{"status": "Pending", "remains": {n}}}}}'.encode()
    for name, n in HOSTILE_NUMBERS.items()
}
SERVICE_RATES = {
    name: f'[{{"service": 1, "name": "x", "rate": {n}}}]'.encode()
    for name, n in HOSTILE_NUMBERS.items()
} | {
    "text-exponent-1e999999": b'[{"service": 1, "name": "x", "rate": "1E+999999"}]',
    "text-5000-digits": (
        f'[{{"service": 1, "name": "x", "rate": "{DIGITS_5000}"}}]'.encode()
    ),
}
# Text that is no number, in the optional `charge` of an order status.
OPTIONAL_CHARGES = {
    "text-exponent-1e999999": "1E+999999",
    "text-nan": "NaN",
    "text-infinity": "Infinity",
    "text-5000-digits": DIGITS_5000,
    "text-decimal-5000-digits": f"1.{DIGITS_5000}",
}


def _responding_with(body: bytes) -> httpx.MockTransport:
    def respond(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200,
            headers={"content-type": "application/json"},
            stream=httpx.ByteStream(body),
        )

    return httpx.MockTransport(respond)


async def _call(
    body: bytes, call: Callable[[PanelClient], Awaitable[object]]
) -> object:
    """Return what `call` returns when the panel responds `body` with HTTP 200."""
    async with (
        httpx.AsyncClient(transport=_responding_with(body)) as http,
        PanelClient(
            IN_PROCESS_URL, KEY, retry=RetryPolicy.none(), http_client=http
        ) as client,
    ):
        return await call(client)


@pytest.mark.parametrize("body", HOSTILE_MONEY.values(), ids=HOSTILE_MONEY.keys())
async def test_balance_hostile_value_raises(body: bytes) -> None:
    """balance() raises PanelResponseError for a hostile amount."""
    with pytest.raises(PanelResponseError):
        await _call(body, lambda client: client.balance())


@pytest.mark.parametrize("body", HOSTILE_MONEY.values(), ids=HOSTILE_MONEY.keys())
async def test_status_hostile_value_raises(body: bytes) -> None:
    """status() raises PanelResponseError for a hostile response or charge."""
    with pytest.raises(PanelResponseError):
        await _call(body, lambda client: client.status(1))


@pytest.mark.parametrize("body", SERVICE_RATES.values(), ids=SERVICE_RATES.keys())
async def test_services_hostile_rate_raises(body: bytes) -> None:
    """services() raises PanelResponseError for a hostile rate."""
    with pytest.raises(PanelResponseError):
        await _call(body, lambda client: client.services())


@pytest.mark.parametrize(
    "charge", OPTIONAL_CHARGES.values(), ids=OPTIONAL_CHARGES.keys()
)
async def test_status_optional_charge_reads_none(charge: str) -> None:
    """A charge sent as text that is no sane number reads as None."""
    body = f'{{"status": "Pending", "charge": "{charge}"}}'

    status = await _call(body.encode(), lambda client: client.status(1))

    assert getattr(status, "charge", "missing") is None


@pytest.mark.parametrize("body", HOSTILE_MULTI.values(), ids=HOSTILE_MULTI.keys())
async def test_statuses_hostile_value_fails_each_id(body: bytes) -> None:
    """statuses() gives each ID a PanelResponseError for a hostile response."""
    result = await _call(body, lambda client: client.statuses([1, 2]))

    assert isinstance(result, BatchResult)
    assert sorted(result.failed) == [1, 2]
    assert all(isinstance(e, PanelResponseError) for e in result.failed.values())


@pytest.mark.parametrize(
    "body",
    [HOSTILE_MONEY["deep-nesting"], HOSTILE_MONEY["invalid-utf8"]],
    ids=["deep-nesting", "invalid-utf8"],
)
async def test_add_unreadable_response_ambiguous(body: bytes) -> None:
    """add() calls an unreadable response ambiguous: the order may exist."""
    with pytest.raises(PanelAmbiguousOrderError) as raised:
        await _call(
            body, lambda c: c.add(service=1, link="https://x.example", quantity=1)
        )

    assert isinstance(raised.value.__cause__, PanelResponseError)


@pytest.mark.parametrize("unit", ["bad order ", "order link already ", "invalid key "])
async def test_long_error_message_cut(unit: str) -> None:
    """A panel message of thousands of characters is kept and classified cut short."""
    body = f'{{"error": "{unit * 1000}"}}'.encode()

    with pytest.raises(PanelAPIError) as raised:
        await _call(body, lambda client: client.balance())

    assert len(raised.value.message) <= 200
    assert raised.value.message.startswith(unit)


async def test_long_per_id_message_cut() -> None:
    """A per-ID error message of thousands of characters is cut short as well."""
    entry = f'{{"error": "{"bad order " * 1000}"}}'
    body = f'{{"1": {entry}, "2": {entry}}}'.encode()

    result = await _call(body, lambda client: client.statuses([1, 2]))

    assert isinstance(result, BatchResult)
    assert sorted(result.failed) == [1, 2]
    assert all(len(str(e)) <= 200 for e in result.failed.values())
