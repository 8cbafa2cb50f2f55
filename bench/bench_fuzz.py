"""Measure the worst time the client spends on one hostile or random panel response.

Usage: `python bench/bench_fuzz.py [--random N] [--seed S]`

Each response goes to every client action through an in-process httpx transport (no
network), with one attempt and the default max_response_bytes of 32 MiB. The first
table covers adversarial responses: 10 MB of digits, 100,000 nested brackets, numbers
of 5,000 digits, exponents of a million, a 10 KB error message and a gzip bomb. The
second sums up N random responses (bytes, odd JSON, random statuses and headers).
Times are wall-clock seconds on this machine, printed with its Python and CPU count.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gzip
import json
import os
import platform
import random
import statistics
import time
from collections.abc import Awaitable, Callable

import httpx

from panel_async import PanelClient, PanelError, RetryPolicy

Call = Callable[[PanelClient], Awaitable[object]]
CannedResponse = tuple[int, dict[str, str], bytes]

JSON = {"content-type": "application/json"}
IDS = list(range(1, 101))


async def _drain(client: PanelClient) -> object:
    return [item async for item in client.iter_statuses(IDS)]


ACTIONS: dict[str, Call] = {
    "services": lambda c: c.services(),
    "balance": lambda c: c.balance(),
    "add": lambda c: c.add(service=1, link="https://example.com/p", quantity=100),
    "status": lambda c: c.status(1),
    "refill": lambda c: c.refill(1),
    "refill_status": lambda c: c.refill_status(1),
    "statuses": lambda c: c.statuses(IDS),
    "refills": lambda c: c.refills(IDS),
    "refill_statuses": lambda c: c.refill_statuses(IDS),
    "cancel": lambda c: c.cancel(IDS),
    "iter_statuses": _drain,
}


def adversarial_responses() -> dict[str, CannedResponse]:
    """Return the hand-made hostile responses, by name."""
    digits = b"7" * 10_000_000
    entry = {"status": "Pending", "charge": "0.1", "remains": "5"}
    message = "bad order " * 1000
    return {
        "10 MB of digits as a number": (200, JSON, digits),
        "10 MB of digits in a string": (200, JSON, b'{"balance": "' + digits + b'"}'),
        "100,000 nested brackets": (200, JSON, b"[" * 100_000 + b"]" * 100_000),
        "100,000 open brackets": (200, JSON, b"[" * 100_000),
        "int of 5,000 digits": (200, JSON, b'{"balance": ' + b"7" * 5000 + b"}"),
        "decimal of 5,000 digits": (
            200,
            JSON,
            b'{"balance": 1.' + b"7" * 5000 + b', "charge": 1.' + b"7" * 5000 + b"}",
        ),
        "1e999999 in money fields": (
            200,
            JSON,
            b'{"balance": 1e999999, "charge": 1e999999, "rate": 1e999999}',
        ),
        "10 KB error message": (200, JSON, json.dumps({"error": message}).encode()),
        "100 per-ID 10 KB errors": (
            200,
            JSON,
            json.dumps({str(i): {"error": message} for i in IDS}).encode(),
        ),
        "100 MB gzip bomb": (
            200,
            {**JSON, "content-encoding": "gzip"},
            gzip.compress(b"0" * 100_000_000, compresslevel=9),
        ),
        "valid 100-ID status response": (
            200,
            JSON,
            json.dumps({str(i): entry for i in IDS}).encode(),
        ),
    }


def _random_json(rng: random.Random, depth: int = 0) -> str:
    roll = rng.random()
    if depth > 4 or roll < 0.4:
        return rng.choice(
            [
                "null", "true", "1", "-0", "NaN", "Infinity", "1e999999", "0.27819",
                '"Pending"', '"Invalid API key"', '"1E+999999"', '""',
                "9" * rng.randint(1, 5000),
            ]
        )  # fmt: skip
    if roll < 0.7:
        items = [_random_json(rng, depth + 1) for _ in range(rng.randint(0, 5))]
        return "[" + ",".join(items) + "]"
    names = ["error", "status", "charge", "balance", "order", "cancel", "1", "2"]
    pairs = [
        f"{json.dumps(rng.choice(names))}:{_random_json(rng, depth + 1)}"
        for _ in range(rng.randint(0, 5))
    ]
    return "{" + ",".join(pairs) + "}"


def random_response(rng: random.Random) -> CannedResponse:
    """Return one random response: status, headers and body."""
    status = rng.choice([200, 400, 401, 403, 429, 500, 502, 503])
    headers = {"content-type": rng.choice(["application/json", "text/html", ""])}
    kind = rng.random()
    if kind < 0.3:
        body = rng.randbytes(rng.randint(0, 300))
    elif kind < 0.4:
        depth = rng.randint(1, 100_000)
        body = b"[" * depth + b"]" * depth
    else:
        body = _random_json(rng).encode()
    if rng.random() < 0.1:
        headers["content-encoding"] = "gzip"
        body = gzip.compress(body)
    return status, headers, body


async def time_action(call: Call, canned: CannedResponse) -> float:
    """Return the seconds one action takes to return or raise for `canned`."""
    status, headers, body = canned

    def respond(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, headers=headers, stream=httpx.ByteStream(body))

    transport = httpx.MockTransport(respond)
    async with (
        httpx.AsyncClient(transport=transport) as http,
        PanelClient(
            "https://panel.example/api/v2",
            "bench-key-0123456789",
            retry=RetryPolicy.none(),
            http_client=http,
        ) as client,
    ):
        started = time.perf_counter()
        with contextlib.suppress(PanelError):
            await call(client)
        return time.perf_counter() - started


async def worst_action(canned: CannedResponse) -> tuple[float, str]:
    """Return the slowest action's seconds and name for `canned`."""
    times = [(await time_action(call, canned), name) for name, call in ACTIONS.items()]
    return max(times)


async def main(count: int, seed: int) -> None:
    """Print the worst time per adversarial response, then a summary of random ones."""
    print(
        f"Python {platform.python_version()} on {platform.machine()}, "
        f"{os.cpu_count()} CPUs; one attempt per action, {len(ACTIONS)} actions"
    )
    print(f"\n{'adversarial response':32} {'worst action':16} {'seconds':>8}")
    for name, canned in adversarial_responses().items():
        seconds, action = await worst_action(canned)
        print(f"{name:32} {action:16} {seconds:8.4f}")

    rng = random.Random(seed)
    worst: list[tuple[float, str]] = []
    for _ in range(count):
        worst.append(await worst_action(random_response(rng)))
    ordered = sorted(s for s, _ in worst)
    slowest, action = max(worst)
    print(f"\n{count} random responses (seed {seed}), slowest action per response:")
    print(f"  median {statistics.median(ordered):.4f} s")
    print(f"  99th percentile {ordered[int(0.99 * (len(ordered) - 1))]:.4f} s")
    print(f"  max {slowest:.4f} s ({action})")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--random", type=int, default=1000, help="how many random responses to time"
    )
    parser.add_argument(
        "--seed", type=int, default=0, help="seed of the random responses"
    )
    arguments = parser.parse_args()
    asyncio.run(main(arguments.random, arguments.seed))
