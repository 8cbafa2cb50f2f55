"""IDs of a batched command, from its arguments or from standard input."""

from __future__ import annotations

__all__ = ["collect_ids", "split_ids"]

import re
from collections.abc import Callable, Sequence
from typing import TextIO

from ._usage import UsageError

_SEPARATORS = re.compile(r"[\s,]+")

# The marker argument that stands for "the IDs on standard input".
_STDIN_MARKER = "-"


def split_ids(text: str) -> list[str]:
    """Split text into IDs separated by commas, spaces or newlines."""
    return [item for item in _SEPARATORS.split(text) if item]


def collect_ids(
    arguments: Sequence[str], stdin: TextIO, note: Callable[[str], None]
) -> list[str]:
    """Return the IDs of the arguments, reading standard input for `-` or for none.

    Each argument may itself hold several IDs separated by commas. `note` receives a
    hint when standard input is a terminal, because reading then waits for Ctrl+D.
    Raises UsageError when no ID is found.
    """
    ids: list[str] = []
    read_stdin = not arguments
    for argument in arguments:
        if argument == _STDIN_MARKER:
            read_stdin = True
        else:
            ids.extend(split_ids(argument))
    if read_stdin:
        if stdin.isatty():
            note("reading IDs from standard input; end with Ctrl+D")
        ids.extend(split_ids(stdin.read()))
    if not ids:
        raise UsageError(
            "no IDs given: pass them as arguments or on standard input, one per line "
            "or separated by commas or spaces"
        )

    return ids
