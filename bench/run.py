"""Benchmark PanelClient against a hand-written httpx baseline and the ideal.

Every simulated panel runs in a process of its own (bench/serve_panel.py on
127.0.0.1), so that its CPU time is not counted as the client's. The client and the
baseline run in this process, one after the other, alternating which goes first.
Peak RSS is measured in a fresh process per job (bench/peak_rss.py). Compare the
ratios, not the absolute times, because those depend on the machine and its load.

A full run replaces the results section of docs/benchmarks.md and keeps the text
above it. `--quick` runs small sizes as a smoke test and only prints the results,
unless `--output` is given.
"""

from __future__ import annotations

import argparse
import datetime
import os
import shlex
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import _parse
import _report
import _scenarios
import _targets
from _panels import running_panel
from _profile import profile
from _scenarios import MAX_CONCURRENCY, ideal_seconds, requests_for
from _targets import Results

DEFAULT_OUTPUT = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"

# Seconds the panel waits before it responds to each request, where latency applies.
LATENCY = 0.02
# Requests in flight above which the limited panel responds with HTTP 429.
PANEL_MAX_IN_FLIGHT = 4
# Requests per second of the rate-limited panel and of the client. It is set below
# what client and panel sustain together at 20 ms latency, so the limit governs.
PANEL_RATE_LIMIT = 50.0


@dataclass(frozen=True)
class Settings:
    """How many IDs each measurement uses and how often it is repeated."""

    wall_ids: tuple[int, ...]
    wall_repeats: int
    cpu_ids: int
    cpu_repeats: int
    parse_number: int  # readings of the 100-entry response per timing repeat
    iter_ids: int
    statuses_rss_ids: int
    job_ids: int
    profile_ids: int


FULL = Settings(
    wall_ids=(10_000, 100_000),
    wall_repeats=5,
    cpu_ids=20_000,
    cpu_repeats=5,
    parse_number=2_000,
    iter_ids=1_000_000,
    statuses_rss_ids=100_000,
    job_ids=100_000,
    profile_ids=20_000,
)
QUICK = Settings(
    wall_ids=(2_000, 10_000),
    wall_repeats=1,
    cpu_ids=5_000,
    cpu_repeats=1,
    parse_number=200,
    iter_ids=50_000,
    statuses_rss_ids=10_000,
    job_ids=10_000,
    profile_ids=2_000,
)


def note(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def bench_parsing(settings: Settings, results: Results) -> None:
    note("parsing a 100-entry status response in process")
    results.parse = _parse.measure(settings.parse_number)
    checks = _targets.cpu_checks(None, results.parse)
    if not all(check.met for check in checks):
        body, keys = _parse.status_body()
        results.profiles.append(
            profile(
                "reading a 100-entry status response, no network (x1000)",
                lambda: [_parse.client_read(body, keys) for _ in range(1000)],
            )
        )


def bench_latency(settings: Settings, results: Results) -> None:
    seeded = max(settings.wall_ids)
    note(f"starting a panel with {LATENCY * 1000:g} ms latency, {seeded:,} orders")
    with running_panel(seeded_orders=seeded, latency=LATENCY) as panel:
        _scenarios.warm_up(panel)
        for ids in settings.wall_ids:
            note(f"statuses() and the baseline, {ids:,} IDs x {settings.wall_repeats}")
            results.walls.append(_scenarios.compare(panel, ids, settings.wall_repeats))

        largest = results.walls[-1]
        ideal = ideal_seconds(largest.ids, MAX_CONCURRENCY, LATENCY)
        if not all(check.met for check in _targets.wall_checks(largest, ideal)):
            title = (
                f"statuses() of {settings.profile_ids:,} IDs at "
                f"{LATENCY * 1000:g} ms latency"
            )
            note(f"profiling {title}")
            results.profiles.append(
                _scenarios.profile_statuses(panel, settings.profile_ids, title)
            )


def bench_zero_latency(settings: Settings, results: Results) -> None:
    seeded = max(settings.cpu_ids, settings.iter_ids, settings.statuses_rss_ids)
    note(f"starting a panel with zero latency, {seeded:,} orders")
    with running_panel(seeded_orders=seeded, latency=0.0) as panel:
        _scenarios.warm_up(panel)
        note(f"CPU time, {settings.cpu_ids:,} IDs x {settings.cpu_repeats}")
        results.cpu = _scenarios.compare(panel, settings.cpu_ids, settings.cpu_repeats)
        if not all(check.met for check in _targets.cpu_checks(results.cpu, None)):
            title = f"statuses() of {settings.profile_ids:,} IDs at zero latency"
            note(f"profiling {title}")
            results.profiles.append(
                _scenarios.profile_statuses(panel, settings.profile_ids, title)
            )

        note(f"peak RSS of iter_statuses(), {settings.iter_ids:,} IDs")
        results.rss.append(
            _scenarios.peak_rss(panel, "iter_statuses", settings.iter_ids)
        )
        note(f"peak RSS of statuses(), {settings.statuses_rss_ids:,} IDs")
        results.rss.append(
            _scenarios.peak_rss(panel, "statuses", settings.statuses_rss_ids)
        )
        if not all(check.met for check in _targets.rss_checks(results.rss)):
            note("tracing the allocations of iter_statuses()")
            results.traced_rss.append(
                _scenarios.peak_rss(
                    panel, "iter_statuses", settings.iter_ids, trace=True
                )
            )


def bench_limited(settings: Settings, results: Results) -> None:
    ids = settings.job_ids
    limit = PANEL_MAX_IN_FLIGHT
    note(f"{ids:,} IDs against a panel with max_in_flight={limit}")
    with running_panel(
        seeded_orders=ids, latency=LATENCY, max_in_flight=limit
    ) as panel:
        results.jobs.append(
            _scenarios.limited_job(
                panel,
                ids,
                panel_limit=f"max_in_flight={limit}",
                ideal=ideal_seconds(ids, limit, LATENCY),
            )
        )

    rate = PANEL_RATE_LIMIT
    # The same rate-limited panel, with a client that is not told the rate and must
    # learn it from the 429s.
    note(f"{ids:,} IDs against a panel with rate_limit={rate:g}/s, client unpaced")
    with running_panel(seeded_orders=ids, latency=LATENCY, rate_limit=rate) as panel:
        results.jobs.append(
            _scenarios.limited_job(
                panel,
                ids,
                panel_limit=f"rate_limit={rate:g}/s",
                ideal=requests_for(ids) / rate,
            )
        )

    note(f"{ids:,} IDs against a panel with rate_limit={rate:g}/s")
    with running_panel(seeded_orders=ids, latency=LATENCY, rate_limit=rate) as panel:
        results.rate_limited = _scenarios.limited_job(
            panel,
            ids,
            panel_limit=f"rate_limit={rate:g}/s",
            ideal=requests_for(ids) / rate,
            rate_limit=rate,
        )
        checks = _targets.rate_limited_checks(results.rate_limited)
        if not all(check.met for check in checks):
            title = (
                f"statuses() of {settings.profile_ids:,} IDs against "
                f"rate_limit={rate:g}/s"
            )
            note(f"profiling {title}")
            results.profiles.append(
                _scenarios.profile_statuses(
                    panel, settings.profile_ids, title, rate_limit=rate
                )
            )


def command_line(argv: list[str]) -> str:
    """Return the command that started this run, as a reader would type it."""
    session = os.environ.get("NOX_CURRENT_SESSION")
    if session:
        extra = f" -- {shlex.join(argv)}" if argv else ""
        return f"nox -s {session}{extra}"
    return shlex.join(["python", "bench/run.py", *argv])


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        epilog="A full run takes several minutes; --quick takes under one.",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="small sizes and one run each, as a smoke test; writes no file unless "
        "--output is given",
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=None,
        help=f"Markdown file whose results section to replace (default for a full "
        f"run: {DEFAULT_OUTPUT.relative_to(DEFAULT_OUTPUT.parent.parent)})",
    )
    return parser.parse_args(argv)


def main(argv: list[str]) -> None:
    args = parse_args(argv)
    settings = QUICK if args.quick else FULL
    output = args.output or (None if args.quick else DEFAULT_OUTPUT)
    started = datetime.datetime.now(datetime.timezone.utc)
    clock = time.perf_counter()

    results = Results(latency=LATENCY)
    bench_parsing(settings, results)
    bench_latency(settings, results)
    bench_zero_latency(settings, results)
    bench_limited(settings, results)

    duration = time.perf_counter() - clock
    section = _report.render(results, command_line(argv), started, duration)
    print(section)
    if output is not None:
        _report.write_results(output, section)
        note(f"wrote the results to {output}")
    note(f"done in {duration:.0f} s")


if __name__ == "__main__":
    main(sys.argv[1:])
