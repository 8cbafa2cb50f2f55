"""Any response, however broken, gives a typed value or a PanelError, for every action.

Hypothesis feeds random bytes, odd JSON (numbers as text, NaN and 1e999999, deep
nesting, invalid UTF-8) with random statuses, content types and encodings to each
action through an in-process transport. Nothing else may come out: no KeyError,
TypeError, ValueError, InvalidOperation or RecursionError.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from decimal import Decimal

import httpx
from hypothesis import HealthCheck, given, settings

from panel_async import (
    Balance,
    BatchResult,
    OrderStatus,
    PanelClient,
    PanelError,
    PollEvent,
    RefillStatus,
    RetryPolicy,
    Service,
)

from ._responses import CannedResponse, canned_responses
from .conftest import IN_PROCESS_URL, KEY, drain, settle

Call = Callable[[PanelClient], Awaitable[object]]
Check = Callable[[object], bool]

IDS = [1, 2]


def _is_id(value: object) -> bool:
    return isinstance(value, (int, str)) and not isinstance(value, bool)


def _is_batch(check: Check) -> Check:
    def is_batch(value: object) -> bool:
        return (
            isinstance(value, BatchResult)
            and list(value) == IDS
            and all(isinstance(v, PanelError) or check(v) for v in value.values())
        )

    return is_batch


def _is_stream(check: Check) -> Check:
    def is_stream(value: object) -> bool:
        return isinstance(value, list) and all(
            _is_id(key) and (isinstance(item, PanelError) or check(item))
            for key, item in value
        )

    return is_stream


def _is_services(value: object) -> bool:
    return isinstance(value, list) and all(
        isinstance(s, Service) and isinstance(s.rate, Decimal) for s in value
    )


def _is_status(value: object) -> bool:
    return isinstance(value, OrderStatus) and (
        value.charge is None or value.charge.is_finite()
    )


def _is_refill_status(value: object) -> bool:
    return isinstance(value, RefillStatus)


def _is_balance(value: object) -> bool:
    return isinstance(value, Balance) and value.amount.is_finite()


def _is_true(value: object) -> bool:
    return value is True


def _is_catalogue(value: object) -> bool:
    return isinstance(value, dict) and _is_services(list(value.values()))


def _is_poll_events(value: object) -> bool:
    return isinstance(value, list) and all(
        isinstance(event, PollEvent) and event.order_id in IDS for event in value
    )


# Each action, and the check that a successful return has the promised type.
ACTIONS: dict[str, tuple[Call, Check]] = {
    "services": (lambda c: c.services(), _is_services),
    "balance": (lambda c: c.balance(), _is_balance),
    "add": (
        lambda c: c.add(service=1, link="https://example.com/p", quantity=10),
        _is_id,
    ),
    "status": (lambda c: c.status(1), _is_status),
    "refill": (lambda c: c.refill(1), _is_id),
    "refill_status": (lambda c: c.refill_status(1), _is_refill_status),
    "statuses": (lambda c: c.statuses(IDS), _is_batch(_is_status)),
    "refills": (lambda c: c.refills(IDS), _is_batch(_is_id)),
    "refill_statuses": (lambda c: c.refill_statuses(IDS), _is_batch(_is_refill_status)),
    "cancel": (lambda c: c.cancel(IDS), _is_batch(_is_true)),
    "services_by_id": (lambda c: c.services_by_id(max_age=0), _is_catalogue),
    "iter_statuses": (lambda c: drain(c.iter_statuses(IDS)), _is_stream(_is_status)),
    "iter_refills": (lambda c: drain(c.iter_refills(IDS)), _is_stream(_is_id)),
    "iter_refill_statuses": (
        lambda c: drain(c.iter_refill_statuses(IDS)),
        _is_stream(_is_refill_status),
    ),
    "iter_cancels": (lambda c: drain(c.iter_cancels(IDS)), _is_stream(_is_true)),
    # One round only: the deadline ends the poll before its first wait.
    "poll": (
        lambda c: drain(c.poll(IDS, interval=1.0, deadline=0.001, max_failures=1)),
        _is_poll_events,
    ),
}


async def _outcome(call: Call, canned: CannedResponse) -> object:
    """Run `call` against a panel that sends `canned`; return a value or PanelError."""
    transport = httpx.MockTransport(canned.respond)
    async with (
        httpx.AsyncClient(transport=transport) as http,
        PanelClient(
            IN_PROCESS_URL, KEY, retry=RetryPolicy.none(), http_client=http
        ) as client,
    ):
        return await settle(call(client))


async def _untyped_outcomes(canned: CannedResponse) -> list[tuple[str, object]]:
    """Return each action whose outcome is neither its typed value nor a PanelError."""
    untyped = []
    for name, (call, check) in ACTIONS.items():
        outcome = await _outcome(call, canned)
        if not (isinstance(outcome, PanelError) or check(outcome)):
            untyped.append((name, outcome))
    return untyped


# Every example runs every action, so each action gets max_examples responses.
@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(canned=canned_responses)
def test_any_response_gives_value_or_error(canned: CannedResponse) -> None:
    """Each action returns its typed value or raises PanelError, never another error."""
    untyped = asyncio.run(_untyped_outcomes(canned))

    assert untyped == []
