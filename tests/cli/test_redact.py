"""Keeping the API key out of everything the command writes."""

from __future__ import annotations

import io

from panel_async import BatchResult, OrderStatus, PanelAPIError
from panel_async._cli._output import Output
from panel_async._cli._redact import REDACTED, RedactingFile, Redactor
from panel_async._cli._views import STATUS_VIEW, batch_json, batch_table


def test_redactor_replaces_plain_and_encoded_forms() -> None:
    """The key is replaced as written, URL-encoded and JSON-escaped."""
    redact = Redactor()
    redact.add('k/y+1"')

    text = redact('a k/y+1" b k%2Fy%2B1%22 c k%2Fy%2B1%22 d k/y+1\\" e')

    assert "k/y+1" not in text
    assert "k%2F" not in text
    assert text.count(REDACTED) == 4


def test_redactor_without_secret_keeps_text() -> None:
    """Nothing is replaced before a secret is registered."""
    assert Redactor()("plain text") == "plain text"


def test_redacting_file_reports_target_tty() -> None:
    """The wrapper passes isatty() through, so rich detects the real stream."""
    target = io.StringIO()

    wrapper = RedactingFile(target, Redactor())

    assert wrapper.isatty() is False


def test_output_hides_key_in_batch_table() -> None:
    """A panel message that echoes the key is redacted in tables."""
    stdout, stderr = io.StringIO(), io.StringIO()
    output = Output(stdout, stderr, json_mode=False)
    output.add_secret("echoed-KEY-42")
    result: BatchResult[OrderStatus] = BatchResult(
        {"1": (1, PanelAPIError("bad key echoed-KEY-42"))}
    )

    output.show(batch_table(result, STATUS_VIEW))

    assert "echoed-KEY-42" not in stdout.getvalue()
    assert REDACTED in stdout.getvalue()


def test_output_hides_key_in_json_and_errors() -> None:
    """JSON on stdout and error lines on stderr are redacted too."""
    stdout, stderr = io.StringIO(), io.StringIO()
    output = Output(stdout, stderr, json_mode=True)
    output.add_secret("echoed-KEY-42")
    result: BatchResult[OrderStatus] = BatchResult(
        {"1": (1, PanelAPIError("bad key echoed-KEY-42"))}
    )

    output.print_json(batch_json(result, STATUS_VIEW))
    output.error("the panel said echoed-KEY-42")

    assert "echoed-KEY-42" not in stdout.getvalue()
    assert "echoed-KEY-42" not in stderr.getvalue()
