"""Serve a FakePanel on 127.0.0.1 in a process of its own, for the benchmarks.

The benchmark runner starts this script so that the simulator's CPU time is not
counted as the client's. Once the server listens, it prints one JSON line,
`{"url": ...}`, to stdout, then serves until SIGTERM or SIGINT.

`GET /bench/stats` returns the panel's counters, which a client process cannot read
otherwise: the requests the panel received, the HTTP 429s it sent by reason, and this
process's CPU seconds. Every other path goes to the panel.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import json
import logging
import sys
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import uvicorn

from panel_async.testing import FakePanel

STATS_PATH = "/bench/stats"

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]

logger = logging.getLogger("bench.serve_panel")


class PanelWithStats:
    """An ASGI app that serves `STATS_PATH` itself and passes the rest to a panel."""

    def __init__(self, panel: FakePanel) -> None:
        self.panel = panel

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] == STATS_PATH:
            await self._send_stats(send)
            return

        await self.panel(scope, receive, send)

    async def _send_stats(self, send: Send) -> None:
        reasons = collections.Counter(event.reason for event in self.panel.throttled)
        stats = {
            "requests": sum(self.panel.requests.values()),
            "throttled": dict(reasons),
            "cpu_seconds": time.process_time(),
        }
        body = json.dumps(stats).encode()
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
        ]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--key", default="bench-key", help="the panel's API key")
    parser.add_argument(
        "--seeded-orders",
        type=int,
        default=0,
        help="orders to create with IDs 1 to N (default: 0)",
    )
    parser.add_argument(
        "--latency",
        type=float,
        default=0.0,
        help="seconds the panel waits before it responds to a request (default: 0)",
    )
    parser.add_argument(
        "--max-in-flight",
        type=int,
        default=None,
        help="requests in flight above which the panel responds with HTTP 429",
    )
    parser.add_argument(
        "--rate-limit",
        type=float,
        default=None,
        help="requests per second per key above which the panel responds with HTTP 429",
    )
    return parser.parse_args(argv)


async def serve(app: PanelWithStats) -> None:
    """Serve `app` on a free loopback port and print its URL once it listens."""
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=0,
        log_level="warning",
        log_config=None,
        access_log=False,
        lifespan="off",
        ws="none",
        proxy_headers=False,
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
            raise OSError("uvicorn stopped before the panel started")
        await asyncio.sleep(0.01)

    port = server.servers[0].sockets[0].getsockname()[1]
    print(json.dumps({"url": f"http://127.0.0.1:{port}/api/v2"}), flush=True)
    await task


def main(argv: list[str]) -> None:
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    args = parse_args(argv)
    panel = FakePanel(
        key=args.key,
        seeded_orders=args.seeded_orders,
        latency=args.latency,
        max_in_flight=args.max_in_flight,
        rate_limit=args.rate_limit,
    )
    asyncio.run(serve(PanelWithStats(panel)))


if __name__ == "__main__":
    main(sys.argv[1:])
