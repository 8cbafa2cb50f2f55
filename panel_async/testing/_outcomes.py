"""Results of the simulated panel's actions, before a dialect writes them out."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

import attrs

from panel_async._states import OrderState

__all__ = ["ActionError", "ErrorKind", "Failure", "OrderStatus"]

ErrorKind = Literal["key", "request"]


class ActionError(Exception):
    """A request-level error, sent to the client as an error body.

    `kind` is "key" for a bad API key, for which some dialects use their own
    HTTP status and wording, and "request" for everything else.
    """

    def __init__(self, message: str, kind: ErrorKind = "request") -> None:
        super().__init__(message)
        self.message = message
        self.kind: ErrorKind = kind


@attrs.frozen
class Failure:
    """The error of one ID inside a multi request."""

    message: str


@attrs.frozen
class OrderStatus:
    """The fields of one order in a `status` response, except the currency."""

    charge: Decimal
    start_count: int
    state: OrderState
    remains: int
