"""Serving a FakePanel over real HTTP with uvicorn, on loopback by default."""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
from collections.abc import AsyncIterator, Callable
from typing import Any

from panel_async.testing._panel import FakePanel
from panel_async.testing._responses import SimulatedDisconnect

__all__ = ["run", "serve"]

logger = logging.getLogger("panel_async.testing")

_API_PATH = "/api/v2"


def _check_host(host: str, allow_remote: bool) -> None:
    if allow_remote or host == "localhost":
        return
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        raise ValueError(
            f"host {host!r} is not a loopback address; pass allow_remote=True to "
            "serve the fake panel to other machines"
        )


def _base_url(host: str, port: int) -> str:
    url_host = f"[{host}]" if ":" in host else host

    return f"http://{url_host}:{port}{_API_PATH}"


class _DropSimulatedDisconnects(logging.Filter):
    """Drops uvicorn's error records for connections that the panel broke on purpose."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None

        return not isinstance(error, SimulatedDisconnect)


async def _serve_until_exit(server: Any) -> None:
    try:
        await server.serve()
    except SystemExit as error:
        # uvicorn calls sys.exit() when it cannot start, for example on a taken
        # port, and a library must raise an ordinary exception instead.
        raise OSError(
            f"uvicorn could not start the fake panel (exit {error.code})"
        ) from None


@contextlib.asynccontextmanager
async def serve(
    panel: FakePanel,
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    allow_remote: bool = False,
) -> AsyncIterator[str]:
    """Serve `panel` with uvicorn in the running event loop and yield its base URL.

    The URL looks like `http://127.0.0.1:54321/api/v2`; the panel serves any
    path. Port 0 picks a free port. On exit the server stops, after `stall` faults
    are released so that it does not wait for them. Requires uvicorn (the `cli`
    extra).

    Raises:
        ValueError: if `host` is not a loopback address and `allow_remote` is false.
        OSError: if the server cannot start, for example on a taken port.
    """
    _check_host(host, allow_remote)
    async with _running(panel, host, port) as (url, _):
        yield url


@contextlib.asynccontextmanager
async def _running(
    panel: FakePanel, host: str, port: int
) -> AsyncIterator[tuple[str, asyncio.Task[None]]]:
    """Run uvicorn as a task and yield the base URL and the task."""
    import uvicorn

    config = uvicorn.Config(
        panel,
        host=host,
        port=port,
        log_level="warning",
        # None leaves the application's logging configuration alone.
        log_config=None,
        lifespan="off",
        ws="none",
        proxy_headers=False,
    )
    server = uvicorn.Server(config)
    log_filter = _DropSimulatedDisconnects()
    uvicorn_logger = logging.getLogger("uvicorn.error")
    uvicorn_logger.addFilter(log_filter)
    task = asyncio.create_task(_serve_until_exit(server))
    try:
        url = await _wait_started(server, task, host)
        logger.info("fake panel serving at %s", url)
        yield url, task
    finally:
        panel.release_stalls()
        server.should_exit = True
        await task
        uvicorn_logger.removeFilter(log_filter)
        logger.info("fake panel stopped")


async def _wait_started(server: Any, task: asyncio.Task[None], host: str) -> str:
    while not server.started:
        if task.done():
            task.result()
            raise OSError("uvicorn stopped before the fake panel started")
        await asyncio.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]

    return _base_url(host, port)


def run(
    panel: FakePanel,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    allow_remote: bool = False,
    on_ready: Callable[[str], None] | None = None,
) -> None:
    """Serve `panel` until uvicorn stops on Ctrl+C or SIGTERM, blocking the caller.

    `on_ready` is called with the base URL once the server listens, so that a
    command-line tool can show it; the library itself prints nothing.

    Raises:
        ValueError: if `host` is not a loopback address and `allow_remote` is false.
        OSError: if the server cannot start.
    """
    _check_host(host, allow_remote)

    async def main() -> None:
        async with _running(panel, host, port) as (url, task):
            if on_ready is not None:
                on_ready(url)
            await asyncio.shield(task)

    # uvicorn (0.55) raises the signal again after its graceful shutdown, which
    # reaches this thread as KeyboardInterrupt for Ctrl+C.
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(main())
