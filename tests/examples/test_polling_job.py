"""examples/polling_job.py: interrupted, restarted, and run as a command."""

from __future__ import annotations

import asyncio
import contextlib
import os
import sqlite3
import sys
from pathlib import Path

from examples.polling_job import (
    count_unfinished,
    open_database,
    run_job,
    track_orders,
)
from panel_async import OrderState
from panel_async.testing import FakePanel, ManualClock, serve

from ._panel import KEY, connect

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "polling_job.py"
FINAL_STATES = {state.value for state in OrderState if state.is_final}
ORDER_COUNT = 300


def _query(path: Path, sql: str) -> list[tuple[object, ...]]:
    """Run a read-only query on a fresh connection, as another process would."""
    with contextlib.closing(sqlite3.connect(path)) as db:
        return db.execute(sql).fetchall()


def _fetched_count(path: Path) -> int:
    """Count the orders whose status has been committed at least once."""
    ((count,),) = _query(path, "SELECT COUNT(*) FROM orders WHERE status IS NOT NULL")
    assert isinstance(count, int)
    return count


async def _wait_for_first_commit(path: Path) -> None:
    # The job commits through its own connection, so the test watches the file as
    # another process would.
    while _fetched_count(path) == 0:  # noqa: ASYNC110
        await asyncio.sleep(0.002)


async def test_job_resumes_after_interruption(tmp_path: Path) -> None:
    """A job cancelled mid-pass resumes; each order ends final exactly once."""
    clock = ManualClock()
    # Slow responses and small chunks make one pass take many commits.
    panel = FakePanel(key=KEY, seeded_orders=ORDER_COUNT, clock=clock, latency=0.01)
    path = tmp_path / "orders.sqlite3"
    with contextlib.closing(open_database(path)) as db:
        track_orders(db, [str(n) for n in range(1, ORDER_COUNT + 1)])

    async with connect(panel, chunk_size=10, max_concurrency=1) as client:
        with contextlib.closing(open_database(path)) as db:
            first_run = asyncio.create_task(
                run_job(client, db, interval=0.01, batch_size=20)
            )
            await asyncio.wait_for(_wait_for_first_commit(path), timeout=10)
            first_run.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await first_run
            left_after_first_run = count_unfinished(db)
        fetched_in_first_run = _fetched_count(path)

        clock.advance(3600)  # every order is final from now on
        with contextlib.closing(open_database(path)) as db:
            stats = await asyncio.wait_for(
                run_job(client, db, interval=0.01, batch_size=20), timeout=30
            )

    assert 0 < fetched_in_first_run < ORDER_COUNT
    assert stats.fetched == left_after_first_run
    assert stats.passes == 1
    statuses = _query(path, "SELECT status, done FROM orders")
    assert len(statuses) == ORDER_COUNT
    assert all(status in FINAL_STATES for status, _ in statuses)
    assert all(done == 1 for _, done in statuses)
    final_changes = _query(
        path,
        "SELECT order_id, COUNT(*) FROM status_changes WHERE final = 1 "
        "GROUP BY order_id",
    )
    assert len(final_changes) == ORDER_COUNT
    assert all(count == 1 for _, count in final_changes)


async def test_job_gives_up_on_unknown_order(tmp_path: Path) -> None:
    """An order unknown to the panel is dropped after three passes, with its error."""
    panel = FakePanel(
        key=KEY, seeded_orders=5, clock=ManualClock(), start_after=0, finish_after=0
    )
    path = tmp_path / "orders.sqlite3"

    async with connect(panel) as client:
        with contextlib.closing(open_database(path)) as db:
            track_orders(db, ["1", "2", "999"])
            stats = await run_job(client, db, interval=0.01)

    assert stats.passes == 3
    rows = {
        str(order_id): error
        for order_id, error in _query(path, "SELECT order_id, error FROM orders")
    }
    assert rows["999"] == "Incorrect order ID"
    assert rows["1"] is None


async def test_main_runs_against_served_panel(tmp_path: Path) -> None:
    """`python examples/polling_job.py` tracks orders over HTTP until all are final."""
    panel = FakePanel(key=KEY, seeded_orders=150, start_after=0.1, finish_after=0.3)
    path = tmp_path / "orders.sqlite3"

    async with serve(panel) as url:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            str(EXAMPLE),
            str(path),
            "--interval",
            "0.2",
            "--track",
            *[str(n) for n in range(1, 151)],
            env={**os.environ, "PANEL_URL": url, "PANEL_KEY": KEY},
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        _, stderr = await asyncio.wait_for(process.communicate(), timeout=60)

    assert process.returncode == 0, stderr.decode()
    ((unfinished,),) = _query(path, "SELECT COUNT(*) FROM orders WHERE done = 0")
    assert unfinished == 0
    ((tracked,),) = _query(path, "SELECT COUNT(*) FROM orders")
    assert tracked == 150
