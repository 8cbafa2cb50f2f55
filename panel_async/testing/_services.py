"""The services catalogue of the simulated panel."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

import attrs

__all__ = ["PACKAGE_TYPES", "SERVICE_TYPES", "Service", "default_services"]

# The service types that Perfect Panel–style panels publish, each with its own `add`
# fields.
SERVICE_TYPES = (
    "Default",
    "Package",
    "Custom Comments",
    "Custom Comments Package",
    "Mentions",
    "Mentions with Hashtags",
    "Mentions Custom List",
    "Mentions Hashtag",
    "Mentions User Followers",
    "Mentions Media Likers",
    "Comment Likes",
    "Comment Replies",
    "Poll",
    "Invites from Groups",
    "Subscriptions",
    "Web Traffic",
)

# Types charged their rate once per order instead of per 1000 units.
PACKAGE_TYPES = frozenset({"Package", "Custom Comments Package"})


def _to_decimal(value: str | int | Decimal) -> Decimal:
    if isinstance(value, float):
        raise TypeError("rate must be a str, int or Decimal, not a float")
    return Decimal(value)


def _check_type(instance: Service, attribute: attrs.Attribute[str], value: str) -> None:
    if value not in SERVICE_TYPES:
        raise ValueError(
            f"unknown service type {value!r}; expected one of {SERVICE_TYPES}"
        )


def _check_range(
    instance: Service, attribute: attrs.Attribute[int], value: int
) -> None:
    if not 1 <= instance.min_quantity <= value:
        raise ValueError(
            f"service {instance.service_id}: min_quantity must be between 1 and "
            f"max_quantity, got {instance.min_quantity} and {value}"
        )


@attrs.frozen
class Service:
    """One entry of the catalogue that the `services` action returns.

    `rate` is the price per 1000 units, except for the package types in
    `PACKAGE_TYPES`, which are charged `rate` once per order. For Subscriptions,
    `min_quantity` and `max_quantity` bound the `min` and `max` fields of `add`.

    Raises:
        ValueError: for a type outside `SERVICE_TYPES` or a bad quantity range.
        TypeError: for a float rate, because money must stay exact.
    """

    service_id: int
    name: str
    service_type: str = attrs.field(validator=_check_type)
    category: str
    rate: Decimal = attrs.field(converter=_to_decimal)
    min_quantity: int
    max_quantity: int = attrs.field(validator=_check_range)
    refill: bool = False
    cancel: bool = False
    dripfeed: bool = False
    description: str = ""
    average_time: str = ""

    @property
    def is_package(self) -> bool:
        """Whether the service is charged its rate once per order."""
        return self.service_type in PACKAGE_TYPES


def _service(
    service_id: int,
    name: str,
    service_type: str,
    category: str,
    rate: str,
    limits: tuple[int, int],
    **flags: bool,
) -> Service:
    return Service(
        service_id=service_id,
        name=name,
        service_type=service_type,
        category=category,
        rate=rate,
        min_quantity=limits[0],
        max_quantity=limits[1],
        description=f"{name}. Start within 1 hour.",
        average_time=f"{service_id * 7 % 50 + 5} minutes",
        **flags,
    )


def default_services() -> Sequence[Service]:
    """Return the default catalogue, which has a service of every type in SERVICE_TYPES.

    Services 1 and 2 have the names, types, rates, limits and flags of the two
    examples in the API v2 document.
    """
    followers, telegram = "Instagram Followers", "Telegram"
    return (
        _service(1, "Followers", "Default", followers, "0.90", (50, 10000), refill=True,
                 cancel=True, dripfeed=True),
        _service(2, "Comments", "Custom Comments", "Instagram Comments", "8",
                 (10, 1500), cancel=True),
        _service(3, "Likes [No refill]", "Default", "Instagram Likes", "0.01235",
                 (20, 50000)),
        _service(4, "Followers Package 1000", "Package", followers, "1.5", (1, 1),
                 refill=True),
        _service(5, "Comments Package 10", "Custom Comments Package",
                 "Instagram Comments", "2.25", (1, 1)),
        _service(6, "Mentions", "Mentions", "Instagram Mentions", "3.6", (100, 20000),
                 cancel=True),
        _service(7, "Mentions with Hashtags", "Mentions with Hashtags",
                 "Instagram Mentions", "4.2", (100, 20000)),
        _service(8, "Mentions Custom List", "Mentions Custom List",
                 "Instagram Mentions", "5", (10, 5000)),
        _service(9, "Mentions Hashtag", "Mentions Hashtag", "Instagram Mentions",
                 "3.9", (100, 20000)),
        _service(10, "Mentions User Followers", "Mentions User Followers",
                 "Instagram Mentions", "4.5", (100, 20000)),
        _service(11, "Mentions Media Likers", "Mentions Media Likers",
                 "Instagram Mentions", "4.5", (100, 20000)),
        _service(12, "Comment Likes", "Comment Likes", "Instagram Likes", "2.1",
                 (20, 10000), refill=True, cancel=True),
        _service(13, "Comment Replies", "Comment Replies", "Instagram Comments",
                 "12.5", (5, 500)),
        _service(14, "Poll Votes", "Poll", telegram, "0.4", (100, 100000), cancel=True),
        _service(15, "Group Invites", "Invites from Groups", telegram, "7.77777",
                 (100, 10000)),
        _service(16, "Auto Likes", "Subscriptions", "Instagram Auto Likes", "0.75",
                 (50, 5000), cancel=True),
        _service(17, "Website Visitors", "Web Traffic", "Website Traffic", "0.08011",
                 (1000, 1000000), cancel=True, dripfeed=True),
        _service(18, "Views [Refill 30 days]", "Default", "Instagram Views", "0.00150",
                 (100, 10000000), refill=True, dripfeed=True),
    )  # fmt: skip
