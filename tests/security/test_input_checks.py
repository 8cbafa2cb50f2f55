"""Checks of the caller's input, made before anything is sent, and connection settings.

Bad IDs, quantities, links and comments raise PanelInputError (a ValueError) that
names the value, and no request goes out. Plain http:// to another host and
verify=False are logged, strict=True rejects plain http://, and redirects are never
followed. Clients aimed at other hosts are only built: their requests go to an
in-process transport, and nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest

from panel_async import (
    PanelClient,
    PanelInputError,
    PanelRedirectError,
    RetryPolicy,
)
from panel_async.testing import Dialect, FakePanel, ManualClock, serve

from ._evidence import LogCapture, leaks
from .conftest import IN_PROCESS_URL, KEY, drain

Call = Callable[[PanelClient], Awaitable[object]]


class CountingPanel:
    """An in-process panel that responds to every request and counts them."""

    def __init__(self, body: object = None) -> None:
        self.requests: list[httpx.Request] = []
        self._body = {"order": 1} if body is None else body

    def respond(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return httpx.Response(200, json=self._body)

    @property
    def forms(self) -> list[httpx.QueryParams]:
        """The form fields of each request."""
        return [httpx.QueryParams(r.content.decode()) for r in self.requests]


@asynccontextmanager
async def counted_client(
    panel: CountingPanel, url: str = IN_PROCESS_URL, **options: bool
) -> AsyncIterator[PanelClient]:
    """A client whose requests go to `panel` in process, whatever `url` names."""
    async with (
        httpx.AsyncClient(transport=httpx.MockTransport(panel.respond)) as http,
        PanelClient(
            url, KEY, retry=RetryPolicy.none(), http_client=http, **options
        ) as client,
    ):
        yield client


# Each bad ID with the text its error message must show.
BAD_IDS = [
    (0, "0"),
    (-1, "-1"),
    (True, "True"),
    ("", "empty string"),
    ("1,2", "'1,2'"),
    ("a b", "'a b'"),
    ("\x00", "'\\x00'"),
    ("7\n", "'7\\n'"),
    (1.5, "1.5"),
    (None, "None"),
    (10**5000, "int of 16610 bits"),
]


def _calls_with_id(bad: Any) -> dict[str, Call]:
    """Return each method that takes an ID, called with `bad` among good IDs.

    `bad` is typed Any because the checks exist for callers whose types are wrong.
    """
    return {
        "status": lambda c: c.status(bad),
        "refill": lambda c: c.refill(bad),
        "refill_status": lambda c: c.refill_status(bad),
        "statuses": lambda c: c.statuses([1, bad]),
        "refills": lambda c: c.refills([1, bad]),
        "refill_statuses": lambda c: c.refill_statuses([1, bad]),
        "cancel": lambda c: c.cancel([1, bad]),
        "poll": lambda c: drain(c.poll([1, bad])),
        "add-service": lambda c: c.add(
            service=bad, link="https://example.com/p", quantity=100
        ),
    }


@pytest.mark.parametrize("method", list(_calls_with_id(1)))
@pytest.mark.parametrize(("bad", "shown"), BAD_IDS, ids=[s for _, s in BAD_IDS])
async def test_bad_id_rejected_before_sending(
    method: str, bad: object, shown: str
) -> None:
    """A bad ID raises PanelInputError naming it, and no request is sent."""
    panel = CountingPanel()
    async with counted_client(panel) as client:
        with pytest.raises(PanelInputError) as raised:
            await _calls_with_id(bad)[method](client)

    assert isinstance(raised.value, ValueError)
    assert shown in str(raised.value)
    assert panel.requests == []
    assert client.requests_sent == 0


# add() fields with bad values, and the text the error message must show.
BAD_FIELDS = [
    ("quantity", 0, "0"),
    ("quantity", -1, "-1"),
    ("quantity", True, "True"),
    ("quantity", 1.5, "1.5"),
    ("quantity", "100", "'100'"),
    ("quantity", 10**5000, "int of 16610 bits"),
    ("link", "https://example.com/p\n", "'https://example.com/p\\n'"),
    ("link", "https://example.com/\r/p", "'https://example.com/\\r/p'"),
    ("link", "https://example.com/\x00", "'https://example.com/\\x00'"),
    ("link", "https://example.com/\x1b[2J", "'https://example.com/\\x1b[2J'"),
    ("link", "", "empty"),
    ("link", 42, "int"),
    ("comments", ["good", "two\nlines"], "'two\\nlines'"),
    ("comments", ["bell\x07"], "'bell\\x07'"),
    ("comments", ["", "  "], "no non-empty line"),
    ("comments", [b"bytes"], "bytes"),
    ("runs", 0, "0"),
    ("interval", -5, "-5"),
]


@pytest.mark.parametrize(
    ("field", "bad", "shown"), BAD_FIELDS, ids=[f"{f}={s}" for f, _, s in BAD_FIELDS]
)
async def test_bad_order_field_rejected_before_sending(
    field: str, bad: object, shown: str
) -> None:
    """A bad add() field raises PanelInputError naming it, and nothing is sent."""
    fields: dict[str, Any] = {"link": "https://example.com/p", "quantity": 100}
    fields[field] = bad
    panel = CountingPanel()
    async with counted_client(panel) as client:
        with pytest.raises(PanelInputError) as raised:
            await client.add(service=1, **fields)

    assert shown in str(raised.value)
    assert panel.requests == []


@pytest.mark.parametrize("name", ["key", "action"])
async def test_reserved_field_rejected_before_sending(name: str) -> None:
    """An extra add() field named key or action raises; it cannot replace them."""
    reserved: dict[str, Any] = {name: "x"}
    panel = CountingPanel()
    async with counted_client(panel) as client:
        with pytest.raises(PanelInputError) as raised:
            await client.add(
                service=1, link="https://example.com/p", quantity=100, **reserved
            )

    assert repr(name) in str(raised.value)
    assert panel.requests == []


@pytest.mark.parametrize(
    ("comments", "sent"),
    [
        ("first\r\nsecond", "first\nsecond"),
        (["first\r", "second\r"], "first\nsecond"),
        ("only\r", "only"),
    ],
    ids=["crlf-text", "cr-lines", "trailing-cr"],
)
async def test_comments_carriage_returns_dropped(
    comments: str | list[str], sent: str
) -> None:
    """Comments are sent one per line, with every carriage return removed."""
    panel = CountingPanel()
    async with counted_client(panel) as client:
        await client.add(service=2, link="https://example.com/p", comments=comments)

    assert [form.get("comments") for form in panel.forms] == [sent]


@pytest.mark.parametrize(
    "key",
    ["", " sk-LEAK-CANARY", "sk-LEAK-CANARY\n", "sk-LEAK CANARY", "sk-LEAK\x00CANARY"],
    ids=["empty", "leading-space", "newline", "inner-space", "nul"],
)
def test_malformed_key_rejected_without_echo(key: str) -> None:
    """A key with whitespace or control characters raises, and the error hides it."""
    with pytest.raises(PanelInputError) as raised:
        PanelClient("https://panel.example/api/v2", key)

    assert "LEAK" not in str(raised.value)


@pytest.mark.parametrize(
    "url",
    [
        f"https://panel.example/api/v2?key={KEY}",
        f"https://panel.example/api/v2#{KEY}",
        f"ftp://panel.example/api/v2?key={KEY}",
        f"panel.example/api/v2?key={KEY}",
        f"https://user:{KEY}@panel.example:port/api/v2",
    ],
    ids=["query", "fragment", "ftp-query", "no-scheme-query", "bad-port-userinfo"],
)
def test_url_rejected_without_echoing_key(url: str) -> None:
    """A URL that carries the key and is rejected never shows the key in the error."""
    with pytest.raises(PanelInputError) as raised:
        PanelClient(url, "another-key-0000")

    assert leaks(KEY, [str(raised.value)]) == []


def _warnings(capture: LogCapture) -> list[str]:
    return [
        record.getMessage()
        for record in capture.records
        if record.levelno == logging.WARNING and record.name.startswith("panel_async")
    ]


async def test_plain_http_warned_once_per_client(log_capture: LogCapture) -> None:
    """A plain http:// URL to another host logs one warning per client, not per call."""
    panel = CountingPanel({"balance": "1.00", "currency": "USD"})
    async with counted_client(panel, "http://panel.example/api/v2") as client:
        for _ in range(3):
            await client.balance()
    async with counted_client(panel, "http://panel.example/api/v2"):
        pass

    warnings = _warnings(log_capture)
    assert len(panel.requests) == 3
    assert len(warnings) == 2
    assert all("panel.example" in w and "unencrypted" in w for w in warnings)
    assert leaks(KEY, warnings) == []


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1:8000/api/v2", "http://localhost/api/v2", "http://[::1]/api/v2"],
    ids=["ipv4", "localhost", "ipv6"],
)
async def test_plain_http_loopback_accepted(url: str, log_capture: LogCapture) -> None:
    """Plain http:// to a loopback address logs nothing, even with strict=True."""
    async with counted_client(CountingPanel(), url, strict=True):
        pass

    assert _warnings(log_capture) == []


def test_plain_http_strict_raises() -> None:
    """strict=True rejects a plain http:// URL to another host."""
    with pytest.raises(PanelInputError) as raised:
        PanelClient("http://panel.example/api/v2", KEY, strict=True)

    assert "panel.example" in str(raised.value)
    assert "https://" in str(raised.value)


async def test_verify_off_logged(log_capture: LogCapture) -> None:
    """verify=False logs a warning that TLS verification is off."""
    async with PanelClient("https://panel.example/api/v2", KEY, verify=False):
        pass

    warnings = _warnings(log_capture)
    assert len(warnings) == 1
    assert "verification is off" in warnings[0]


async def test_verify_default_not_logged(log_capture: LogCapture) -> None:
    """A client with the default verify=True logs no warning."""
    async with PanelClient("https://panel.example/api/v2", KEY):
        pass

    assert _warnings(log_capture) == []


async def test_redirect_not_followed_in_process() -> None:
    """A 302 is not followed even when the caller's httpx client follows redirects."""
    requests: list[httpx.Request] = []

    def respond(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        if request.url.host == "elsewhere.example":
            return httpx.Response(200, json={"balance": "1.00"})
        return httpx.Response(
            302, headers={"location": "https://elsewhere.example/api/v2"}
        )

    transport = httpx.MockTransport(respond)
    async with (
        httpx.AsyncClient(transport=transport, follow_redirects=True) as http,
        PanelClient(IN_PROCESS_URL, KEY, http_client=http) as client,
    ):
        with pytest.raises(PanelRedirectError) as raised:
            await client.balance()

    assert raised.value.location == "https://elsewhere.example/api/v2"
    assert [r.url.host for r in requests] == ["127.0.0.1"]


async def test_redirect_not_followed_over_loopback() -> None:
    """Over HTTP, a moved panel's 301 reaches the caller instead of being followed."""
    panel = FakePanel(key=KEY, clock=ManualClock(), dialect=Dialect.moved())
    async with (
        serve(panel) as url,
        httpx.AsyncClient(follow_redirects=True) as http,
        PanelClient(url, KEY, http_client=http) as client,
    ):
        with pytest.raises(PanelRedirectError) as raised:
            await client.balance()

    assert raised.value.location == url + "/"
    assert panel.requests == {"balance": 1}
