"""The measurements, each against a simulated panel that runs in another process."""

from __future__ import annotations

import asyncio
import cProfile
import json
import math
import statistics
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import _measure
from _measure import Run
from _panels import KEY, PanelProcess, PanelStats
from _profile import Profile, summarize

from panel_async import PanelClient

CHUNK_SIZE = 100  # IDs per request, for the client and the baseline alike
MAX_CONCURRENCY = 16  # the client's max_concurrency and the baseline's semaphore
PEAK_RSS_SCRIPT = Path(__file__).with_name("peak_rss.py")
# Seconds a peak-RSS job may take; 1,000,000 IDs take a few minutes on a slow core.
JOB_TIMEOUT = 900.0


@dataclass(frozen=True)
class Comparison:
    """Interleaved runs of the client and the baseline over the same IDs."""

    ids: int
    client: list[Run]
    baseline: list[Run]
    panel: PanelStats  # what the panel received and spent during all the runs

    @property
    def client_wall(self) -> float:
        return statistics.median(run.wall_seconds for run in self.client)

    @property
    def baseline_wall(self) -> float:
        return statistics.median(run.wall_seconds for run in self.baseline)

    @property
    def client_cpu(self) -> float:
        return statistics.median(run.cpu_seconds for run in self.client)

    @property
    def baseline_cpu(self) -> float:
        return statistics.median(run.cpu_seconds for run in self.baseline)

    @property
    def client_gc(self) -> float:
        return statistics.median(run.gc_seconds for run in self.client)

    @property
    def baseline_gc(self) -> float:
        return statistics.median(run.gc_seconds for run in self.baseline)

    @property
    def client_cpu_per_status(self) -> float:
        return self.client_cpu / self.ids

    @property
    def baseline_cpu_per_status(self) -> float:
        return self.baseline_cpu / self.ids

    @property
    def panel_cpu_per_status(self) -> float:
        runs = len(self.client) + len(self.baseline)
        return self.panel.cpu_seconds / (runs * self.ids)

    @property
    def failed_ids(self) -> int:
        return sum(run.failed_ids for run in self.client + self.baseline)


@dataclass(frozen=True)
class Allocation:
    """A source line and the traced memory its allocations held at the peak."""

    where: str
    size_bytes: int
    blocks: int


@dataclass(frozen=True)
class PeakRss:
    """One job run in a fresh process, with its peak resident set size."""

    mode: str
    ids: int
    failed_ids: int
    wall_seconds: float
    rss_before_bytes: int
    peak_rss_bytes: int
    top_allocations: list[Allocation]  # empty unless traced


@dataclass(frozen=True)
class LimitedJob:
    """One `statuses()` job against a panel that responds with 429 above a limit."""

    panel_limit: str
    client_setting: str
    run: Run
    ideal_seconds: float
    panel: PanelStats
    retries: int
    retry_wait_seconds: float
    limits_lowered: int

    @property
    def throttled_share(self) -> float:
        return self.panel.throttled / self.panel.requests if self.panel.requests else 0


def requests_for(ids: int) -> int:
    """Return how many requests of CHUNK_SIZE IDs a job of `ids` IDs sends."""
    return math.ceil(ids / CHUNK_SIZE)


def ideal_seconds(ids: int, in_flight: int, latency: float) -> float:
    """Return the wall time of `ids` IDs with `in_flight` requests of `latency` s."""
    return math.ceil(requests_for(ids) / in_flight) * latency


def warm_up(panel: PanelProcess) -> None:
    """Run both clients once, untimed, to finish imports and first connections."""
    _measure.run_client(panel.url, KEY, 1_000, max_concurrency=MAX_CONCURRENCY)
    _measure.run_baseline(panel.url, KEY, 1_000, max_in_flight=MAX_CONCURRENCY)


def compare(panel: PanelProcess, ids: int, repeats: int) -> Comparison:
    """Run the client and the baseline `repeats` times each, alternating who starts."""
    client: list[Run] = []
    baseline: list[Run] = []
    jobs: list[Callable[[], None]] = [
        lambda: client.append(
            _measure.run_client(panel.url, KEY, ids, max_concurrency=MAX_CONCURRENCY)
        ),
        lambda: baseline.append(
            _measure.run_baseline(panel.url, KEY, ids, max_in_flight=MAX_CONCURRENCY)
        ),
    ]
    before = panel.stats()
    for repeat in range(repeats):
        order = jobs if repeat % 2 == 0 else jobs[::-1]
        for job in order:
            job()

    return Comparison(ids, client, baseline, panel.stats() - before)


def peak_rss(
    panel: PanelProcess, mode: str, ids: int, *, trace: bool = False
) -> PeakRss:
    """Run `peak_rss.py` in a fresh process and read its report."""
    command = [sys.executable, str(PEAK_RSS_SCRIPT)]
    if trace:
        command.append("--trace")
    command += [mode, panel.url, KEY, str(ids)]
    output = subprocess.run(
        command, check=True, stdout=subprocess.PIPE, text=True, timeout=JOB_TIMEOUT
    )
    report = json.loads(output.stdout)
    allocations = [
        Allocation(str(entry["where"]), int(entry["bytes"]), int(entry["blocks"]))
        for entry in report["top_allocations"]
    ]
    return PeakRss(
        mode=mode,
        ids=int(report["ids"]),
        failed_ids=int(report["failed_ids"]),
        wall_seconds=float(report["wall_seconds"]),
        rss_before_bytes=int(report["rss_before_bytes"]),
        peak_rss_bytes=int(report["peak_rss_bytes"]),
        top_allocations=allocations,
    )


def limited_job(
    panel: PanelProcess,
    ids: int,
    *,
    panel_limit: str,
    ideal: float,
    rate_limit: float | None = None,
) -> LimitedJob:
    """Run one `statuses()` job with max_concurrency=16 and count the 429s."""
    retry_log = _measure.RetryLog()
    before = panel.stats()
    with _measure.counting_warnings() as warnings:
        run = _measure.run_client(
            panel.url,
            KEY,
            ids,
            max_concurrency=MAX_CONCURRENCY,
            rate_limit=rate_limit,
            retry_log=retry_log,
        )
    setting = f"max_concurrency={MAX_CONCURRENCY}"
    if rate_limit is not None:
        setting += f", rate_limit={rate_limit:g}"

    return LimitedJob(
        panel_limit=panel_limit,
        client_setting=setting,
        run=run,
        ideal_seconds=ideal,
        panel=panel.stats() - before,
        retries=retry_log.retries,
        retry_wait_seconds=retry_log.wait_seconds,
        limits_lowered=warnings["panel_async.limits"],
    )


async def _profiled_statuses(
    url: str, ids: int, rate_limit: float | None, profiler: cProfile.Profile
) -> None:
    async with PanelClient(
        url, KEY, max_concurrency=MAX_CONCURRENCY, rate_limit=rate_limit
    ) as client:
        profiler.enable()
        try:
            await client.statuses(range(1, ids + 1))
        finally:
            profiler.disable()


def profile_statuses(
    panel: PanelProcess, ids: int, title: str, *, rate_limit: float | None = None
) -> Profile:
    """Profile one statuses() job in this process, building the client outside it."""
    profiler = cProfile.Profile()
    asyncio.run(_profiled_statuses(panel.url, ids, rate_limit, profiler))
    return summarize(title, profiler)
