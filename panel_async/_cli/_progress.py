"""A rich progress bar, advanced by the client's `on_progress` callback."""

from __future__ import annotations

__all__ = ["progress_bar"]

import contextlib
from collections.abc import Iterator

from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
)

from panel_async import ProgressCallback

from ._output import Output


@contextlib.contextmanager
def progress_bar(
    output: Output, label: str, *, transient: bool = True
) -> Iterator[ProgressCallback | None]:
    """Draw a progress bar on stderr and yield the callback that advances it.

    Yields None, and draws nothing, when the output is JSON or stderr is not a
    terminal. A transient bar disappears when the block ends.
    """
    if not output.shows_progress:
        yield None
        return

    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[failed]} failed"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=output.stderr, transient=transient) as bar:
        task = bar.add_task(label, total=None, failed=0)

        def advance(done: int, total: int | None, failed: int) -> None:
            bar.update(task, completed=done, total=total, failed=failed)

        yield advance
