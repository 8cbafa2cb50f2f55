"""The panel subcommands against the simulator served on 127.0.0.1."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from panel_async.testing import FakePanel

from .conftest import SEEDED_ORDERS, FeedStdin, RunCli

pytestmark = pytest.mark.usefixtures("panel_env")


async def test_services_json_lists_catalogue(
    run_cli: RunCli, panel: FakePanel, capsys: pytest.CaptureFixture[str]
) -> None:
    """`services --json` prints every service with the API's field names."""
    code = await run_cli("services", "--json")

    services = json.loads(capsys.readouterr().out)
    assert code == 0
    assert len(services) == len(panel.services)
    assert services[0]["service"] == 1
    assert services[0]["rate"] == "0.90"
    assert set(services[0]) == {
        "service", "name", "type", "category", "rate", "min", "max", "refill",
        "cancel", "dripfeed",
    }  # fmt: skip


async def test_services_table_shows_names(
    run_cli: RunCli, capsys: pytest.CaptureFixture[str]
) -> None:
    """`services` prints a table with the service names and a count."""
    code = await run_cli("services")

    out = capsys.readouterr().out
    assert code == 0
    assert "Followers" in out
    assert "18 services" in out


async def test_balance_json_keeps_decimal_text(
    run_cli: RunCli, capsys: pytest.CaptureFixture[str]
) -> None:
    """`balance --json` prints the amount as the exact decimal string."""
    code = await run_cli("balance", "--json")

    assert code == 0
    assert json.loads(capsys.readouterr().out) == {
        "balance": "1000.00000",
        "currency": "USD",
    }


async def test_balance_table_for_people(
    run_cli: RunCli, capsys: pytest.CaptureFixture[str]
) -> None:
    """`balance` prints one line with the amount and currency."""
    code = await run_cli("balance")

    assert code == 0
    assert capsys.readouterr().out.strip() == "Balance: 1000.00000 USD"


async def test_add_default_order_json(
    run_cli: RunCli, panel: FakePanel, capsys: pytest.CaptureFixture[str]
) -> None:
    """`add --json` places the order and prints its new ID."""
    code = await run_cli(
        "add", "--service", "1", "--link", "https://social.example/p/a",
        "--quantity", "100", "--json",
    )  # fmt: skip

    order = json.loads(capsys.readouterr().out)["order"]
    assert code == 0
    assert order == SEEDED_ORDERS + 1
    assert panel.orders[order].quantity == 100


async def test_add_comments_from_file(
    run_cli: RunCli,
    panel: FakePanel,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`--comments @FILE` sends one comment per non-blank line of the file."""
    comments = tmp_path / "comments.txt"
    comments.write_text("".join(f"nice {n}\n\n" for n in range(10)), encoding="utf-8")

    code = await run_cli(
        "add", "--service", "2", "--link", "https://social.example/p/b",
        "--comments", f"@{comments}", "--comments", "@@friend wow", "--json",
    )  # fmt: skip

    order = json.loads(capsys.readouterr().out)["order"]
    assert code == 0
    assert panel.orders[order].quantity == 11


async def test_add_subscription_fields(
    run_cli: RunCli, panel: FakePanel, capsys: pytest.CaptureFixture[str]
) -> None:
    """A Subscriptions order sends username, min, max, delay and expiry."""
    code = await run_cli(
        "add", "--service", "16", "--username", "someone", "--min", "50",
        "--max", "100", "--delay", "30", "--expiry", "2031-02-03", "--json",
    )  # fmt: skip

    order = json.loads(capsys.readouterr().out)["order"]
    assert code == 0
    assert order in panel.orders


async def test_add_mentions_field_list(
    run_cli: RunCli, panel: FakePanel, capsys: pytest.CaptureFixture[str]
) -> None:
    """Repeated `--field usernames=...` sends a list of usernames."""
    code = await run_cli(
        "add", "--service", "6", "--link", "https://social.example/p/c",
        "--quantity", "100", "--field", "usernames=ann", "--field", "usernames=bo",
        "--json",
    )  # fmt: skip

    assert code == 0
    assert "order" in json.loads(capsys.readouterr().out)


async def test_add_below_minimum_is_usage_error(
    run_cli: RunCli, panel: FakePanel, capsys: pytest.CaptureFixture[str]
) -> None:
    """An order checked against its service fails before sending, with exit 2."""
    code = await run_cli(
        "add", "--service", "1", "--link", "https://social.example/p/d",
        "--quantity", "10",
    )  # fmt: skip

    err = capsys.readouterr().err
    assert code == 2
    assert "quantity 10 is below the minimum 50" in err
    assert panel.orders_created == 0


async def test_add_no_check_lets_panel_reject(
    run_cli: RunCli, panel: FakePanel, capsys: pytest.CaptureFixture[str]
) -> None:
    """With --no-check the panel's own rejection exits 1."""
    code = await run_cli(
        "add", "--service", "1", "--link", "https://social.example/p/e",
        "--quantity", "10", "--no-check",
    )  # fmt: skip

    err = capsys.readouterr().err
    assert code == 1
    assert "PanelValidationError" in err
    assert panel.requests.get("services") is None


async def test_status_json_shape(
    run_cli: RunCli, capsys: pytest.CaptureFixture[str]
) -> None:
    """`status --json` maps each ID to a status object with money as strings."""
    code = await run_cli("status", "1", "2", "--json")

    result = json.loads(capsys.readouterr().out)
    assert code == 0
    assert list(result) == ["1", "2"]
    assert set(result["1"]) == {
        "status", "raw_status", "charge", "start_count", "remains", "currency",
    }  # fmt: skip
    assert isinstance(result["1"]["charge"], str)


async def test_status_unknown_id_exits_one(
    run_cli: RunCli, capsys: pytest.CaptureFixture[str]
) -> None:
    """An unknown ID gets its own error object, the others their status, exit 1."""
    code = await run_cli("status", "1", "99999", "--json")

    result = json.loads(capsys.readouterr().out)
    assert code == 1
    assert result["99999"] == {
        "error": "Incorrect order ID",
        "type": "PanelNotFoundError",
    }
    assert "status" in result["1"]


async def test_status_table_shows_errors(
    run_cli: RunCli, capsys: pytest.CaptureFixture[str]
) -> None:
    """The status table has a row per ID and a caption with the counts."""
    code = await run_cli("status", "3", "99999")

    out = capsys.readouterr().out
    assert code == 1
    assert "Incorrect order ID" in out
    assert "2 IDs: 1 succeeded, 1 failed" in out


async def test_status_reads_ids_from_stdin(
    run_cli: RunCli, stdin: FeedStdin, capsys: pytest.CaptureFixture[str]
) -> None:
    """With no ID arguments, IDs come from stdin, split on commas, spaces, lines."""
    stdin("1,2 3\n4\n\n5\n")

    code = await run_cli("status", "--json")

    assert code == 0
    assert list(json.loads(capsys.readouterr().out)) == ["1", "2", "3", "4", "5"]


async def test_status_dash_adds_stdin_ids(
    run_cli: RunCli, stdin: FeedStdin, capsys: pytest.CaptureFixture[str]
) -> None:
    """`-` among the arguments reads stdin as well."""
    stdin("7\n8\n")

    code = await run_cli("status", "6", "-", "--json")

    assert code == 0
    assert list(json.loads(capsys.readouterr().out)) == ["6", "7", "8"]


async def test_status_empty_stdin_is_usage_error(
    run_cli: RunCli, stdin: FeedStdin, capsys: pytest.CaptureFixture[str]
) -> None:
    """No IDs at all is a usage error."""
    stdin("\n")

    code = await run_cli("status")

    assert code == 2
    assert "no IDs given" in capsys.readouterr().err


async def test_status_many_ids_are_chunked(
    run_cli: RunCli,
    panel: FakePanel,
    stdin: FeedStdin,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """250 IDs go out in three requests, and every ID comes back."""
    stdin("\n".join(str(n) for n in range(1, 251)))

    code = await run_cli("status", "--json")

    result = json.loads(capsys.readouterr().out)
    assert code == 1  # IDs above 30 are unknown to the panel
    assert len(result) == 250
    assert panel.requests["status"] == 3


async def test_refill_json_maps_refill_ids(
    run_cli: RunCli, panel: FakePanel, capsys: pytest.CaptureFixture[str]
) -> None:
    """`refill --json` maps each order ID to its refill ID or its error."""
    order_ids = [str(n) for n in range(1, SEEDED_ORDERS + 1)]

    code = await run_cli("refill", *order_ids, "--json")

    result = json.loads(capsys.readouterr().out)
    refills = [value for value in result.values() if not isinstance(value, dict)]
    errors = [value for value in result.values() if isinstance(value, dict)]
    assert code == 1
    assert len(result) == SEEDED_ORDERS
    assert len(refills) == len(panel.refills)
    assert all(set(error) == {"error", "type"} for error in errors)


async def test_refill_status_json_shape(
    run_cli: RunCli, panel: FakePanel, capsys: pytest.CaptureFixture[str]
) -> None:
    """`refill-status --json` maps each refill ID to its status object."""
    await run_cli("refill", *[str(n) for n in range(1, SEEDED_ORDERS + 1)], "--json")
    refill_id = str(next(iter(panel.refills)))
    capsys.readouterr()

    code = await run_cli("refill-status", refill_id, "--json")

    result = json.loads(capsys.readouterr().out)
    assert code == 0
    assert set(result[refill_id]) == {"status", "raw_status"}


async def test_cancel_json_true_per_order(
    run_cli: RunCli, capsys: pytest.CaptureFixture[str]
) -> None:
    """`cancel --json` maps a canceled order to true."""
    await run_cli(
        "add", "--service", "1", "--link", "https://social.example/p/f",
        "--quantity", "100",
    )  # fmt: skip
    capsys.readouterr()

    code = await run_cli("cancel", str(SEEDED_ORDERS + 1), "--json")

    assert code == 0
    assert json.loads(capsys.readouterr().out) == {str(SEEDED_ORDERS + 1): True}


async def test_cancel_table_for_people(
    run_cli: RunCli, capsys: pytest.CaptureFixture[str]
) -> None:
    """`cancel` without --json prints a table with the error of each failure."""
    code = await run_cli("cancel", "99999")

    out = capsys.readouterr().out
    assert code == 1
    assert "Incorrect order ID" in out
