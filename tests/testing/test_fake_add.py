"""The `add` action: validation by service type, charges and the balance."""

from __future__ import annotations

from decimal import Decimal

import pytest

from panel_async._states import OrderState
from panel_async.testing import FakePanel, ManualClock

from .conftest import Add, Call, MakeCall


async def test_add_returns_first_order_id(add: Add) -> None:
    response = await add()

    assert response.json() == {"order": 1}


async def test_add_returns_increasing_ids(add: Add) -> None:
    first = await add(link="https://social.example/p/1")
    second = await add(link="https://social.example/p/2")

    assert first.json() == {"order": 1}
    assert second.json() == {"order": 2}


async def test_add_charges_rate_per_thousand(panel: FakePanel, add: Add) -> None:
    """0.90 per 1000 times 100 units is 0.09."""
    await add()

    assert panel.orders[1].charge == Decimal("0.09000")
    assert panel.balance == Decimal("999.91000")


async def test_add_rounds_charge_half_up(panel: FakePanel, add: Add) -> None:
    """0.01235 per 1000 times 300 is 0.003705, which rounds up to 0.00371."""
    await add(service="3", quantity="300")

    assert panel.orders[1].charge == Decimal("0.00371")


async def test_add_charge_keeps_five_decimals(panel: FakePanel, add: Add) -> None:
    """7.77777 per 1000 times 100 is 0.777777, which rounds to 0.77778."""
    await add(service="15", quantity="100", groups="group-a\ngroup-b")

    assert panel.orders[1].charge == Decimal("0.77778")


async def test_add_package_charges_rate_once(panel: FakePanel, add: Add) -> None:
    response = await add(service="4", quantity=None)

    assert response.json() == {"order": 1}
    assert panel.orders[1].charge == Decimal("1.50000")


async def test_add_drip_feed_charges_all_runs(panel: FakePanel, add: Add) -> None:
    await add(quantity="100", runs="5", interval="30")

    view = panel.orders[1]
    assert view.charge == Decimal("0.45000")
    assert (view.runs, view.interval) == (5, 30)


async def test_add_unknown_service_is_rejected(add: Add) -> None:
    response = await add(service="999")

    assert response.json() == {"error": "Incorrect service ID"}


async def test_add_missing_service_is_rejected(add: Add) -> None:
    response = await add(service=None)

    assert response.json() == {"error": "Incorrect service ID"}


async def test_add_missing_link_is_rejected(add: Add) -> None:
    response = await add(link=None)

    assert response.json() == {"error": "The link field is required"}


async def test_add_blank_quantity_is_rejected(add: Add) -> None:
    response = await add(quantity=" ")

    assert response.json() == {"error": "The quantity field is required"}


async def test_add_quantity_below_minimum(add: Add) -> None:
    response = await add(quantity="49")

    assert response.json() == {"error": "Quantity less than minimal 50"}


async def test_add_quantity_above_maximum(add: Add) -> None:
    response = await add(quantity="10001")

    assert response.json() == {"error": "Quantity more than maximal 10000"}


async def test_add_quantity_at_limits_is_accepted(add: Add) -> None:
    low = await add(quantity="50", link="https://social.example/p/low")
    high = await add(quantity="10000", link="https://social.example/p/high")

    assert "order" in low.json()
    assert "order" in high.json()


@pytest.mark.parametrize("quantity", ["abc", "-5", "1.5", "１００"])
async def test_add_non_integer_quantity_is_rejected(add: Add, quantity: str) -> None:
    response = await add(quantity=quantity)

    assert response.json() == {"error": "Incorrect quantity"}


async def test_add_drip_feed_total_above_maximum(add: Add) -> None:
    """5000 units in 3 runs is 15000, above the maximum of 10000."""
    response = await add(quantity="5000", runs="3", interval="10")

    assert response.json() == {
        "error": "Quantity multiplied by runs more than maximal 10000"
    }


async def test_add_drip_feed_needs_interval(add: Add) -> None:
    response = await add(runs="3")

    assert response.json() == {"error": "The interval field is required"}


async def test_add_drip_feed_on_plain_service_is_rejected(add: Add) -> None:
    """Service 3 has no drip-feed."""
    response = await add(service="3", quantity="100", runs="3", interval="10")

    assert response.json() == {"error": "Drip-feed is not available for this service"}


async def test_add_custom_comments_counts_lines(panel: FakePanel, add: Add) -> None:
    """Eleven comments, split on both line endings, are a quantity of 11."""
    comments = (
        "\r\n".join(f"comment {i}" for i in range(6))
        + "\n"
        + "\n".join(f"more {i}" for i in range(5))
    )

    response = await add(service="2", quantity=None, comments=comments)

    assert response.json() == {"order": 1}
    assert panel.orders[1].quantity == 11
    assert panel.orders[1].charge == Decimal("0.08800")


async def test_add_custom_comments_below_minimum(add: Add) -> None:
    response = await add(service="2", quantity="500", comments="one\ntwo\n\n")

    assert response.json() == {"error": "Quantity less than minimal 10"}


async def test_add_keeps_type_fields_on_order(panel: FakePanel, add: Add) -> None:
    await add(service="6", quantity="100", usernames="alice\nbob")

    assert panel.orders[1].fields == {
        "link": "https://social.example/p/abc",
        "quantity": "100",
        "usernames": "alice\nbob",
    }


# One valid `add` form per service of the default catalogue, by type.
VALID_FORMS = {
    "Default": {"service": "1", "link": "L", "quantity": "100"},
    "Package": {"service": "4", "link": "L"},
    "Custom Comments": {"service": "2", "link": "L", "comments": "a\n" * 10},
    "Custom Comments Package": {"service": "5", "link": "L", "comments": "a\nb"},
    "Mentions": {"service": "6", "link": "L", "quantity": "100", "usernames": "u"},
    "Mentions with Hashtags": {
        "service": "7",
        "link": "L",
        "quantity": "100",
        "usernames": "u",
        "hashtags": "#h",
    },
    "Mentions Custom List": {"service": "8", "link": "L", "usernames": "u\n" * 10},
    "Mentions Hashtag": {
        "service": "9",
        "link": "L",
        "quantity": "100",
        "hashtag": "h",
    },
    "Mentions User Followers": {
        "service": "10",
        "link": "L",
        "quantity": "100",
        "username": "u",
    },
    "Mentions Media Likers": {
        "service": "11",
        "link": "L",
        "quantity": "100",
        "media": "https://social.example/p/m",
    },
    "Comment Likes": {"service": "12", "link": "L", "quantity": "20", "username": "u"},
    "Comment Replies": {
        "service": "13",
        "link": "L",
        "username": "u",
        "comments": "a\n" * 5,
    },
    "Poll": {"service": "14", "link": "L", "quantity": "100", "answer_number": "2"},
    "Invites from Groups": {
        "service": "15",
        "link": "L",
        "quantity": "100",
        "groups": "g",
    },
    "Subscriptions": {
        "service": "16",
        "username": "u",
        "min": "50",
        "max": "100",
        "delay": "30",
    },
    "Web Traffic": {"service": "17", "link": "L", "quantity": "1000"},
}


@pytest.mark.parametrize("service_type", sorted(VALID_FORMS))
async def test_add_accepts_valid_form_of_each_type(
    panel: FakePanel, call: Call, service_type: str
) -> None:
    response = await call("add", **VALID_FORMS[service_type])

    assert response.json() == {"order": 1}
    assert panel.orders[1].service_type == service_type


REQUIRED_FIELDS = [
    (service_type, field)
    for service_type, form in sorted(VALID_FORMS.items())
    for field in form
    if field != "service"
]


@pytest.mark.parametrize(("service_type", "field"), REQUIRED_FIELDS)
async def test_add_requires_each_type_field(
    call: Call, service_type: str, field: str
) -> None:
    form = {**VALID_FORMS[service_type], field: ""}

    response = await call("add", **form)

    assert response.json() == {"error": f"The {field} field is required"}


@pytest.mark.parametrize("delay", ["7", "601", "x"])
async def test_add_subscription_delay_outside_list(call: Call, delay: str) -> None:
    form = {**VALID_FORMS["Subscriptions"], "delay": delay}

    response = await call("add", **form)

    assert response.json() == {"error": "Incorrect delay"}


async def test_add_subscription_min_above_max(call: Call) -> None:
    form = {**VALID_FORMS["Subscriptions"], "min": "200", "max": "100"}

    response = await call("add", **form)

    assert response.json() == {
        "error": "The min field must not be more than the max field"
    }


async def test_add_subscription_max_above_service_maximum(call: Call) -> None:
    form = {**VALID_FORMS["Subscriptions"], "max": "5001"}

    response = await call("add", **form)

    assert response.json() == {"error": "Quantity more than maximal 5000"}


async def test_add_subscription_bad_expiry(call: Call) -> None:
    form = {**VALID_FORMS["Subscriptions"], "expiry": "2025-12-31"}

    response = await call("add", **form)

    assert response.json() == {"error": "Incorrect expiry date, expected d/m/Y"}


async def test_add_subscription_with_options(panel: FakePanel, call: Call) -> None:
    form = {
        **VALID_FORMS["Subscriptions"],
        "posts": "10",
        "old_posts": "0",
        "expiry": "31/12/2030",
    }

    response = await call("add", **form)

    assert response.json() == {"order": 1}
    assert panel.orders[1].link == "u"
    assert panel.orders[1].fields["expiry"] == "31/12/2030"


async def test_add_web_traffic_keyword_needs_keyword(call: Call) -> None:
    form = {**VALID_FORMS["Web Traffic"], "type_of_traffic": "1"}

    response = await call("add", **form)

    assert response.json() == {"error": "The google_keyword field is required"}


async def test_add_web_traffic_unknown_traffic_type(call: Call) -> None:
    form = {**VALID_FORMS["Web Traffic"], "type_of_traffic": "9"}

    response = await call("add", **form)

    assert response.json() == {"error": "Incorrect type_of_traffic"}


async def test_add_active_order_same_link_is_rejected(add: Add) -> None:
    await add()

    response = await add()

    assert response.json() == {"error": "You have active order with this link"}


async def test_add_same_link_other_service_is_accepted(add: Add) -> None:
    await add()

    response = await add(service="18")

    assert response.json() == {"order": 2}


async def test_add_same_link_after_completion_is_accepted(
    clock: ManualClock, add: Add
) -> None:
    await add()
    clock.advance(60)

    response = await add()

    assert response.json() == {"order": 2}


async def test_add_same_link_allowed_when_switched_off(make_call: MakeCall) -> None:
    call = make_call(FakePanel(one_active_order_per_link=False))
    form = {"service": "1", "link": "https://social.example/p/x", "quantity": "100"}
    await call("add", **form)

    response = await call("add", **form)

    assert response.json() == {"order": 2}


async def test_add_without_funds_is_rejected(make_call: MakeCall) -> None:
    panel = FakePanel(balance=Decimal("0.08999"))
    call = make_call(panel)

    response = await call(
        "add", service="1", link="https://social.example/p/x", quantity="100"
    )

    assert response.json() == {"error": "Not enough funds on balance"}
    assert panel.balance == Decimal("0.08999")
    assert panel.orders_created == 0


async def test_add_exact_balance_is_accepted(make_call: MakeCall) -> None:
    panel = FakePanel(balance=Decimal("0.09"))
    call = make_call(panel)

    response = await call(
        "add", service="1", link="https://social.example/p/x", quantity="100"
    )

    assert response.json() == {"order": 1}
    assert panel.balance == Decimal(0)


async def test_add_counts_orders_created(panel: FakePanel, add: Add) -> None:
    await add(link="a")
    await add(link="b")
    await add(quantity="1")

    assert panel.orders_created == 2


async def test_add_new_order_is_pending(panel: FakePanel, add: Add) -> None:
    await add()

    assert panel.orders[1].state is OrderState.PENDING
    assert panel.orders[1].status == "Pending"
