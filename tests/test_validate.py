"""Tests of the argument checks that run before anything is sent."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
import respx

from panel_async import PanelClient, PanelInputError, RetryPolicy
from panel_async._validate import (
    check_id,
    check_non_negative_int,
    check_positive_int,
    check_text,
    id_key,
    join_lines,
)

from .mocked import KEY, URL

# Each bad ID with the text its error message must show.
BAD_IDS: list[tuple[object, str]] = [
    (0, "0"),
    (-1, "-1"),
    (True, "True"),
    (False, "False"),
    ("", "empty string"),
    ("1,2", "'1,2'"),
    ("a b", "'a b'"),
    ("\n", "'\\n'"),
    ("12\t", "'12\\t'"),
    ("ord\x00", "'ord\\x00'"),
    (1.5, "1.5"),
    (None, "None"),
    (b"12", "b'12'"),
    ([1], "[1]"),
    ("x" * 201, "longer than 200 characters"),
]


@pytest.fixture
async def panel() -> AsyncIterator[PanelClient]:
    """A client that never retries."""
    async with PanelClient(URL, KEY, retry=RetryPolicy.none()) as client:
        yield client


@pytest.mark.parametrize(("value", "shown"), BAD_IDS)
def test_bad_id_named_in_error(value: object, shown: str) -> None:
    with pytest.raises(PanelInputError) as caught:
        id_key(value, "order ID")

    assert shown in str(caught.value)
    assert "order ID" in str(caught.value)
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize(
    ("value", "key"),
    [(1, "1"), (10**20, "100000000000000000000"), ("ord_01HG", "ord_01HG"),
     ("18801", "18801"), ("x" * 200, "x" * 200)],
)  # fmt: skip
def test_good_id_key(value: int | str, key: str) -> None:
    assert id_key(value) == key
    assert check_id(value) is value


@pytest.mark.parametrize(("value", "shown"), BAD_IDS)
async def test_bad_id_rejected_before_sending(
    api: respx.Route, panel: PanelClient, value: Any, shown: str
) -> None:
    calls = [
        panel.status(value),
        panel.refill(value),
        panel.refill_status(value),
        panel.statuses([1, 2, value]),
        panel.refills([value, 1]),
        panel.refill_statuses([1, value]),
        panel.cancel([value]),
    ]
    for call in calls:
        with pytest.raises(PanelInputError) as caught:
            await call
        assert shown in str(caught.value)

    assert api.call_count == 0


async def test_bad_id_in_stream_raised(api: respx.Route, panel: PanelClient) -> None:
    with pytest.raises(PanelInputError, match="'a b'"):
        async for _ in panel.iter_statuses(["a b"]):
            pass

    assert api.call_count == 0


@pytest.mark.parametrize("ids", ["123", b"123", 123, None])
async def test_ids_must_be_iterable_of_ids(
    api: respx.Route, panel: PanelClient, ids: Any
) -> None:
    with pytest.raises(PanelInputError):
        await panel.statuses(ids)

    assert api.call_count == 0


@pytest.mark.parametrize(
    ("value", "ok"),
    [(1, True), (100, True), (0, False), (-1, False), (True, False), (1.0, False),
     ("1", False), (None, False)],
)  # fmt: skip
def test_check_positive_int(value: object, ok: bool) -> None:
    if ok:
        assert check_positive_int("runs", value) == value
    else:
        with pytest.raises(PanelInputError, match="runs must be a positive int"):
            check_positive_int("runs", value)


@pytest.mark.parametrize(
    ("value", "ok"),
    [(0, True), (5, True), (-1, False), (False, False), (0.0, False), ("0", False)],
)
def test_check_non_negative_int(value: object, ok: bool) -> None:
    if ok:
        assert check_non_negative_int("old_posts", value) == value
    else:
        with pytest.raises(PanelInputError, match="old_posts must be an int of 0"):
            check_non_negative_int("old_posts", value)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (None, "must be a str"),
        (5, "must be a str"),
        ("", "is empty"),
        ("   ", "is empty"),
        ("a\nb", "control characters"),
        ("a\x7fb", "control characters"),
    ],
)
def test_check_text_rejects(value: object, message: str) -> None:
    with pytest.raises(PanelInputError, match=message):
        check_text("username", value)


def test_check_text_accepts() -> None:
    assert check_text("username", " someone ") == " someone "
    assert check_text("link", "https://example.com/p?x=1&y=ü") == (
        "https://example.com/p?x=1&y=ü"
    )


def test_join_lines_drops_blank_lines() -> None:
    """Blank lines are dropped, because panels would count them as empty items."""
    assert join_lines("comments", ["a", "", "b"]) == "a\nb"
    assert join_lines("comments", "a\r\n\r\nb") == "a\nb"


def test_join_lines_strips_line_endings() -> None:
    """A list item may end in a newline or CRLF, which is dropped."""
    assert join_lines("comments", ["first\n", "second\r\n"]) == "first\nsecond"
