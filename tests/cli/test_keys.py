"""Where the URL and the API key come from, and in which order."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from panel_async._cli._keys import KEY_OPTION_WARNING, read_key, read_url
from panel_async._cli._usage import UsageError


class TerminalInput(io.StringIO):
    """Standard input that claims to be a terminal."""

    def isatty(self) -> bool:
        return True


def _no_prompt(text: str) -> str:
    raise AssertionError("the key prompt must not be shown")


def test_read_url_option_beats_environment() -> None:
    """--url wins over PANEL_URL."""
    url = read_url("http://127.0.0.1:1/api/v2", {"PANEL_URL": "http://127.0.0.1:2/"})

    assert url == "http://127.0.0.1:1/api/v2"


def test_read_url_from_environment() -> None:
    """PANEL_URL is used when --url is absent."""
    assert read_url(None, {"PANEL_URL": "http://127.0.0.1:2/"}) == "http://127.0.0.1:2/"


def test_read_url_missing_raises() -> None:
    """Neither --url nor PANEL_URL is a usage error naming both."""
    with pytest.raises(UsageError, match="--url or set PANEL_URL"):
        read_url(None, {})


def test_read_key_option_warns() -> None:
    """--key is used, with a warning about the process list."""
    warnings: list[str] = []

    key = read_key(
        option="opt-key",
        key_file=None,
        environ={"PANEL_KEY": "env-key"},
        stdin=io.StringIO(),
        warn=warnings.append,
        prompt=_no_prompt,
    )

    assert key == "opt-key"
    assert warnings == [KEY_OPTION_WARNING]


def test_read_key_file_strips_newline(tmp_path: Path) -> None:
    """--key-file wins over PANEL_KEY and drops the trailing newline."""
    path = tmp_path / "key"
    path.write_text("file-key\n", encoding="utf-8")
    warnings: list[str] = []

    key = read_key(
        option=None,
        key_file=str(path),
        environ={"PANEL_KEY": "env-key"},
        stdin=io.StringIO(),
        warn=warnings.append,
        prompt=_no_prompt,
    )

    assert key == "file-key"
    assert warnings == []


def test_read_key_file_missing_raises(tmp_path: Path) -> None:
    """An unreadable key file is a usage error naming the path."""
    path = tmp_path / "absent"

    with pytest.raises(UsageError, match=r"cannot read key file .*absent"):
        read_key(
            option=None,
            key_file=str(path),
            environ={},
            stdin=io.StringIO(),
            warn=print,
            prompt=_no_prompt,
        )


def test_read_key_file_empty_raises(tmp_path: Path) -> None:
    """A key file with only whitespace is a usage error."""
    path = tmp_path / "key"
    path.write_text("\n", encoding="utf-8")

    with pytest.raises(UsageError, match="is empty"):
        read_key(
            option=None,
            key_file=str(path),
            environ={},
            stdin=io.StringIO(),
            warn=print,
            prompt=_no_prompt,
        )


def test_read_key_from_environment() -> None:
    """PANEL_KEY is used when no option is given."""
    key = read_key(
        option=None,
        key_file=None,
        environ={"PANEL_KEY": "env-key"},
        stdin=TerminalInput(),
        warn=print,
        prompt=_no_prompt,
    )

    assert key == "env-key"


def test_read_key_prompts_on_terminal() -> None:
    """With no other source and a terminal, the hidden prompt supplies the key."""
    prompts: list[str] = []

    def prompt(text: str) -> str:
        prompts.append(text)
        return " typed-key "

    key = read_key(
        option=None,
        key_file=None,
        environ={},
        stdin=TerminalInput(),
        warn=print,
        prompt=prompt,
    )

    assert key == "typed-key"
    assert len(prompts) == 1


def test_read_key_missing_without_terminal_raises() -> None:
    """With no source and no terminal, the key is missing: a usage error."""
    with pytest.raises(UsageError, match="no API key"):
        read_key(
            option=None,
            key_file=None,
            environ={},
            stdin=io.StringIO(),
            warn=print,
            prompt=_no_prompt,
        )
