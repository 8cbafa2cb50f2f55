"""Classification of panels' error messages into error classes.

Panels word the same error in many ways ("Invalid API key", "Incorrect API key",
"invalid_api_key"). Messages are folded to lower-case words before matching, so that
case, punctuation and snake_case do not matter. A message that matches nothing stays a
plain PanelAPIError; the raw text is always kept on the error.
"""

from __future__ import annotations

__all__ = ["classify_error", "fold_message"]

import re

from ._errors import (
    PanelAPIError,
    PanelAuthError,
    PanelDuplicateOrderError,
    PanelInsufficientFundsError,
    PanelNotFoundError,
    PanelRateLimitError,
    PanelTooManyIDsError,
    PanelValidationError,
)

_NON_WORD = re.compile(r"[\W_]+")


def fold_message(message: str) -> str:
    """Fold a message to lower-case words separated by single spaces."""
    return " ".join(_NON_WORD.sub(" ", message.casefold()).split())


# Each rule: the class, then patterns over the folded message. The first match wins, so
# the more specific rules come first ("incorrect api key" before "incorrect").
_RULES: tuple[tuple[type[PanelAPIError], tuple[re.Pattern[str], ...]], ...] = (
    (
        PanelAuthError,
        (
            re.compile(r"\b(invalid|incorrect|wrong|bad|unknown|missing)\b.*\bkey\b"),
            re.compile(r"\bapi ?key\b.*\b(invalid|incorrect|wrong|required|missing)"),
            re.compile(r"\b(unauthori[sz]ed|authentication failed|access denied)\b"),
        ),
    ),
    (
        PanelRateLimitError,
        (
            re.compile(r"\brate ?limit"),
            re.compile(r"\btoo many requests\b"),
            re.compile(r"\bslow down\b"),
        ),
    ),
    (
        PanelTooManyIDsError,
        (
            re.compile(r"\btoo many (orders|refills|ids|order ids|refill ids)\b"),
            re.compile(r"\b(max|maximum|limit)\b.*\b\d+\b.*\b(orders|refills|ids)\b"),
            re.compile(r"\b(orders|refills|ids)\b.*\b(max|maximum|limit)\b.*\b\d+\b"),
        ),
    ),
    (
        PanelInsufficientFundsError,
        (
            re.compile(r"\b(not enough|insufficient|low)\b.*\b(funds|balance|money)\b"),
            re.compile(r"\bbalance\b.*\b(not enough|insufficient|too low)\b"),
        ),
    ),
    (
        PanelDuplicateOrderError,
        (
            re.compile(r"\bactive order\b"),
            re.compile(r"\b(order|link)\b.*\balready\b.*\b(active|in progress|exists)"),
            re.compile(r"\bduplicate\b.*\border\b"),
        ),
    ),
    (
        PanelNotFoundError,
        (
            re.compile(
                r"\b(incorrect|invalid|unknown|wrong|bad)\b.*"
                r"\b(order|refill|service)s?\b.*\b(id|ids)\b"
            ),
            re.compile(r"\b(order|refill|service)\b.*\bnot (found|exists?)\b"),
            re.compile(r"\bno such (order|refill|service)\b"),
            re.compile(r"\b(order|refill|service) ?(id )?not ?found\b"),
        ),
    ),
    (
        PanelValidationError,
        (
            re.compile(r"\bquantity\b"),
            re.compile(r"\b(incorrect|invalid|bad|wrong)\b.*\b(link|url|request)\b"),
            re.compile(r"\b(link|url)\b.*\b(invalid|incorrect|wrong)\b"),
            re.compile(r"\b(field|parameter)\b.*\b(required|missing|invalid)\b"),
            re.compile(r"\b(required|missing)\b.*\b(field|parameter)\b"),
            re.compile(r"\b(minimal|maximal|minimum|maximum)\b"),
            re.compile(r"\b(not allowed|not available|disabled|not supported)\b"),
        ),
    ),
)


def classify_error(
    message: str,
    *,
    action: str | None = None,
    status_code: int | None = None,
    retry_after: float | None = None,
) -> PanelAPIError:
    """Build the error for a panel's message, of the class its wording matches."""
    folded = fold_message(message)
    if status_code == 429:
        return PanelRateLimitError(
            message, action=action, status_code=status_code, retry_after=retry_after
        )

    for error_class, patterns in _RULES:
        if any(pattern.search(folded) for pattern in patterns):
            if error_class is PanelRateLimitError:
                return PanelRateLimitError(
                    message,
                    action=action,
                    status_code=status_code,
                    retry_after=retry_after,
                )
            return error_class(message, action=action, status_code=status_code)

    return PanelAPIError(message, action=action, status_code=status_code)
