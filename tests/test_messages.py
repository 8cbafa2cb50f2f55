"""Tests of the classification of panels' error messages into error classes."""

from __future__ import annotations

import pytest

from panel_async import (
    PanelAPIError,
    PanelAuthError,
    PanelDuplicateOrderError,
    PanelError,
    PanelInsufficientFundsError,
    PanelNotFoundError,
    PanelRateLimitError,
    PanelTooManyIDsError,
    PanelValidationError,
)
from panel_async._messages import classify_error, fold_message


@pytest.mark.parametrize(
    ("message", "error_class"),
    [
        ("Invalid API key", PanelAuthError),
        ("Incorrect API key", PanelAuthError),
        ("invalid_api_key", PanelAuthError),
        ("INVALID-API-KEY", PanelAuthError),
        ("API key is invalid", PanelAuthError),
        ("Unauthorized", PanelAuthError),
        ("Not enough funds on balance", PanelInsufficientFundsError),
        ("Insufficient balance", PanelInsufficientFundsError),
        ("Your balance is too low", PanelInsufficientFundsError),
        ("You have active order with this link", PanelDuplicateOrderError),
        (
            "You have an active order with this link, please wait until order "
            "being completed",
            PanelDuplicateOrderError,
        ),
        ("Incorrect order ID", PanelNotFoundError),
        ("incorrect order id.", PanelNotFoundError),
        ("Order not found", PanelNotFoundError),
        ("Refill not found", PanelNotFoundError),
        ("Incorrect service ID", PanelNotFoundError),
        ("Quantity less than minimal 200", PanelValidationError),
        ("Quantity more than maximal 10000", PanelValidationError),
        ("Incorrect link", PanelValidationError),
        ("Incorrect request", PanelValidationError),
        ("Too many orders", PanelTooManyIDsError),
        ("Too many orders. Maximum 100 orders per request", PanelTooManyIDsError),
        ("Rate limit exceeded", PanelRateLimitError),
        ("rate_limit", PanelRateLimitError),
        ("Too many requests", PanelRateLimitError),
        ("Too many requests, slow down", PanelRateLimitError),
    ],
)
def test_classify_known_wordings(
    message: str, error_class: type[PanelAPIError]
) -> None:
    error = classify_error(message, action="status", status_code=200)

    assert type(error) is error_class
    assert error.message == message
    assert str(error) == message
    assert error.action == "status"
    assert error.status_code == 200


@pytest.mark.parametrize(
    "message",
    ["Something went wrong", "Неверный API ключ", "Server busy", "", "Error 1042"],
)
def test_unknown_message_stays_plain(message: str) -> None:
    error = classify_error(message, action="balance")

    assert type(error) is PanelAPIError
    assert error.message == message
    assert error.action == "balance"
    assert error.transient is False


def test_http_429_is_rate_limit_whatever_the_words() -> None:
    error = classify_error("Slow down please", status_code=429, retry_after=7.5)

    assert isinstance(error, PanelRateLimitError)
    assert error.retry_after == 7.5
    assert error.status_code == 429
    assert error.message == "Slow down please"


def test_rate_limit_message_keeps_retry_after() -> None:
    error = classify_error("Rate limit exceeded", retry_after=3.0)
    assert isinstance(error, PanelRateLimitError)
    assert error.retry_after == 3.0


@pytest.mark.parametrize(
    ("error_class", "transient"),
    [
        (PanelAPIError, False),
        (PanelAuthError, False),
        (PanelInsufficientFundsError, False),
        (PanelNotFoundError, False),
        (PanelValidationError, False),
        (PanelDuplicateOrderError, False),
        (PanelTooManyIDsError, False),
        (PanelRateLimitError, True),
    ],
)
def test_transient_flags(error_class: type[PanelAPIError], transient: bool) -> None:
    assert error_class.transient is transient
    assert issubclass(error_class, PanelError)


@pytest.mark.parametrize(
    ("message", "folded"),
    [
        ("Invalid API key", "invalid api key"),
        ("invalid_api_key", "invalid api key"),
        ("  INVALID--API   KEY!! ", "invalid api key"),
        ("", ""),
    ],
)
def test_fold_message(message: str, folded: str) -> None:
    assert fold_message(message) == folded
