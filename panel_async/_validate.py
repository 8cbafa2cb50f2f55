"""Checks of the caller's arguments, run before anything is sent.

Each failed check raises PanelInputError (a ValueError) naming the value and what is
allowed.
"""

from __future__ import annotations

__all__ = ["check_id", "check_positive_int", "check_text", "id_key", "join_lines"]

from collections.abc import Iterable

from ._errors import PanelInputError

_MAX_ID_CHARS = 200
_MAX_SHOWN = 40
# An int of more digits is neither an ID nor a count. Python raises ValueError when
# it turns an int of more than 4300 digits into text, so such ints are rejected
# before anything formats them.
_MAX_INT_DIGITS = 40
_INT_LIMIT = 10**_MAX_INT_DIGITS


def _shown(value: object) -> str:
    if isinstance(value, int) and abs(value) >= _INT_LIMIT:
        return f"<an int of {value.bit_length()} bits>"
    text = repr(value)
    return text if len(text) <= _MAX_SHOWN else text[: _MAX_SHOWN - 3] + "..."


def _has_control(text: str) -> bool:
    return any(ord(ch) < 32 or ord(ch) == 127 for ch in text)


def id_key(value: object, what: str = "order ID") -> str:
    """Return the text form of an ID, the form answers are matched by.

    An ID is a positive int or a non-empty string without commas, whitespace or
    control characters; `bool` is not an ID.
    """
    if isinstance(value, int) and not isinstance(value, bool):
        if value < 1:
            raise PanelInputError(
                f"{what} {value!r} is invalid: int IDs must be positive"
            )
        if value >= _INT_LIMIT:
            raise PanelInputError(
                f"{what} {_shown(value)} is too large: int IDs have at most "
                f"{_MAX_INT_DIGITS} digits"
            )
        return str(value)
    if isinstance(value, str):
        if not value:
            raise PanelInputError(
                f"{what} is an empty string; pass the ID the panel issued"
            )
        if len(value) > _MAX_ID_CHARS:
            raise PanelInputError(
                f"{what} {_shown(value)} is longer than {_MAX_ID_CHARS} characters"
            )
        if "," in value or any(ch.isspace() for ch in value) or _has_control(value):
            raise PanelInputError(
                f"{what} {_shown(value)} is invalid: IDs must not contain commas, "
                "whitespace or control characters; pass one ID per item"
            )
        return value
    raise PanelInputError(
        f"{what} {_shown(value)} is a {type(value).__name__}; pass an int or a str"
    )


def check_id(value: object, what: str = "order ID") -> int | str:
    """Check one ID and return it unchanged."""
    id_key(value, what)
    assert isinstance(value, (int, str))  # checked by id_key
    return value


def check_positive_int(name: str, value: object) -> int:
    """Check that `value` is an int of 1 or more (not a bool, not a float)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise PanelInputError(f"{name} must be a positive int, got {_shown(value)}")
    _check_digits(name, value)
    return value


def check_non_negative_int(name: str, value: object) -> int:
    """Check that `value` is an int of 0 or more."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise PanelInputError(
            f"{name} must be an int of 0 or more, got {_shown(value)}"
        )
    _check_digits(name, value)
    return value


def _check_digits(name: str, value: int) -> None:
    if value >= _INT_LIMIT:
        raise PanelInputError(
            f"{name} {_shown(value)} is too large: at most {_MAX_INT_DIGITS} digits"
        )


def check_text(name: str, value: object) -> str:
    """Check a one-line text field: a non-empty str without control characters."""
    if not isinstance(value, str):
        raise PanelInputError(
            f"{name} must be a str, got {type(value).__name__} {_shown(value)}"
        )
    if not value.strip():
        raise PanelInputError(f"{name} is empty; pass a non-empty {name}")
    if _has_control(value):
        raise PanelInputError(
            f"{name} {_shown(value)} contains control characters such as newlines"
        )
    return value


def _one_line(name: str, line: object) -> str:
    if not isinstance(line, str):
        raise PanelInputError(
            f"{name} must hold str lines, got {type(line).__name__} {_shown(line)}"
        )
    line = line.replace("\r", "").removesuffix("\n")
    if "\n" in line:
        raise PanelInputError(
            f"{name} line {_shown(line)} contains a newline; "
            "pass each line as its own item"
        )
    return line


def join_lines(name: str, value: object) -> str:
    """Join a list of lines, or check one string, into text with one item per line.

    Carriage returns are dropped, so "\\r\\n" endings become "\\n", and so are
    blank lines, which panels would count as empty items.
    """
    if isinstance(value, str):
        lines = value.replace("\r", "").split("\n")
    elif isinstance(value, Iterable) and not isinstance(value, (bytes, dict)):
        lines = [_one_line(name, line) for line in value]
    else:
        raise PanelInputError(
            f"{name} must be a list of str lines or one str, got {type(value).__name__}"
        )
    lines = [line for line in lines if line.strip()]
    if not lines:
        raise PanelInputError(f"{name} has no non-empty line")
    for line in lines:
        if _has_control(line):
            raise PanelInputError(
                f"{name} line {_shown(line)} contains control characters"
            )
    return "\n".join(lines)
