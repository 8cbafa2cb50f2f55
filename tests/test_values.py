"""Tests of the lenient value readers: numbers, money, booleans, text and IDs."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from panel_async._values import (
    read_bool,
    read_decimal,
    read_id,
    read_int,
    read_text,
    require_decimal,
)


def decode(text: str) -> object:
    """Decode JSON as the transport does: numbers with a dot become Decimal."""
    return json.loads(text, parse_float=Decimal)


# --- read_decimal ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0.90", "0.90"),
        ("0.27819", "0.27819"),
        ("0.08011655652", "0.08011655652"),
        ("3572", "3572"),
        (" 12.5 ", "12.5"),
        ("-5", "-5"),
        ("+5", "5"),
        (".5", "0.5"),
        ("5.", "5"),
        ("1e3", "1E+3"),
        ("2.5E-2", "0.025"),
        (3572, "3572"),
        (0, "0"),
        (Decimal("100.84292"), "100.84292"),
    ],
)
def test_read_decimal_numbers(value: object, expected: str) -> None:
    number = read_decimal(value)
    assert isinstance(number, Decimal)
    assert number == Decimal(expected)


def test_read_decimal_keeps_digits_as_sent() -> None:
    # The text form is kept exactly, trailing zeros included, so nothing is rounded.
    assert str(read_decimal("0.90")) == "0.90"
    assert str(read_decimal("100.84292")) == "100.84292"


@pytest.mark.parametrize(
    "value",
    [None, "", "   ", "Unknown", "N/A", "-", "1,5", "1.2.3", "0x10", "NaN", "Infinity",
     "inf", "1e", "12abc", True, False, "1" * 65],
)  # fmt: skip
def test_read_decimal_absent_or_word_is_none(value: object) -> None:
    assert read_decimal(value) is None


def test_read_decimal_json_numbers_stay_exact() -> None:
    answer = decode('{"charge": 0.1, "rate": 0.2, "long": 0.08011655652}')
    assert isinstance(answer, dict)
    charge = read_decimal(answer["charge"])
    rate = read_decimal(answer["rate"])
    assert charge is not None
    assert rate is not None
    # With float this sum would be 0.30000000000000004.
    assert charge + rate == Decimal("0.3")
    assert read_decimal(answer["long"]) == Decimal("0.08011655652")


def test_read_decimal_float_uses_its_repr() -> None:
    # Floats only reach the reader from hand-built values; repr keeps what was typed.
    assert read_decimal(0.1) == Decimal("0.1")


@pytest.mark.parametrize(
    "value",
    [Decimal("NaN"), Decimal("Infinity"), Decimal("1E+100"), Decimal("1E-100"), 10**40,
     Decimal("1" * 41)],
)  # fmt: skip
def test_read_decimal_rejects_absurd_numbers(value: object) -> None:
    with pytest.raises(ValueError, match="number"):
        read_decimal(value)


@pytest.mark.parametrize("value", [[], {}, object()])
def test_read_decimal_rejects_containers(value: object) -> None:
    with pytest.raises(TypeError, match="expected a number"):
        read_decimal(value)


def test_require_decimal() -> None:
    assert require_decimal("1.50") == Decimal("1.50")
    with pytest.raises(ValueError, match="expected a number"):
        require_decimal("")
    with pytest.raises(ValueError, match="expected a number"):
        require_decimal(None)


# --- read_int -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("3572", 3572),
        (3572, 3572),
        (" 157 ", 157),
        ("12.0", 12),
        (Decimal("157"), 157),
        (Decimal("12.0"), 12),
        ("0", 0),
        (None, None),
        ("", None),
        ("Unknown", None),
        (True, None),
    ],
)
def test_read_int(value: object, expected: int | None) -> None:
    assert read_int(value) == expected


def test_read_int_rejects_huge_numbers() -> None:
    with pytest.raises(ValueError, match="too many digits"):
        read_int(10**40)


# --- read_bool ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (True, True),
        (False, False),
        (1, True),
        (0, False),
        ("1", True),
        ("0", False),
        ("true", True),
        ("false", False),
        ("True", True),
        (" FALSE ", False),
        ("yes", True),
        ("no", False),
        (Decimal("1"), True),
        (Decimal("0"), False),
        (None, None),
        ("", None),
        ("maybe", None),
        ([], None),
    ],
)
def test_read_bool(value: object, expected: bool | None) -> None:
    assert read_bool(value) is expected


# --- read_text ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Followers", "Followers"),
        ("", ""),
        (None, ""),
        (5, "5"),
        (Decimal("1.50"), "1.50"),
    ],
)
def test_read_text(value: object, expected: str) -> None:
    assert read_text(value) == expected


@pytest.mark.parametrize("value", [True, [], {"a": 1}])
def test_read_text_rejects_other_types(value: object) -> None:
    with pytest.raises(TypeError, match="expected text"):
        read_text(value)


# --- read_id --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (18801, 18801),
        ("18801", 18801),
        (" 18801 ", 18801),
        (Decimal("18801"), 18801),
        (Decimal("18801.0"), 18801),
        (0, 0),
        ("ord_01HG7Q", "ord_01HG7Q"),
        ("5f1c0e9a7b3d2c1e0f9a8b7c", "5f1c0e9a7b3d2c1e0f9a8b7c"),
        # Non-ASCII digits are not a number the panel could mean; they stay text.
        ("١٢٣", "١٢٣"),
    ],
)
def test_read_id(value: object, expected: int | str) -> None:
    result = read_id(value)
    assert result == expected
    assert type(result) is type(expected)


def test_read_id_number_and_text_are_one_id() -> None:
    assert read_id(18801) == read_id("18801")


@pytest.mark.parametrize(
    "value",
    [None, True, False, -1, "", "   ", Decimal("1.5"), Decimal("-3"), 10**40, "x" * 201,
     [], {}],
)  # fmt: skip
def test_read_id_rejects_non_ids(value: object) -> None:
    with pytest.raises(ValueError, match="ID"):
        read_id(value)
