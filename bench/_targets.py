"""The performance targets, the results they are checked against, and the checks."""

from __future__ import annotations

from dataclasses import dataclass, field

from _parse import ParseCosts
from _profile import Profile
from _scenarios import MAX_CONCURRENCY, Comparison, LimitedJob, PeakRss, ideal_seconds

# statuses() at the largest count: wall time over the baseline's, and over the ideal.
WALL_VS_BASELINE = 1.05
WALL_VS_IDEAL = 1.25
# CPU seconds per order status over the baseline's.
CPU_VS_BASELINE = 2.0
# Bytes (decimal megabytes): peak RSS of iter_statuses() over the largest count.
ITER_STATUSES_PEAK_RSS = 100 * 10**6
# The job against a rate-limited panel: wall time over the ideal, and share of 429s.
RATE_LIMITED_VS_IDEAL = 1.2
RATE_LIMITED_MAX_429_SHARE = 0.01


@dataclass
class Results:
    """Everything one benchmark run measured, filled in phase by phase."""

    latency: float
    parse: ParseCosts | None = None
    walls: list[Comparison] = field(default_factory=list)
    cpu: Comparison | None = None
    rss: list[PeakRss] = field(default_factory=list)
    jobs: list[LimitedJob] = field(default_factory=list)
    rate_limited: LimitedJob | None = None
    profiles: list[Profile] = field(default_factory=list)
    traced_rss: list[PeakRss] = field(default_factory=list)


@dataclass(frozen=True)
class Check:
    """One target with its measured value and whether the measurement meets it."""

    target: str
    measured: str
    met: bool


def wall_checks(comparison: Comparison, ideal: float) -> list[Check]:
    """Check statuses() wall time against the baseline and against the ideal."""
    over_baseline = comparison.client_wall / comparison.baseline_wall
    over_ideal = comparison.client_wall / ideal
    ids = f"{comparison.ids:,}"
    return [
        Check(
            f"statuses() of {ids} IDs within {WALL_VS_BASELINE}x the baseline's wall",
            f"{over_baseline:.2f}x",
            over_baseline <= WALL_VS_BASELINE,
        ),
        Check(
            f"statuses() of {ids} IDs within {WALL_VS_IDEAL}x the ideal wall",
            f"{over_ideal:.2f}x",
            over_ideal <= WALL_VS_IDEAL,
        ),
    ]


def cpu_checks(cpu: Comparison | None, parse: ParseCosts | None) -> list[Check]:
    """Check CPU per order status against the baseline's, over HTTP and parsing only."""
    checks = []
    if cpu is not None:
        ratio = cpu.client_cpu_per_status / cpu.baseline_cpu_per_status
        checks.append(
            Check(
                f"CPU per status over HTTP at most {CPU_VS_BASELINE:g}x the baseline's",
                f"{ratio:.2f}x",
                ratio <= CPU_VS_BASELINE,
            )
        )
    if parse is not None:
        ratio = parse.client_read / parse.json_loads
        checks.append(
            Check(
                f"CPU per status, parsing only, at most {CPU_VS_BASELINE:g}x "
                "json.loads",
                f"{ratio:.2f}x",
                ratio <= CPU_VS_BASELINE,
            )
        )
    return checks


def rss_checks(rss: list[PeakRss]) -> list[Check]:
    """Check the peak RSS of iter_statuses()."""
    limit_mb = ITER_STATUSES_PEAK_RSS / 10**6
    return [
        Check(
            f"iter_statuses() over {job.ids:,} IDs under {limit_mb:g} MB peak RSS",
            f"{job.peak_rss_bytes / 10**6:.1f} MB",
            job.peak_rss_bytes < ITER_STATUSES_PEAK_RSS,
        )
        for job in rss
        if job.mode == "iter_statuses"
    ]


def rate_limited_checks(job: LimitedJob | None) -> list[Check]:
    """Check the job against a rate-limited panel: wall over ideal, share of 429s."""
    if job is None:
        return []
    ratio = job.run.wall_seconds / job.ideal_seconds
    share = job.throttled_share
    return [
        Check(
            f"rate-limited job within {RATE_LIMITED_VS_IDEAL}x the ideal wall",
            f"{ratio:.2f}x",
            ratio <= RATE_LIMITED_VS_IDEAL,
        ),
        Check(
            f"rate-limited job: under {RATE_LIMITED_MAX_429_SHARE:.0%} of requests "
            "answered with 429",
            f"{share:.2%} ({job.panel.throttled} of {job.panel.requests})",
            share < RATE_LIMITED_MAX_429_SHARE,
        ),
    ]


def all_checks(results: Results) -> list[Check]:
    """Check every target that this run measured."""
    checks = []
    if results.walls:
        largest = results.walls[-1]
        checks += wall_checks(largest, ideal_wall(largest.ids, results.latency))
    checks += cpu_checks(results.cpu, results.parse)
    checks += rss_checks(results.rss)
    checks += rate_limited_checks(results.rate_limited)
    return checks


def ideal_wall(ids: int, latency: float) -> float:
    """Return the ideal wall time of statuses() with 16 requests in flight."""
    return ideal_seconds(ids, MAX_CONCURRENCY, latency)
