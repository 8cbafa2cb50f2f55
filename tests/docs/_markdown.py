"""Extraction of fenced code samples from Markdown pages, with their test markers.

A sample is a fenced block. An HTML comment on the line before the fence (blank lines
between them are allowed) tells the test how to treat it:

- `<!-- no-test: REASON -->` skips a Python block; the reason is required.
- `<!-- file: PATH -->` writes the block, in any language, to PATH in a scratch
  project; the test runs pytest there when the page has test files.

Unmarked Python blocks run: a block that calls `asyncio.run(` is a whole program,
any other block is a snippet that may use top-level `await`.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterator
from pathlib import Path

import attrs

_FENCE_OPEN = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
_MARKER = re.compile(r"^\s*<!--\s*(?P<name>[\w-]+)\s*:\s*(?P<value>.*?)\s*-->\s*$")
_KNOWN_MARKERS = frozenset({"no-test", "file"})


class SampleKind(enum.Enum):
    """How the docs test treats a sample."""

    PROGRAM = "program"  # a whole program that starts its own event loop
    SNIPPET = "snippet"  # statements run in the page's shared namespace and loop
    FILE = "file"  # written to a scratch project, for pytest to run
    SKIPPED = "skipped"  # marked no-test, with a reason
    OTHER = "other"  # another language without a marker: not run


@attrs.frozen
class Sample:
    """One fenced block of a page.

    `line` is the 1-based line of the first line of code, so that a traceback that
    names the page points at the right line. `argument` is the marker's value: the
    path of a FILE sample or the reason of a SKIPPED one.
    """

    page: Path
    line: int
    language: str
    code: str
    kind: SampleKind
    argument: str = ""

    @property
    def label(self) -> str:
        """The page name and line, such as `bulk.md:42`."""
        return f"{self.page.name}:{self.line}"

    def padded_code(self) -> str:
        """Return the code preceded by blank lines, so line numbers match the page."""
        return "\n" * (self.line - 1) + self.code


class MarkdownError(ValueError):
    """A page has an unclosed fence or an unknown or incomplete marker."""


def read_samples(page: Path) -> list[Sample]:
    """Return every fenced block of `page`, in page order."""
    return list(_samples(page, page.read_text(encoding="utf-8").splitlines()))


def _samples(page: Path, lines: list[str]) -> Iterator[Sample]:
    index = 0
    marker: tuple[str, str] | None = None
    while index < len(lines):
        line = lines[index]
        opening = _FENCE_OPEN.match(line)
        if opening is None:
            marker = _next_marker(page, index, line, marker)
            index += 1
            continue

        end = _closing_line(lines, index, opening["fence"])
        if end is None:
            raise MarkdownError(f"{page.name}:{index + 1}: the fence is never closed")
        body = [
            _dedent(text, len(opening["indent"])) for text in lines[index + 1 : end]
        ]
        language = opening["info"].strip().split(" ")[0].lower()
        yield _sample(page, index + 2, language, "\n".join(body) + "\n", marker)
        marker = None
        index = end + 1


def _next_marker(
    page: Path, index: int, line: str, marker: tuple[str, str] | None
) -> tuple[str, str] | None:
    """Return the marker in force after `line`: a new one, the same, or none."""
    found = _MARKER.match(line)
    if found is not None and found["name"] in _KNOWN_MARKERS:
        if not found["value"]:
            raise MarkdownError(
                f"{page.name}:{index + 1}: marker {found['name']!r} needs a value"
            )
        return found["name"], found["value"]
    if found is not None:
        raise MarkdownError(
            f"{page.name}:{index + 1}: unknown marker {line.strip()!r}; "
            f"expected one of {sorted(_KNOWN_MARKERS)}"
        )
    # A blank line keeps the marker for the fence below it; text cancels it.
    return marker if not line.strip() else None


def _dedent(line: str, indent: int) -> str:
    """Remove up to `indent` leading blanks, the indentation of a fence in a list."""
    blanks = len(line) - len(line.lstrip(" \t"))
    return line[min(blanks, indent) :]


def _closing_line(lines: list[str], start: int, fence: str) -> int | None:
    for index in range(start + 1, len(lines)):
        stripped = lines[index].strip()
        if stripped.startswith(fence[0] * len(fence)) and not stripped.strip(fence[0]):
            return index
    return None


def _sample(
    page: Path,
    line: int,
    language: str,
    code: str,
    marker: tuple[str, str] | None,
) -> Sample:
    name, value = marker if marker is not None else ("", "")
    if name == "file":
        kind = SampleKind.FILE
    elif language not in ("python", "py"):
        kind = SampleKind.OTHER
    elif name == "no-test":
        kind = SampleKind.SKIPPED
    elif "asyncio.run(" in code:
        kind = SampleKind.PROGRAM
    else:
        kind = SampleKind.SNIPPET

    return Sample(page, line, language, code, kind, value)
