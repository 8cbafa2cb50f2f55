"""Where an API key could show up: log records, exceptions and the values returned.

Each helper renders what a user could see or store (a log line with its extras, a
traceback with its chained causes, a repr) into text, so that a test can search it.
"""

from __future__ import annotations

import json
import logging
import traceback
import urllib.parse
from collections.abc import Iterable

import attrs

from panel_async import BatchResult, PanelError


def key_forms(key: str) -> list[str]:
    """Return the ways a key could be written: plain, percent-encoded, JSON-escaped."""
    escaped = json.dumps(key)[1:-1]
    forms = {
        key,
        urllib.parse.quote(key, safe=""),
        urllib.parse.quote_plus(key),
        escaped,
        escaped.replace("/", "\\/"),
    }
    return sorted(forms)


def _rendered(value: object) -> str:
    """Return repr(value), and the text itself for a str, whose repr doubles escapes."""
    return f"{value}\n{value!r}" if isinstance(value, str) else repr(value)


def leaks(key: str, texts: Iterable[str]) -> list[str]:
    """Return each text that contains a form of `key`, cut around the first hit."""
    found = []
    for text in texts:
        for form in key_forms(key):
            at = text.find(form)
            if at >= 0:
                found.append(text[max(0, at - 60) : at + len(form) + 60])
                break
    return found


def exception_texts(error: BaseException) -> list[str]:
    """Render `error` and every exception chained to it, attributes included."""
    texts = ["".join(traceback.format_exception(error))]
    seen: set[int] = set()
    pending: list[BaseException | None] = [error]
    while pending:
        current = pending.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        texts.append(str(current))
        texts.append(repr(current))
        texts.extend(_rendered(arg) for arg in current.args)
        texts.extend(_rendered(value) for value in vars(current).values())
        pending.append(current.__cause__)
        pending.append(current.__context__)
    return texts


def value_texts(value: object) -> list[str]:
    """Render a returned value, and everything a batch, list or model holds."""
    texts = [repr(value), str(value)]
    if isinstance(value, BaseException):
        texts.extend(exception_texts(value))
    elif isinstance(value, BatchResult):
        for item in value.values():
            texts.extend(value_texts(item))
    elif isinstance(value, (list, tuple)):
        for item in value:
            texts.extend(value_texts(item))
    else:
        model = type(value)
        if attrs.has(model):
            fields = attrs.fields(model)
            texts.extend(_rendered(getattr(value, field.name)) for field in fields)
    return texts


def errors_in(values: Iterable[object]) -> list[PanelError]:
    """Return the PanelErrors among `values`, including those inside batch results."""
    errors: list[PanelError] = []
    for value in values:
        if isinstance(value, PanelError):
            errors.append(value)
        elif isinstance(value, BatchResult):
            errors.extend(value.failed.values())
        elif isinstance(value, (list, tuple)):
            errors.extend(errors_in(value))
    return errors


def record_texts(record: logging.LogRecord) -> list[str]:
    """Render a log record: its message, every attribute and extra, its traceback."""
    texts = [record.getMessage()]
    texts.extend(_rendered(value) for value in vars(record).values())
    if record.exc_info is not None and record.exc_info[1] is not None:
        texts.extend(exception_texts(record.exc_info[1]))
    return texts


def is_response_header_trace(record: logging.LogRecord) -> bool:
    """Whether `record` is httpcore's DEBUG trace of the response headers as sent."""
    return record.name.startswith("httpcore") and record.getMessage().startswith(
        "receive_response_headers.complete"
    )


class LogCapture(logging.Handler):
    """Keeps every record of every logger, from DEBUG up."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    @property
    def texts(self) -> list[str]:
        """The rendered text of every record."""
        return [text for record in self.records for text in record_texts(record)]

    def names(self, level: int) -> list[str]:
        """Return the logger names of the records at `level`."""
        return [record.name for record in self.records if record.levelno == level]

    def messages(self, level: int) -> list[str]:
        """Return the messages of the records at `level`."""
        return [r.getMessage() for r in self.records if r.levelno == level]
