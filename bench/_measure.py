"""Timed runs of PanelClient and of the baseline against a panel in another process.

Each run measures wall time with `time.perf_counter`, this process's CPU time with
`time.process_time`, and the part of it spent in garbage collection, around the job
only. Building the client (which loads the TLS certificates) and counting the
failed IDs afterwards are outside the measurement; opening connections is inside.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import gc
import logging
import time
from collections.abc import Awaitable, Iterator
from dataclasses import dataclass
from typing import TypeVar

import _baseline
import attrs
import httpx

from panel_async import PanelClient, RetryEvent, RetryPolicy

T = TypeVar("T")


@dataclass(frozen=True)
class Run:
    """One timed job: its wall and CPU seconds, and what came back."""

    wall_seconds: float
    cpu_seconds: float
    gc_seconds: float  # the part of cpu_seconds spent in garbage collection
    ids: int
    failed_ids: int
    requests_sent: int


@dataclass
class RetryLog:
    """A tally of the client's scheduled retries and the seconds it planned to wait."""

    retries: int = 0
    wait_seconds: float = 0.0

    def record(self, event: RetryEvent) -> None:
        self.retries += 1
        self.wait_seconds += event.wait


class _CountingHandler(logging.Handler):
    def __init__(self, counts: collections.Counter[str]) -> None:
        super().__init__(logging.WARNING)
        self.counts = counts

    def emit(self, record: logging.LogRecord) -> None:
        self.counts[record.name] += 1


@contextlib.contextmanager
def counting_warnings(name: str = "panel_async") -> Iterator[collections.Counter[str]]:
    """Count the WARNING records of logger `name` and its children, by logger name.

    The records are not printed meanwhile: a limited panel makes the client log one
    warning per retry, thousands in a run.
    """
    counts: collections.Counter[str] = collections.Counter()
    handler = _CountingHandler(counts)
    logger = logging.getLogger(name)
    propagate = logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield counts
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate


class _GcClock:
    """A `gc.callbacks` entry that adds up the CPU seconds of each collection."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self._started = 0.0

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._started = time.process_time()
        else:
            self.seconds += time.process_time() - self._started


async def _timed(job: Awaitable[T]) -> tuple[T, float, float, float]:
    """Await `job`; return its result, wall seconds, CPU seconds and GC seconds."""
    gc_clock = _GcClock()
    gc.callbacks.append(gc_clock)
    try:
        wall = time.perf_counter()
        cpu = time.process_time()
        result = await job
        cpu = time.process_time() - cpu
        wall = time.perf_counter() - wall
    finally:
        gc.callbacks.remove(gc_clock)
    return result, wall, cpu, gc_clock.seconds


async def client_statuses(
    url: str,
    key: str,
    count: int,
    *,
    max_concurrency: int,
    rate_limit: float | None = None,
    retry_log: RetryLog | None = None,
) -> Run:
    """Time `PanelClient.statuses()` over order IDs 1 to `count`.

    The client uses `RetryPolicy.default()`; `retry_log` only observes its retries.
    """
    retry = RetryPolicy.default()
    if retry_log is not None:
        retry = attrs.evolve(retry, on_retry=retry_log.record)
    async with PanelClient(
        url, key, max_concurrency=max_concurrency, rate_limit=rate_limit, retry=retry
    ) as client:
        job = client.statuses(range(1, count + 1))
        result, wall, cpu, gc_cpu = await _timed(job)
        requests = client.requests_sent

    return Run(wall, cpu, gc_cpu, len(result), len(result.failed), requests)


async def baseline_statuses(
    url: str, key: str, count: int, *, max_in_flight: int
) -> Run:
    """Time the hand-written baseline over order IDs 1 to `count`."""
    order_ids = range(1, count + 1)
    async with httpx.AsyncClient() as client:
        job = _baseline.fetch_statuses(
            client, url, key, order_ids, max_in_flight=max_in_flight
        )
        merged, wall, cpu, gc_cpu = await _timed(job)

    failed = sum("error" in entry for entry in merged.values())
    requests = -(-count // _baseline.CHUNK_SIZE)
    return Run(wall, cpu, gc_cpu, len(merged), failed, requests)


def run_client(
    url: str,
    key: str,
    count: int,
    *,
    max_concurrency: int,
    rate_limit: float | None = None,
    retry_log: RetryLog | None = None,
) -> Run:
    """Run `client_statuses` in a fresh event loop."""
    job = client_statuses(
        url,
        key,
        count,
        max_concurrency=max_concurrency,
        rate_limit=rate_limit,
        retry_log=retry_log,
    )
    return asyncio.run(job)


def run_baseline(url: str, key: str, count: int, *, max_in_flight: int) -> Run:
    """Run `baseline_statuses` in a fresh event loop."""
    job = baseline_statuses(url, key, count, max_in_flight=max_in_flight)
    return asyncio.run(job)
