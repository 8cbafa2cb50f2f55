"""Small ASGI helpers: reading the form, the lifespan protocol, redirect targets."""

from __future__ import annotations

from urllib.parse import parse_qsl

from panel_async.testing._responses import Receive, Scope, Send

__all__ = [
    "BodyTooLarge",
    "header",
    "parse_form",
    "read_body",
    "redirect_target",
    "serve_lifespan",
]

# Form fields per request. The largest real request, `add` for Subscriptions or Web
# Traffic, has about a dozen.
_MAX_FIELDS = 1000


class BodyTooLarge(Exception):
    """The request body is larger than the panel accepts."""


def header(scope: Scope, name: bytes) -> str:
    """Return the first value of a request header, or an empty string."""
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return bytes(value).decode("latin-1")

    return ""


async def read_body(receive: Receive, limit: int) -> bytes | None:
    """Read the whole request body, or return None if the client went away.

    Raises:
        BodyTooLarge: once the body passes `limit` bytes.
    """
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge(f"request body is over {limit} bytes")
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def parse_form(scope: Scope, body: bytes) -> dict[str, str]:
    """Decode a form-encoded POST body; a later repeated field wins, as in PHP.

    Only `application/x-www-form-urlencoded` bodies are read, as PHP's `$_POST`
    does for this content type. Other bodies give an empty form, so the panel
    responds to them with its invalid-key error.
    """
    content_type = header(scope, b"content-type").split(";")[0].strip().lower()
    if content_type != "application/x-www-form-urlencoded":
        return {}
    text = body.decode("utf-8", errors="replace")
    try:
        pairs = parse_qsl(text, keep_blank_values=True, max_num_fields=_MAX_FIELDS)
    except ValueError:
        # More fields than _MAX_FIELDS: treated like a body the panel cannot read.
        return {}

    return dict(pairs)


def redirect_target(scope: Scope, to_https: bool) -> str | None:
    """Return where a moved panel redirects this request, or None to serve it.

    The target keeps the host that the client asked for, so a redirect never points
    at another host.
    """
    path = scope.get("root_path", "") + scope["path"]
    if not to_https and path.endswith("/"):
        return None
    host = header(scope, b"host") or "127.0.0.1"
    scheme = "https" if to_https else scope.get("scheme", "http")

    return f"{scheme}://{host}{path if to_https else path + '/'}"


async def serve_lifespan(receive: Receive, send: Send) -> None:
    """Acknowledge lifespan startup and shutdown; the panel needs no setup."""
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return
