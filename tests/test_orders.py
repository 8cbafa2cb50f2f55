"""Tests of `add` field building, the checks against a Service, and Service.cost."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
import respx

from panel_async import PanelClient, PanelInputError, RetryPolicy, Service
from panel_async._orders import build_order_fields, check_order_for_service

from .mocked import KEY, URL

LINK = "https://example.com/p/1"


def service(type_: str = "Default", **fields: Any) -> Service:
    values: dict[str, Any] = {"min": 100, "max": 1000, **fields}
    return Service(
        id=7, name="Test service", rate=Decimal("0.90"), type=type_, **values
    )


def fields_for(**values: object) -> dict[str, str]:
    return build_order_fields("7", values)


# --- field building -------------------------------------------------------------


def test_none_fields_not_sent() -> None:
    fields = fields_for(
        link=LINK, quantity=100, runs=None, interval=None, comments=None
    )
    assert fields == {"service": "7", "link": LINK, "quantity": "100"}


def test_numbers_sent_as_text() -> None:
    fields = fields_for(link=LINK, quantity=100, runs=5, interval=30)
    assert fields == {
        "service": "7",
        "link": LINK,
        "quantity": "100",
        "runs": "5",
        "interval": "30",
    }


@pytest.mark.parametrize(
    ("comments", "expected"),
    [
        (["Nice", "Wow"], "Nice\nWow"),
        (("Nice", "Wow"), "Nice\nWow"),
        ("Nice\nWow", "Nice\nWow"),
        ("Nice\r\nWow", "Nice\nWow"),
        (iter(["a", "b", "c"]), "a\nb\nc"),
    ],
)
def test_comments_one_per_line(comments: object, expected: str) -> None:
    assert fields_for(link=LINK, comments=comments)["comments"] == expected


@pytest.mark.parametrize(
    "comments",
    [[], [""], "", "  \n ", ["first\nsecond"], ["first\r\nsecond"], [1, 2],
     {"a": 1}, b"bytes", 5, ["bell\a"]],
)  # fmt: skip
def test_bad_comments_rejected(comments: object) -> None:
    with pytest.raises(PanelInputError, match="comments"):
        fields_for(link=LINK, comments=comments)


@pytest.mark.parametrize(
    ("expiry", "expected"),
    [
        (datetime.date(2026, 3, 5), "05/03/2026"),
        (datetime.date(2026, 12, 31), "31/12/2026"),
        (datetime.datetime(2026, 3, 5, 23, 59), "05/03/2026"),
    ],
)
def test_expiry_as_day_month_year(expiry: datetime.date, expected: str) -> None:
    assert fields_for(username="someone", expiry=expiry)["expiry"] == expected


@pytest.mark.parametrize("expiry", ["05/03/2026", 1_700_000_000, "2026-03-05"])
def test_expiry_must_be_a_date(expiry: object) -> None:
    with pytest.raises(PanelInputError, match="expiry"):
        fields_for(username="someone", expiry=expiry)


@pytest.mark.parametrize("delay", [0, 5, 10, 15, 20, 30, 60, 90, 120, 360, 600])
def test_delay_allowed_values(delay: int) -> None:
    assert fields_for(username="someone", delay=delay)["delay"] == str(delay)


@pytest.mark.parametrize("delay", [1, 7, 25, 45, 601, 1000])
def test_delay_other_values_rejected(delay: int) -> None:
    with pytest.raises(PanelInputError, match=f"delay {delay} is not allowed"):
        fields_for(username="someone", delay=delay)


@pytest.mark.parametrize("delay", [-5, True, 1.5, "30"])
def test_delay_bad_types_rejected(delay: object) -> None:
    with pytest.raises(PanelInputError, match="delay"):
        fields_for(username="someone", delay=delay)


@pytest.mark.parametrize("quantity", [0, -1, True, 1.5, "100", Decimal("100")])
def test_bad_quantity_rejected(quantity: object) -> None:
    with pytest.raises(PanelInputError, match="quantity"):
        fields_for(link=LINK, quantity=quantity)


def test_old_posts_may_be_zero() -> None:
    assert fields_for(username="someone", old_posts=0)["old_posts"] == "0"
    with pytest.raises(PanelInputError, match="posts"):
        fields_for(username="someone", posts=0)


@pytest.mark.parametrize("link", ["", "   ", "https://a.example/\nx", 5, ["x"]])
def test_bad_link_rejected(link: object) -> None:
    with pytest.raises(PanelInputError, match="link"):
        fields_for(link=link, quantity=100)


def test_extra_fields() -> None:
    fields = fields_for(
        link=LINK,
        quantity=100,
        usernames=["first", "second"],
        hashtags=("#one", "#two"),
        answer_number=2,
        country="US",
        device=1,
        custom_field="value",
    )
    assert fields["usernames"] == "first\nsecond"
    assert fields["hashtags"] == "#one\n#two"
    assert fields["answer_number"] == "2"
    assert fields["country"] == "US"
    assert fields["device"] == "1"
    assert fields["custom_field"] == "value"


@pytest.mark.parametrize("value", [True, 1.5, {"a": "b"}, b"x"])
def test_bad_extra_field_rejected(value: object) -> None:
    with pytest.raises(PanelInputError, match="custom_field"):
        fields_for(link=LINK, custom_field=value)


# --- checks against a Service ---------------------------------------------------


def test_default_order_passes() -> None:
    check_order_for_service(service(), fields_for(link=LINK, quantity=100))
    check_order_for_service(service(), fields_for(link=LINK, quantity=1000))


@pytest.mark.parametrize(
    ("type_", "values", "missing"),
    [
        ("Default", {"link": LINK}, "quantity"),
        ("Default", {"quantity": 100}, "link"),
        ("Custom Comments", {"link": LINK}, "comments"),
        ("Package", {}, "link"),
        ("Mentions", {"link": LINK, "quantity": 100}, "usernames"),
        ("Poll", {"link": LINK, "quantity": 100}, "answer_number"),
        ("Subscriptions", {"username": "someone", "min": 100, "delay": 0}, "max"),
        ("Subscriptions", {"username": "someone", "min": 100, "max": 200}, "delay"),
        ("Comment Replies", {"link": LINK, "username": "someone"}, "comments"),
    ],
)
def test_required_fields(type_: str, values: dict[str, object], missing: str) -> None:
    with pytest.raises(PanelInputError, match=f"requires {missing}") as caught:
        check_order_for_service(service(type_), fields_for(**values))
    assert "service 7" in str(caught.value)


@pytest.mark.parametrize(
    ("type_", "values", "extra"),
    [
        ("Default", {"link": LINK, "quantity": 100, "comments": "x"}, "comments"),
        ("Package", {"link": LINK, "quantity": 100}, "quantity"),
        ("Custom Comments", {"link": LINK, "comments": "a\nb", "runs": 2}, "runs"),
        (
            "Subscriptions",
            {"username": "someone", "min": 100, "max": 200, "delay": 0, "link": LINK},
            "link",
        ),
    ],
)
def test_fields_not_allowed(type_: str, values: dict[str, object], extra: str) -> None:
    with pytest.raises(PanelInputError, match=f"does not take {extra}"):
        check_order_for_service(service(type_), fields_for(**values))


def test_drip_feed_not_allowed_when_service_says_no() -> None:
    fields = fields_for(link=LINK, quantity=100, runs=2, interval=10)
    check_order_for_service(service(dripfeed=None), fields)
    check_order_for_service(service(dripfeed=True), fields)
    with pytest.raises(PanelInputError, match="does not take interval, runs"):
        check_order_for_service(service(dripfeed=False), fields)


@pytest.mark.parametrize(
    ("quantity", "word"),
    [(99, "below the minimum 100"), (1001, "above the maximum 1000")],
)
def test_quantity_range(quantity: int, word: str) -> None:
    with pytest.raises(PanelInputError, match=word) as caught:
        check_order_for_service(service(), fields_for(link=LINK, quantity=quantity))
    assert f"quantity {quantity}" in str(caught.value)


def test_quantity_range_open_ends() -> None:
    open_service = service(min=None, max=None)
    check_order_for_service(open_service, fields_for(link=LINK, quantity=1))
    check_order_for_service(open_service, fields_for(link=LINK, quantity=10**9))


def test_drip_feed_total_above_max() -> None:
    check_order_for_service(service(), fields_for(link=LINK, quantity=200, runs=5))
    with pytest.raises(PanelInputError, match="quantity x runs = 1200"):
        check_order_for_service(service(), fields_for(link=LINK, quantity=200, runs=6))


@pytest.mark.parametrize(
    ("comments", "error"),
    [
        (["a", "b"], None),
        ("a\nb\nc", None),
        ("a\n\nb", None),
        (["a"], "number of lines in comments 1 is below the minimum 2"),
        (["a", "b", "c", "d"], "number of lines in comments 4 is above the maximum 3"),
    ],
)
def test_custom_comments_line_count(comments: object, error: str | None) -> None:
    comment_service = service("Custom Comments", min=2, max=3)
    fields = fields_for(link=LINK, comments=comments)
    if error is None:
        check_order_for_service(comment_service, fields)
    else:
        with pytest.raises(PanelInputError, match=error):
            check_order_for_service(comment_service, fields)


def test_subscription_min_max() -> None:
    sub = service("Subscriptions")
    check_order_for_service(
        sub, fields_for(username="someone", min=100, max=200, delay=0)
    )
    with pytest.raises(PanelInputError, match="min 300 is above max 200"):
        check_order_for_service(
            sub, fields_for(username="someone", min=300, max=200, delay=0)
        )
    with pytest.raises(PanelInputError, match="max 2000 is above the maximum 1000"):
        check_order_for_service(
            sub, fields_for(username="someone", min=100, max=2000, delay=0)
        )


@pytest.mark.parametrize(
    "type_",
    ["custom_comments", "CUSTOM COMMENTS", "Custom-Comments", " custom  comments "],
)
def test_type_name_folded(type_: str) -> None:
    with pytest.raises(PanelInputError, match="requires comments"):
        check_order_for_service(service(type_), fields_for(link=LINK))


def test_unknown_type_unchecked() -> None:
    check_order_for_service(
        service("Exotic Type"), fields_for(anything="goes", quantity=5)
    )


# --- checks run before any request ----------------------------------------------


@pytest.mark.parametrize(
    "order",
    [
        {"link": LINK},
        {"link": LINK, "quantity": 99},
        {"link": LINK, "quantity": 1001},
        {"link": LINK, "quantity": 500, "runs": 3},
        {"link": LINK, "quantity": 100, "comments": ["x"]},
        {"link": LINK, "quantity": 100, "delay": 7},
        {"link": LINK, "quantity": 0},
        {"link": "", "quantity": 100},
    ],
)
async def test_add_checks_before_sending(
    api: respx.Route, order: dict[str, Any]
) -> None:
    async with PanelClient(URL, KEY, retry=RetryPolicy.none()) as client:
        with pytest.raises(PanelInputError):
            await client.add(service=service(), **order)

    assert api.call_count == 0


@pytest.mark.parametrize("field", ["key", "action"])
async def test_add_reserved_field_rejected(api: respx.Route, field: str) -> None:
    extra: dict[str, Any] = {field: "other"}
    async with PanelClient(URL, KEY) as client:
        with pytest.raises(PanelInputError, match=field):
            await client.add(service=1, link=LINK, quantity=100, **extra)

    assert api.call_count == 0


@pytest.mark.parametrize("service_id", [0, -1, True, "", "1,2", None, 1.5])
async def test_add_bad_service_id(api: respx.Route, service_id: Any) -> None:
    async with PanelClient(URL, KEY) as client:
        with pytest.raises(PanelInputError, match="service ID"):
            await client.add(service=service_id, link=LINK, quantity=100)

    assert api.call_count == 0


# --- Service.cost ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("rate", "quantity", "cost"),
    [
        ("0.90", 1000, "0.9"),
        ("0.90", 1, "0.0009"),
        ("0.27819", 3, "0.00083457"),
        ("8", 1500, "12"),
        ("0.1", 3, "0.0003"),
        ("12.34567", 123_456, "1524.14703552"),
    ],
)
def test_service_cost_exact(rate: str, quantity: int, cost: str) -> None:
    priced = Service(id=1, name="x", rate=Decimal(rate))
    result = priced.cost(quantity)
    assert isinstance(result, Decimal)
    assert result == Decimal(cost)


def test_service_cost_sums_exactly() -> None:
    priced = Service(id=1, name="x", rate=Decimal("0.1"))
    # Three orders of 1000 at 0.1 per 1000 cost exactly 0.3, as floats would not.
    assert sum((priced.cost(1000) for _ in range(3)), Decimal(0)) == Decimal("0.3")


@pytest.mark.parametrize("quantity", [0, -5, True, 1.5, "100"])
def test_service_cost_bad_quantity(quantity: Any) -> None:
    with pytest.raises(PanelInputError, match="quantity"):
        service().cost(quantity)
