"""Start and stop simulated panels in their own processes, and read their counters."""

from __future__ import annotations

import contextlib
import json
import selectors
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx

KEY = "bench-key"
SERVE_SCRIPT = Path(__file__).with_name("serve_panel.py")
STATS_PATH = "/bench/stats"

# Seconds. Seeding 1,000,000 orders takes about half a minute on a slow core.
STARTUP_TIMEOUT = 300.0
STOP_TIMEOUT = 10.0


@dataclass(frozen=True)
class PanelStats:
    """Counters of one simulated panel since it started."""

    requests: int
    throttled: int
    cpu_seconds: float

    def __sub__(self, earlier: PanelStats) -> PanelStats:
        return PanelStats(
            requests=self.requests - earlier.requests,
            throttled=self.throttled - earlier.throttled,
            cpu_seconds=self.cpu_seconds - earlier.cpu_seconds,
        )


@dataclass(frozen=True)
class PanelProcess:
    """A running simulated panel: its API URL and its process ID."""

    url: str
    pid: int

    def stats(self) -> PanelStats:
        """Fetch the panel's counters over loopback HTTP."""
        stats_url = httpx.URL(self.url).copy_with(path=STATS_PATH)
        counters = httpx.get(stats_url, timeout=10.0).raise_for_status().json()
        return PanelStats(
            requests=int(counters["requests"]),
            throttled=sum(int(count) for count in counters["throttled"].values()),
            cpu_seconds=float(counters["cpu_seconds"]),
        )


@contextlib.contextmanager
def running_panel(
    *,
    seeded_orders: int,
    latency: float,
    max_in_flight: int | None = None,
    rate_limit: float | None = None,
) -> Iterator[PanelProcess]:
    """Run `serve_panel.py` with these settings; stop it on exit.

    Raises:
        RuntimeError: The panel exited or did not print its URL within
            STARTUP_TIMEOUT seconds.
    """
    command = [
        sys.executable,
        str(SERVE_SCRIPT),
        "--key",
        KEY,
        "--seeded-orders",
        str(seeded_orders),
        "--latency",
        str(latency),
    ]
    if max_in_flight is not None:
        command += ["--max-in-flight", str(max_in_flight)]
    if rate_limit is not None:
        command += ["--rate-limit", str(rate_limit)]

    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    try:
        url = _read_url(process)
        yield PanelProcess(url=url, pid=process.pid)
    finally:
        _stop(process)


def _read_url(process: subprocess.Popen[str]) -> str:
    assert process.stdout is not None  # set by stdout=PIPE
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        ready = selector.select(timeout=STARTUP_TIMEOUT)
    line = process.stdout.readline() if ready else ""
    if not line:
        raise RuntimeError(
            f"the simulated panel (pid {process.pid}) exited or printed no URL "
            f"within {STARTUP_TIMEOUT:.0f} s; see its error output above"
        )
    return str(json.loads(line)["url"])


def _stop(process: subprocess.Popen[str]) -> None:
    process.terminate()
    try:
        process.wait(timeout=STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    if process.stdout is not None:
        process.stdout.close()
