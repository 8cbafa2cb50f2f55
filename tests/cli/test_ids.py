"""Collecting the IDs of a batched command from arguments and standard input."""

from __future__ import annotations

import io

import pytest

from panel_async._cli._ids import collect_ids, split_ids
from panel_async._cli._usage import UsageError


class TerminalInput(io.StringIO):
    """Standard input that claims to be a terminal."""

    def isatty(self) -> bool:
        return True


def test_split_ids_mixed_separators() -> None:
    """Commas, spaces, tabs and newlines all separate IDs."""
    assert split_ids("1,2 3\t4\r\n5,,\n") == ["1", "2", "3", "4", "5"]


def test_collect_ids_arguments_only() -> None:
    """Arguments are used as given, and stdin is left alone."""
    stdin = io.StringIO("9")

    ids = collect_ids(["1", "2,3"], stdin, print)

    assert ids == ["1", "2", "3"]
    assert stdin.read() == "9"


def test_collect_ids_no_arguments_reads_stdin() -> None:
    """No arguments means the IDs are on stdin."""
    assert collect_ids([], io.StringIO("4\n5\n"), print) == ["4", "5"]


def test_collect_ids_dash_keeps_order() -> None:
    """`-` inserts stdin's IDs after the arguments given."""
    assert collect_ids(["1", "-", "2"], io.StringIO("7"), print) == ["1", "2", "7"]


def test_collect_ids_terminal_gets_hint() -> None:
    """Reading a terminal prints how to end the input."""
    notes: list[str] = []

    collect_ids([], TerminalInput("1"), notes.append)

    assert len(notes) == 1
    assert "Ctrl+D" in notes[0]


def test_collect_ids_none_raises() -> None:
    """Empty input is a usage error."""
    with pytest.raises(UsageError, match="no IDs given"):
        collect_ids([], io.StringIO(" \n,"), print)
