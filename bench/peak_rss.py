"""Run one status job in a fresh process and print its peak RSS as one JSON line.

Usage: `python bench/peak_rss.py [--trace] {iter_statuses,statuses} URL KEY COUNT`

The job fetches orders 1 to COUNT with 16 requests in flight. `iter_statuses`
counts the results as they stream by. `statuses` keeps the whole BatchResult alive
until the peak is read. The peak covers the interpreter and its imports too;
`rss_before_bytes` is the peak before the job started.

With `--trace`, tracemalloc records the job's allocations, and the report lists the
source lines that hold the most memory when the peak is read. Tracing costs memory
and time of its own, so the RSS of such a run is not comparable with others.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any

from _profile import short_path

from panel_async import PanelClient, PanelError

MAX_CONCURRENCY = 16
TOP_ALLOCATIONS = 10


def peak_rss_bytes() -> int:
    """Return this process's peak resident set size in bytes.

    Linux reports it as VmHWM in /proc/self/status. `ru_maxrss` is no use there,
    because exec records the peak of the memory it replaces, so a child that
    subprocess started reports at least its parent's peak. Other systems fall back
    to `ru_maxrss`.
    """
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        status = ""
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024  # the value is in kB
    # NOTE: this may include the parent's peak too. macOS reports bytes, other
    # systems kilobytes.
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


def top_allocations() -> list[dict[str, Any]]:
    """List the source lines holding the most traced memory, or none if untraced."""
    if not tracemalloc.is_tracing():
        return []
    statistics = tracemalloc.take_snapshot().statistics("lineno")
    return [
        {
            "where": f"{short_path(stat.traceback[0].filename)}:"
            f"{stat.traceback[0].lineno}",
            "bytes": stat.size,
            "blocks": stat.count,
        }
        for stat in statistics[:TOP_ALLOCATIONS]
    ]


async def run_job(mode: str, url: str, key: str, count: int) -> dict[str, Any]:
    """Run the job and return its counts and peak RSS."""
    order_ids = range(1, count + 1)
    async with PanelClient(url, key, max_concurrency=MAX_CONCURRENCY) as client:
        before = peak_rss_bytes()
        started = time.perf_counter()
        answered = failed = 0
        if mode == "iter_statuses":
            async for _, value in client.iter_statuses(order_ids):
                answered += 1
                failed += isinstance(value, PanelError)
            peak = peak_rss_bytes()
            allocations = top_allocations()
        else:
            result = await client.statuses(order_ids)
            answered = len(result)
            failed = sum(isinstance(value, PanelError) for value in result.values())
            peak = peak_rss_bytes()
            allocations = top_allocations()
            del result
        wall = time.perf_counter() - started

    return {
        "mode": mode,
        "ids": answered,
        "failed_ids": failed,
        "wall_seconds": wall,
        "rss_before_bytes": before,
        "peak_rss_bytes": peak,
        "top_allocations": allocations,
    }


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--trace",
        action="store_true",
        help="trace allocations with tracemalloc and list the largest",
    )
    parser.add_argument("mode", choices=["iter_statuses", "statuses"])
    parser.add_argument("url", help="the simulated panel's API URL on 127.0.0.1")
    parser.add_argument("key", help="the simulated panel's API key")
    parser.add_argument("count", type=int, help="fetch orders 1 to COUNT")
    args = parser.parse_args(argv)
    if args.trace:
        tracemalloc.start()

    report = asyncio.run(run_job(args.mode, args.url, args.key, args.count))
    print(json.dumps(report), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
