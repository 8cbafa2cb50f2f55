"""The exceptions of panel_async.

```
Exception
├── PanelError                         runtime failures: the panel or the network
│   ├── PanelTransportError            no usable answer after retries (connect, timeout)
│   ├── PanelResponseError             an answer that is not JSON or not the right shape
│   │   ├── PanelHTMLResponseError     an HTML page (firewall, challenge, error page)
│   │   └── PanelRedirectError         a 3xx answer; names the target
│   ├── PanelAmbiguousOrderError       a request that charges may have reached the panel
│   └── PanelAPIError                  the panel answered with an error message
│       ├── PanelAuthError             invalid key                          (permanent)
│       ├── PanelInsufficientFundsError                                     (permanent)
│       ├── PanelNotFoundError         unknown order, refill or service     (permanent)
│       │   └── PanelMissingIDError    an ID the panel left out of its answer
│       ├── PanelValidationError       bad quantity, link or request        (permanent)
│       ├── PanelDuplicateOrderError   an active order for that link        (permanent)
│       ├── PanelTooManyIDsError       a multi request above the panel's cap
│       └── PanelRateLimitError        HTTP 429 or a rate-limit message     (transient)
├── ValueError
│   └── PanelInputError                misuse: a bad argument, caught before sending
└── RuntimeError
    └── PanelClientClosedError         a call on a closed client
```

Every error keeps what it is about (action, HTTP status, a short redacted excerpt of the
answer) and never the API key.
"""

from __future__ import annotations

__all__ = [
    "PanelAPIError",
    "PanelAmbiguousOrderError",
    "PanelAuthError",
    "PanelClientClosedError",
    "PanelDuplicateOrderError",
    "PanelError",
    "PanelHTMLResponseError",
    "PanelInputError",
    "PanelInsufficientFundsError",
    "PanelMissingIDError",
    "PanelNotFoundError",
    "PanelRateLimitError",
    "PanelRedirectError",
    "PanelResponseError",
    "PanelTooManyIDsError",
    "PanelTransportError",
    "PanelValidationError",
]

from collections.abc import Mapping


class PanelError(Exception):
    """Base of every runtime failure: the network, the panel, or its answer."""

    def __init__(self, message: str, *, action: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.action = action

    def __str__(self) -> str:
        return self.message


class PanelTransportError(PanelError):
    """The request failed on the network and retries, if allowed, did not help."""


class PanelResponseError(PanelError):
    """The panel answered, but not with JSON of the expected shape.

    `status_code` is the HTTP status and `excerpt` a short, redacted start of the body.
    """

    def __init__(
        self,
        message: str,
        *,
        action: str | None = None,
        status_code: int | None = None,
        excerpt: str = "",
    ) -> None:
        super().__init__(message, action=action)
        self.status_code = status_code
        self.excerpt = excerpt


class PanelHTMLResponseError(PanelResponseError):
    """The panel answered with an HTML page, usually a firewall or challenge page."""


class PanelRedirectError(PanelResponseError):
    """The panel answered with a redirect, which is never followed.

    Following it would turn the POST into a GET or send the key to another host.
    `location` is the target; point the client at it yourself if you trust it.
    """

    def __init__(
        self,
        message: str,
        *,
        action: str | None = None,
        status_code: int | None = None,
        location: str | None = None,
    ) -> None:
        super().__init__(message, action=action, status_code=status_code)
        self.location = location


class PanelAmbiguousOrderError(PanelError):
    """A request that can charge or change an order failed after it may have arrived.

    The panel may or may not have acted on it. `fields` contains what was sent
    (never the key) so that the caller can look for the order before sending it
    again.
    """

    def __init__(
        self,
        message: str,
        *,
        action: str | None = None,
        fields: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message, action=action)
        self.fields: dict[str, str] = dict(fields or {})


class PanelAPIError(PanelError):
    """The panel answered with an error message; `message` is its text, as sent.

    `status_code` is the HTTP status of the answer (usually 200 on these panels).
    """

    #: Whether sending the same request again can succeed.
    transient: bool = False

    def __init__(
        self,
        message: str,
        *,
        action: str | None = None,
        status_code: int | None = None,
    ) -> None:
        super().__init__(message, action=action)
        self.status_code = status_code


class PanelAuthError(PanelAPIError):
    """The panel rejected the API key."""


class PanelInsufficientFundsError(PanelAPIError):
    """The balance does not cover the order."""


class PanelNotFoundError(PanelAPIError):
    """The order, refill or service ID is unknown to the panel."""


class PanelMissingIDError(PanelNotFoundError):
    """The panel's multi answer left out this ID."""


class PanelValidationError(PanelAPIError):
    """The panel rejected a field of the request (quantity, link, missing field)."""


class PanelDuplicateOrderError(PanelAPIError):
    """The panel has an active order for this link and takes no second one yet."""


class PanelTooManyIDsError(PanelAPIError):
    """The panel rejected a multi request for carrying more IDs than it accepts."""


class PanelRateLimitError(PanelAPIError):
    """The panel asks the client to slow down.

    `retry_after` is the wait in seconds the panel asked for, or None.
    """

    transient = True

    def __init__(
        self,
        message: str,
        *,
        action: str | None = None,
        status_code: int | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message, action=action, status_code=status_code)
        self.retry_after = retry_after


class PanelInputError(ValueError):
    """An argument is invalid; raised before anything is sent."""


class PanelClientClosedError(RuntimeError):
    """The client was used after `aclose()` or after its `async with` block ended."""
