"""The panel-async command never prints the API key, whatever the panel responds."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from panel_async.testing import FakePanel, ManualClock

from ._asgi import App, EchoingPanel, serve_in_thread
from ._evidence import leaks
from .conftest import KEY, SPECIAL_KEY

cli = pytest.importorskip(
    "panel_async._cli",
    reason="the panel-async command (panel_async._cli) is not in this checkout",
)

# The simulator's seeded orders let the first four succeed; refills and cancels of
# these orders fail with the panel's own per-ID errors.
COMMANDS = [
    ["balance"],
    ["services"],
    ["add", "--service", "1", "--link", "https://example.com/p", "--quantity", "100"],
    ["status", "1", "2", "3"],
    ["refill", "1"],
    ["cancel", "4", "5"],
    ["refill-status", "1"],
]
MODES = [[], ["--json"], ["--verbose"]]


def _panel(key: str) -> FakePanel:
    return FakePanel(key=key, seed=3, seeded_orders=20, clock=ManualClock())


@pytest.fixture
def served(request: pytest.FixtureRequest) -> Iterator[str]:
    """The URL of the app that the test's parameter names, served on 127.0.0.1."""
    apps: dict[str, App] = {
        "panel": _panel(KEY),
        "panel-special": _panel(SPECIAL_KEY),
        "wrong-key": _panel("another-key"),
        # Final responses only: the command's default retries would wait for seconds.
        "echoing": EchoingPanel(balance_status=400, retry_after="3600"),
    }
    with serve_in_thread(apps[request.param]) as url:
        yield url


def _run_all(
    capsys: pytest.CaptureFixture[str], options: list[str]
) -> tuple[list[int], str, str]:
    """Run every command with `options`; return the exit codes, stdout and stderr."""
    codes = [cli.main([*command, *options]) for command in COMMANDS]
    captured = capsys.readouterr()
    return codes, captured.out, captured.err


@pytest.mark.parametrize(
    ("served", "key", "succeeded"),
    [
        ("panel", KEY, 4),
        ("panel-special", SPECIAL_KEY, 4),
        ("wrong-key", KEY, 0),
        ("echoing", KEY, 0),
        ("echoing", SPECIAL_KEY, 0),
    ],
    ids=["panel", "panel-special", "wrong-key", "echoing", "echoing-special"],
    indirect=["served"],
)
@pytest.mark.parametrize("mode", MODES, ids=["table", "json", "verbose"])
def test_cli_output_never_shows_key(
    served: str,
    key: str,
    succeeded: int,
    mode: list[str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Every command, in every output mode, keeps the key out of stdout and stderr."""
    monkeypatch.setenv("PANEL_URL", served)
    monkeypatch.setenv("PANEL_KEY", key)

    codes, out, err = _run_all(capsys, mode)

    assert codes.count(0) == succeeded
    assert out or err
    assert leaks(key, [out]) == []
    assert leaks(key, [err]) == []


@pytest.mark.parametrize("served", ["echoing"], indirect=True)
def test_cli_key_file_never_shown(
    served: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A key read with --key-file stays out of the output of failing commands."""
    key_file = tmp_path / "key"
    key_file.write_text(SPECIAL_KEY + "\n")
    monkeypatch.delenv("PANEL_KEY", raising=False)

    codes, out, err = _run_all(capsys, ["--url", served, "--key-file", str(key_file)])

    assert all(code == 1 for code in codes)
    assert leaks(SPECIAL_KEY, [out]) == []
    assert leaks(SPECIAL_KEY, [err]) == []
