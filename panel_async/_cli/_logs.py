"""Logging while a command runs: warnings (such as scheduled retries) go to stderr."""

from __future__ import annotations

__all__ = ["logging_to"]

import contextlib
import logging
from collections.abc import Iterator

from rich.console import Console

from ._output import Output


class _ConsoleHandler(logging.Handler):
    """Prints each record as one line through a rich console.

    Going through the console keeps a live progress bar below the log lines.
    """

    def __init__(self, console: Console) -> None:
        super().__init__()
        self._console = console

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self._console.print(self.format(record), soft_wrap=True)
        except Exception:
            self.handleError(record)


@contextlib.contextmanager
def logging_to(output: Output, *, verbose: bool) -> Iterator[None]:
    """Log records of WARNING and above to stderr while the block runs.

    `verbose` adds the DEBUG records of panel_async (one per request). The handler
    and levels are restored on exit, so that `main()` can run again in one process.
    """
    handler = _ConsoleHandler(output.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    library = logging.getLogger("panel_async")
    old_root_level, old_library_level = root.level, library.level
    root.addHandler(handler)
    root.setLevel(logging.WARNING)
    if verbose:
        library.setLevel(logging.DEBUG)
    try:
        yield
    finally:
        root.removeHandler(handler)
        root.setLevel(old_root_level)
        library.setLevel(old_library_level)
