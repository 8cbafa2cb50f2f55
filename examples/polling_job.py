"""Track orders stored in SQLite until every one is final; safe to stop and restart.

Try it against the simulator, whose orders finish within a minute:

    panel-async simulate --seeded-orders 1000     # in one shell; paste its export line
    python examples/polling_job.py orders.sqlite3 --track $(seq 1 1000)

Then run `python examples/polling_job.py orders.sqlite3` at any time: it goes on with
the orders that are not final yet and exits when none is left. PANEL_URL and
PANEL_KEY name the panel, as for the `panel-async` command.

Each pass fetches the statuses of the unfinished orders a batch at a time, with
`PanelClient.statuses()`, and commits after each batch. Stopping the job (Ctrl+C, a
crash, a deploy) loses at most the batch in flight, and an order's final status is
written once: in the same transaction that takes the order out of the job.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import logging
import os
import sqlite3
import sys
from collections.abc import Iterable, Sequence

import attrs

from panel_async import (
    BatchResult,
    OrderStatus,
    PanelClient,
    PanelError,
    PanelNotFoundError,
    RetryPolicy,
)

logger = logging.getLogger("polling_job")

# Orders fetched, written and committed together: ten requests of 100 IDs.
DEFAULT_BATCH_SIZE = 1000

# Seconds between passes. Each pass costs one request per 100 unfinished orders.
DEFAULT_INTERVAL = 60.0

# Passes in a row in which the panel does not know an order before the job gives up
# on it. Panels may respond "Incorrect order ID" for a moment after `add`.
MAX_NOT_FOUND = 3

SCHEMA = """
CREATE TABLE IF NOT EXISTS orders (
    order_id TEXT PRIMARY KEY,
    status TEXT,                        -- OrderState value; NULL until first fetched
    raw_status TEXT,                    -- the word as the panel sent it
    remains INTEGER,
    charge TEXT,                        -- an exact decimal, kept as text
    done INTEGER NOT NULL DEFAULT 0,    -- 1 once final, or given up on
    not_found INTEGER NOT NULL DEFAULT 0,
    error TEXT                          -- why the job gave up, if it did
);
CREATE TABLE IF NOT EXISTS status_changes (
    order_id TEXT NOT NULL REFERENCES orders (order_id),
    status TEXT NOT NULL,
    final INTEGER NOT NULL,
    recorded_at TEXT NOT NULL
);
"""


@attrs.define
class JobStats:
    """Counts of what one run of the job did."""

    passes: int = 0
    fetched: int = 0  # order IDs whose status was requested
    finished: int = 0  # orders taken out of the job: final, or given up on


def open_database(path: str | os.PathLike[str]) -> sqlite3.Connection:
    """Open (and create, if needed) the job's database."""
    db = sqlite3.connect(path)
    db.executescript(SCHEMA)
    return db


def track_orders(db: sqlite3.Connection, order_ids: Iterable[str]) -> None:
    """Add orders to the job; orders already tracked are left as they are."""
    db.executemany(
        "INSERT OR IGNORE INTO orders (order_id) VALUES (?)",
        [(str(order_id),) for order_id in order_ids],
    )
    db.commit()


def _next_batch(db: sqlite3.Connection, after: str, size: int) -> dict[str, str | None]:
    """Return the next unfinished orders after `after`, with their last status."""
    rows = db.execute(
        "SELECT order_id, status FROM orders WHERE done = 0 AND order_id > ? "
        "ORDER BY order_id LIMIT ?",
        (after, size),
    )
    return dict(rows.fetchall())


def _save_status(
    db: sqlite3.Connection, order_id: str, old: str | None, status: OrderStatus
) -> bool:
    """Write one fetched status; return whether the order is now final."""
    final = status.is_final
    db.execute(
        "UPDATE orders SET status = ?, raw_status = ?, remains = ?, charge = ?, "
        "done = ?, not_found = 0 WHERE order_id = ?",
        (
            status.status.value,
            status.raw_status,
            status.remains,
            None if status.charge is None else str(status.charge),
            int(final),
            order_id,
        ),
    )
    if status.status.value != old:
        now = datetime.datetime.now(datetime.timezone.utc).isoformat()
        db.execute(
            "INSERT INTO status_changes (order_id, status, final, recorded_at) "
            "VALUES (?, ?, ?, ?)",
            (order_id, status.status.value, int(final), now),
        )
    return final


def _save_not_found(db: sqlite3.Connection, order_id: str, error: PanelError) -> bool:
    """Count a "not found" response; return whether the job gives up on the order."""
    db.execute(
        "UPDATE orders SET not_found = not_found + 1 WHERE order_id = ?", (order_id,)
    )
    (count,) = db.execute(
        "SELECT not_found FROM orders WHERE order_id = ?", (order_id,)
    ).fetchone()
    if count < MAX_NOT_FOUND:
        return False
    db.execute(
        "UPDATE orders SET done = 1, error = ? WHERE order_id = ?",
        (str(error), order_id),
    )
    logger.warning("giving up on order %s: %s", order_id, error)
    return True


def save_batch(
    db: sqlite3.Connection,
    previous: dict[str, str | None],
    result: BatchResult[OrderStatus],
) -> int:
    """Write a batch of results in one transaction; return the orders finished."""
    finished = 0
    failed: dict[str, PanelError] = {}
    for order_id in previous:
        value = result[order_id]
        if isinstance(value, PanelNotFoundError):
            finished += _save_not_found(db, order_id, value)
        elif isinstance(value, PanelError):
            failed[order_id] = value  # tried again on the next pass
        else:
            finished += _save_status(db, order_id, previous[order_id], value)
    db.commit()

    if failed:
        first_id, first_error = next(iter(failed.items()))
        logger.warning(
            "%d orders not fetched this pass, such as %s: %s",
            len(failed),
            first_id,
            first_error,
        )
    return finished


async def run_pass(
    panel: PanelClient, db: sqlite3.Connection, batch_size: int, stats: JobStats
) -> None:
    """Fetch every unfinished order once, committing after each batch."""
    after = ""
    while batch := _next_batch(db, after, batch_size):
        result = await panel.statuses(batch)
        stats.fetched += len(batch)
        stats.finished += save_batch(db, batch, result)
        after = max(batch)
    stats.passes += 1


def count_unfinished(db: sqlite3.Connection) -> int:
    """Return how many orders the job still tracks."""
    (count,) = db.execute("SELECT COUNT(*) FROM orders WHERE done = 0").fetchone()
    return int(count)


async def run_job(
    panel: PanelClient,
    db: sqlite3.Connection,
    *,
    interval: float = DEFAULT_INTERVAL,
    batch_size: int = DEFAULT_BATCH_SIZE,
) -> JobStats:
    """Run passes `interval` seconds apart until no order is left; return the stats."""
    stats = JobStats()
    while True:
        await run_pass(panel, db, batch_size, stats)
        left = count_unfinished(db)
        logger.info(
            "pass %d: %d orders finished so far, %d left",
            stats.passes,
            stats.finished,
            left,
        )
        if not left:
            return stats
        await asyncio.sleep(interval)


def _parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Track SMM panel orders stored in SQLite until they are final."
    )
    parser.add_argument("database", help="the SQLite file, created if missing")
    parser.add_argument(
        "--track", nargs="+", default=[], metavar="ID", help="order IDs to add"
    )
    parser.add_argument(
        "--interval",
        type=float,
        default=DEFAULT_INTERVAL,
        help=f"seconds between passes (default: {DEFAULT_INTERVAL:g})",
    )
    parser.add_argument(
        "--batch-size",
        type=int,
        default=DEFAULT_BATCH_SIZE,
        help=f"orders per commit (default: {DEFAULT_BATCH_SIZE})",
    )
    args = parser.parse_args(argv)
    if args.batch_size < 1:
        parser.error(f"--batch-size must be 1 or more, got {args.batch_size}")
    if not args.interval >= 0:
        parser.error(f"--interval must be 0 or more seconds, got {args.interval}")
    return args


async def _run(
    url: str, key: str, db: sqlite3.Connection, args: argparse.Namespace
) -> JobStats:
    # An unattended job would rather wait out an outage than fail.
    async with PanelClient(url, key, retry=RetryPolicy.background()) as panel:
        return await run_job(
            panel, db, interval=args.interval, batch_size=args.batch_size
        )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the job from the command line; return the exit code."""
    args = _parse_args(argv)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    # httpx logs every request at INFO: thousands of lines for a large job.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    url, key = os.environ.get("PANEL_URL"), os.environ.get("PANEL_KEY")
    if not url or not key:
        logger.error("set PANEL_URL and PANEL_KEY to the panel's URL and API key")
        return 2

    db = open_database(args.database)
    try:
        track_orders(db, args.track)
        stats = asyncio.run(_run(url, key, db, args))
    except KeyboardInterrupt:
        logger.info("stopped; run the job again to go on where it stopped")
        return 130
    finally:
        db.close()
    logger.info("done: %d passes, %d statuses fetched", stats.passes, stats.fetched)
    return 0


if __name__ == "__main__":
    sys.exit(main())
