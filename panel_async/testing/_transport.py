"""An httpx transport that calls a FakePanel in process, with network-like errors."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import httpx

from panel_async.testing._faults import FaultKind
from panel_async.testing._responses import SimulatedDisconnect

if TYPE_CHECKING:
    from panel_async.testing._panel import FakePanel

__all__ = ["FakeTransport"]


class FakeTransport(httpx.AsyncBaseTransport):
    """Sends requests to a FakePanel through `httpx.ASGITransport`.

    Simulated connection failures become `httpx.ConnectError`, resets become
    `httpx.ReadError`, and a response slower than the request's read timeout becomes
    `httpx.ReadTimeout`, as on a real connection. Other exceptions of the panel
    propagate unchanged.
    """

    def __init__(self, panel: FakePanel) -> None:
        self._asgi = httpx.ASGITransport(app=panel)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        timeout = request.extensions.get("timeout", {}).get("read")
        try:
            response = await asyncio.wait_for(
                self._asgi.handle_async_request(request), timeout
            )
        except asyncio.TimeoutError:
            raise httpx.ReadTimeout("simulated read timeout", request=request) from None
        except SimulatedDisconnect as error:
            if error.kind is FaultKind.CONNECT_ERROR:
                raise httpx.ConnectError(
                    "simulated connection failure", request=request
                ) from error
            raise httpx.ReadError(
                "simulated connection reset by peer", request=request
            ) from error

        return response

    async def aclose(self) -> None:
        await self._asgi.aclose()
