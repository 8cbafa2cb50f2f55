"""Tests of the request layer through PanelClient, with the panel mocked by respx.

Every request goes to a respx router that fails on any request it has no route for,
so nothing leaves the process.
"""

from __future__ import annotations

import email.utils
import logging
import time
import urllib.parse
from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any

import httpx
import pytest
import respx

from panel_async import (
    PanelAmbiguousOrderError,
    PanelAPIError,
    PanelAuthError,
    PanelClient,
    PanelDuplicateOrderError,
    PanelError,
    PanelHTMLResponseError,
    PanelInputError,
    PanelInsufficientFundsError,
    PanelNotFoundError,
    PanelRateLimitError,
    PanelRedirectError,
    PanelResponseError,
    PanelTransportError,
    PanelValidationError,
    RetryEvent,
    RetryPolicy,
)
from panel_async._transport import parse_retry_after

from .mocked import FAST, KEY, URL

ORDER: dict[str, Any] = {
    "service": 1,
    "link": "https://example.com/p/1",
    "quantity": 100,
}
ORDER_FIELDS = {"service": "1", "link": "https://example.com/p/1", "quantity": "100"}
CHALLENGE_PAGE = "<!DOCTYPE html><html><head><title>Just a moment...</title></html>"


def form_of(request: httpx.Request) -> dict[str, str]:
    """Decode a form body, checking that no field is sent twice."""
    pairs = urllib.parse.parse_qsl(request.content.decode(), keep_blank_values=True)
    names = [name for name, _ in pairs]
    assert len(names) == len(set(names)), f"a field is sent twice: {names}"
    return dict(pairs)


def balance_response() -> httpx.Response:
    return httpx.Response(200, json={"balance": "100.84292", "currency": "USD"})


# --- the request ----------------------------------------------------------------


async def test_key_and_action_only_in_body(
    api: respx.Route, panel: PanelClient
) -> None:
    api.mock(return_value=balance_response())

    await panel.balance()

    request = api.calls.last.request
    assert request.method == "POST"
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    assert form_of(request) == {"key": KEY, "action": "balance"}
    assert str(request.url) == URL
    assert request.url.query == b""
    for name, value in request.headers.items():
        assert KEY not in value, f"the key is in header {name}"


async def test_timeout_is_sent_to_httpx(api: respx.Route) -> None:
    api.mock(return_value=balance_response())
    async with PanelClient(URL, KEY, timeout=5.0, retry=RetryPolicy.none()) as client:
        await client.balance()

    timeout = api.calls.last.request.extensions["timeout"]
    assert timeout["connect"] == pytest.approx(5.0, abs=0.5)
    assert timeout["read"] == pytest.approx(5.0, abs=0.5)


async def test_default_timeout_bounds_connect(api: respx.Route) -> None:
    api.mock(return_value=balance_response())
    async with PanelClient(URL, KEY) as client:
        await client.balance()

    timeout = api.calls.last.request.extensions["timeout"]
    assert timeout["connect"] == pytest.approx(10.0, abs=0.5)
    assert timeout["read"] == pytest.approx(30.0, abs=0.5)


async def test_requests_sent_counts_retries(
    api: respx.Route, panel: PanelClient
) -> None:
    api.mock(side_effect=[httpx.ConnectError("refused"), balance_response()])
    await panel.balance()
    assert panel.requests_sent == 2


# --- error responses ------------------------------------------------------------


async def test_error_with_http_200(api: respx.Route, panel: PanelClient) -> None:
    api.mock(return_value=httpx.Response(200, json={"error": "Incorrect order ID"}))

    with pytest.raises(PanelNotFoundError) as caught:
        await panel.status(5)

    assert caught.value.message == "Incorrect order ID"
    assert caught.value.status_code == 200
    assert caught.value.action == "status"
    assert api.call_count == 1


async def test_401_body_read_first(api: respx.Route, panel: PanelClient) -> None:
    api.mock(return_value=httpx.Response(401, json={"error": "Invalid API key"}))

    with pytest.raises(PanelAuthError) as caught:
        await panel.balance()

    assert caught.value.message == "Invalid API key"
    assert caught.value.status_code == 401
    assert api.call_count == 1


@pytest.mark.parametrize(
    ("status", "body", "error_class"),
    [
        (200, {"status": "error", "message": "Incorrect order ID"}, PanelNotFoundError),
        (200, {"status": "fail", "message": "Invalid API key"}, PanelAuthError),
        (403, {"status": "fail", "message": "Invalid API key"}, PanelAuthError),
        (
            400,
            {"status": "error", "message": "Incorrect request"},
            PanelValidationError,
        ),
        (200, {"status": "error", "message": "Server busy"}, PanelAPIError),
    ],
)
async def test_status_error_bodies(
    api: respx.Route,
    panel: PanelClient,
    status: int,
    body: dict[str, str],
    error_class: type[PanelAPIError],
) -> None:
    api.mock(return_value=httpx.Response(status, json=body))

    with pytest.raises(error_class) as caught:
        await panel.status(5)

    assert type(caught.value) is error_class
    assert caught.value.message == body["message"]
    assert caught.value.status_code == status
    assert api.call_count == 1


@pytest.mark.parametrize(
    ("message", "error_class"),
    [
        ("Invalid API key", PanelAuthError),
        ("Incorrect order ID", PanelNotFoundError),
        ("Quantity less than minimal 200", PanelValidationError),
        ("You have active order with this link", PanelDuplicateOrderError),
        ("Not enough funds on balance", PanelInsufficientFundsError),
    ],
)
async def test_permanent_errors_sent_once(
    api: respx.Route, message: str, error_class: type[PanelAPIError]
) -> None:
    api.mock(return_value=httpx.Response(200, json={"error": message}))
    retry = RetryPolicy(attempts=5, initial_wait=0.0, max_wait=0.0)

    async with PanelClient(URL, KEY, retry=retry) as client:
        with pytest.raises(error_class):
            await client.add(**ORDER)
        with pytest.raises(error_class):
            await client.balance()

    assert api.call_count == 2


# --- responses that are not JSON ------------------------------------------------


async def test_cloudflare_challenge_page(api: respx.Route, panel: PanelClient) -> None:
    api.mock(
        return_value=httpx.Response(
            403,
            headers={"cf-mitigated": "challenge", "content-type": "text/html"},
            text=CHALLENGE_PAGE,
        )
    )

    with pytest.raises(PanelHTMLResponseError) as caught:
        await panel.balance()

    error = caught.value
    assert error.status_code == 403
    assert "HTTP 403" in str(error)
    assert "challenge" in str(error)
    assert "Just a moment" in error.excerpt
    assert api.call_count == 1


async def test_html_503_is_retried_for_reads(
    api: respx.Route, panel: PanelClient
) -> None:
    page = "<html><body><h1>503 Service Unavailable</h1></body></html>"
    api.mock(return_value=httpx.Response(503, text=page))

    with pytest.raises(PanelHTMLResponseError) as caught:
        await panel.balance()

    assert caught.value.status_code == 503
    assert "HTTP 503" in str(caught.value)
    assert api.call_count == 3


async def test_html_with_http_200(api: respx.Route, panel: PanelClient) -> None:
    # No content type: the body's first bytes show that it is a page.
    api.mock(return_value=httpx.Response(200, content=CHALLENGE_PAGE.encode()))

    with pytest.raises(PanelHTMLResponseError) as caught:
        await panel.balance()

    assert caught.value.status_code == 200
    assert "HTTP 200" in str(caught.value)
    assert api.call_count == 1


@pytest.mark.parametrize(
    "body", ['{"balance": "1.', "", "{'balance': 1}", '{"balance": NaN}', "[" * 100_000]
)
async def test_invalid_json_is_response_error(api: respx.Route, body: str) -> None:
    api.mock(return_value=httpx.Response(200, text=body))

    async with PanelClient(URL, KEY, retry=RetryPolicy.none()) as client:
        with pytest.raises(PanelResponseError) as caught:
            await client.balance()

    assert type(caught.value) is PanelResponseError
    assert caught.value.status_code == 200
    assert "not valid JSON" in str(caught.value)
    assert api.call_count == 1


async def test_truncated_json_retried_for_reads(
    api: respx.Route, panel: PanelClient
) -> None:
    api.mock(
        side_effect=[httpx.Response(200, text='{"balance": "1'), balance_response()]
    )
    balance = await panel.balance()
    assert balance.amount == Decimal("100.84292")
    assert api.call_count == 2


async def test_4xx_without_json_sent_once(api: respx.Route, panel: PanelClient) -> None:
    api.mock(return_value=httpx.Response(404, text="Not Found"))

    with pytest.raises(PanelResponseError) as caught:
        await panel.balance()

    assert caught.value.status_code == 404
    assert caught.value.excerpt == "Not Found"
    assert api.call_count == 1


@pytest.mark.parametrize("status", [301, 302, 307, 308])
async def test_redirect_not_followed(panel: PanelClient, status: int) -> None:
    target = "https://panel.example/api/v2/"
    with respx.mock(assert_all_mocked=True, assert_all_called=False) as router:
        api = router.post(URL).mock(
            return_value=httpx.Response(status, headers={"Location": target})
        )
        followed = router.route(url=target)

        with pytest.raises(PanelRedirectError) as caught:
            await panel.balance()

    assert caught.value.location == target
    assert target in str(caught.value)
    assert f"HTTP {status}" in str(caught.value)
    assert caught.value.status_code == status
    assert api.call_count == 1
    assert followed.call_count == 0


# --- rate limits ----------------------------------------------------------------


async def test_429_retry_after_honoured(api: respx.Route) -> None:
    events: list[RetryEvent] = []
    retry = RetryPolicy(
        attempts=3, initial_wait=0.0, max_wait=1.0, on_retry=events.append
    )
    limited = httpx.Response(
        429, headers={"Retry-After": "0.2"}, json={"error": "Too many requests"}
    )
    api.mock(side_effect=[limited, balance_response()])

    async with PanelClient(URL, KEY, retry=retry) as client:
        started = time.monotonic()
        balance = await client.balance()
        elapsed = time.monotonic() - started

    assert balance.amount == Decimal("100.84292")
    assert api.call_count == 2
    assert len(events) == 1
    assert events[0].wait == pytest.approx(0.2)
    assert events[0].attempt == 1
    assert events[0].action == "balance"
    assert isinstance(events[0].cause, PanelRateLimitError)
    assert elapsed >= 0.19


async def test_429_retry_after_above_max_wait(api: respx.Route) -> None:
    retry = RetryPolicy(attempts=5, initial_wait=0.0, max_wait=1.0)
    api.mock(return_value=httpx.Response(429, headers={"Retry-After": "120"}))

    async with PanelClient(URL, KEY, retry=retry) as client:
        with pytest.raises(PanelRateLimitError) as caught:
            await client.balance()

    assert caught.value.retry_after == 120.0
    assert caught.value.status_code == 429
    assert api.call_count == 1


async def test_429_retried_for_add(api: respx.Route, panel: PanelClient) -> None:
    # A 429 means the panel did not act on the request, so even `add` is resent.
    api.mock(side_effect=[httpx.Response(429), httpx.Response(200, json={"order": 9})])
    assert await panel.add(**ORDER) == 9
    assert api.call_count == 2


async def test_rate_limit_message_with_http_200(
    api: respx.Route, panel: PanelClient
) -> None:
    api.mock(return_value=httpx.Response(200, json={"error": "Rate limit exceeded"}))

    with pytest.raises(PanelRateLimitError) as caught:
        await panel.balance()

    assert caught.value.transient
    assert api.call_count == 3


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, None),
        ("", None),
        ("5", 5.0),
        (" 2.5 ", 2.5),
        ("-3", 0.0),
        ("soon", None),
        ("9" * 30, None),
    ],
)
def test_parse_retry_after(header: str | None, expected: float | None) -> None:
    assert parse_retry_after(header) == expected


def test_parse_retry_after_http_date() -> None:
    now = 1_700_000_000.0
    header = email.utils.formatdate(now + 30, usegmt=True)
    assert parse_retry_after(header, now=now) == pytest.approx(30.0)
    past = email.utils.formatdate(now - 30, usegmt=True)
    assert parse_retry_after(past, now=now) == 0.0


# --- retries of reads -----------------------------------------------------------

FAILURES: dict[str, httpx.Response | Exception] = {
    "connect error": httpx.ConnectError("connection refused"),
    "connect timeout": httpx.ConnectTimeout("timed out"),
    "read timeout": httpx.ReadTimeout("timed out"),
    "connection reset": httpx.ReadError("connection reset by peer"),
    "HTTP 502": httpx.Response(502),
    "HTTP 503 page": httpx.Response(503, text="<html>Service Unavailable</html>"),
}


@pytest.mark.parametrize("failure", list(FAILURES))
async def test_reads_retried(
    api: respx.Route, panel: PanelClient, failure: str
) -> None:
    api.mock(side_effect=[FAILURES[failure], FAILURES[failure], balance_response()])

    balance = await panel.balance()

    assert balance.amount == Decimal("100.84292")
    assert api.call_count == 3


@pytest.mark.parametrize(
    "failure", ["connect error", "connect timeout", "read timeout", "connection reset"]
)
async def test_reads_give_up_after_attempts(
    api: respx.Route, panel: PanelClient, failure: str
) -> None:
    error = FAILURES[failure]
    assert isinstance(error, Exception)
    api.mock(side_effect=error)

    with pytest.raises(PanelTransportError) as caught:
        await panel.status(5)

    assert caught.value.action == "status"
    assert api.call_count == 3


async def test_502_gives_up_after_attempts(
    api: respx.Route, panel: PanelClient
) -> None:
    api.mock(return_value=httpx.Response(502))

    with pytest.raises(PanelResponseError) as caught:
        await panel.balance()

    assert caught.value.status_code == 502
    assert api.call_count == 3


# --- writes are sent at most once -----------------------------------------------


@pytest.mark.parametrize(
    "failure",
    [
        httpx.ReadTimeout("timed out"),
        httpx.ReadError("connection reset by peer"),
        httpx.RemoteProtocolError("server disconnected"),
        httpx.Response(502),
        httpx.Response(503, text="<html>Service Unavailable</html>"),
        httpx.Response(200, text='{"order": 12'),
    ],
    ids=["read timeout", "reset", "disconnected", "502", "503 page", "truncated"],
)
async def test_add_not_resent_after_maybe_sent(
    api: respx.Route, panel: PanelClient, failure: httpx.Response | Exception
) -> None:
    api.mock(side_effect=[failure, httpx.Response(200, json={"order": 1})])

    with pytest.raises(PanelAmbiguousOrderError) as caught:
        await panel.add(**ORDER)

    error = caught.value
    assert api.call_count == 1
    assert error.action == "add"
    assert error.fields == ORDER_FIELDS
    assert "key" not in error.fields
    assert KEY not in str(error)
    assert KEY not in repr(error)


@pytest.mark.parametrize(
    "failure",
    [httpx.ConnectError("connection refused"), httpx.ConnectTimeout("timed out")],
)
async def test_add_resent_after_connect_failure(
    api: respx.Route, panel: PanelClient, failure: Exception
) -> None:
    api.mock(side_effect=[failure, httpx.Response(200, json={"order": 77})])

    assert await panel.add(**ORDER) == 77
    assert api.call_count == 2
    assert form_of(api.calls[0].request) == form_of(api.calls[1].request)


async def test_add_connect_failure_gives_transport_error(
    api: respx.Route, panel: PanelClient
) -> None:
    api.mock(side_effect=httpx.ConnectError("connection refused"))

    with pytest.raises(PanelTransportError):
        await panel.add(**ORDER)

    assert api.call_count == 3


async def test_refill_not_resent_after_read_timeout(
    api: respx.Route, panel: PanelClient
) -> None:
    api.mock(side_effect=[httpx.ReadTimeout("timed out"), httpx.Response(200)])

    with pytest.raises(PanelAmbiguousOrderError) as caught:
        await panel.refill(5)

    assert caught.value.fields == {"order": "5"}
    assert api.call_count == 1


async def test_cancel_not_resent_after_read_timeout(
    api: respx.Route, panel: PanelClient
) -> None:
    api.mock(side_effect=[httpx.ReadTimeout("timed out"), httpx.Response(200)])

    result = await panel.cancel([1, 2])

    assert api.call_count == 1
    for order_id in (1, 2):
        error = result[order_id]
        assert isinstance(error, PanelAmbiguousOrderError)
        assert error.fields == {"orders": "1,2"}


# --- size limit -----------------------------------------------------------------


async def test_declared_size_above_limit(api: respx.Route) -> None:
    api.mock(return_value=httpx.Response(200, json={"balance": "1" * 200}))

    async with PanelClient(URL, KEY, retry=FAST, max_response_bytes=100) as client:
        with pytest.raises(PanelResponseError) as caught:
            await client.balance()

    assert "max_response_bytes=100" in str(caught.value)
    assert api.call_count == 1


async def test_streamed_size_above_limit(api: respx.Route) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"balance": "'
        for _ in range(10):
            yield b"1" * 50
        yield b'"}'

    api.mock(return_value=httpx.Response(200, content=chunks()))

    async with PanelClient(URL, KEY, retry=FAST, max_response_bytes=100) as client:
        with pytest.raises(PanelResponseError) as caught:
            await client.balance()

    assert "content-length" not in api.calls.last.response.headers
    assert "max_response_bytes=100" in str(caught.value)
    assert api.call_count == 1


async def test_size_at_limit_accepted(api: respx.Route) -> None:
    body = b'{"balance": "5"}'
    api.mock(return_value=httpx.Response(200, content=body))

    async with PanelClient(URL, KEY, max_response_bytes=len(body)) as client:
        balance = await client.balance()

    assert balance.amount == Decimal(5)


# --- the key stays secret -------------------------------------------------------


async def test_key_not_in_client_repr(panel: PanelClient) -> None:
    assert KEY not in repr(panel)
    assert KEY not in str(panel)
    assert URL in repr(panel)


async def test_echoed_key_redacted(api: respx.Route, panel: PanelClient) -> None:
    api.mock(
        return_value=httpx.Response(200, json={"error": f"Invalid API key: {KEY}"})
    )

    with pytest.raises(PanelAuthError) as caught:
        await panel.balance()

    assert KEY not in str(caught.value)
    assert KEY not in repr(caught.value)
    assert KEY not in caught.value.message
    assert "[key redacted]" in caught.value.message


async def test_echoed_form_encoded_key_redacted(api: respx.Route) -> None:
    key = "k+y/abc=123"
    encoded = urllib.parse.quote_plus(key)
    api.mock(
        return_value=httpx.Response(200, json={"error": f"bad key={encoded} (wrong)"})
    )

    async with PanelClient(URL, key, retry=FAST) as client:
        with pytest.raises(PanelAPIError) as caught:
            await client.balance()

    assert form_of(api.calls.last.request)["key"] == key
    assert encoded not in str(caught.value)
    assert key not in str(caught.value)


async def test_key_redacted_in_excerpt_and_location(panel: PanelClient) -> None:
    page = f"<html><body>Blocked request with key {KEY}</body></html>"
    location = f"https://other.example/api/v2?key={KEY}"
    with respx.mock(assert_all_mocked=True) as router:
        router.post(URL).mock(
            side_effect=[
                httpx.Response(403, text=page),
                httpx.Response(302, headers={"Location": location}),
            ]
        )
        with pytest.raises(PanelHTMLResponseError) as html:
            await panel.balance()
        with pytest.raises(PanelRedirectError) as redirect:
            await panel.balance()

    assert KEY not in html.value.excerpt
    assert KEY not in str(redirect.value)
    assert redirect.value.location is not None
    assert KEY not in redirect.value.location


async def test_key_not_logged(
    api: respx.Route, panel: PanelClient, caplog: pytest.LogCaptureFixture
) -> None:
    api.mock(
        side_effect=[
            httpx.ConnectError("refused"),
            httpx.Response(502),
            httpx.Response(200, json={"error": f"Invalid API key {KEY}"}),
        ]
    )

    with (
        caplog.at_level(logging.DEBUG, logger="panel_async"),
        pytest.raises(PanelAuthError),
    ):
        await panel.balance()

    assert caplog.records, "retries should be logged"
    for record in caplog.records:
        assert KEY not in record.getMessage()


async def test_transport_error_hides_key(api: respx.Route, panel: PanelClient) -> None:
    api.mock(side_effect=httpx.ConnectError("refused"))

    with pytest.raises(PanelError) as caught:
        await panel.balance()

    assert KEY not in str(caught.value)
    assert KEY not in repr(caught.value)


# --- the URL --------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "https://panel.example/api/v2?key=abc",
        "https://panel.example/api/v2#top",
        "ftp://panel.example/api/v2",
        "panel.example/api/v2",
        "https:///api/v2",
    ],
)
def test_bad_url_rejected(url: str) -> None:
    with pytest.raises(PanelInputError):
        PanelClient(url, KEY)


def test_plain_http_rejected_when_strict() -> None:
    with pytest.raises(PanelInputError, match="http://"):
        PanelClient("http://panel.example/api/v2", KEY, strict=True)


async def test_plain_http_warns(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="panel_async"):
        client = PanelClient("http://panel.example/api/v2", KEY)
    await client.aclose()

    assert any("unencrypted" in record.getMessage() for record in caplog.records)


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8080/api/v2", "http://localhost/api/v2", "http://[::1]/"]
)
async def test_plain_http_to_loopback_allowed(
    url: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="panel_async"):
        client = PanelClient(url, KEY, strict=True)
    await client.aclose()

    assert not caplog.records
