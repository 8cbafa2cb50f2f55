"""The fields of an `add` order, from the options of the `add` command."""

from __future__ import annotations

__all__ = ["order_fields", "read_comments"]

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ._usage import UsageError

# Fields with their own option; --field NAME=VALUE must not set them a second time.
_OPTION_FIELDS = (
    "link",
    "quantity",
    "runs",
    "interval",
    "comments",
    "username",
    "min",
    "max",
    "posts",
    "old_posts",
    "delay",
    "expiry",
)

# Form fields that the client sets itself, and `add` keywords that are not fields.
_RESERVED_FIELDS = frozenset({"key", "action", "service", "retry"})

# Extra fields that the client accepts only as an int.
_INT_FIELDS = frozenset({"answer_number"})


def order_fields(args: argparse.Namespace) -> dict[str, Any]:
    """Collect the `add` keyword arguments from the parsed options.

    Raises UsageError for a --field that repeats an option or that the client sets.
    """
    values: dict[str, Any] = {name: getattr(args, name) for name in _OPTION_FIELDS}
    if args.comments is not None:
        values["comments"] = read_comments(args.comments)
    values.update(_extra_fields(args.field))

    return values


def _extra_fields(pairs: Sequence[tuple[str, str]]) -> dict[str, object]:
    lists: dict[str, list[str]] = {}
    for name, value in pairs:
        if name in _OPTION_FIELDS:
            option = "--" + name.replace("_", "-")
            raise UsageError(f"--field {name}=... repeats an option; use {option}")
        if name in _RESERVED_FIELDS:
            raise UsageError(
                f"--field {name}=... is not allowed; {name} is set by the client"
            )
        lists.setdefault(name, []).append(value)

    extra: dict[str, object] = {}
    for name, items in lists.items():
        extra[name] = items[0] if len(items) == 1 else items
        if name in _INT_FIELDS:
            extra[name] = _whole_number(name, items)

    return extra


def _whole_number(name: str, items: list[str]) -> int:
    if len(items) != 1 or not items[0].isdigit():
        raise UsageError(f"--field {name} takes one whole number, got {items!r:.60}")

    return int(items[0])


def read_comments(values: Sequence[str]) -> list[str]:
    """Return the comment lines: each value is one line, or @FILE for a file's lines.

    Blank lines of a file are skipped. A value starting with @@ is one comment that
    starts with a single @.
    """
    lines: list[str] = []
    for value in values:
        if value.startswith("@@"):
            lines.append(value[1:])
        elif value.startswith("@"):
            lines.extend(_read_lines(value[1:]))
        else:
            lines.append(value)

    return lines


def _read_lines(path: str) -> list[str]:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        raise UsageError(f"cannot read comments file {path}: {reason}") from None

    return [line for line in text.splitlines() if line.strip()]
