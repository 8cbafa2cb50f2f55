"""main(): usage errors, keys, error messages and exit codes."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from panel_async import __version__
from panel_async._cli import main
from panel_async.testing import Dialect, FakePanel, serve

from .conftest import KEY, FeedStdin, RunCli


def test_main_missing_extra_exits_two(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without rich, main prints how to install the cli extra and exits 2."""
    monkeypatch.setitem(sys.modules, "rich", None)

    code = main(["balance"])

    err = capsys.readouterr().err
    assert code == 2
    assert "pip install 'panel-async[cli]'" in err
    assert err.count("\n") == 1


def test_main_version_exits_zero(capsys: pytest.CaptureFixture[str]) -> None:
    """--version prints the package version."""
    code = main(["--version"])

    assert code == 0
    assert capsys.readouterr().out.strip() == __version__


def test_main_unknown_command_exits_two(capsys: pytest.CaptureFixture[str]) -> None:
    """An unknown subcommand is an argparse usage error."""
    code = main(["orders"])

    assert code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_main_bad_fault_plan_exits_two(capsys: pytest.CaptureFixture[str]) -> None:
    """A fault plan that does not parse is a usage error naming the setting."""
    code = main(["demo", "--faults", "reset_after=lots"])

    assert code == 2
    assert "reset_after" in capsys.readouterr().err


def test_main_bad_expiry_exits_two(capsys: pytest.CaptureFixture[str]) -> None:
    """--expiry takes YYYY-MM-DD."""
    code = main(["add", "--service", "1", "--expiry", "03/02/2031"])

    assert code == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err


def test_main_missing_url_exits_two(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """No --url and no PANEL_URL: one line on stderr, exit 2."""
    monkeypatch.setenv("PANEL_KEY", KEY)

    code = main(["balance"])

    captured = capsys.readouterr()
    assert code == 2
    assert captured.out == ""
    assert captured.err == (
        "panel-async: error: no panel URL: pass --url or set PANEL_URL, such as "
        "https://panel.example/api/v2\n"
    )


def test_main_missing_key_exits_two(
    stdin: FeedStdin, capsys: pytest.CaptureFixture[str]
) -> None:
    """No key source and no terminal: one line on stderr, exit 2."""
    stdin("")

    code = main(["balance", "--url", "http://127.0.0.1:9/api/v2"])

    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("panel-async: error: no API key")
    assert err.count("\n") == 1


def test_main_invalid_url_exits_two(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A URL the client rejects is a usage error."""
    monkeypatch.setenv("PANEL_KEY", KEY)

    code = main(["balance", "--url", "ftp://127.0.0.1/api/v2"])

    assert code == 2
    assert "http:// or https://" in capsys.readouterr().err


def test_main_unreachable_panel_exits_one(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A network failure is a panel error: one line on stderr, exit 1."""
    monkeypatch.setenv("PANEL_KEY", KEY)

    # Port 9 (discard) on loopback has no listener here, so connecting is refused.
    code = main(["balance", "--url", "http://127.0.0.1:9/api/v2", "--attempts", "1"])

    err = capsys.readouterr().err
    assert code == 1
    assert "PanelTransportError" in err
    assert err.count("\n") == 1


def test_main_retries_are_logged(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each scheduled retry is one warning line on stderr before the error."""
    monkeypatch.setenv("PANEL_KEY", KEY)

    code = main(["balance", "--url", "http://127.0.0.1:9/api/v2", "--attempts", "2"])

    lines = capsys.readouterr().err.splitlines()
    assert code == 1
    assert len(lines) == 2
    assert lines[0].startswith("WARNING panel_async.request: retrying balance")
    assert lines[1].startswith("panel-async: error: ")


async def test_main_key_option_warns(
    run_cli: RunCli, panel_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """--key works but warns that other users can see it."""
    code = await run_cli("balance", "--url", panel_url, "--key", KEY)

    captured = capsys.readouterr()
    assert code == 0
    assert "Balance:" in captured.out
    assert "warning: --key puts the API key on the command line" in captured.err


async def test_main_key_file_is_read(
    run_cli: RunCli, panel_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--key-file supplies the key without a warning."""
    path = tmp_path / "key"
    path.write_text(KEY + "\n", encoding="utf-8")

    code = await run_cli("balance", "--url", panel_url, "--key-file", str(path))

    assert code == 0
    assert capsys.readouterr().err == ""


async def test_main_wrong_key_exits_one(
    run_cli: RunCli,
    panel_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A key the panel rejects gives PanelAuthError on one line, exit 1."""
    monkeypatch.setenv("PANEL_KEY", "not-the-key")

    code = await run_cli("balance", "--url", panel_url)

    captured = capsys.readouterr()
    assert code == 1
    assert captured.out == ""
    assert captured.err == "panel-async: error: Invalid API key (PanelAuthError)\n"


@pytest.mark.parametrize(
    "command",
    [
        ["services"],
        ["balance"],
        [
            "add",
            "--service",
            "1",
            "--link",
            "https://social.example/k",
            "--quantity",
            "100",
        ],
        ["status", "1", "2", "99999"],
        ["refill", "1", "2"],
        ["refill-status", "1"],
        ["cancel", "3", "99999"],
    ],
)
@pytest.mark.parametrize("json_flag", [[], ["--json"]])
async def test_main_output_never_contains_key(
    run_cli: RunCli,
    panel_url: str,
    command: list[str],
    json_flag: list[str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    """No subcommand writes the key to stdout or stderr, even with --key."""
    code = await run_cli(*command, *json_flag, "--url", panel_url, "--key", KEY)

    captured = capsys.readouterr()
    assert code in (0, 1)
    assert captured.out
    assert KEY not in captured.out
    assert KEY not in captured.err


async def test_main_echoed_key_is_redacted(
    run_cli: RunCli, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A panel that echoes the wrong key in its error never gets it printed."""
    wrong = "typo-KEY-0c4d"
    echoing = Dialect(key_error_message=f"Invalid API key {wrong}")
    monkeypatch.setenv("PANEL_KEY", wrong)

    async with serve(FakePanel(key=KEY, dialect=echoing)) as url:
        code = await run_cli("balance", "--url", url)

    err = capsys.readouterr().err
    assert code == 1
    assert "Invalid API key" in err
    assert wrong not in err
