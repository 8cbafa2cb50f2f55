"""Tests of the response readers: every action, response shape and status word."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from panel_async import (
    Balance,
    OrderState,
    OrderStatus,
    PanelAPIError,
    PanelAuthError,
    PanelError,
    PanelMissingIDError,
    PanelNotFoundError,
    PanelResponseError,
    RefillState,
    RefillStatus,
    Service,
)
from panel_async._convert import (
    error_message_of,
    read_balance,
    read_cancels,
    read_order_id,
    read_order_status,
    read_order_statuses,
    read_refill_id,
    read_refill_status,
    read_refill_statuses,
    read_refills,
    read_services,
)


def decode(text: str) -> Any:
    """Decode JSON as the transport does: numbers with a dot become Decimal."""
    return json.loads(text, parse_float=Decimal)


DOCUMENTED_SERVICES = """
[
  {"service": 1, "name": "Followers", "type": "Default", "category": "First Category",
   "rate": "0.90", "min": "50", "max": "10000", "refill": true, "cancel": true},
  {"service": 2, "name": "Comments", "type": "Custom Comments",
   "category": "Second Category", "rate": "8", "min": "10", "max": "1500",
   "refill": false, "cancel": true}
]
"""


# --- services -------------------------------------------------------------------


def test_services_documented_answer() -> None:
    services = read_services(decode(DOCUMENTED_SERVICES))

    assert len(services) == 2
    first, second = services
    assert first.id == 1
    assert first.name == "Followers"
    assert first.type == "Default"
    assert first.category == "First Category"
    assert first.rate == Decimal("0.90")
    assert isinstance(first.rate, Decimal)
    assert first.min == 50
    assert first.max == 10000
    assert first.refill is True
    assert first.cancel is True
    assert second.type == "Custom Comments"
    assert second.refill is False


@pytest.mark.parametrize("wrapper", ["services", "data", "result", "response"])
def test_services_wrapped_list(wrapper: str) -> None:
    answer = {wrapper: decode(DOCUMENTED_SERVICES), "status": "success"}
    services = read_services(answer)
    assert [service.id for service in services] == [1, 2]


@pytest.mark.parametrize(
    ("service_id", "expected"),
    [(18801, 18801), ("18801", 18801), ("svc_9f2", "svc_9f2")],
)
def test_services_id_as_number_or_text(service_id: object, expected: object) -> None:
    (service,) = read_services([{"service": service_id, "name": "x", "rate": "1"}])
    assert service.id == expected


@pytest.mark.parametrize(
    ("flag", "expected"),
    [(True, True), (False, False), (1, True), (0, False), ("1", True), ("0", False),
     ("true", True), (None, None)],
)  # fmt: skip
def test_services_boolean_forms(flag: object, expected: bool | None) -> None:
    entry = {"service": 1, "name": "x", "rate": "1", "refill": flag, "cancel": flag}
    (service,) = read_services([entry])
    assert service.refill is expected
    assert service.cancel is expected


def test_services_missing_flags_are_none() -> None:
    (service,) = read_services([{"service": 1, "name": "x", "rate": "1"}])
    assert service.refill is None
    assert service.cancel is None
    assert service.dripfeed is None
    assert service.min is None
    assert service.max is None
    assert service.type == "Default"


@pytest.mark.parametrize(
    ("rate", "expected"),
    [("0.90", "0.90"), (Decimal("0.08011655652"), "0.08011655652"), (8, "8"),
     ("12.50000", "12.50000")],
)  # fmt: skip
def test_services_rate_exact(rate: object, expected: str) -> None:
    (service,) = read_services([{"service": 1, "name": "x", "rate": rate}])
    assert isinstance(service.rate, Decimal)
    assert str(service.rate) == expected


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [("50", "10000", (50, 10000)), (50, 10000, (50, 10000)), ("", "", (None, None)),
     (None, None, (None, None)), ("Unknown", "10000", (None, 10000))],
)  # fmt: skip
def test_services_min_max_forms(
    low: object, high: object, expected: tuple[int | None, int | None]
) -> None:
    entry = {"service": 1, "name": "x", "rate": "1", "min": low, "max": high}
    (service,) = read_services([entry])
    assert (service.min, service.max) == expected


def test_services_extra_fields_kept() -> None:
    entry = {
        "service": 1,
        "name": "x",
        "rate": "1",
        "dripfeed": "1",
        "desc": "Real followers",
        "average_time": "2 hours",
    }
    (service,) = read_services([entry])
    assert service.dripfeed is True
    assert service.extra == {"desc": "Real followers", "average_time": "2 hours"}


@pytest.mark.parametrize(
    "answer",
    [{}, {"services": "none"}, "services", 5, None, [5], [{"service": 1}]],
)
def test_services_malformed_answer(answer: object) -> None:
    with pytest.raises(PanelResponseError, match="services"):
        read_services(answer)


# --- balance --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ('{"balance": "100.84292", "currency": "USD"}', "100.84292"),
        ('{"balance": 100.84292, "currency": "USD"}', "100.84292"),
        ('{"balance": 100, "currency": "USD"}', "100"),
        ('{"balance": "0.00000", "currency": "USD"}', "0.00000"),
    ],
)
def test_balance_exact(text: str, amount: str) -> None:
    balance = read_balance(decode(text))
    assert balance == Balance(Decimal(amount), "USD")
    assert isinstance(balance.amount, Decimal)
    assert str(balance.amount) == amount


def test_balance_without_currency() -> None:
    assert read_balance({"balance": "5"}).currency is None


@pytest.mark.parametrize(
    "answer",
    [{}, {"balance": ""}, {"balance": None}, {"balance": "Unknown"}, [], "100"],
)
def test_balance_malformed(answer: object) -> None:
    with pytest.raises(PanelResponseError, match="balance"):
        read_balance(answer)


# --- add ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ({"order": 23501}, 23501),
        ({"order": "23501"}, 23501),
        ({"order": "ord_01HG7Q"}, "ord_01HG7Q"),
        ({"order_id": 23501}, 23501),
        ({"id": "23501"}, 23501),
        ({"order": 23501, "status": "success", "charge": "0.5"}, 23501),
    ],
)
def test_order_id(answer: object, expected: int | str) -> None:
    assert read_order_id(answer) == expected


@pytest.mark.parametrize(
    "answer", [{}, {"order": None}, {"order": ""}, {"order": -5}, [], [23501], "23501"]
)
def test_order_id_malformed(answer: object) -> None:
    with pytest.raises(PanelResponseError, match="add"):
        read_order_id(answer)


# --- refill (one order) ---------------------------------------------------------


@pytest.mark.parametrize(
    "answer",
    [
        {"refill": "1"},
        {"refill": 1},
        {"refill": 1, "success": "Refill request accepted"},
        [{"order": 7, "refill": 1}],
        {"7": {"refill": 1}},
        {"7": 1},
    ],
)
def test_refill_id_shapes(answer: object) -> None:
    assert read_refill_id(answer, "7") == 1


def test_refill_id_error_inside() -> None:
    with pytest.raises(PanelNotFoundError) as caught:
        read_refill_id({"refill": {"error": "Incorrect order ID"}}, "7")
    assert caught.value.message == "Incorrect order ID"


def test_refill_id_error_as_entry() -> None:
    with pytest.raises(PanelNotFoundError):
        read_refill_id([{"order": 7, "error": "Incorrect order ID"}], "7")


def test_refill_id_missing() -> None:
    with pytest.raises(PanelMissingIDError):
        read_refill_id([{"order": 8, "refill": 1}], "7")


# --- status (one order) ---------------------------------------------------------

DOCUMENTED_STATUS = (
    '{"charge": "0.27819", "start_count": "3572", "status": "Partial", '
    '"remains": "157", "currency": "USD"}'
)


def test_order_status_documented() -> None:
    status = read_order_status(decode(DOCUMENTED_STATUS), "5")

    assert status.status is OrderState.PARTIAL
    assert status.raw_status == "Partial"
    assert status.charge == Decimal("0.27819")
    assert isinstance(status.charge, Decimal)
    assert status.start_count == 3572
    assert status.remains == 157
    assert status.currency == "USD"
    assert status.is_final


def test_order_status_numbers_as_json_numbers() -> None:
    text = (
        '{"charge": 0.27819, "start_count": 3572, "status": "Partial", '
        '"remains": 157, "currency": "USD"}'
    )
    status = read_order_status(decode(text), "5")
    assert status.charge == Decimal("0.27819")
    assert str(status.charge) == "0.27819"
    assert status.start_count == 3572
    assert status.remains == 157


@pytest.mark.parametrize("blank", ["", None, "Unknown"])
def test_order_status_blank_numbers_are_none(blank: object) -> None:
    answer = {
        "status": "Pending",
        "charge": blank,
        "start_count": blank,
        "remains": blank,
    }
    status = read_order_status(answer, "5")
    assert status.charge is None
    assert status.start_count is None
    assert status.remains is None


def test_order_status_only_status_word() -> None:
    status = read_order_status({"status": "In progress"}, "5")
    assert status == OrderStatus("In progress")
    assert status.charge is None
    assert status.currency is None


@pytest.mark.parametrize(
    "answer",
    [
        {"5": {"status": "Completed", "charge": "1"}},
        [{"order": 5, "status": "Completed", "charge": "1"}],
        [{"order": "5", "status": "Completed", "charge": "1"}],
        [{"status": "Completed", "charge": "1"}],
    ],
)
def test_order_status_other_shapes(answer: object) -> None:
    status = read_order_status(answer, "5")
    assert status.status is OrderState.COMPLETED
    assert status.charge == Decimal("1")


@pytest.mark.parametrize(
    ("answer", "error_class"),
    [
        ({"error": "Incorrect order ID"}, PanelNotFoundError),
        ({"status": "error", "message": "Incorrect order ID"}, PanelNotFoundError),
        ({"status": "fail", "message": "Invalid API key"}, PanelAuthError),
        ({"5": {"error": "Incorrect order ID"}}, PanelNotFoundError),
        ({"status": {"error": "Incorrect order ID"}}, PanelNotFoundError),
    ],
)
def test_order_status_error_shapes(
    answer: object, error_class: type[PanelAPIError]
) -> None:
    with pytest.raises(error_class):
        read_order_status(answer, "5")


@pytest.mark.parametrize("word", ["Error", "error", "Fail", "Failed"])
def test_error_word_with_order_fields_is_status(word: str) -> None:
    # "Error" is also an order status word; order fields make it a status.
    answer = {"status": word, "charge": "0", "start_count": "0", "remains": "100"}
    status = read_order_status(answer, "5")
    assert status.status is OrderState.FAILED
    assert status.raw_status == word
    assert status.remains == 100


def test_error_word_with_message_and_order_fields_is_status() -> None:
    answer = {"status": "Fail", "message": "Link is private", "charge": "0"}
    status = read_order_status(answer, "5")
    assert status.status is OrderState.FAILED


@pytest.mark.parametrize("answer", [[], "Completed", 5, None, [1, 2]])
def test_order_status_malformed(answer: object) -> None:
    with pytest.raises(PanelError):
        read_order_status(answer, "5")


# --- status (many orders) -------------------------------------------------------

DOCUMENTED_STATUSES = """
{
  "1": {"charge": "0.27819", "start_count": "3572", "status": "Partial",
        "remains": "157", "currency": "USD"},
  "10": {"error": "Incorrect order ID"},
  "100": {"charge": "1.44219", "start_count": "234", "status": "In progress",
          "remains": "10", "currency": "USD"}
}
"""


def test_statuses_documented_keyed() -> None:
    result = read_order_statuses(decode(DOCUMENTED_STATUSES), ["1", "10", "100"])

    assert list(result) == ["1", "10", "100"]
    first = result["1"]
    assert isinstance(first, OrderStatus)
    assert first.status is OrderState.PARTIAL
    assert first.charge == Decimal("0.27819")
    error = result["10"]
    assert isinstance(error, PanelNotFoundError)
    assert error.message == "Incorrect order ID"
    assert error.action == "status"
    last = result["100"]
    assert isinstance(last, OrderStatus)
    assert last.status is OrderState.IN_PROGRESS
    assert last.charge == Decimal("1.44219")


def test_statuses_keys_in_requested_order() -> None:
    result = read_order_statuses(decode(DOCUMENTED_STATUSES), ["100", "1", "10"])
    assert list(result) == ["100", "1", "10"]


def test_statuses_list_of_entries() -> None:
    answer = [
        {"order": 1, "status": "Completed", "charge": "1.5"},
        {"order": "2", "status": "Pending"},
        {"order": 3, "error": "Incorrect order ID"},
    ]
    result = read_order_statuses(answer, ["1", "2", "3"])

    first = result["1"]
    assert isinstance(first, OrderStatus)
    assert first.status is OrderState.COMPLETED
    second = result["2"]
    assert isinstance(second, OrderStatus)
    assert second.status is OrderState.PENDING
    assert isinstance(result["3"], PanelNotFoundError)


def test_statuses_missing_id_is_an_error() -> None:
    answer = {"1": {"status": "Completed"}}
    result = read_order_statuses(answer, ["1", "2"])

    missing = result["2"]
    assert isinstance(missing, PanelMissingIDError)
    assert isinstance(missing, PanelNotFoundError)
    assert "2" in missing.message
    assert missing.action == "status"


def test_statuses_missing_id_in_list_shape() -> None:
    result = read_order_statuses([{"order": 1, "status": "Completed"}], ["1", "2"])
    assert isinstance(result["1"], OrderStatus)
    assert isinstance(result["2"], PanelMissingIDError)


def test_statuses_extra_ids_ignored() -> None:
    answer = {"1": {"status": "Completed"}, "999": {"status": "Pending"}}
    result = read_order_statuses(answer, ["1"])
    assert list(result) == ["1"]


def test_statuses_single_shape_for_one_id() -> None:
    result = read_order_statuses(decode(DOCUMENTED_STATUS), ["5"])
    status = result["5"]
    assert isinstance(status, OrderStatus)
    assert status.status is OrderState.PARTIAL
    assert status.remains == 157


def test_statuses_single_error_for_one_id() -> None:
    result = read_order_statuses({"error": "Incorrect order ID"}, ["5"])
    assert isinstance(result["5"], PanelNotFoundError)


def test_statuses_wrapped_in_data() -> None:
    answer = {"data": {"1": {"status": "Completed"}, "2": {"status": "Canceled"}}}
    result = read_order_statuses(answer, ["1", "2"])
    second = result["2"]
    assert isinstance(second, OrderStatus)
    assert second.status is OrderState.CANCELED


def test_statuses_error_word_is_a_status() -> None:
    answer = {
        "1": {"status": "Error", "charge": "0", "start_count": "0", "remains": "50"},
        "2": {"status": "error", "message": "Incorrect order ID"},
    }
    result = read_order_statuses(answer, ["1", "2"])
    first = result["1"]
    assert isinstance(first, OrderStatus)
    assert first.status is OrderState.FAILED
    assert isinstance(result["2"], PanelNotFoundError)


def test_statuses_bad_entry_is_that_ids_error() -> None:
    answer = {"1": "Completed", "2": {"status": "Completed"}}
    result = read_order_statuses(answer, ["1", "2"])
    assert isinstance(result["1"], PanelResponseError)
    assert isinstance(result["2"], OrderStatus)


@pytest.mark.parametrize("answer", ["text", 5, None])
def test_statuses_not_an_object(answer: object) -> None:
    with pytest.raises(PanelResponseError):
        read_order_statuses(answer, ["1", "2"])


# --- refill_status --------------------------------------------------------------


def test_refill_status_single() -> None:
    status = read_refill_status({"status": "Completed"}, "3")
    assert status == RefillStatus("Completed")
    assert status.status is RefillState.COMPLETED
    assert status.is_final


def test_refill_status_error() -> None:
    with pytest.raises(PanelNotFoundError):
        read_refill_status({"error": "Refill not found"}, "3")


def test_refill_statuses_documented_list() -> None:
    answer = decode(
        '[{"refill": 1, "status": "Completed"}, {"refill": 2, "status": "Rejected"},'
        ' {"refill": 3, "status": {"error": "Refill not found"}}]'
    )
    result = read_refill_statuses(answer, ["1", "2", "3", "4"])

    first = result["1"]
    assert isinstance(first, RefillStatus)
    assert first.status is RefillState.COMPLETED
    second = result["2"]
    assert isinstance(second, RefillStatus)
    assert second.status is RefillState.REJECTED
    third = result["3"]
    assert isinstance(third, PanelNotFoundError)
    assert third.message == "Refill not found"
    assert isinstance(result["4"], PanelMissingIDError)


def test_refill_statuses_keyed_words() -> None:
    answer = {"1": "Pending", "2": {"status": "In progress"}, "3": {"error": "x"}}
    result = read_refill_statuses(answer, ["1", "2", "3"])
    first = result["1"]
    assert isinstance(first, RefillStatus)
    assert first.status is RefillState.PENDING
    second = result["2"]
    assert isinstance(second, RefillStatus)
    assert second.status is RefillState.IN_PROGRESS
    assert isinstance(result["3"], PanelAPIError)


def test_refill_statuses_single_shape_for_one_id() -> None:
    result = read_refill_statuses({"status": "Rejected"}, ["9"])
    status = result["9"]
    assert isinstance(status, RefillStatus)
    assert status.status is RefillState.REJECTED


# --- refill (many orders) -------------------------------------------------------


def test_refills_documented_list() -> None:
    answer = decode(
        '[{"order": 1, "refill": 1}, {"order": 2, "refill": 2},'
        ' {"order": 3, "refill": {"error": "Incorrect order ID"}}]'
    )
    result = read_refills(answer, ["1", "2", "3"])

    assert result["1"] == 1
    assert result["2"] == 2
    error = result["3"]
    assert isinstance(error, PanelNotFoundError)
    assert error.action == "refill"


def test_refills_extra_keys() -> None:
    answer = [
        {"order": 1, "refill": "77", "success": "Refill request accepted"},
        {"order": 2, "refill_id": "rf_2", "status": "success"},
    ]
    result = read_refills(answer, ["1", "2"])
    assert result["1"] == 77
    assert result["2"] == "rf_2"


def test_refills_error_as_entry_and_missing() -> None:
    answer = [{"order": 1, "refill": 5}, {"order": 2, "error": "Incorrect order ID"}]
    result = read_refills(answer, ["1", "2", "3"])
    assert result["1"] == 5
    assert isinstance(result["2"], PanelNotFoundError)
    assert isinstance(result["3"], PanelMissingIDError)


def test_refills_keyed_map() -> None:
    answer = {"1": {"refill": 5}, "2": 6, "3": {"error": "Refill already requested"}}
    result = read_refills(answer, ["1", "2", "3"])
    assert result["1"] == 5
    assert result["2"] == 6
    assert isinstance(result["3"], PanelAPIError)


def test_refills_single_shape_for_one_id() -> None:
    assert read_refills({"refill": "12"}, ["4"]) == {"4": 12}


# --- cancel ---------------------------------------------------------------------


def test_cancels_documented_list() -> None:
    answer = decode(
        '[{"order": 9, "cancel": {"error": "Incorrect order ID"}},'
        ' {"order": 2, "cancel": 1}]'
    )
    result = read_cancels(answer, ["2", "9"])

    assert list(result) == ["2", "9"]
    assert result["2"] is True
    error = result["9"]
    assert isinstance(error, PanelNotFoundError)
    assert error.action == "cancel"


@pytest.mark.parametrize("word", [1, "1", True, "ok", "Success", "cancelled", "done"])
def test_cancels_map_of_words(word: object) -> None:
    result = read_cancels({"1": word, "2": "Incorrect order ID"}, ["1", "2"])
    assert result["1"] is True
    assert isinstance(result["2"], PanelNotFoundError)


def test_cancels_map_of_entries() -> None:
    answer = {"1": {"cancel": "1"}, "2": {"error": "Order can't be canceled"}}
    result = read_cancels(answer, ["1", "2"])
    assert result["1"] is True
    error = result["2"]
    assert isinstance(error, PanelAPIError)
    assert error.message == "Order can't be canceled"


@pytest.mark.parametrize("flag", [1, "1", True])
def test_cancels_single_answer_applies_to_all(flag: object) -> None:
    result = read_cancels({"cancel": flag}, ["1", "2", "3"])
    assert result == {"1": True, "2": True, "3": True}


def test_cancels_refused_flag_is_an_error() -> None:
    result = read_cancels({"1": 0, "2": False, "3": ""}, ["1", "2", "3"])
    for key in ("1", "2", "3"):
        assert isinstance(result[key], PanelResponseError)


def test_cancels_error_as_entry_and_missing() -> None:
    answer = [{"order": 1, "cancel": 1}, {"order": 2, "error": "Incorrect order ID"}]
    result = read_cancels(answer, ["1", "2", "3"])
    assert result["1"] is True
    assert isinstance(result["2"], PanelNotFoundError)
    assert isinstance(result["3"], PanelMissingIDError)


# --- error_message_of -----------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ({"error": "Incorrect order ID"}, "Incorrect order ID"),
        ({"error": {"message": "Nested text"}}, "Nested text"),
        ({"status": "error", "message": "Invalid API key"}, "Invalid API key"),
        ({"status": "Fail", "msg": "Invalid API key"}, "Invalid API key"),
        ({"status": "failed", "error_message": "Bad link"}, "Bad link"),
        ({"error": "", "status": "Completed"}, None),
        ({"error": False}, None),
        ({"error": None, "order": 5}, None),
        ({"status": "error"}, None),
        ({"status": "Error", "charge": "0", "message": "x"}, None),
        ({"status": "success", "message": "Done"}, None),
        ([{"error": "x"}], None),
        ("error", None),
    ],
)
def test_error_message_of(answer: object, message: str | None) -> None:
    assert error_message_of(answer) == message


# --- status words ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "state"),
    [
        ("Pending", OrderState.PENDING),
        ("PENDING", OrderState.PENDING),
        ("Awaiting", OrderState.PENDING),
        ("In progress", OrderState.IN_PROGRESS),
        ("In Progress", OrderState.IN_PROGRESS),
        ("in_progress", OrderState.IN_PROGRESS),
        ("inprogress", OrderState.IN_PROGRESS),
        ("in-progress", OrderState.IN_PROGRESS),
        ("  IN PROGRESS ", OrderState.IN_PROGRESS),
        ("Processing", OrderState.PROCESSING),
        ("processing", OrderState.PROCESSING),
        ("Completed", OrderState.COMPLETED),
        ("Complete", OrderState.COMPLETED),
        ("Partial", OrderState.PARTIAL),
        ("Canceled", OrderState.CANCELED),
        ("Cancelled", OrderState.CANCELED),
        ("Refunded", OrderState.REFUNDED),
        ("Fail", OrderState.FAILED),
        ("Failed", OrderState.FAILED),
        ("Error", OrderState.FAILED),
        ("Paused", OrderState.UNKNOWN),
        ("", OrderState.UNKNOWN),
    ],
)
def test_order_state_words(word: str, state: OrderState) -> None:
    assert OrderState.from_word(word) is state
    status = read_order_status({"status": word}, "1")
    assert status.status is state
    assert status.raw_status == word


@pytest.mark.parametrize(
    ("word", "state"),
    [
        ("Pending", RefillState.PENDING),
        ("Awaiting", RefillState.PENDING),
        ("In progress", RefillState.IN_PROGRESS),
        ("in_progress", RefillState.IN_PROGRESS),
        ("Processing", RefillState.PROCESSING),
        ("Completed", RefillState.COMPLETED),
        ("Rejected", RefillState.REJECTED),
        ("Error", RefillState.FAILED),
        ("Failed", RefillState.FAILED),
        ("Canceled", RefillState.CANCELED),
        ("Cancelled", RefillState.CANCELED),
        ("On hold", RefillState.UNKNOWN),
    ],
)
def test_refill_state_words(word: str, state: RefillState) -> None:
    assert RefillState.from_word(word) is state
    status = read_refill_status({"status": word}, "1")
    assert status.status is state
    assert status.raw_status == word


def test_unknown_status_word_kept() -> None:
    status = read_order_status({"status": "Waiting for moderation"}, "1")
    assert status.status is OrderState.UNKNOWN
    assert status.raw_status == "Waiting for moderation"
    assert not status.is_final


@pytest.mark.parametrize(
    ("state", "final"),
    [
        (OrderState.PENDING, False),
        (OrderState.IN_PROGRESS, False),
        (OrderState.PROCESSING, False),
        (OrderState.COMPLETED, True),
        (OrderState.PARTIAL, True),
        (OrderState.CANCELED, True),
        (OrderState.REFUNDED, True),
        (OrderState.FAILED, True),
        (OrderState.UNKNOWN, False),
    ],
)
def test_order_state_is_final(state: OrderState, final: bool) -> None:
    assert state.is_final is final


# --- any input: only PanelError comes out ---------------------------------------

# Keys that steer the readers into their branches, mixed with arbitrary text.
_FIELD_NAMES = st.sampled_from(
    ["service", "name", "type", "rate", "min", "max", "refill", "cancel", "dripfeed",
     "balance", "currency", "order", "order_id", "refill_id", "id", "status",
     "charge", "start_count", "remains", "error", "message", "msg", "services",
     "data", "result", "1", "2", "10", "ord_a"]
)  # fmt: skip
# Numbers as json.loads(parse_float=Decimal) can produce them: finite, any exponent.
_NUMBERS = st.decimals(allow_nan=False, allow_infinity=False) | st.sampled_from(
    [Decimal("1E+5000"), Decimal("-1E-5000"), Decimal("1E+40"),
     Decimal("2.0"), Decimal("10.00")]
)  # fmt: skip
_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.text(max_size=12)
    | st.sampled_from(["", "1", "0", "Completed", "error", "Error", "ok", "true"])
    | _NUMBERS
)
JSON_LIKE = st.recursive(
    _SCALARS,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(_FIELD_NAMES | st.text(max_size=6), children, max_size=5)
    ),
    max_leaves=16,
)
REQUESTED_KEYS = st.lists(
    st.sampled_from(["1", "2", "10", "ord_a"])
    | st.integers(min_value=1, max_value=10**6).map(str),
    min_size=1,
    max_size=5,
    unique=True,
)

SingleReader = Callable[[Any], object]
MultiReader = Callable[[Any, Sequence[str]], Mapping[str, object]]

SINGLE_READERS: dict[str, SingleReader] = {
    "read_services": read_services,
    "read_balance": read_balance,
    "read_order_id": read_order_id,
    "read_refill_id": lambda answer: read_refill_id(answer, "1"),
    "read_order_status": lambda answer: read_order_status(answer, "1"),
    "read_refill_status": lambda answer: read_refill_status(answer, "1"),
}
MULTI_READERS: dict[str, tuple[MultiReader, tuple[type, ...]]] = {
    "read_order_statuses": (read_order_statuses, (OrderStatus,)),
    "read_refill_statuses": (read_refill_statuses, (RefillStatus,)),
    "read_refills": (read_refills, (int, str)),
    "read_cancels": (read_cancels, (bool,)),
}
FUZZ_SETTINGS = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def check_all_readers(answer: object, keys: list[str]) -> None:
    """Feed `answer` to every reader; only PanelError may come out of them."""
    for single_reader in SINGLE_READERS.values():
        with contextlib.suppress(PanelError):
            single_reader(answer)

    for multi_reader, value_types in MULTI_READERS.values():
        try:
            result = multi_reader(answer, keys)
        except PanelError:
            continue
        assert list(result) == keys
        for value in result.values():
            assert isinstance(value, (PanelError, *value_types))


@FUZZ_SETTINGS
@given(answer=JSON_LIKE, keys=REQUESTED_KEYS)
def test_readers_raise_only_panel_errors(answer: object, keys: list[str]) -> None:
    check_all_readers(answer, keys)


@FUZZ_SETTINGS
@given(data=st.data(), keys=REQUESTED_KEYS, as_list=st.booleans())
def test_readers_on_entries_of_requested_ids(
    data: st.DataObject, keys: list[str], as_list: bool
) -> None:
    # Arbitrary entries under the requested IDs reach the per-ID entry readers. In
    # the list shape, each entry names its ID in a field, as a requested ID or as any
    # number. The last requested ID is left out of the response.
    entry = data.draw(JSON_LIKE)
    answer: object
    if as_list:
        answer = [
            {
                "order": data.draw(st.sampled_from(keys) | _NUMBERS | st.integers()),
                "refill": data.draw(st.sampled_from(keys) | _NUMBERS),
                **(entry if isinstance(entry, dict) else {"status": entry}),
            }
            for _ in keys[:-1]
        ]
    else:
        answer = {key: entry for key in keys[:-1]}
    check_all_readers(answer, keys)


def test_huge_exponent_id_in_entry_is_no_match() -> None:
    # json.loads turns 1e5000 into Decimal("1E+5000"). Matching entries to IDs must
    # not expand it into an int, because str() rejects ints of more than 4300 digits
    # and 1e999999999 would build a billion-digit int.
    answer = decode('[{"order": 1e5000, "status": "Completed"}, {"order": 2}]')
    result = read_order_statuses(answer, ["1", "2"])
    assert isinstance(result["1"], PanelMissingIDError)


def test_decimal_id_in_entry_matches() -> None:
    answer = decode(
        '[{"order": 5.0, "status": "Completed"}, {"order": 6, "status": "x"}]'
    )
    result = read_order_statuses(answer, ["5", "6"])
    assert isinstance(result["5"], OrderStatus)
    assert isinstance(result["6"], OrderStatus)


def test_service_model_equality_ignores_extra() -> None:
    first = Service(id=1, name="x", rate=Decimal("1"), extra={"desc": "a"})
    second = Service(id=1, name="x", rate=Decimal("1"), extra={"desc": "b"})
    assert first == second
