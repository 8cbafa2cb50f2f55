"""Raw ASGI apps for the security tests, and uvicorn runners bound to 127.0.0.1."""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
import urllib.parse
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, MutableMapping
from typing import Any

import attrs
import uvicorn

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]

CHUNK = b"7" * 65536


@contextlib.asynccontextmanager
async def serve_asgi(app: App) -> AsyncIterator[str]:
    """Serve `app` with uvicorn on 127.0.0.1 and a free port; yield its API URL."""
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=0,
        log_level="warning",
        log_config=None,
        access_log=False,
        lifespan="off",
        ws="none",
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    try:
        while not server.started:
            if task.done():
                task.result()
                raise OSError("uvicorn stopped before it started")
            await asyncio.sleep(0.01)
        port = server.servers[0].sockets[0].getsockname()[1]
        yield f"http://127.0.0.1:{port}/api/v2"
    finally:
        server.should_exit = True
        await task


@contextlib.contextmanager
def serve_in_thread(app: App) -> Iterator[str]:
    """Serve `app` on 127.0.0.1 from a thread with its own event loop; yield the URL.

    For code under test that runs its own event loop, such as the command line.
    """
    ready: list[str] = []
    started = threading.Event()
    loop = asyncio.new_event_loop()
    stop = asyncio.Event()

    async def run() -> None:
        async with serve_asgi(app) as url:
            ready.append(url)
            started.set()
            await stop.wait()

    thread = threading.Thread(target=loop.run_until_complete, args=(run(),))
    thread.start()
    try:
        if not started.wait(10):
            raise OSError("the server thread did not start within 10 s")
        yield ready[0]
    finally:
        loop.call_soon_threadsafe(stop.set)
        thread.join(10)
        loop.close()


async def read_request(receive: Receive) -> bytes:
    """Read a whole request body."""
    body = b""
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return body
        chunk: bytes = message.get("body", b"")
        body += chunk
        if not message.get("more_body", False):
            return body


async def _wait_for_disconnect(receive: Receive) -> None:
    while (await receive())["type"] != "http.disconnect":
        pass


def _start(status: int, headers: list[tuple[bytes, bytes]]) -> Message:
    return {"type": "http.response.start", "status": status, "headers": headers}


@attrs.define
class WireRequest:
    """One request as it arrived on the wire."""

    method: str
    path: str
    query_string: bytes
    headers: list[tuple[bytes, bytes]]
    body: bytes

    @property
    def form(self) -> dict[str, list[str]]:
        """The form fields of the body."""
        return urllib.parse.parse_qs(self.body.decode("latin-1"))


@attrs.define
class Recording:
    """An ASGI app that records each request, then hands it to `inner`."""

    inner: App
    requests: list[WireRequest] = attrs.field(factory=list)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.inner(scope, receive, send)
            return
        body = await read_request(receive)
        self.requests.append(
            WireRequest(
                scope["method"],
                scope["path"],
                scope["query_string"],
                list(scope["headers"]),
                body,
            )
        )
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.inner(scope, replay, send)


def php_json(value: object) -> bytes:
    """Encode `value` as PHP's json_encode does by default, slashes escaped."""
    return json.dumps(value).replace("/", "\\/").encode()


@attrs.define
class EchoingPanel:
    """A careless panel that echoes the key it received into each response.

    Each action gets another kind of response: JSON errors, per-ID errors, an HTML
    page, a redirect whose Location contains the key, a 429 and a 502. Every response
    contains the key as sent, percent-encoded and JSON-escaped with PHP's escaped
    slashes. `balance_status` and `retry_after` decide whether the client retries the
    responses to balance (a 5xx) and refill_status (a 429 with a short Retry-After).
    """

    balance_status: int = 500
    retry_after: str = "0"
    echoed: int = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        form = urllib.parse.parse_qs((await read_request(receive)).decode("latin-1"))
        key = form.get("key", [""])[0]
        action = form.get("action", [""])[0]
        ids = form.get("orders", form.get("order", ["1"]))[0].split(",")
        status, headers, body = self._response(action, key, ids)
        if action == "balance":
            status = self.balance_status
        if status == 429:
            headers.append((b"retry-after", self.retry_after.encode()))
        self.echoed += 1
        await send(_start(status, headers))
        await send({"type": "http.response.body", "body": body})

    @staticmethod
    def _response(
        action: str, key: str, ids: list[str]
    ) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
        encoded = urllib.parse.quote(key, safe="")
        error_text = f"Invalid key {key} (sent as {encoded})"
        json_type = [(b"content-type", b"application/json")]
        html_type = [(b"content-type", b"text/html")]
        page = f"<html><body><h1>Access denied</h1><p>{error_text}</p></body></html>"
        if action == "services":
            return 403, html_type, page.encode()
        if action == "status":
            location = f"http://127.0.0.1:9/login?key={encoded}&raw={key}"
            return 302, [(b"location", location.encode("latin-1"))], b""
        if action == "refill":
            return 502, html_type, page.encode()
        if action == "refill_status":
            return 429, json_type, php_json({"error": error_text})
        if action == "cancel":
            # The first ID gets an error naming the key, the others the key as a word.
            entries: list[dict[str, object]] = [
                {"order": ids[0], "cancel": {"error": error_text}}
            ]
            entries += [{"order": other, "cancel": key} for other in ids[1:]]
            return 200, json_type, php_json(entries)
        if action == "balance":
            return 500, json_type, php_json({"message": error_text, "key": key})
        return 200, json_type, php_json({"error": error_text})


@attrs.define
class EndlessResponse:
    """Responds 200 with a body that never ends, until the client hangs up."""

    sent: int = 0
    finished: asyncio.Event = attrs.field(factory=asyncio.Event)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        await read_request(receive)
        hung_up = asyncio.ensure_future(_wait_for_disconnect(receive))
        await send(_start(200, [(b"content-type", b"application/json")]))
        try:
            await send({"type": "http.response.body", "body": b"[", "more_body": True})
            while not hung_up.done():
                await send(
                    {"type": "http.response.body", "body": CHUNK, "more_body": True}
                )
                self.sent += len(CHUNK)
                await asyncio.sleep(0)
        finally:
            hung_up.cancel()
            self.finished.set()


@attrs.define
class LargeResponse:
    """Responds 200 with `size` bytes, streamed, with or without a Content-Length."""

    size: int
    declare_length: bool
    sent: int = 0
    finished: asyncio.Event = attrs.field(factory=asyncio.Event)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        await read_request(receive)
        hung_up = asyncio.ensure_future(_wait_for_disconnect(receive))
        headers = [(b"content-type", b"application/json")]
        if self.declare_length:
            headers.append((b"content-length", str(self.size).encode()))
        await send(_start(200, headers))
        try:
            while self.sent < self.size and not hung_up.done():
                chunk = CHUNK[: self.size - self.sent]
                await send(
                    {"type": "http.response.body", "body": chunk, "more_body": True}
                )
                self.sent += len(chunk)
                await asyncio.sleep(0)
            if not hung_up.done():
                await send({"type": "http.response.body", "body": b""})
        finally:
            hung_up.cancel()
            self.finished.set()


@attrs.define
class FixedResponse:
    """Responds to every request with the same status, headers and body."""

    body: bytes
    headers: list[tuple[bytes, bytes]] = attrs.field(factory=list)
    status: int = 200

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        await read_request(receive)
        await send(_start(self.status, self.headers))
        await send({"type": "http.response.body", "body": self.body})
