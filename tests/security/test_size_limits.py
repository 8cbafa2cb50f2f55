"""Responses larger than max_response_bytes: reading stops and memory stays low.

The servers are raw ASGI apps under uvicorn on 127.0.0.1: one streams a body that
never ends, one sends 100 MB, one sends 100 MB of zeros gzip-compressed to 100 KB.
"""

from __future__ import annotations

import asyncio
import gzip
import json
import sys
from collections.abc import AsyncIterator

import httpx
import pytest

from panel_async import PanelClient, PanelResponseError, RetryPolicy
from panel_async._constants import DEFAULT_MAX_RESPONSE_BYTES

from ._asgi import EndlessResponse, FixedResponse, LargeResponse, serve_asgi
from .conftest import IN_PROCESS_URL, KEY

MiB = 1024 * 1024
LIMIT = 1 * MiB
HUNDRED_MB = 100 * 1000 * 1000
# Bytes the server may send beyond what the client reads: socket buffers on both
# ends of a loopback connection, which Linux autotunes to a few MiB each.
IN_FLIGHT = 24 * MiB
# Seconds to wait for a server to notice the client hung up. A guard against a
# hang, not a measurement.
HANG_UP_WAIT = 30.0
# The most a client may allocate while it rejects a 100 MB response with a limit of
# 1 MiB: the kept chunks, httpx's buffers and the error.
MEMORY_CEILING = 16 * MiB

# Run in a fresh process: call balance() against argv[1] with max_response_bytes
# argv[2], and print the error's type and the peak of traced memory as JSON.
MEASURE_CLIENT = """
import asyncio, json, sys, tracemalloc
from panel_async import PanelClient, PanelError, RetryPolicy

async def main():
    async with PanelClient(
        sys.argv[1], "k-1234567890", retry=RetryPolicy.none(),
        max_response_bytes=int(sys.argv[2]),
    ) as client:
        tracemalloc.start()
        try:
            await client.balance()
            error = None
        except PanelError as exc:
            error = type(exc).__name__
        peak = tracemalloc.get_traced_memory()[1]
    print(json.dumps({"error": error, "peak": peak}))

asyncio.run(main())
"""


async def _measure_client(url: str, limit: int) -> dict[str, object]:
    """Run MEASURE_CLIENT against `url` in a subprocess; return what it printed."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        MEASURE_CLIENT,
        url,
        str(limit),
        stdout=asyncio.subprocess.PIPE,
    )
    out, _ = await process.communicate()
    assert process.returncode == 0
    result: dict[str, object] = json.loads(out)
    return result


async def _balance_error(url: str, limit: int) -> PanelResponseError:
    """Return the PanelResponseError that balance() raises against `url`."""
    async with PanelClient(
        url, KEY, retry=RetryPolicy.none(), max_response_bytes=limit
    ) as client:
        with pytest.raises(PanelResponseError) as raised:
            await client.balance()
    return raised.value


async def test_endless_response_stops_at_limit() -> None:
    """A response that never ends raises once max_response_bytes is passed."""
    app = EndlessResponse()
    async with serve_asgi(app) as url:
        error = await _balance_error(url, LIMIT)
        await asyncio.wait_for(app.finished.wait(), HANG_UP_WAIT)

    assert "max_response_bytes" in error.message
    assert app.sent < LIMIT + IN_FLIGHT


async def test_declared_large_response_not_read() -> None:
    """A Content-Length above the limit raises before the body is read."""
    app = LargeResponse(HUNDRED_MB, declare_length=True)
    async with serve_asgi(app) as url:
        error = await _balance_error(url, LIMIT)
        await asyncio.wait_for(app.finished.wait(), HANG_UP_WAIT)

    assert "max_response_bytes" in error.message
    assert app.sent < IN_FLIGHT


async def test_undeclared_large_response_stops_at_limit() -> None:
    """A 100 MB response without a Content-Length raises once the limit is passed."""
    app = LargeResponse(HUNDRED_MB, declare_length=False)
    async with serve_asgi(app) as url:
        error = await _balance_error(url, LIMIT)
        await asyncio.wait_for(app.finished.wait(), HANG_UP_WAIT)

    assert "max_response_bytes" in error.message
    assert app.sent < LIMIT + IN_FLIGHT


async def test_large_response_memory_bounded() -> None:
    """Rejecting a 100 MB response allocates a few MiB, not 100 MB."""
    app = LargeResponse(HUNDRED_MB, declare_length=False)
    async with serve_asgi(app) as url:
        measured = await _measure_client(url, LIMIT)

    assert measured["error"] == "PanelResponseError"
    assert isinstance(measured["peak"], int)
    assert measured["peak"] < MEMORY_CEILING


async def test_gzip_bomb_memory_stays_bounded() -> None:
    """100 MB of zeros compressed to 100 KB are inflated no further than the limit."""
    bomb = gzip.compress(b"0" * HUNDRED_MB, compresslevel=9)
    app = FixedResponse(
        bomb,
        [(b"content-type", b"application/json"), (b"content-encoding", b"gzip")],
    )
    async with serve_asgi(app) as url:
        measured = await _measure_client(url, LIMIT)

    assert len(bomb) < LIMIT
    assert measured["error"] == "PanelResponseError"
    assert isinstance(measured["peak"], int)
    assert measured["peak"] < MEMORY_CEILING


async def _digits(size: int) -> AsyncIterator[bytes]:
    for start in range(0, size, MiB):
        yield b"7" * min(MiB, size - start)


@pytest.mark.parametrize(
    ("size", "too_large"),
    [(DEFAULT_MAX_RESPONSE_BYTES - MiB, False), (DEFAULT_MAX_RESPONSE_BYTES + 1, True)],
    ids=["below", "above"],
)
async def test_default_limit_is_32_mib(size: int, too_large: bool) -> None:
    """By default a response of up to 32 MiB is read, and a larger one raises."""

    def respond(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, stream=_StreamOf(size))

    async with (
        httpx.AsyncClient(transport=httpx.MockTransport(respond)) as http,
        PanelClient(
            IN_PROCESS_URL, KEY, retry=RetryPolicy.none(), http_client=http
        ) as client,
    ):
        with pytest.raises(PanelResponseError) as raised:
            await client.balance()

    assert 32 * MiB == DEFAULT_MAX_RESPONSE_BYTES
    assert ("max_response_bytes" in raised.value.message) is too_large


class _StreamOf(httpx.AsyncByteStream):
    """A body of `size` digits, sent 1 MiB at a time without a Content-Length."""

    def __init__(self, size: int) -> None:
        self._size = size

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in _digits(self._size):
            yield chunk
