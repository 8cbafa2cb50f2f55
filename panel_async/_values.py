"""Lenient readers for the values panels send: numbers, money, booleans, IDs and text.

Panels send the same field as a JSON string, a number, an empty string, null or a word.
These readers accept all of them and return None where the value is absent or a word.
Answers are decoded with `parse_float=Decimal`, so money never passes through float.
"""

from __future__ import annotations

__all__ = [
    "read_bool",
    "read_decimal",
    "read_id",
    "read_int",
    "read_text",
    "require_decimal",
]

import re
from decimal import Decimal, InvalidOperation

# Longer numbers are not money or counts; they are refused instead of parsed, which
# bounds the CPU a hostile answer can cost.
_MAX_NUMBER_CHARS = 40
# Decimal exponents beyond this are absurd for money and would make arithmetic slow.
_MAX_EXPONENT = 30
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d{1,2})?")
_TRUE_WORDS = frozenset({"1", "true", "yes", "y", "on"})
_FALSE_WORDS = frozenset({"0", "false", "no", "n", "off"})


def _checked(number: Decimal) -> Decimal:
    if not number.is_finite():
        raise ValueError(f"number {number} is not finite")
    exponent = number.as_tuple().exponent
    if not isinstance(exponent, int) or abs(exponent) > _MAX_EXPONENT:
        raise ValueError(f"number {number} has an absurd exponent")
    if len(number.as_tuple().digits) > _MAX_NUMBER_CHARS:
        raise ValueError("number has too many digits")
    return number


def read_decimal(value: object) -> Decimal | None:
    """Read an exact number; None for null, empty text or a word such as "Unknown"."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        return _checked(value)
    if isinstance(value, int):
        if abs(value) >= 10**_MAX_NUMBER_CHARS:
            raise ValueError("number has too many digits")
        return Decimal(value)
    if isinstance(value, float):
        # Only reached for values built by hand; the text form keeps what was typed.
        return _checked(Decimal(repr(value)))
    if isinstance(value, str):
        text = value.strip() if len(value) <= 64 else ""
        if not _NUMBER.fullmatch(text):
            return None
        try:
            return _checked(Decimal(text))
        except InvalidOperation:
            return None
    raise TypeError(f"expected a number, got {type(value).__name__}")


def require_decimal(value: object) -> Decimal:
    """Read an exact number that must be present."""
    number = read_decimal(value)
    if number is None:
        raise ValueError(f"expected a number, got {value!r:.40}")
    return number


def read_int(value: object) -> int | None:
    """Read a whole number; None when absent or a word, rounding "12.0" to 12."""
    if isinstance(value, int) and not isinstance(value, bool):
        if abs(value) >= 10**_MAX_NUMBER_CHARS:
            raise ValueError("number has too many digits")
        return value
    number = read_decimal(value)
    if number is None:
        return None
    return int(number)


def read_bool(value: object) -> bool | None:
    """Read a flag sent as true/false, 1/0 or "1"/"0"; None when absent or unclear."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, Decimal)):
        return value != 0
    if isinstance(value, str):
        word = value.strip().casefold()
        if word in _TRUE_WORDS:
            return True
        if word in _FALSE_WORDS:
            return False
    return None


def read_text(value: object) -> str:
    """Read a text field, accepting numbers; null becomes the empty string."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        return str(value)
    raise TypeError(f"expected text, got {type(value).__name__}")


def read_id(value: object) -> int | str:
    """Read an ID the panel issued: digits become an int, other text stays as it is."""
    if isinstance(value, int) and not isinstance(value, bool):
        if value < 0 or value >= 10**_MAX_NUMBER_CHARS:
            raise ValueError(f"ID {value} is out of range")
        return value
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return read_id(int(_checked(value)))
    if isinstance(value, str):
        text = value.strip()
        if text.isdigit() and text.isascii() and len(text) < _MAX_NUMBER_CHARS:
            return int(text)
        if text and len(text) <= 200:
            return text
    raise ValueError(f"expected an ID, got {value!r:.40}")
