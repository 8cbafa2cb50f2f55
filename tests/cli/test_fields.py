"""Turning the options of `add` into the client's keyword arguments."""

from __future__ import annotations

from pathlib import Path

import pytest

from panel_async._cli._args import build_parser
from panel_async._cli._fields import order_fields, read_comments
from panel_async._cli._usage import UsageError


def _fields(*options: str) -> dict[str, object]:
    args = build_parser().parse_args(["add", "--service", "1", *options])

    return {
        name: value for name, value in order_fields(args).items() if value is not None
    }


def test_order_fields_named_options() -> None:
    """Options map to the API's field names, old-posts to old_posts."""
    fields = _fields("--link", "L", "--quantity", "5", "--old-posts", "0")

    assert fields == {"link": "L", "quantity": 5, "old_posts": 0}


def test_order_fields_single_extra_is_text() -> None:
    """One --field value is sent as text."""
    assert _fields("--field", "country=US") == {"country": "US"}


def test_order_fields_repeated_extra_is_list() -> None:
    """A repeated --field name is sent as a list, in order."""
    fields = _fields("--field", "usernames=a", "--field", "usernames=b")

    assert fields == {"usernames": ["a", "b"]}


def test_order_fields_answer_number_is_int() -> None:
    """answer_number, which the client takes only as an int, is converted."""
    assert _fields("--field", "answer_number=2") == {"answer_number": 2}


def test_order_fields_answer_number_text_raises() -> None:
    """A non-numeric answer_number is a usage error."""
    with pytest.raises(UsageError, match="answer_number"):
        _fields("--field", "answer_number=two")


@pytest.mark.parametrize(
    ("pair", "hint"), [("link=x", "--link"), ("old_posts=1", "--old-posts")]
)
def test_order_fields_extra_repeating_option_raises(pair: str, hint: str) -> None:
    """--field must not set a field that has its own option."""
    with pytest.raises(UsageError, match=hint):
        _fields("--field", pair)


@pytest.mark.parametrize("name", ["key", "action", "service", "retry"])
def test_order_fields_reserved_name_raises(name: str) -> None:
    """--field must not override the key, the action or the service."""
    with pytest.raises(UsageError, match="set by the client"):
        _fields("--field", f"{name}=x")


def test_read_comments_file_and_escape(tmp_path: Path) -> None:
    """@FILE gives the file's non-blank lines, @@ gives a literal leading @."""
    path = tmp_path / "c.txt"
    path.write_text("one\n\n two \r\nthree", encoding="utf-8")

    lines = read_comments(["first", f"@{path}", "@@user hi"])

    assert lines == ["first", "one", " two ", "three", "@user hi"]


def test_read_comments_missing_file_raises(tmp_path: Path) -> None:
    """An unreadable comments file is a usage error naming it."""
    with pytest.raises(UsageError, match="cannot read comments file"):
        read_comments([f"@{tmp_path / 'absent.txt'}"])
