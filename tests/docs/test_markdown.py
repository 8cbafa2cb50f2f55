"""The extraction of code samples from Markdown, which the docs test relies on."""

from __future__ import annotations

from pathlib import Path

import pytest

from ._markdown import MarkdownError, SampleKind, read_samples


def _samples_of(tmp_path: Path, text: str) -> list[tuple[SampleKind, int, str, str]]:
    page = tmp_path / "page.md"
    page.write_text(text, encoding="utf-8")
    return [
        (sample.kind, sample.line, sample.argument, sample.code)
        for sample in read_samples(page)
    ]


def test_program_and_snippet_told_apart(tmp_path: Path) -> None:
    text = (
        "Intro\n"
        "```python\nimport asyncio\nasyncio.run(main())\n```\n"
        "```python\nawait panel.balance()\n```\n"
    )

    samples = _samples_of(tmp_path, text)

    assert samples == [
        (SampleKind.PROGRAM, 3, "", "import asyncio\nasyncio.run(main())\n"),
        (SampleKind.SNIPPET, 7, "", "await panel.balance()\n"),
    ]


def test_marker_applies_across_blank_lines(tmp_path: Path) -> None:
    text = "<!-- no-test: needs a real bot token -->\n\n```python\nx = 1\n```\n"

    ((kind, line, reason, _),) = _samples_of(tmp_path, text)

    assert kind is SampleKind.SKIPPED
    assert line == 4
    assert reason == "needs a real bot token"


def test_text_between_cancels_marker(tmp_path: Path) -> None:
    text = "<!-- no-test: stale -->\nSome words.\n```python\nx = 1\n```\n"

    ((kind, _, _, _),) = _samples_of(tmp_path, text)

    assert kind is SampleKind.SNIPPET


def test_file_marker_takes_any_language(tmp_path: Path) -> None:
    text = "<!-- file: pyproject.toml -->\n```toml\n[tool.pytest.ini_options]\n```\n"

    ((kind, _, path, code),) = _samples_of(tmp_path, text)

    assert kind is SampleKind.FILE
    assert path == "pyproject.toml"
    assert code == "[tool.pytest.ini_options]\n"


def test_other_languages_not_run(tmp_path: Path) -> None:
    text = "```console\n$ panel-async balance\n```\n"

    ((kind, _, _, _),) = _samples_of(tmp_path, text)

    assert kind is SampleKind.OTHER


def test_indented_fence_dedented(tmp_path: Path) -> None:
    text = "1. A step:\n\n    ```python\n    if True:\n        x = 1\n    ```\n"

    ((_, _, _, code),) = _samples_of(tmp_path, text)

    assert code == "if True:\n    x = 1\n"


def test_longer_fence_holds_shorter_one(tmp_path: Path) -> None:
    text = "````markdown\n```python\nx = 1\n```\n````\n"

    ((kind, _, _, code),) = _samples_of(tmp_path, text)

    assert kind is SampleKind.OTHER
    assert code == "```python\nx = 1\n```\n"


def test_unclosed_fence_rejected(tmp_path: Path) -> None:
    with pytest.raises(MarkdownError, match="never closed"):
        _samples_of(tmp_path, "```python\nx = 1\n")


def test_misspelt_marker_rejected(tmp_path: Path) -> None:
    with pytest.raises(MarkdownError, match="unknown marker"):
        _samples_of(tmp_path, "<!-- no_test: typo -->\n```python\nx = 1\n```\n")


def test_marker_without_value_rejected(tmp_path: Path) -> None:
    with pytest.raises(MarkdownError, match="needs a value"):
        _samples_of(tmp_path, "<!-- no-test: -->\n```python\nx = 1\n```\n")
