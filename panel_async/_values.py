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
from decimal import Context, Decimal

# Longer numbers are not money or counts; they are refused instead of parsed, which
# bounds the CPU a hostile answer can cost.
_MAX_NUMBER_CHARS = 40
# Magnitudes beyond 10**30 are absurd for money or counts and would make arithmetic
# slow, so such numbers are rejected.
_MAX_EXPONENT = 30
# Rounds to the most significant digits a number may have, so a number that this
# rounding changes has too many.
_MAX_DIGITS = Context(prec=_MAX_NUMBER_CHARS)
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d{1,2})?")
_TRUE_WORDS = frozenset({"1", "true", "yes", "y", "on"})
_FALSE_WORDS = frozenset({"0", "false", "no", "n", "off"})


def _checked(number: Decimal) -> Decimal:
    if not number.is_finite():
        raise ValueError(f"number {number} is not finite")
    # adjusted() is the exponent of the leading digit: it bounds the size of the
    # number without building its digit tuple.
    if abs(number.adjusted()) > _MAX_EXPONENT:
        raise ValueError(f"number {number:.3e} is out of range")
    # Rounding takes time linear in the digits and, unlike as_tuple(), no memory per
    # digit. A number whose extra digits are trailing zeros stays equal, so it passes.
    if _MAX_DIGITS.plus(number) != number:
        raise ValueError(
            f"number {number:.3e} has more than {_MAX_NUMBER_CHARS} digits"
        )
    return number


def read_decimal(value: object, _type: object = None) -> Decimal | None:
    """Read an exact number; None for null, empty text or a word such as "Unknown"."""
    if isinstance(value, str):
        # Strings pass the pattern first, so the Decimal built from them is finite and
        # small: at most _MAX_NUMBER_CHARS characters and a two-digit exponent.
        text = value.strip() if len(value) <= _MAX_NUMBER_CHARS + 8 else ""
        if len(text) > _MAX_NUMBER_CHARS or not _NUMBER.fullmatch(text):
            return None
        return Decimal(text)
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
    raise TypeError(f"expected a number, got {type(value).__name__}")


def require_decimal(value: object) -> Decimal:
    """Read an exact number that must be present."""
    number = read_decimal(value)
    if number is None:
        raise ValueError(f"expected a number, got {value!r:.40}")
    return number


def read_int(value: object, _type: object = None) -> int | None:
    """Read a whole number; None when absent or a word, truncating "12.5" to 12."""
    if isinstance(value, str) and value.isdigit() and value.isascii():
        if len(value) > _MAX_NUMBER_CHARS:
            raise ValueError("number has too many digits")
        return int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        if abs(value) >= 10**_MAX_NUMBER_CHARS:
            raise ValueError("number has too many digits")
        return value
    number = read_decimal(value)
    if number is None:
        return None
    return int(number)


def read_bool(value: object, _type: object = None) -> bool | None:
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


def read_text(value: object, _type: object = None) -> str:
    """Read a text field, accepting numbers; null becomes the empty string."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        return str(value)
    raise TypeError(f"expected text, got {type(value).__name__}")


def read_id(value: object, _type: object = None) -> int | str:
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
