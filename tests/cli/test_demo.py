"""The demo: a full tour against the simulator, in process and as a subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest

from panel_async import OrderState

from .conftest import RunCli


def _check_accounted(summary: dict[str, Any], seeded: int) -> None:
    statuses = summary["statuses"]
    assert statuses["ids"] == seeded
    assert statuses["succeeded"] + statuses["failed"] == seeded
    assert sum(statuses["by_status"].values()) == statuses["succeeded"]
    assert set(statuses["by_status"]) == {state.value for state in OrderState}


def test_demo_subprocess_accounts_for_every_id() -> None:
    """`python -m panel_async demo --json` fetches 10,000 distinct IDs, all counted."""
    finished = subprocess.run(
        [sys.executable, "-m", "panel_async", "demo", "--json"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert finished.returncode == 0, finished.stderr
    summary = json.loads(finished.stdout)
    assert summary["seeded_orders"] == 10_000
    _check_accounted(summary, 10_000)
    assert summary["statuses"]["failed"] == 0
    assert summary["status_requests"] == 100
    assert summary["requests_sent"] >= 100


async def test_demo_json_places_four_order_types(
    run_cli: RunCli, capsys: pytest.CaptureFixture[str]
) -> None:
    """The demo orders Default, Custom Comments, Mentions and Subscriptions."""
    code = await run_cli("demo", "--json", "--seeded-orders", "300")

    summary = json.loads(capsys.readouterr().out)
    placed = summary["orders_placed"]
    assert code == 0
    assert [order["service_type"] for order in placed] == [
        "Default", "Custom Comments", "Mentions", "Subscriptions",
    ]  # fmt: skip
    assert all("order" in order for order in placed)
    _check_accounted(summary, 300)


async def test_demo_json_refills_and_cancels(
    run_cli: RunCli, capsys: pytest.CaptureFixture[str]
) -> None:
    """The demo refills and cancels some orders and reports each outcome."""
    code = await run_cli("demo", "--json", "--seeded-orders", "300")

    summary = json.loads(capsys.readouterr().out)
    for step in ("refills", "cancels"):
        outcome = summary[step]
        assert outcome["requested"] > 0
        assert outcome["succeeded"] + outcome["failed"] == outcome["requested"]
        assert sum(outcome["errors"].values()) == outcome["failed"]
    assert code == 0


async def test_demo_with_faults_still_accounts(
    run_cli: RunCli, capsys: pytest.CaptureFixture[str]
) -> None:
    """Under injected faults every ID still ends as a status or an error."""
    code = await run_cli(
        "demo", "--json", "--seeded-orders", "2000", "--faults",
        "http_502=0.2,reset_before=0.1,seed=7",
    )  # fmt: skip

    summary = json.loads(capsys.readouterr().out)
    assert code in (0, 1)
    _check_accounted(summary, 2000)
    assert summary["requests_sent"] > summary["status_requests"]


async def test_demo_table_prints_summary(
    run_cli: RunCli, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without --json the demo prints tables and the totals line."""
    code = await run_cli("demo", "--seeded-orders", "300")

    captured = capsys.readouterr()
    assert code == 0
    assert "Orders placed" in captured.out
    assert "Statuses of the seeded orders" in captured.out
    assert "300 of 300 IDs accounted for: 300 statuses, 0 failed." in captured.out
    assert "Simulated panel at http://127.0.0.1:" in captured.err
