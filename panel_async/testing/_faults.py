"""Fault plans: network and server failures injected into a share of requests."""

from __future__ import annotations

import enum
import random
from collections.abc import Iterable
from typing import Any

import attrs

__all__ = ["FaultKind", "FaultPlan", "FaultRoller"]


class FaultKind(str, enum.Enum):
    """A failure that the simulated panel can inject into one request."""

    CONNECT_ERROR = "connect_error"
    RESET_BEFORE = "reset_before"
    RESET_AFTER = "reset_after"
    HTTP_502 = "http_502"
    HTTP_503 = "http_503"
    HTTP_429 = "http_429"
    HTML_CHALLENGE = "html_challenge"
    TRUNCATED_JSON = "truncated_json"
    STALL = "stall"

    @property
    def runs_action(self) -> bool:
        """Whether the panel performs the requested action before the fault shows."""
        return self in _AFTER_ACTION


_AFTER_ACTION = frozenset(
    {FaultKind.RESET_AFTER, FaultKind.TRUNCATED_JSON, FaultKind.STALL}
)

_probability = attrs.field(
    default=0.0,
    converter=float,
    validator=[attrs.validators.ge(0.0), attrs.validators.le(1.0)],
)


def _freeze_actions(
    actions: Iterable[str] | None,
) -> frozenset[str] | None:
    return None if actions is None else frozenset(actions)


@attrs.frozen
class FaultPlan:
    """Probabilities of each fault per request, drawn from `random.Random(seed)`.

    Each request gets at most one fault. Faults that happen before the action, which
    therefore does not run:

    - `connect_error`: the connection fails. In process, the transport raises
      `httpx.ConnectError` and the panel does not count the request. Over HTTP the
      server cannot refuse a connection it has accepted, so it sends the response
      headers and closes the connection, as for `reset_before`.
    - `reset_before`: the connection is reset.
    - `http_502`, `http_503`: an HTML error page from a proxy.
    - `http_429`: HTTP 429 with `Retry-After: retry_after` (whole seconds).
    - `html_challenge`: a Cloudflare-like HTML challenge page with HTTP
      `challenge_status` (200 or 403) and a `cf-mitigated: challenge` header.

    Faults that happen after the action has run and changed the panel's state:

    - `reset_after`: the connection is reset before the body arrives.
    - `truncated_json`: the JSON body is cut in the middle, with a Content-Length
      that matches the cut body.
    - `stall`: the response is held back for `stall_seconds`, then sent.

    A reset sends the response headers with a Content-Length and then closes the
    connection. The in-process transport raises `httpx.ReadError` for it, and over
    HTTP the client sees `httpx.RemoteProtocolError`.

    `actions`, when given, limits the faults to requests for those actions.

    Raises:
        ValueError: if a probability is outside [0, 1] or they add up to more than 1.
    """

    connect_error: float = _probability
    reset_before: float = _probability
    reset_after: float = _probability
    http_502: float = _probability
    http_503: float = _probability
    http_429: float = _probability
    html_challenge: float = _probability
    truncated_json: float = _probability
    stall: float = _probability
    retry_after: int = attrs.field(default=1, validator=attrs.validators.ge(0))
    challenge_status: int = attrs.field(
        default=403, validator=attrs.validators.in_((200, 403))
    )
    stall_seconds: float = attrs.field(default=60.0, validator=attrs.validators.ge(0.0))
    actions: frozenset[str] | None = attrs.field(
        default=None, converter=_freeze_actions
    )
    seed: int = 0

    def __attrs_post_init__(self) -> None:
        total = sum(probability for _, probability in self.probabilities())
        if total > 1.0:
            raise ValueError(f"fault probabilities add up to {total}, more than 1")

    def probabilities(self) -> tuple[tuple[FaultKind, float], ...]:
        """Return each fault kind with its probability, in a fixed order."""
        return tuple((kind, float(getattr(self, kind.value))) for kind in FaultKind)

    @property
    def is_empty(self) -> bool:
        """Whether no fault can happen."""
        return all(probability == 0.0 for _, probability in self.probabilities())

    @classmethod
    def parse(cls, text: str) -> FaultPlan:
        """Build a plan from text such as `"reset_after=0.1,http_502=0.05,seed=3"`.

        Keys are the field names. `actions` takes action names joined by `+`
        (`actions=add+status`). An empty text gives a plan without faults.

        Raises:
            ValueError: for an unknown key, a value of the wrong type or a bad value.
        """
        values: dict[str, Any] = {}
        for item in filter(None, (part.strip() for part in text.split(","))):
            name, sep, raw = item.partition("=")
            name = name.strip()
            if not sep:
                raise ValueError(f"fault setting {item!r} must look like name=value")
            values[name] = _parse_value(name, raw.strip())

        return cls(**values)


_INT_FIELDS = frozenset({"seed", "retry_after", "challenge_status"})
_FLOAT_FIELDS = frozenset({kind.value for kind in FaultKind} | {"stall_seconds"})


def _parse_value(name: str, raw: str) -> Any:
    try:
        if name in _INT_FIELDS:
            return int(raw)
        if name in _FLOAT_FIELDS:
            return float(raw)
    except ValueError:
        raise ValueError(f"fault setting {name}={raw!r} is not a number") from None
    if name == "actions":
        return frozenset(filter(None, raw.split("+")))

    known = ", ".join(sorted(_INT_FIELDS | _FLOAT_FIELDS | {"actions"}))
    raise ValueError(f"unknown fault setting {name!r}; expected one of: {known}")


class FaultRoller:
    """Draws the fault, if any, for each request of one panel."""

    def __init__(self, plan: FaultPlan) -> None:
        self.plan = plan
        self._random = random.Random(plan.seed)
        self._table = plan.probabilities()

    def roll(self, action: str) -> FaultKind | None:
        """Return the fault for the next request, or None for a clean one."""
        if self.plan.is_empty:
            return None
        if self.plan.actions is not None and action not in self.plan.actions:
            return None
        draw = self._random.random()
        for kind, probability in self._table:
            if draw < probability:
                return kind
            draw -= probability

        return None
