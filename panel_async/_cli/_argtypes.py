"""Value types of the command-line options: each parses one argument's text.

Each raises argparse.ArgumentTypeError with the reason, which argparse reports as a
usage error (exit code 2).
"""

from __future__ import annotations

__all__ = [
    "fault_plan",
    "field_pair",
    "iso_date",
    "non_negative_int",
    "port_number",
    "positive_int",
    "seconds",
]

import argparse
import datetime
import re

from panel_async.testing import FaultPlan

_FIELD_NAME = re.compile(r"[a-z][a-z0-9_]*")


def positive_int(text: str) -> int:
    """Parse a whole number of 1 or more."""
    value = _int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, got {text!r}")

    return value


def non_negative_int(text: str) -> int:
    """Parse a whole number of 0 or more."""
    value = _int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, got {text!r}")

    return value


def port_number(text: str) -> int:
    """Parse a TCP port, 0 to 65535 (0 picks a free port)."""
    value = _int(text)
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"must be 0 to 65535, got {text!r}")

    return value


def seconds(text: str) -> float:
    """Parse a duration in seconds, 0 or more."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not value >= 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be 0 or more seconds, got {text!r}")

    return value


def iso_date(text: str) -> datetime.date:
    """Parse a date written YYYY-MM-DD."""
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"invalid date {text!r}; use YYYY-MM-DD"
        ) from None


def field_pair(text: str) -> tuple[str, str]:
    """Parse NAME=VALUE for --field; NAME is a lower-case API field name."""
    name, sep, value = text.partition("=")
    if not sep or not _FIELD_NAME.fullmatch(name):
        raise argparse.ArgumentTypeError(
            f"expected NAME=VALUE with a lower-case field name, got {text!r}"
        )

    return name, value


def fault_plan(text: str) -> FaultPlan:
    """Parse a fault plan such as `reset_after=0.1,http_502=0.05,seed=3`."""
    try:
        return FaultPlan.parse(text)
    except (TypeError, ValueError) as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
