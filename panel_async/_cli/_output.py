"""Output: where the command writes tables, JSON, progress bars and messages.

Tables and JSON go to stdout; progress bars, warnings and errors go to stderr. Both
streams pass through the Redactor, so the API key never reaches either of them.
"""

from __future__ import annotations

__all__ = ["Output"]

import json
import os
from typing import Any, TextIO, cast

from rich.console import Console, RenderableType

from ._redact import RedactingFile, Redactor

_PROGRAM = "panel-async"


# Columns of output that goes to a file or a pipe, unless COLUMNS is set. rich would
# use 80, which squeezes the services table until names are cut; 200 fits every table.
_PIPE_WIDTH = 200


def _console(stream: TextIO, redactor: Redactor) -> Console:
    width = None if stream.isatty() or "COLUMNS" in os.environ else _PIPE_WIDTH
    # Markup and highlighting are off: panel messages are shown as sent, and a "[b]"
    # in a service name must not turn into bold text. rich takes any text stream;
    # typeshed does not count TextIOBase as an IO[str], hence the cast.
    return Console(
        file=cast(TextIO, RedactingFile(stream, redactor)),
        width=width,
        markup=False,
        highlight=False,
        emoji=False,
    )


class Output:
    """The command's stdout and stderr, as rich consoles that redact the key."""

    def __init__(self, stdout: TextIO, stderr: TextIO, *, json_mode: bool) -> None:
        self.json_mode = json_mode
        self.redact = Redactor()
        self.stdout = _console(stdout, self.redact)
        self.stderr = _console(stderr, self.redact)

    def add_secret(self, secret: str) -> None:
        """Keep `secret` out of everything written from now on."""
        self.redact.add(secret)

    @property
    def shows_progress(self) -> bool:
        """Whether to draw progress bars: for people, on a terminal's stderr."""
        return not self.json_mode and self.stderr.is_terminal

    def print_json(self, value: Any) -> None:
        """Write `value` as one JSON document on stdout."""
        self.stdout.file.write(json.dumps(value, indent=2, ensure_ascii=False) + "\n")
        self.stdout.file.flush()

    def show(self, renderable: RenderableType) -> None:
        """Print a table or text for people on stdout."""
        self.stdout.print(renderable)

    def note(self, text: str) -> None:
        """Print a message for people on stderr."""
        self.stderr.print(text, soft_wrap=True)

    def warn(self, text: str) -> None:
        """Print a one-line warning on stderr."""
        self._line(text if text.startswith("warning:") else f"warning: {text}")

    def error(self, text: str) -> None:
        """Print a one-line error on stderr."""
        self._line(f"error: {text}")

    def _line(self, text: str) -> None:
        # Panel messages may hold newlines; an error stays on one line for scripts.
        one_line = " ".join(text.split())
        self.stderr.file.write(f"{_PROGRAM}: {one_line}\n")
        self.stderr.file.flush()
