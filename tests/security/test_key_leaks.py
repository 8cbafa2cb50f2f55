"""The API key never leaves the POST body: not in logs, errors, reprs or request lines.

Each scenario drives the client through one kind of exchange (success, a bad key,
faults and retries, HTML pages, redirects, a panel that echoes the key) and returns
everything the client returned or raised. The tests render all of it, with every log
record from DEBUG up, and search the text for the key in each of its encodings.
"""

from __future__ import annotations

import logging
import socket
from collections.abc import Awaitable, Callable

import httpx
import pytest

from panel_async import (
    PanelAmbiguousOrderError,
    PanelAPIError,
    PanelAuthError,
    PanelClient,
    PanelHTMLResponseError,
    PanelRedirectError,
    PanelResponseError,
    PanelTransportError,
)
from panel_async.testing import Dialect, FakePanel, FaultPlan, ManualClock, serve

from ._asgi import EchoingPanel, Recording, serve_asgi
from ._evidence import (
    LogCapture,
    errors_in,
    is_response_header_trace,
    leaks,
    record_texts,
    value_texts,
)
from .conftest import IN_PROCESS_URL, INSTANT_RETRY, KEY, SPECIAL_KEY, every_action

Scenario = Callable[[str], Awaitable[list[object]]]

MIXED_FAULTS = FaultPlan(
    connect_error=0.08,
    reset_before=0.08,
    reset_after=0.08,
    http_502=0.08,
    http_503=0.08,
    http_429=0.08,
    html_challenge=0.08,
    truncated_json=0.08,
    retry_after=0,
    seed=7,
)
STALLS = FaultPlan(stall=1.0, stall_seconds=5.0)
LOST_WRITES = FaultPlan(
    reset_after=0.5, truncated_json=0.5, actions=frozenset({"add", "refill", "cancel"})
)
# Seconds. Far below STALLS.stall_seconds, so that every stalled response times out.
SHORT_TIMEOUT = 0.05


def _panel(
    key: str, dialect: Dialect | None = None, faults: FaultPlan | None = None
) -> FakePanel:
    return FakePanel(
        key=key,
        seed=3,
        seeded_orders=20,
        clock=ManualClock(),
        dialect=dialect,
        faults=faults,
    )


async def _in_process(
    transport: httpx.AsyncBaseTransport, key: str, timeout: float = 5.0
) -> list[object]:
    """Run every action through `transport` in process; return outcomes and client."""
    async with (
        httpx.AsyncClient(transport=transport) as http,
        PanelClient(
            IN_PROCESS_URL, key, retry=INSTANT_RETRY, timeout=timeout, http_client=http
        ) as client,
    ):
        return [*await every_action(client), client]


async def _over_loopback(url: str, key: str, timeout: float = 5.0) -> list[object]:
    """Run every action over HTTP with the client's own httpx client."""
    async with PanelClient(url, key, retry=INSTANT_RETRY, timeout=timeout) as client:
        return [*await every_action(client), client]


async def success_in_process(key: str) -> list[object]:
    """Every action succeeds, for panels of three dialects."""
    outcomes: list[object] = []
    for dialect in (Dialect.standard(), Dialect.sloppy(), Dialect.terse()):
        panel = _panel(key, dialect)
        outcomes += await _in_process(panel.transport(), key)
    return outcomes


async def success_over_loopback(key: str) -> list[object]:
    """Every action succeeds over HTTP on 127.0.0.1."""
    async with serve(_panel(key)) as url:
        return await _over_loopback(url, key)


async def bad_key(key: str) -> list[object]:
    """The panel rejects the key, in the wording and status of three dialects."""
    outcomes: list[object] = []
    for dialect in (Dialect.standard(), Dialect.sloppy(), Dialect.terse()):
        panel = _panel("another-key", dialect)
        outcomes += await _in_process(panel.transport(), key)
    return outcomes


async def faults_in_process(key: str) -> list[object]:
    """Resets, 502 and 503 pages, 429s, challenges and cut-off JSON, with retries."""
    return await _in_process(_panel(key, faults=MIXED_FAULTS).transport(), key)


async def faults_over_loopback(key: str) -> list[object]:
    """The same faults over HTTP on 127.0.0.1."""
    async with serve(_panel(key, faults=MIXED_FAULTS)) as url:
        return await _over_loopback(url, key)


async def stalls(key: str) -> list[object]:
    """Every response stalls past a short timeout, in process and over HTTP."""
    panel = _panel(key, faults=STALLS)
    outcomes = await _in_process(panel.transport(), key, timeout=SHORT_TIMEOUT)
    async with serve(_panel(key, faults=STALLS)) as url:
        outcomes += await _over_loopback(url, key, timeout=SHORT_TIMEOUT)
    return outcomes


async def challenge_pages(key: str) -> list[object]:
    """A firewall responds to every request with an HTML challenge page (403, 503)."""
    outcomes: list[object] = []
    for status in (403, 503):
        panel = _panel(key, Dialect.cloudflare(status))
        outcomes += await _in_process(panel.transport(), key)
    return outcomes


async def redirects(key: str) -> list[object]:
    """The panel moved: every request gets a 301 to the URL with a trailing slash."""
    async with serve(_panel(key, Dialect.moved())) as url:
        return await _over_loopback(url, key)


async def lost_writes(key: str) -> list[object]:
    """Responses to add, refill and cancel are lost after the panel acted."""
    return await _in_process(_panel(key, faults=LOST_WRITES).transport(), key)


async def echoing_panel_in_process(key: str) -> list[object]:
    """A panel echoes the key in JSON errors, HTML, a Location, a 429 and a 502."""
    return await _in_process(httpx.ASGITransport(app=EchoingPanel()), key)


async def echoing_panel_over_loopback(key: str) -> list[object]:
    """The echoing panel over HTTP on 127.0.0.1."""
    async with serve_asgi(EchoingPanel()) as url:
        return await _over_loopback(url, key)


async def nothing_listening(key: str) -> list[object]:
    """Every connection to the panel is refused, so every call fails after retries."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return await _over_loopback(f"http://127.0.0.1:{port}/api/v2", key)


SCENARIOS: list[Scenario] = [
    success_in_process,
    success_over_loopback,
    bad_key,
    faults_in_process,
    faults_over_loopback,
    stalls,
    challenge_pages,
    redirects,
    lost_writes,
    echoing_panel_in_process,
    echoing_panel_over_loopback,
    nothing_listening,
]


# The error each failing scenario must produce, so that its check is not vacuous.
EXPECTED_ERRORS: dict[Scenario, type[Exception]] = {
    bad_key: PanelAuthError,
    faults_in_process: PanelTransportError,
    stalls: PanelTransportError,
    challenge_pages: PanelHTMLResponseError,
    redirects: PanelRedirectError,
    lost_writes: PanelAmbiguousOrderError,
    echoing_panel_in_process: PanelRedirectError,
    echoing_panel_over_loopback: PanelAPIError,
    nothing_listening: PanelTransportError,
}
# The special key matters where a panel echoes the key back in some encoding.
CASES = [(scenario, KEY) for scenario in SCENARIOS] + [
    (scenario, SPECIAL_KEY)
    for scenario in (echoing_panel_in_process, echoing_panel_over_loopback, redirects)
]


@pytest.mark.parametrize(
    ("scenario", "key"),
    CASES,
    ids=[f"{s.__name__}-{'plain' if k == KEY else 'special'}" for s, k in CASES],
)
async def test_key_absent_everywhere(
    scenario: Scenario, key: str, log_capture: LogCapture
) -> None:
    """No log record, error, chained cause or returned value shows the key."""
    outcomes = await scenario(key)

    errors = errors_in(outcomes)
    expected = EXPECTED_ERRORS.get(scenario)
    # NOTE: httpcore's DEBUG trace lists the response headers as the panel sent them,
    # so a key that a panel echoes in a header (a Location, here) shows up there. The
    # client cannot change what httpcore logs, so those records are left out.
    records = [r for r in log_capture.records if not is_response_header_trace(r)]
    assert log_capture.names(logging.DEBUG).count("panel_async.request") > 0
    assert expected is None or any(isinstance(e, expected) for e in errors)
    assert leaks(key, [text for r in records for text in record_texts(r)]) == []
    assert leaks(key, [text for e in errors for text in value_texts(e)]) == []
    assert leaks(key, [text for o in outcomes for text in value_texts(o)]) == []


@pytest.mark.parametrize("key", [KEY, SPECIAL_KEY], ids=["plain", "special"])
async def test_echoed_key_replaced_by_marker(key: str) -> None:
    """Where the panel echoed the key, errors show "[key redacted]" in its place."""
    app = EchoingPanel()
    transport = httpx.ASGITransport(app=app)
    async with (
        httpx.AsyncClient(transport=transport) as http,
        PanelClient(
            IN_PROCESS_URL, key, retry=INSTANT_RETRY, http_client=http
        ) as client,
    ):
        with pytest.raises(PanelAPIError) as api_error:
            await client.add(service=1, link="https://example.com/p", quantity=100)
        with pytest.raises(PanelResponseError) as response_error:
            await client.balance()
        with pytest.raises(PanelRedirectError) as redirect:
            await client.status(1)
        cancels = await client.cancel([1])

    assert "[key redacted]" in api_error.value.message
    assert "[key redacted]" in response_error.value.excerpt
    assert "[key redacted]" in (redirect.value.location or "")
    assert "[key redacted]" in str(cancels[1])
    assert app.echoed >= 4


async def test_requests_over_loopback_carry_key_in_body() -> None:
    """On the wire, each request has the key once, in the form body only."""
    app = Recording(_panel(KEY))
    async with serve_asgi(app) as url:
        await _over_loopback(url, KEY)

    requests = app.requests
    assert len(requests) > 15
    assert [r.path for r in requests if leaks(KEY, [r.path])] == []
    assert [r.query_string for r in requests if r.query_string] == []
    assert [r.headers for r in requests if leaks(KEY, [repr(r.headers)])] == []
    assert [r.method for r in requests if r.method != "POST"] == []
    assert [r.form.get("key") for r in requests if r.form.get("key") != [KEY]] == []
    assert [r.body for r in requests if r.body.count(KEY.encode()) != 1] == []


async def test_requests_in_process_carry_key_in_body() -> None:
    """Each request the client builds has the key in its form body and nowhere else."""
    key = SPECIAL_KEY
    seen: list[httpx.Request] = []

    async def record(request: httpx.Request) -> None:
        await request.aread()
        seen.append(request)

    panel = _panel(key, faults=MIXED_FAULTS)
    async with (
        httpx.AsyncClient(
            transport=panel.transport(), event_hooks={"request": [record]}
        ) as http,
        PanelClient(
            IN_PROCESS_URL, key, retry=INSTANT_RETRY, http_client=http
        ) as client,
    ):
        await every_action(client)

    forms = [httpx.QueryParams(r.content.decode()) for r in seen]
    assert len(seen) > 15
    assert [str(r.url) for r in seen if leaks(key, [str(r.url)])] == []
    assert [r.headers for r in seen if leaks(key, [repr(r.headers.raw)])] == []
    assert [f for f in forms if f.get_list("key") != [key]] == []
