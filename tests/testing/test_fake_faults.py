"""FaultPlan parsing and drawing, and each fault kind in process."""

from __future__ import annotations

import json
from decimal import Decimal

import httpx
import pytest

from panel_async.testing import FakePanel, FaultKind, FaultPlan
from panel_async.testing._faults import FaultRoller

from .conftest import Add, Call, MakeCall


def test_fault_plan_parse_reads_fields() -> None:
    plan = FaultPlan.parse("reset_after=0.1, http_502=0.05,seed=3")

    assert plan == FaultPlan(reset_after=0.1, http_502=0.05, seed=3)


def test_fault_plan_parse_empty_text() -> None:
    assert FaultPlan.parse("") == FaultPlan()


def test_fault_plan_parse_actions() -> None:
    plan = FaultPlan.parse("stall=1,stall_seconds=2.5,actions=add+status")

    assert plan.actions == frozenset({"add", "status"})
    assert plan.stall_seconds == 2.5


def test_fault_plan_parse_unknown_name() -> None:
    with pytest.raises(ValueError, match="unknown fault setting 'resets'"):
        FaultPlan.parse("resets=0.1")


def test_fault_plan_parse_bad_number() -> None:
    with pytest.raises(ValueError, match="is not a number"):
        FaultPlan.parse("http_502=often")


def test_fault_plan_parse_missing_equals() -> None:
    with pytest.raises(ValueError, match="name=value"):
        FaultPlan.parse("http_502")


def test_fault_plan_rejects_total_above_one() -> None:
    with pytest.raises(ValueError, match="add up to"):
        FaultPlan(reset_before=0.6, reset_after=0.6)


def test_fault_plan_rejects_probability_above_one() -> None:
    with pytest.raises(ValueError, match="stall"):
        FaultPlan(stall=1.5)


def test_fault_plan_empty_by_default() -> None:
    assert FaultPlan().is_empty


def test_fault_kind_runs_action() -> None:
    after = {kind for kind in FaultKind if kind.runs_action}

    assert after == {FaultKind.RESET_AFTER, FaultKind.TRUNCATED_JSON, FaultKind.STALL}


def test_fault_roller_repeats_for_same_seed() -> None:
    plan = FaultPlan(http_502=0.3, reset_after=0.3, seed=11)
    first, second = FaultRoller(plan), FaultRoller(plan)

    draws = [first.roll("status") for _ in range(200)]

    assert draws == [second.roll("status") for _ in range(200)]


def test_fault_roller_differs_for_other_seed() -> None:
    first = FaultRoller(FaultPlan(http_502=0.5, seed=1))
    second = FaultRoller(FaultPlan(http_502=0.5, seed=2))

    assert [first.roll("x") for _ in range(50)] != [second.roll("x") for _ in range(50)]


def test_fault_roller_follows_probability() -> None:
    roller = FaultRoller(FaultPlan(http_503=0.25, seed=4))

    hits = sum(roller.roll("status") is FaultKind.HTTP_503 for _ in range(4000))

    assert 850 < hits < 1150


def test_fault_roller_skips_other_actions() -> None:
    roller = FaultRoller(FaultPlan(http_503=1.0, actions={"add"}))

    assert roller.roll("status") is None
    assert roller.roll("add") is FaultKind.HTTP_503


async def test_connect_error_raises_connect_error(panel: FakePanel, add: Add) -> None:
    panel.faults = FaultPlan(connect_error=1.0)

    with pytest.raises(httpx.ConnectError):
        await add()

    assert panel.orders_created == 0
    assert panel.requests == {}
    assert panel.faults_injected == {"connect_error": 1}


async def test_reset_before_does_not_create_order(panel: FakePanel, add: Add) -> None:
    panel.faults = FaultPlan(reset_before=1.0)

    with pytest.raises(httpx.ReadError):
        await add()

    assert panel.orders_created == 0
    assert panel.balance == Decimal(1000)
    assert panel.requests == {"add": 1}


async def test_reset_after_creates_order(panel: FakePanel, add: Add) -> None:
    panel.faults = FaultPlan(reset_after=1.0)

    with pytest.raises(httpx.ReadError):
        await add()

    assert panel.orders_created == 1
    assert panel.balance == Decimal("999.91000")


async def test_reset_after_cancel_really_cancels(
    panel: FakePanel, add: Add, call: Call
) -> None:
    await add()
    panel.faults = FaultPlan(reset_after=1.0)

    with pytest.raises(httpx.ReadError):
        await call("cancel", orders="1")

    assert panel.orders[1].status == "Canceled"


@pytest.mark.parametrize(
    ("plan", "status", "text"),
    [
        (FaultPlan(http_502=1.0), 502, "502 Bad Gateway"),
        (FaultPlan(http_503=1.0), 503, "503 Service Temporarily Unavailable"),
    ],
)
async def test_proxy_error_page(
    panel: FakePanel, add: Add, plan: FaultPlan, status: int, text: str
) -> None:
    panel.faults = plan

    response = await add()

    assert response.status_code == status
    assert response.headers["content-type"].startswith("text/html")
    assert text in response.text
    assert panel.orders_created == 0


async def test_http_429_fault_sends_retry_after(panel: FakePanel, add: Add) -> None:
    panel.faults = FaultPlan(http_429=1.0, retry_after=7)

    response = await add()

    assert response.status_code == 429
    assert response.headers["retry-after"] == "7"
    assert panel.orders_created == 0


async def test_http_429_fault_is_recorded(panel: FakePanel, call: Call) -> None:
    panel.faults = FaultPlan(http_429=1.0)

    await call("balance")

    assert [(e.reason, e.action, e.retry_after) for e in panel.throttled] == [
        ("fault", "balance", 1)
    ]


@pytest.mark.parametrize("status", [200, 403])
async def test_html_challenge_fault(panel: FakePanel, add: Add, status: int) -> None:
    panel.faults = FaultPlan(html_challenge=1.0, challenge_status=status)

    response = await add()

    assert response.status_code == status
    assert response.headers["cf-mitigated"] == "challenge"
    assert "<html" in response.text
    assert panel.orders_created == 0


async def test_truncated_json_cuts_body(panel: FakePanel, add: Add) -> None:
    panel.faults = FaultPlan(truncated_json=1.0)

    response = await add()

    assert response.content == b'{"ord'
    assert response.headers["content-length"] == "5"
    with pytest.raises(json.JSONDecodeError):
        response.json()


async def test_truncated_json_runs_action(panel: FakePanel, add: Add) -> None:
    panel.faults = FaultPlan(truncated_json=1.0)

    await add()

    assert panel.orders_created == 1


async def test_stall_past_read_timeout_raises(
    panel: FakePanel, client: httpx.AsyncClient
) -> None:
    panel.faults = FaultPlan(stall=1.0)
    data = {
        "key": "test-key",
        "action": "add",
        "service": "1",
        "link": "L",
        "quantity": "100",
    }

    with pytest.raises(httpx.ReadTimeout):
        await client.post("/api/v2", data=data, timeout=0.05)

    assert panel.orders_created == 1
    assert panel.in_flight == 0


async def test_stall_shorter_than_timeout_responds(
    panel: FakePanel, call: Call
) -> None:
    panel.faults = FaultPlan(stall=1.0, stall_seconds=0.01)

    response = await call("balance")

    assert response.json()["currency"] == "USD"


async def test_faults_limited_to_actions(
    panel: FakePanel, add: Add, call: Call
) -> None:
    panel.faults = FaultPlan(http_502=1.0, actions={"add"})

    balance = await call("balance")
    added = await add()

    assert balance.status_code == 200
    assert added.status_code == 502


async def test_faults_given_to_constructor(make_call: MakeCall) -> None:
    call = make_call(FakePanel(faults=FaultPlan.parse("http_503=1")))

    response = await call("balance")

    assert response.status_code == 503


async def test_faults_counted_by_kind(panel: FakePanel, call: Call) -> None:
    panel.faults = FaultPlan(http_502=0.5, http_503=0.5)

    for _ in range(10):
        await call("balance")

    injected = panel.faults_injected
    assert sum(injected.values()) == 10
    assert set(injected) == {"http_502", "http_503"}
