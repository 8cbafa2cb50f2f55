"""Retry policies: how many attempts, how long to wait between them, and for how long.

Which failures may be retried is decided by the request layer, by when the failure
happened; the policy only decides how often and how patiently.
"""

from __future__ import annotations

__all__ = ["RetryEvent", "RetryPolicy"]

import random
from collections.abc import Callable

import attrs


def _positive(_: object, attribute: attrs.Attribute[float], value: float) -> None:
    if value < 0:
        raise ValueError(f"{attribute.name} must be 0 or more, got {value!r}")


@attrs.frozen(slots=True)
class RetryEvent:
    """One scheduled retry, as passed to `RetryPolicy.on_retry`.

    `attempt` is the number of the attempt that failed (1 for the first), `wait` the
    seconds before the next one, and `cause` the failure.
    """

    action: str
    attempt: int
    wait: float
    cause: BaseException


@attrs.frozen(slots=True)
class RetryPolicy:
    """How a client retries the failures that are safe to retry.

    Waits grow exponentially from `initial_wait` by `multiplier` per attempt, with full
    jitter (a random wait between 0 and that value) so that many clients do not retry
    in step, and never exceed `max_wait` seconds. A `Retry-After` from the panel is
    honoured when it is at most `max_wait`; a longer one ends the retries, because
    hammering earlier only prolongs the ban. `deadline` bounds the total seconds of one
    call, attempts and waits included (None for no bound). `on_retry` is called before
    each wait, for example to count retries.

    Use the presets `default()`, `none()` and `background()`, or build your own.
    """

    attempts: int = attrs.field(default=10)
    deadline: float | None = attrs.field(default=45.0)
    initial_wait: float = attrs.field(default=0.1, validator=_positive)
    max_wait: float = attrs.field(default=5.0, validator=_positive)
    multiplier: float = attrs.field(default=2.0)
    jitter: bool = True
    on_retry: Callable[[RetryEvent], None] | None = attrs.field(default=None, eq=False)

    @attempts.validator
    def _check_attempts(self, _: attrs.Attribute[int], value: int) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"attempts must be an int of 1 or more, got {value!r}")

    @deadline.validator
    def _check_deadline(
        self, _: attrs.Attribute[float | None], value: float | None
    ) -> None:
        if value is not None and value <= 0:
            raise ValueError(
                f"deadline must be positive seconds or None, got {value!r}"
            )

    @multiplier.validator
    def _check_multiplier(self, _: attrs.Attribute[float], value: float) -> None:
        if value < 1:
            raise ValueError(f"multiplier must be 1 or more, got {value!r}")

    @classmethod
    def default(cls) -> RetryPolicy:
        """Ten attempts within 45 s, waits from 0.1 s doubling up to 5 s.

        Suits interactive code (bots, web handlers): a user waits at most 45 s for
        an answer or an error. Many quick attempts ride through a flaky panel (ten
        attempts fail together with probability 6e-6 when 30% of requests fail),
        and a Retry-After above 5 s ends the retries instead of keeping the user
        waiting.
        """
        return cls()

    @classmethod
    def none(cls) -> RetryPolicy:
        """One attempt, no retries."""
        return cls(attempts=1)

    @classmethod
    def background(cls) -> RetryPolicy:
        """Twenty attempts within 15 minutes, waits from 1 s up to 2 minutes.

        Suits unattended jobs such as bulk status polling, which would rather wait out
        a panel's outage or rate limit than report a failure.
        """
        return cls(attempts=20, deadline=900.0, initial_wait=1.0, max_wait=120.0)

    def backoff(self, attempt: int, retry_after: float | None = None) -> float:
        """Return the seconds to wait after failed attempt number `attempt`."""
        if retry_after is not None:
            return min(max(retry_after, 0.0), self.max_wait)
        ceiling = min(
            self.max_wait, self.initial_wait * self.multiplier ** (attempt - 1)
        )
        if self.jitter:
            return random.uniform(0.0, ceiling)
        return ceiling
