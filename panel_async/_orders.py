"""Building the form fields of an `add` order, and checking them against a service.

Keyword names are the API's field names. Each value is checked and turned into the text
the panel expects before anything is sent: lists become one item per line, dates become
d/m/Y. When the caller passes a Service, its type decides which fields are required and
which are not allowed, and its min and max bound the quantity.
"""

from __future__ import annotations

__all__ = ["ORDER_TYPES", "build_order_fields", "check_order_for_service"]

import datetime
from collections.abc import Callable, Mapping

import attrs

from ._constants import SUBSCRIPTION_DELAYS
from ._errors import PanelInputError
from ._models import Service
from ._validate import (
    check_non_negative_int,
    check_positive_int,
    check_text,
    join_lines,
)


@attrs.frozen
class OrderType:
    """The `add` fields one service type requires and allows."""

    required: frozenset[str]
    optional: frozenset[str] = frozenset()


def _type(required: str, optional: str = "") -> OrderType:
    return OrderType(frozenset(required.split()), frozenset(optional.split()))


_DRIP_FEED = "runs interval"

#: Fields by service type, as Perfect Panel-style panels publish them. Keys are folded
#: type names (lower case, single spaces).
ORDER_TYPES: Mapping[str, OrderType] = {
    "default": _type("link quantity", _DRIP_FEED),
    "package": _type("link"),
    "custom comments": _type("link comments"),
    "custom comments package": _type("link comments"),
    "mentions": _type("link quantity usernames"),
    "mentions with hashtags": _type("link quantity usernames hashtags"),
    "mentions custom list": _type("link usernames"),
    "mentions hashtag": _type("link quantity hashtag"),
    "mentions user followers": _type("link quantity username"),
    "mentions media likers": _type("link quantity media"),
    "comment likes": _type("link quantity username"),
    "comment replies": _type("link username comments"),
    "poll": _type("link quantity answer_number"),
    "invites from groups": _type("link quantity groups"),
    "subscriptions": _type("username min max delay", "posts old_posts expiry"),
    "web traffic": _type(
        "link quantity",
        f"{_DRIP_FEED} country device type_of_traffic google_keyword referring_url",
    ),
}


def _expiry(name: str, value: object) -> str:
    if isinstance(value, datetime.datetime):
        value = value.date()
    if not isinstance(value, datetime.date):
        raise PanelInputError(
            f"{name} must be a datetime.date, got {type(value).__name__} {value!r:.40}"
        )
    return value.strftime("%d/%m/%Y")


def _delay(name: str, value: object) -> str:
    minutes = check_non_negative_int(name, value)
    if minutes not in SUBSCRIPTION_DELAYS:
        allowed = ", ".join(map(str, SUBSCRIPTION_DELAYS))
        raise PanelInputError(f"{name} {minutes} is not allowed; use one of {allowed}")
    return str(minutes)


def _positive(name: str, value: object) -> str:
    return str(check_positive_int(name, value))


def _non_negative(name: str, value: object) -> str:
    return str(check_non_negative_int(name, value))


def _text_or_number(name: str, value: object) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return check_text(name, value)


_ENCODERS: Mapping[str, Callable[[str, object], str]] = {
    "link": check_text,
    "quantity": _positive,
    "runs": _positive,
    "interval": _positive,
    "comments": join_lines,
    "usernames": join_lines,
    "hashtags": join_lines,
    "groups": join_lines,
    "username": check_text,
    "hashtag": check_text,
    "media": check_text,
    "answer_number": _positive,
    "min": _positive,
    "max": _positive,
    "posts": _positive,
    "old_posts": _non_negative,
    "delay": _delay,
    "expiry": _expiry,
    "country": check_text,
    "device": _text_or_number,
    "type_of_traffic": _text_or_number,
    "google_keyword": check_text,
    "referring_url": check_text,
}


def _encode_extra(name: str, value: object) -> str:
    if isinstance(value, (list, tuple)):
        return join_lines(name, value)
    if isinstance(value, (str, int)) and not isinstance(value, bool):
        return _text_or_number(name, value)
    raise PanelInputError(
        f"extra field {name} must be a str, an int or a list of str, "
        f"got {type(value).__name__}"
    )


def build_order_fields(service_id: str, values: Mapping[str, object]) -> dict[str, str]:
    """Turn `add` keyword arguments into form fields; None means "not sent"."""
    fields = {"service": service_id}
    for name, value in values.items():
        if value is None:
            continue
        encode = _ENCODERS.get(name, _encode_extra)
        fields[name] = encode(name, value)
    return fields


# The field whose lines make the quantity, for types without a quantity field.
_COUNTED_LINES: Mapping[str, str] = {
    "custom comments": "comments",
    "mentions custom list": "usernames",
    "comment replies": "comments",
}


def _fold_type(name: str) -> str:
    return " ".join(name.casefold().replace("_", " ").replace("-", " ").split())


def check_order_for_service(service: Service, fields: Mapping[str, str]) -> None:
    """Check an order's fields against its service; raise PanelInputError on a mistake.

    Services of a type this library does not know pass unchecked.
    """
    order_type = ORDER_TYPES.get(_fold_type(service.type))
    if order_type is None:
        return
    label = f"service {service.id} ({service.type})"
    sent = set(fields) - {"service"}
    allowed = order_type.required | order_type.optional
    if service.dripfeed is False:
        allowed -= {"runs", "interval"}

    missing = order_type.required - sent
    if missing:
        raise PanelInputError(
            f"{label} requires {_names(missing)}; it takes {_names(allowed)}"
        )
    not_allowed = (sent & _ENCODERS.keys()) - allowed
    if not_allowed:
        raise PanelInputError(
            f"{label} does not take {_names(not_allowed)}; it takes {_names(allowed)}"
        )
    _check_amounts(service, label, fields)


def _check_amounts(service: Service, label: str, fields: Mapping[str, str]) -> None:
    if "quantity" in fields:
        quantity = int(fields["quantity"])
        _check_range(service, label, "quantity", quantity)
        if "runs" in fields and service.max is not None:
            total = quantity * int(fields["runs"])
            if total > service.max:
                raise PanelInputError(
                    f"{label}: quantity x runs = {total} is above the maximum "
                    f"{service.max}; lower quantity or runs"
                )
    else:
        # Types without a quantity field count the lines of their list instead.
        counted = _COUNTED_LINES.get(_fold_type(service.type))
        if counted is not None and counted in fields:
            lines = [line for line in fields[counted].split("\n") if line.strip()]
            _check_range(service, label, f"number of lines in {counted}", len(lines))

    if "min" in fields and "max" in fields:
        low, high = int(fields["min"]), int(fields["max"])
        if low > high:
            raise PanelInputError(f"{label}: min {low} is above max {high}")
        _check_range(service, label, "min", low)
        _check_range(service, label, "max", high)


def _check_range(service: Service, label: str, name: str, value: int) -> None:
    if service.min is not None and value < service.min:
        raise PanelInputError(
            f"{label}: {name} {value} is below the minimum {service.min}; "
            f"use {service.min} to {service.max if service.max is not None else 'any'}"
        )
    if service.max is not None and value > service.max:
        raise PanelInputError(
            f"{label}: {name} {value} is above the maximum {service.max}; "
            f"use {service.min if service.min is not None else 1} to {service.max}"
        )


def _names(names: set[str] | frozenset[str]) -> str:
    return ", ".join(sorted(names)) or "no fields"
