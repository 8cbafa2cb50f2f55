"""Validation of `add` requests, by service type, as Perfect Panel–style panels do."""

from __future__ import annotations

import datetime
from collections.abc import Mapping

import attrs

from panel_async._constants import SUBSCRIPTION_DELAYS
from panel_async.testing._outcomes import ActionError
from panel_async.testing._services import Service

__all__ = ["OrderRequest", "validate_add"]

# Fields that `add` requires besides `service`, by service type.
_REQUIRED: Mapping[str, tuple[str, ...]] = {
    "Default": ("link", "quantity"),
    "Package": ("link",),
    "Custom Comments": ("link", "comments"),
    "Custom Comments Package": ("link", "comments"),
    "Mentions": ("link", "quantity", "usernames"),
    "Mentions with Hashtags": ("link", "quantity", "usernames", "hashtags"),
    "Mentions Custom List": ("link", "usernames"),
    "Mentions Hashtag": ("link", "quantity", "hashtag"),
    "Mentions User Followers": ("link", "quantity", "username"),
    "Mentions Media Likers": ("link", "quantity", "media"),
    "Comment Likes": ("link", "quantity", "username"),
    "Comment Replies": ("link", "username", "comments"),
    "Poll": ("link", "quantity", "answer_number"),
    "Invites from Groups": ("link", "quantity", "groups"),
    "Subscriptions": ("username", "min", "max", "delay"),
    "Web Traffic": ("link", "quantity"),
}

# Optional fields, kept on the order so that tests can inspect them.
_OPTIONAL: Mapping[str, tuple[str, ...]] = {
    "Default": ("runs", "interval"),
    "Subscriptions": ("posts", "old_posts", "expiry"),
    "Web Traffic": (
        "runs",
        "interval",
        "country",
        "device",
        "type_of_traffic",
        "google_keyword",
        "referring_url",
    ),
}

# Types whose quantity is the number of lines of a field instead of `quantity`.
_COUNTED_LINES: Mapping[str, str] = {
    "Custom Comments": "comments",
    "Mentions Custom List": "usernames",
    "Comment Replies": "comments",
}

_DRIP_FEED_TYPES = frozenset({"Default", "Web Traffic"})


@attrs.frozen
class OrderRequest:
    """A validated `add` request.

    `units` is what the charge is computed on: `quantity` times `runs` for drip-feed
    orders, the per-post `max` for Subscriptions, and 1 for packages.
    """

    link: str
    quantity: int
    units: int
    runs: int | None
    interval: int | None
    fields: Mapping[str, str]


def validate_add(service: Service, form: Mapping[str, str]) -> OrderRequest:
    """Check an `add` form against its service and return the order to place.

    Raises:
        ActionError: with the panel's message, such as "The link field is required"
            or "Quantity less than minimal 50".
    """
    kind = service.service_type
    for name in _REQUIRED[kind]:
        if not form.get(name, "").strip():
            raise ActionError(f"The {name} field is required")
    names = _REQUIRED[kind] + _OPTIONAL.get(kind, ())
    fields = {name: form[name] for name in names if name in form}
    if kind == "Subscriptions":
        return _validate_subscription(service, form, fields)

    runs, interval = _validate_drip_feed(service, form)
    quantity = _quantity(service, form)
    units = quantity * (runs or 1)
    if not service.is_package:
        _check_range(service, quantity)
        _check_drip_feed_total(service, units, runs)
    if kind == "Web Traffic":
        _validate_traffic(form)

    return OrderRequest(
        link=form["link"].strip(),
        quantity=quantity,
        units=1 if service.is_package else units,
        runs=runs,
        interval=interval,
        fields=fields,
    )


def _quantity(service: Service, form: Mapping[str, str]) -> int:
    counted_field = _COUNTED_LINES.get(service.service_type)
    if counted_field is not None:
        return len(_lines(form[counted_field]))
    if service.is_package:
        return 1

    return _positive_int(form, "quantity", minimum=0)


def _lines(text: str) -> list[str]:
    """Split a one-per-line field on `\\n` or `\\r\\n`, ignoring blank lines."""
    return [line for line in text.splitlines() if line.strip()]


def _positive_int(form: Mapping[str, str], name: str, minimum: int = 1) -> int:
    raw = form[name].strip()
    if not raw.isascii() or not raw.isdigit() or int(raw) < minimum:
        raise ActionError(f"Incorrect {name}")

    return int(raw)


def _check_range(service: Service, quantity: int) -> None:
    if quantity < service.min_quantity:
        raise ActionError(f"Quantity less than minimal {service.min_quantity}")
    if quantity > service.max_quantity:
        raise ActionError(f"Quantity more than maximal {service.max_quantity}")


def _check_drip_feed_total(service: Service, units: int, runs: int | None) -> None:
    if runs is not None and units > service.max_quantity:
        raise ActionError(
            f"Quantity multiplied by runs more than maximal {service.max_quantity}"
        )


def _validate_drip_feed(
    service: Service, form: Mapping[str, str]
) -> tuple[int | None, int | None]:
    if not form.get("runs", "").strip():
        return None, None
    if service.service_type not in _DRIP_FEED_TYPES or not service.dripfeed:
        raise ActionError("Drip-feed is not available for this service")
    if not form.get("interval", "").strip():
        raise ActionError("The interval field is required")
    runs = _positive_int(form, "runs", minimum=2)
    interval = _positive_int(form, "interval")

    return runs, interval


def _validate_traffic(form: Mapping[str, str]) -> None:
    traffic = form.get("type_of_traffic", "").strip()
    if traffic and traffic not in ("1", "2", "3"):
        raise ActionError("Incorrect type_of_traffic")
    # Type 1 is traffic from a Google keyword, type 2 from a custom referrer.
    if traffic == "1" and not form.get("google_keyword", "").strip():
        raise ActionError("The google_keyword field is required")
    if traffic == "2" and not form.get("referring_url", "").strip():
        raise ActionError("The referring_url field is required")


def _validate_subscription(
    service: Service, form: Mapping[str, str], fields: dict[str, str]
) -> OrderRequest:
    low = _positive_int(form, "min")
    high = _positive_int(form, "max")
    _check_range(service, low)
    _check_range(service, high)
    if low > high:
        raise ActionError("The min field must not be more than the max field")
    delay = _positive_int(form, "delay", minimum=0)
    if delay not in SUBSCRIPTION_DELAYS:
        raise ActionError("Incorrect delay")
    for name in ("posts", "old_posts"):
        if form.get(name, "").strip():
            _positive_int(form, name, minimum=1 if name == "posts" else 0)
    if form.get("expiry", "").strip():
        _check_expiry(form["expiry"].strip())

    # NOTE: real panels charge a subscription per delivered post, but the simulator
    # charges once, for one post of `max` units, when the order is placed.
    return OrderRequest(
        link=form["username"].strip(),
        quantity=high,
        units=high,
        runs=None,
        interval=None,
        fields=fields,
    )


def _check_expiry(text: str) -> None:
    try:
        datetime.datetime.strptime(text, "%d/%m/%Y")
    except ValueError:
        raise ActionError("Incorrect expiry date, expected d/m/Y") from None
