"""The progress bar of batched commands."""

from __future__ import annotations

import io

from panel_async._cli._output import Output
from panel_async._cli._progress import progress_bar


class TerminalOutput(io.StringIO):
    """A stream that claims to be a terminal."""

    def isatty(self) -> bool:
        return True


def test_progress_bar_off_when_not_terminal() -> None:
    """No callback and no drawing when stderr is a pipe."""
    stderr = io.StringIO()
    output = Output(io.StringIO(), stderr, json_mode=False)

    with progress_bar(output, "statuses") as callback:
        pass

    assert callback is None
    assert stderr.getvalue() == ""


def test_progress_bar_off_for_json() -> None:
    """No callback with --json, even on a terminal."""
    output = Output(io.StringIO(), TerminalOutput(), json_mode=True)

    with progress_bar(output, "statuses") as callback:
        pass

    assert callback is None


def test_progress_bar_draws_counts_on_terminal() -> None:
    """On a terminal the callback advances a bar that shows done, total, failed."""
    stderr = TerminalOutput()
    output = Output(io.StringIO(), stderr, json_mode=False)

    with progress_bar(output, "statuses", transient=False) as callback:
        assert callback is not None
        callback(250, 300, 7)

    drawn = stderr.getvalue()
    assert "250/300" in drawn
    assert "7 failed" in drawn
