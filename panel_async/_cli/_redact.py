"""Redaction of the API key from everything the command writes.

The request layer already removes the key from the errors it raises. This is the last
guard: once the key is read, everything a command writes through its Output (tables,
JSON, messages, log records) passes through a RedactingFile. A key that a panel echoes
in a per-ID message is replaced there as well.
"""

from __future__ import annotations

__all__ = ["REDACTED", "RedactingFile", "Redactor"]

import io
import json
import urllib.parse
from typing import TextIO

REDACTED = "[key redacted]"


class Redactor:
    """Replaces every registered secret, in its plain, URL-encoded and JSON forms.

    NOTE: every occurrence is replaced, so a key of only a few characters also blanks
    those characters wherever they appear in the output.
    """

    def __init__(self) -> None:
        self._forms: list[str] = []

    def add(self, secret: str) -> None:
        """Register `secret`; later text never shows it."""
        forms = {
            secret,
            urllib.parse.quote(secret, safe=""),
            urllib.parse.quote_plus(secret),
            json.dumps(secret)[1:-1],
        }
        # Longer forms first, so that no shorter form cuts a longer one in half.
        self._forms = sorted(set(self._forms) | forms - {""}, key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for form in self._forms:
            text = text.replace(form, REDACTED)
        return text


class RedactingFile(io.TextIOBase):
    """A text stream that redacts what it writes and passes it on to `target`.

    It reports the target's `isatty()`, `fileno()` and `encoding`, so that rich
    detects a terminal through it.
    """

    def __init__(self, target: TextIO, redactor: Redactor) -> None:
        super().__init__()
        self._target = target
        self._redact = redactor

    # typeshed declares TextIOBase.encoding a plain attribute; at runtime it is a
    # read-only property, which this one overrides.
    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self._target, "encoding", None) or "utf-8"

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        self._target.write(self._redact(text))
        return len(text)

    def flush(self) -> None:
        self._target.flush()

    def isatty(self) -> bool:
        return self._target.isatty()

    def fileno(self) -> int:
        return self._target.fileno()
