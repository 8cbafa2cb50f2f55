"""Each Dialect switch, one at a time, against the fixture panel."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from panel_async._states import OrderState
from panel_async.testing import Dialect, FakePanel, ManualClock
from panel_async.testing._dialect import (
    BooleanStyle,
    ErrorBody,
    PendingStartCount,
    StatusCase,
)

from .conftest import Add, Call, MakeCall


async def in_progress_order(add: Add, clock: ManualClock) -> None:
    await add()
    clock.advance(10)


async def completed_order(add: Add, clock: ManualClock) -> None:
    await add()
    clock.advance(60)


async def test_numbers_number_style(
    panel: FakePanel, add: Add, clock: ManualClock, call: Call
) -> None:
    panel.dialect = Dialect(numbers="number")
    await in_progress_order(add, clock)

    body = (await call("status", order="1")).json()

    assert body["charge"] == 0.09
    assert isinstance(body["start_count"], int)
    assert isinstance(body["remains"], int)


async def test_numbers_number_style_in_services(panel: FakePanel, call: Call) -> None:
    panel.dialect = Dialect(numbers="number")

    entry = (await call("services")).json()[0]

    assert (entry["rate"], entry["min"], entry["max"]) == (0.9, 50, 10000)


async def test_numbers_float_style(panel: FakePanel, add: Add, call: Call) -> None:
    panel.dialect = Dialect(numbers="float")
    await add()

    body = (await call("status", order="1")).json()

    assert body["remains"] == 100.0
    assert isinstance(body["remains"], float)
    assert isinstance(body["start_count"], float)


async def test_numbers_mixed_style_mixes_types(panel: FakePanel, call: Call) -> None:
    panel.dialect = Dialect(numbers="mixed")

    services = (await call("services")).json()

    kinds = {type(entry["min"]) for entry in services}
    assert kinds == {str, int, float}


async def test_numbers_mixed_style_is_seeded(make_call: MakeCall) -> None:
    first = make_call(FakePanel(seed=5, dialect=Dialect(numbers="mixed")))
    second = make_call(FakePanel(seed=5, dialect=Dialect(numbers="mixed")))

    assert (await first("services")).text == (await second("services")).text


@pytest.mark.parametrize(
    ("style", "true", "false"),
    [("bool", True, False), ("int", 1, 0), ("string", "1", "0")],
)
async def test_booleans_styles(
    panel: FakePanel,
    call: Call,
    style: BooleanStyle,
    true: bool | int | str,
    false: bool | int | str,
) -> None:
    panel.dialect = Dialect(booleans=style)

    services = (await call("services")).json()

    assert (services[0]["refill"], services[1]["refill"]) == (true, false)
    assert type(services[0]["cancel"]) is type(true)


async def test_booleans_omitted(panel: FakePanel, call: Call) -> None:
    panel.dialect = Dialect(booleans="omit", service_extra_fields=True)

    entry = (await call("services")).json()[0]

    assert "refill" not in entry
    assert "cancel" not in entry
    assert "dripfeed" not in entry


async def test_ids_as_strings(panel: FakePanel, call: Call, add: Add) -> None:
    panel.dialect = Dialect(ids="string")

    added = await add()
    services = await call("services")

    assert added.json() == {"order": "1"}
    assert services.json()[0]["service"] == "1"


async def test_ids_as_ints_for_single_refill(
    panel: FakePanel, add: Add, clock: ManualClock, call: Call
) -> None:
    panel.dialect = Dialect(ids="int")
    await completed_order(add, clock)

    response = await call("refill", order="1")

    assert response.json() == {"refill": 1}


@pytest.mark.parametrize(
    ("case", "word"),
    [
        ("standard", "In progress"),
        ("lower", "in progress"),
        ("snake", "in_progress"),
        ("upper", "IN PROGRESS"),
    ],
)
async def test_status_case(
    panel: FakePanel,
    add: Add,
    clock: ManualClock,
    call: Call,
    case: StatusCase,
    word: str,
) -> None:
    panel.dialect = Dialect(status_case=case)
    await in_progress_order(add, clock)

    response = await call("status", order="1")

    assert response.json()["status"] == word


async def test_status_words_replace_canonical(
    panel: FakePanel, add: Add, call: Call
) -> None:
    panel.dialect = Dialect(status_words={"Pending": "Awaiting"})
    await add()

    response = await call("status", order="1")

    assert response.json()["status"] == "Awaiting"


async def test_status_words_cancelled_spelling(
    panel: FakePanel, add: Add, call: Call
) -> None:
    panel.dialect = Dialect(status_words={"Canceled": "Cancelled"})
    await add()
    await call("cancel", orders="1")

    response = await call("status", order="1")

    assert response.json()["status"] == "Cancelled"


async def test_status_words_error_for_failed_order(make_call: MakeCall) -> None:
    panel = FakePanel(
        seeded_orders=300, dialect=Dialect(status_words={"Failed": "Error"})
    )
    call = make_call(panel)
    failed = next(i for i, o in panel.orders.items() if o.state is OrderState.FAILED)

    response = await call("status", order=str(failed))

    assert response.json()["status"] == "Error"


async def test_status_words_apply_to_refills(
    panel: FakePanel, add: Add, clock: ManualClock, call: Call
) -> None:
    panel.dialect = Dialect(status_words={"Pending": "Awaiting"}, status_case="upper")
    await completed_order(add, clock)
    await call("refill", order="1")

    response = await call("refill_status", refill="1")

    assert response.json() == {"status": "AWAITING"}


async def test_single_for_one_id_status(panel: FakePanel, add: Add, call: Call) -> None:
    panel.dialect = Dialect(single_for_one_id=True)
    await add()

    response = await call("status", orders="1")

    assert response.json()["status"] == "Pending"


async def test_single_for_one_id_status_error(panel: FakePanel, call: Call) -> None:
    panel.dialect = Dialect(single_for_one_id=True)

    response = await call("status", orders="5")

    assert response.json() == {"error": "Incorrect order ID"}


async def test_single_for_one_id_refill(
    panel: FakePanel, add: Add, clock: ManualClock, call: Call
) -> None:
    panel.dialect = Dialect(single_for_one_id=True)
    await completed_order(add, clock)

    response = await call("refill", orders="1")

    assert response.json() == {"refill": "1"}


async def test_single_for_one_id_refill_status(
    panel: FakePanel, add: Add, clock: ManualClock, call: Call
) -> None:
    panel.dialect = Dialect(single_for_one_id=True)
    await completed_order(add, clock)
    await call("refill", order="1")

    response = await call("refill_status", refills="1")

    assert response.json() == {"status": "Pending"}


async def test_single_for_one_id_keeps_multi_for_two(
    panel: FakePanel, add: Add, call: Call
) -> None:
    panel.dialect = Dialect(single_for_one_id=True)
    await add()

    response = await call("status", orders="1,2")

    assert set(response.json()) == {"1", "2"}


async def test_keyed_for_single_status(panel: FakePanel, add: Add, call: Call) -> None:
    panel.dialect = Dialect(keyed_for_single=True)
    await add()

    response = await call("status", order="1")

    assert response.json()["1"]["status"] == "Pending"


async def test_keyed_for_single_refill(
    panel: FakePanel, add: Add, clock: ManualClock, call: Call
) -> None:
    panel.dialect = Dialect(keyed_for_single=True)
    await completed_order(add, clock)

    response = await call("refill", order="1")

    assert response.json() == [{"order": 1, "refill": 1}]


async def test_keyed_for_single_refill_status(
    panel: FakePanel, add: Add, clock: ManualClock, call: Call
) -> None:
    panel.dialect = Dialect(keyed_for_single=True)
    await completed_order(add, clock)
    await call("refill", order="1")

    response = await call("refill_status", refill="1")

    assert response.json() == [{"refill": 1, "status": "Pending"}]


async def test_id_errors_as_entries_in_status(panel: FakePanel, call: Call) -> None:
    panel.dialect = Dialect(id_errors="entry")

    response = await call("status", orders="10")

    assert response.json() == {"10": {"order": 10, "error": "Incorrect order ID"}}


async def test_id_errors_as_entries_in_refill(panel: FakePanel, call: Call) -> None:
    panel.dialect = Dialect(id_errors="entry")

    response = await call("refill", orders="7")

    assert response.json() == [{"order": 7, "error": "Incorrect order ID"}]


async def test_id_errors_missing_from_status(
    panel: FakePanel, add: Add, call: Call
) -> None:
    panel.dialect = Dialect(id_errors="missing")
    await add()

    response = await call("status", orders="1,10")

    assert list(response.json()) == ["1"]


async def test_id_errors_missing_from_refill_status(
    panel: FakePanel, call: Call
) -> None:
    panel.dialect = Dialect(id_errors="missing")

    response = await call("refill_status", refills="1,2")

    assert response.json() == []


async def test_cancel_shape_map(panel: FakePanel, add: Add, call: Call) -> None:
    panel.dialect = Dialect(cancel_shape="map")
    await add()

    response = await call("cancel", orders="1,9")

    assert response.json() == {"1": "success", "9": {"error": "Incorrect order ID"}}


async def test_cancel_shape_single(panel: FakePanel, add: Add, call: Call) -> None:
    panel.dialect = Dialect(cancel_shape="single")
    await add()

    response = await call("cancel", orders="1")

    assert response.json() == {"cancel": 1}


async def test_cancel_shape_single_error(panel: FakePanel, call: Call) -> None:
    panel.dialect = Dialect(cancel_shape="single")

    response = await call("cancel", orders="9")

    assert response.json() == {"error": "Incorrect order ID"}


async def test_cancel_shape_single_lists_two_ids(
    panel: FakePanel, add: Add, call: Call
) -> None:
    panel.dialect = Dialect(cancel_shape="single")
    await add()

    response = await call("cancel", orders="1,9")

    assert isinstance(response.json(), list)


async def test_refill_extra_keys_single(
    panel: FakePanel, add: Add, clock: ManualClock, call: Call
) -> None:
    panel.dialect = Dialect(refill_extra_keys=True)
    await completed_order(add, clock)

    response = await call("refill", order="1")

    assert response.json() == {
        "refill": "1",
        "success": "Refill request has been received",
    }


async def test_refill_extra_keys_multi(
    panel: FakePanel, add: Add, clock: ManualClock, call: Call
) -> None:
    panel.dialect = Dialect(refill_extra_keys=True)
    await completed_order(add, clock)

    response = await call("refill", orders="1")

    assert response.json()[0]["success"] == "Refill request has been received"


async def test_services_wrapped(panel: FakePanel, call: Call) -> None:
    panel.dialect = Dialect(services_wrapped=True)

    response = await call("services")

    assert list(response.json()) == ["services"]
    assert response.json()["services"][0]["service"] == 1


async def test_service_extra_fields(panel: FakePanel, call: Call) -> None:
    panel.dialect = Dialect(service_extra_fields=True)

    entry = (await call("services")).json()[0]

    assert entry["dripfeed"] is True
    assert entry["desc"]
    assert entry["average_time"]


@pytest.mark.parametrize(
    ("body", "word"), [("status_error", "error"), ("status_fail", "fail")]
)
async def test_error_body_with_status_word(
    panel: FakePanel, call: Call, body: ErrorBody, word: str
) -> None:
    panel.dialect = Dialect(error_body=body)

    response = await call("nothing")

    assert response.json() == {"status": word, "message": "Incorrect request"}


async def test_error_status_code(panel: FakePanel, call: Call) -> None:
    panel.dialect = Dialect(error_status=400)

    response = await call("nothing")

    assert response.status_code == 400
    assert response.json() == {"error": "Incorrect request"}


async def test_error_status_does_not_touch_per_id_errors(
    panel: FakePanel, call: Call
) -> None:
    panel.dialect = Dialect(error_status=400)

    response = await call("status", orders="5,6")

    assert response.status_code == 200


async def test_key_error_status_code(panel: FakePanel, call: Call) -> None:
    panel.dialect = Dialect(error_status=400, key_error_status=401)

    bad_key = await call("balance", key="nope")
    bad_action = await call("nothing")

    assert bad_key.status_code == 401
    assert bad_action.status_code == 400


@pytest.mark.parametrize("message", ["Incorrect API key", "invalid_api_key"])
async def test_key_error_message(panel: FakePanel, call: Call, message: str) -> None:
    panel.dialect = Dialect(key_error_message=message)

    response = await call("balance", key="nope")

    assert response.json() == {"error": message}


async def test_max_ids_reject(panel: FakePanel, call: Call) -> None:
    panel.dialect = Dialect(max_ids=50)
    ids = ",".join(str(i) for i in range(1, 52))

    response = await call("status", orders=ids)

    assert response.json() == {"error": "Too many orders, max 50"}


async def test_max_ids_truncate(panel: FakePanel, call: Call) -> None:
    panel.dialect = Dialect(max_ids=50, over_max_ids="truncate")
    ids = ",".join(str(i) for i in range(1, 61))

    response = await call("status", orders=ids)

    assert list(response.json()) == [str(i) for i in range(1, 51)]


async def test_max_ids_truncate_at_panel_cap(panel: FakePanel, call: Call) -> None:
    panel.dialect = Dialect(over_max_ids="truncate")
    ids = ",".join(str(i) for i in range(1, 151))

    response = await call("cancel", orders=ids)

    assert len(response.json()) == 100


async def test_redirect_slash(panel: FakePanel, call: Call) -> None:
    panel.dialect = Dialect(redirect="slash")

    response = await call("add", service="1", link="x", quantity="100")

    assert response.status_code == 301
    assert response.headers["location"] == "http://127.0.0.1/api/v2/"
    assert panel.orders_created == 0


async def test_redirect_slash_serves_target(
    panel: FakePanel, client: httpx.AsyncClient
) -> None:
    panel.dialect = Dialect(redirect="slash", redirect_status=302)

    response = await client.post(
        "/api/v2/", data={"key": "test-key", "action": "balance"}
    )

    assert response.status_code == 200
    assert response.json()["currency"] == "USD"


async def test_redirect_followed_becomes_get(
    panel: FakePanel, client: httpx.AsyncClient
) -> None:
    """Following a 301 turns the POST into a GET, which the panel rejects."""
    panel.dialect = Dialect(redirect="slash")

    response = await client.post(
        "/api/v2", data={"key": "test-key", "action": "balance"}, follow_redirects=True
    )

    assert response.json() == {"error": "Incorrect request"}


async def test_redirect_https(panel: FakePanel, call: Call) -> None:
    panel.dialect = Dialect(redirect="https", redirect_status=302)

    response = await call("balance")

    assert response.status_code == 302
    assert response.headers["location"] == "https://127.0.0.1/api/v2"


@pytest.mark.parametrize("status", [403, 503])
async def test_challenge_page(panel: FakePanel, call: Call, status: int) -> None:
    panel.dialect = Dialect(challenge_status=status)

    response = await call("balance")

    assert response.status_code == status
    assert response.headers["cf-mitigated"] == "challenge"
    assert response.headers["content-type"].startswith("text/html")
    assert "Just a moment" in response.text


@pytest.mark.parametrize(
    ("style", "value"),
    [("zero", "0"), ("empty", ""), ("null", None), ("unknown", "Unknown")],
)
async def test_pending_start_count(
    panel: FakePanel, add: Add, call: Call, style: PendingStartCount, value: str | None
) -> None:
    panel.dialect = Dialect(pending_start_count=style)
    await add()

    response = await call("status", order="1")

    assert response.json()["start_count"] == value


def test_standard_preset_is_default() -> None:
    assert Dialect.standard() == Dialect()


def test_numeric_preset() -> None:
    dialect = Dialect.numeric()

    assert (dialect.numbers, dialect.booleans, dialect.ids) == ("number", "int", "int")


def test_sloppy_preset_status_words() -> None:
    dialect = Dialect.sloppy()

    assert dialect.status_word("Canceled") == "cancelled"
    assert dialect.status_word("Failed") == "error"
    assert dialect.status_word("In progress") == "in_progress"


async def test_terse_preset_truncates(make_call: MakeCall) -> None:
    call = make_call(FakePanel(dialect=Dialect.terse(max_ids=3)))

    response = await call("status", orders="1,2,3,4")

    assert response.json() == {}


async def test_cloudflare_preset(make_call: MakeCall) -> None:
    call = make_call(FakePanel(dialect=Dialect.cloudflare(status=403)))

    response = await call("balance")

    assert response.status_code == 403


async def test_moved_preset(make_call: MakeCall) -> None:
    call = make_call(FakePanel(dialect=Dialect.moved()))

    response = await call("balance")

    assert response.status_code == 301


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("error_status", 500),
        ("key_error_status", 302),
        ("redirect_status", 200),
        ("max_ids", 0),
        ("challenge_status", 99),
    ],
)
def test_dialect_rejects_bad_switch(name: str, value: int) -> None:
    # Dialect fields differ in type, so mypy accepts this mapping only as Any values.
    switch: dict[str, Any] = {name: value}

    with pytest.raises(ValueError, match=name):
        Dialect(**switch)
