"""Polling loops: watch orders until they are final, yielding each change."""

from __future__ import annotations

__all__ = ["PollEvent", "poll_statuses"]

import asyncio
import logging
import time
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Iterable

import attrs

from ._errors import PanelError, PanelInputError
from ._models import OrderId, OrderStatus
from ._validate import id_key

logger = logging.getLogger("panel_async.poll")

#: Fetches statuses for some IDs, yielding (ID, status or error); the client's
#: `iter_statuses` is one.
StatusFetcher = Callable[
    [Iterable[OrderId]], AsyncIterator[tuple[OrderId, "OrderStatus | PanelError"]]
]


@attrs.frozen(slots=True)
class PollEvent:
    """A change seen by `PanelClient.poll()`.

    For a change of status, `new` is the status and `old` the one seen before (None at
    the first sight). When an order's status could not be fetched `max_failures` times
    in a row, it is dropped from the loop and reported once with `error` set and `new`
    None.
    """

    order_id: OrderId
    old: OrderStatus | None
    new: OrderStatus | None
    error: PanelError | None = None


@attrs.define
class _Watched:
    order_id: OrderId
    last: OrderStatus | None = None
    failures: int = 0


def _check_poll_arguments(
    interval: float, deadline: float | None, failures: int
) -> None:
    if not interval > 0:
        raise PanelInputError(f"interval must be positive seconds, got {interval!r}")
    if deadline is not None and not deadline > 0:
        raise PanelInputError(
            f"deadline must be positive seconds or None, got {deadline!r}"
        )
    if isinstance(failures, bool) or not isinstance(failures, int) or failures < 1:
        raise PanelInputError(f"max_failures must be a positive int, got {failures!r}")


async def poll_statuses(
    fetch: StatusFetcher,
    order_ids: Iterable[OrderId],
    *,
    interval: float,
    until: Callable[[OrderStatus], bool],
    deadline: float | None,
    max_failures: int,
) -> AsyncGenerator[PollEvent, None]:
    """Fetch the orders not done yet every `interval` seconds; yield each change.

    An order leaves the loop when `until(status)` is true or after `max_failures`
    failed fetches in a row. The loop ends when no order is left or `deadline`
    seconds have passed since the start.
    """
    _check_poll_arguments(interval, deadline, max_failures)
    watched: dict[str, _Watched] = {}
    for order_id in order_ids:
        watched.setdefault(id_key(order_id), _Watched(order_id))
    ends_at = None if deadline is None else time.monotonic() + deadline

    while watched:
        async for order_id, value in fetch([w.order_id for w in watched.values()]):
            key = id_key(order_id)
            entry = watched.get(key)
            if entry is None:
                continue
            event, finished = _observe(entry, value, until, max_failures)
            if event is not None:
                yield event
            if finished:
                del watched[key]

        remaining = None if ends_at is None else ends_at - time.monotonic()
        if watched and remaining is not None and remaining < interval:
            logger.info("poll deadline reached with %d orders not done", len(watched))
            return
        if watched:
            await asyncio.sleep(interval)


def _observe(
    entry: _Watched,
    value: OrderStatus | PanelError,
    until: Callable[[OrderStatus], bool],
    max_failures: int,
) -> tuple[PollEvent | None, bool]:
    """Record one fetch; return the event to report, if any, and whether it is done."""
    if isinstance(value, PanelError):
        entry.failures += 1
        if entry.failures < max_failures:
            return None, False
        logger.warning(
            "dropping order %s from the poll after %d failed fetches: %s",
            entry.order_id,
            entry.failures,
            value,
        )
        return PollEvent(entry.order_id, entry.last, None, value), True

    entry.failures = 0
    event = (
        None if value == entry.last else PollEvent(entry.order_id, entry.last, value)
    )
    entry.last = value
    return event, until(value)
