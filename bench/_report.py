"""The results section of docs/benchmarks.md, as Markdown."""

from __future__ import annotations

import datetime
import importlib.metadata
import importlib.util
import os
import platform
import statistics
import subprocess
from pathlib import Path

from _measure import Run
from _profile import Profile, ProfileLine
from _scenarios import CHUNK_SIZE, MAX_CONCURRENCY, PeakRss, ideal_seconds
from _targets import Check, Results, all_checks

MARKER = "<!-- bench/run.py replaces everything below this line on each full run. -->"
_PACKAGES = ("httpx", "httpcore", "anyio", "h11", "uvicorn", "attrs", "cattrs")


def _seconds(value: float) -> str:
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def _spread(runs: list[Run]) -> str:
    """Return the median wall time of `runs`, with the fastest and slowest run."""
    walls = sorted(run.wall_seconds for run in runs)
    median = _seconds(statistics.median(walls))
    if len(walls) == 1:
        return median
    return f"{median} ({_seconds(walls[0])} to {_seconds(walls[-1])})"


def _micro(value: float) -> str:
    return f"{value * 1e6:.1f} µs"


def _megabytes(value: int) -> str:
    return f"{value / 10**6:.1f} MB"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return [*lines, ""]


def _cpu_model() -> str:
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return platform.processor() or "unknown CPU"
    for line in text.splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return "unknown CPU"


def _version(package: str) -> str:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def _revision() -> str:
    root = Path(__file__).resolve().parent.parent
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=root,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        changes = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=root,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git checkout)"
    return f"{commit} with uncommitted changes" if changes else commit


def machine_lines(
    command: str, started: datetime.datetime, duration: float
) -> list[str]:
    """Describe the run: date, command, machine, Python and the HTTP stack."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 0
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    versions = ", ".join(f"{name} {_version(name)}" for name in _PACKAGES)
    sniffio = importlib.util.find_spec("sniffio") is not None
    return [
        f"- Date: {started:%Y-%m-%d %H:%M} UTC; the run took {duration / 60:.1f} min",
        f"- Command: `{command}`, at revision {_revision()}",
        f"- Machine: {_cpu_model()}, {cores} cores available to this process "
        f"({os.cpu_count()} online), load average {load} at the start",
        f"- Python {platform.python_version()} on {platform.platform()}",
        f"- {versions}; sniffio {'installed' if sniffio else 'not installed'}",
        "",
    ]


def _wall_section(results: Results) -> list[str]:
    latency_ms = results.latency * 1000
    lines = [
        f"### statuses() against the baseline and the ideal ({latency_ms:g} ms "
        f"latency, {MAX_CONCURRENCY} in flight)",
        "",
        "Median wall time of the runs, with the fastest and the slowest in "
        "brackets. The ratios use the medians. The ideal is "
        f"ceil(IDs / {CHUNK_SIZE} / {MAX_CONCURRENCY}) x {latency_ms:g} ms. The CPU "
        "columns are the median CPU time of the client process in the same runs, "
        "and the part of it spent in garbage collection: no run can be faster than "
        "its CPU time.",
        "",
    ]
    header = ["IDs", "runs each", "panel-async", "baseline", "ideal"]
    header += ["panel-async / baseline", "panel-async / ideal", "baseline / ideal"]
    header += ["panel-async CPU", "baseline CPU"]
    rows = []
    for comparison in results.walls:
        ideal = ideal_seconds(comparison.ids, MAX_CONCURRENCY, results.latency)
        client, baseline = comparison.client_wall, comparison.baseline_wall
        rows.append(
            [
                f"{comparison.ids:,}",
                str(len(comparison.client)),
                _spread(comparison.client),
                _spread(comparison.baseline),
                _seconds(ideal),
                f"{client / baseline:.2f}x",
                f"{client / ideal:.2f}x",
                f"{baseline / ideal:.2f}x",
                f"{_seconds(comparison.client_cpu)} "
                f"(GC {_seconds(comparison.client_gc)})",
                f"{_seconds(comparison.baseline_cpu)} "
                f"(GC {_seconds(comparison.baseline_gc)})",
            ]
        )
    return lines + _table(header, rows)


def _cpu_section(results: Results) -> list[str]:
    lines = ["### CPU time per order status", ""]
    rows = []
    cpu = results.cpu
    if cpu is not None:
        rows.append(
            [
                f"over HTTP, zero latency, {cpu.ids:,} IDs, median of "
                f"{len(cpu.client)} runs (client process)",
                _micro(cpu.client_cpu_per_status),
                _micro(cpu.baseline_cpu_per_status),
                f"{cpu.client_cpu_per_status / cpu.baseline_cpu_per_status:.2f}x",
            ]
        )
        rows.append(
            [
                "of which garbage collection",
                _micro(cpu.client_gc / cpu.ids),
                _micro(cpu.baseline_gc / cpu.ids),
                "",
            ]
        )
    parse = results.parse
    if parse is not None:
        rows.append(
            [
                "parsing only: one 100-entry response, no network (json.loads with "
                "Decimal + read_order_statuses, against json.loads)",
                _micro(parse.client_read),
                _micro(parse.json_loads),
                f"{parse.client_read / parse.json_loads:.2f}x",
            ]
        )
        rows.append(
            [
                "read_order_statuses alone, on a body decoded beforehand",
                _micro(parse.models_only),
                "",
                "",
            ]
        )
        rows.append(
            [
                "OrderStatus construction alone, from values converted beforehand "
                "(the least that building these models costs)",
                _micro(parse.construction_only),
                "",
                "",
            ]
        )
    lines += _table(["measure", "panel-async", "baseline", "ratio"], rows)
    if cpu is not None:
        lines += [
            "The simulator spent "
            f"{_micro(cpu.panel_cpu_per_status)} of CPU per status in its own "
            "process during these runs, not counted above.",
            "",
        ]
    return lines


def _rss_section(results: Results) -> list[str]:
    lines = [
        "### Peak RSS, each job in a fresh process",
        "",
        "Zero latency, max_concurrency=16. The RSS before the job is the peak after "
        "importing the package and building the client.",
        "",
    ]
    header = ["job", "IDs", "failed IDs", "wall", "RSS before the job", "peak RSS"]
    rows = [
        [
            f"{job.mode}()",
            f"{job.ids:,}",
            f"{job.failed_ids:,}",
            _seconds(job.wall_seconds),
            _megabytes(job.rss_before_bytes),
            _megabytes(job.peak_rss_bytes),
        ]
        for job in results.rss
    ]
    return lines + _table(header, rows)


def _jobs_section(results: Results) -> list[str]:
    jobs = [*results.jobs]
    if results.rate_limited is not None:
        jobs.append(results.rate_limited)
    if not jobs:
        return []
    lines = [
        f"### statuses() against a limited panel ({results.latency * 1000:g} ms "
        "latency, RetryPolicy.default())",
        "",
        f"The ideal is ceil(IDs / {CHUNK_SIZE} / K) x latency for a panel that "
        f"allows K requests in flight, and ceil(IDs / {CHUNK_SIZE}) / R for one that "
        "allows R requests per second. Retries and their planned waits are counted "
        "with `RetryPolicy.on_retry`. Limiter warnings count the WARNING records of "
        "the `panel_async.limits` logger, one each time the client lowered its "
        "limits after a 429.",
        "",
    ]
    header = ["panel", "client", "IDs", "failed IDs", "wall", "ideal", "wall / ideal"]
    header += ["requests received", "requests/s", "429 responses", "retries"]
    header += ["retry waits"]
    header += ["limiter warnings"]
    rows = [
        [
            job.panel_limit,
            job.client_setting,
            f"{job.run.ids:,}",
            f"{job.run.failed_ids:,}",
            _seconds(job.run.wall_seconds),
            _seconds(job.ideal_seconds),
            f"{job.run.wall_seconds / job.ideal_seconds:.2f}x",
            f"{job.panel.requests:,}",
            f"{job.panel.requests / job.run.wall_seconds:.1f}",
            f"{job.panel.throttled:,} ({job.throttled_share:.1%})",
            f"{job.retries:,}",
            _seconds(job.retry_wait_seconds),
            f"{job.limits_lowered:,}",
        ]
        for job in jobs
    ]
    return lines + _table(header, rows)


def _checks_section(checks: list[Check]) -> list[str]:
    rows = [
        [check.target, check.measured, "met" if check.met else "NOT met"]
        for check in checks
    ]
    return ["### Targets", "", *_table(["target", "measured", "result"], rows)]


def _profile_rows(lines: list[ProfileLine]) -> list[list[str]]:
    return [
        [
            f"`{line.function}`",
            f"{line.calls:,}",
            f"{line.self_seconds:.3f}",
            f"{line.cumulative_seconds:.3f}",
        ]
        for line in lines
    ]


def _profile_section(profiles: list[Profile], traced: list[PeakRss]) -> list[str]:
    if not profiles and not traced:
        return []
    lines = [
        "### Client-side profiles for the targets not met",
        "",
        "cProfile in the client process; times in seconds include cProfile's own "
        "overhead, so compare them with each other, not with the tables above.",
        "",
    ]
    header = ["function", "calls", "self s", "cumulative s"]
    for profile in profiles:
        lines += [f"#### {profile.title}", ""]
        lines += [f"Profiled total: {profile.total_seconds:.2f} s.", ""]
        lines += ["Most self time:", ""]
        lines += _table(header, _profile_rows(profile.by_self_time))
        lines += [
            "Functions of panel_async, httpx, httpcore, anyio, h11 and tenacity by "
            "cumulative time:",
            "",
        ]
        lines += _table(header, _profile_rows(profile.library_by_cumulative))
    return lines


def _allocations_section(traced: list[PeakRss]) -> list[str]:
    lines = []
    for job in traced:
        lines += [
            f"#### Allocations of {job.mode}() over {job.ids:,} IDs (tracemalloc)",
            "",
            "The source lines that held the most memory when the peak was read.",
            "",
        ]
        rows = [
            [f"`{entry.where}`", _megabytes(entry.size_bytes), f"{entry.blocks:,}"]
            for entry in job.top_allocations
        ]
        lines += _table(["source line", "memory", "blocks"], rows)
    return lines


def render(
    results: Results, command: str, started: datetime.datetime, duration: float
) -> str:
    """Render the whole results section, starting with its heading."""
    lines = ["## Results", "", *machine_lines(command, started, duration)]
    lines += _checks_section(all_checks(results))
    if results.walls:
        lines += _wall_section(results)
    lines += _cpu_section(results)
    if results.rss:
        lines += _rss_section(results)
    lines += _jobs_section(results)
    lines += _profile_section(results.profiles, results.traced_rss)
    lines += _allocations_section(results.traced_rss)
    return "\n".join(lines).rstrip() + "\n"


def write_results(path: Path, section: str) -> None:
    """Replace what follows MARKER in `path` with `section`; keep the text above it.

    A file without the marker keeps all its text, and the marker and the section
    are added at its end.
    """
    text = path.read_text() if path.exists() else ""
    head, found, _ = text.partition(MARKER)
    if not found:
        head = text.rstrip() + "\n\n" if text.strip() else ""
    path.write_text(f"{head}{MARKER}\n\n{section}")
