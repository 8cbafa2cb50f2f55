"""HTTP responses of the simulated panel, and how it sends or breaks them."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import attrs

from panel_async.testing._faults import FaultKind

__all__ = [
    "Receive",
    "Response",
    "Scope",
    "Send",
    "SimulatedDisconnect",
    "challenge_page",
    "proxy_error_page",
    "too_many_requests",
]

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]


class SimulatedDisconnect(Exception):
    """Raised by the panel inside the ASGI call to break the connection on purpose.

    The panel raises it after sending the response headers, so a server such as
    uvicorn (0.55, h11) closes the connection without a body.
    `FakePanel.transport()` turns it into the httpx error that a real connection
    would give.
    """

    def __init__(self, kind: FaultKind) -> None:
        super().__init__(f"simulated fault: {kind.value}")
        self.kind = kind


@attrs.frozen
class Response:
    """An HTTP response: status, headers and body.

    `broken_by` names the fault that breaks the connection after the headers.
    """

    status: int
    body: bytes
    content_type: str = "application/json"
    headers: tuple[tuple[str, str], ...] = ()
    broken_by: FaultKind | None = None

    @classmethod
    def json(cls, payload: Any, status: int = 200) -> Response:
        """Build a JSON response."""
        body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False)

        return cls(status=status, body=body.encode())

    @classmethod
    def html(
        cls, status: int, page: str, headers: tuple[tuple[str, str], ...] = ()
    ) -> Response:
        """Build an HTML response."""
        return cls(
            status=status,
            body=page.encode(),
            content_type="text/html; charset=UTF-8",
            headers=headers,
        )

    def truncated(self) -> Response:
        """Return this response with the body cut in the middle."""
        return attrs.evolve(self, body=self.body[: max(1, len(self.body) // 2)])

    def _start_message(self) -> dict[str, Any]:
        headers = [
            (b"content-type", self.content_type.encode()),
            (b"content-length", str(len(self.body)).encode()),
        ]
        headers += [(name.encode(), value.encode()) for name, value in self.headers]

        return {
            "type": "http.response.start",
            "status": self.status,
            "headers": headers,
        }

    def broken(self, kind: FaultKind) -> Response:
        """Return this response set to break the connection after its headers."""
        return attrs.evolve(self, broken_by=kind)

    async def send(self, send: Send) -> None:
        """Send the response over ASGI.

        A broken response sends its headers, with a Content-Length for the whole body,
        and then breaks the connection.

        Raises:
            SimulatedDisconnect: if the response is broken.
        """
        await send(self._start_message())
        if self.broken_by is not None:
            raise SimulatedDisconnect(self.broken_by)
        await send({"type": "http.response.body", "body": self.body})


def proxy_error_page(status: int) -> Response:
    """Build the HTML page that an nginx proxy shows for a 502 or a 503."""
    title = {502: "502 Bad Gateway", 503: "503 Service Temporarily Unavailable"}[status]
    page = (
        f"<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n"
        f"<center><h1>{title}</h1></center>\r\n<hr><center>nginx</center>\r\n"
        "</body>\r\n</html>\r\n"
    )

    return Response.html(status, page)


def challenge_page(status: int) -> Response:
    """Build a Cloudflare-like "Just a moment..." challenge page."""
    page = (
        '<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title>'
        '<meta http-equiv="Content-Type" content="text/html; charset=UTF-8">'
        '</head><body><div class="main-wrapper" role="main">'
        "<h1>Checking if the site connection is secure</h1>"
        "<noscript>Enable JavaScript and cookies to continue</noscript>"
        "</div></body></html>"
    )
    headers = (("cf-mitigated", "challenge"), ("server", "cloudflare"))

    return Response.html(status, page, headers)


def too_many_requests(
    retry_after: int, extra: tuple[tuple[str, str], ...] = ()
) -> Response:
    """Build an HTTP 429 response with a Retry-After in whole seconds."""
    page = (
        "<html>\r\n<head><title>429 Too Many Requests</title></head>\r\n<body>\r\n"
        "<center><h1>429 Too Many Requests</h1></center>\r\n</body>\r\n</html>\r\n"
    )

    return Response.html(429, page, (("retry-after", str(retry_after)), *extra))
