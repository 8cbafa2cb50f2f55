"""The pytest fixtures that users enable with `pytest_plugins`, run as a user would."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

USER_TESTS = """
from decimal import Decimal

from panel_async import OrderState, PanelClient
from panel_async.pytest_plugin import TEST_KEY


async def test_client_reads_seeded_orders(panel_client):
    result = await panel_client.statuses(range(1, 101))
    assert len(result.succeeded) == 100


async def test_clock_moves_new_order(panel_client, fake_panel):
    order_id = await panel_client.add(service=1, link="https://x.test/a", quantity=100)
    fake_panel.clock.advance(3600)
    status = await panel_client.status(order_id)
    assert status.status in {OrderState.COMPLETED, OrderState.PARTIAL}


async def test_served_over_http(fake_panel_url):
    assert fake_panel_url.startswith("http://127.0.0.1:")
    async with PanelClient(fake_panel_url, TEST_KEY) as client:
        balance = await client.balance()
    assert balance.amount == Decimal("1000")
"""


def test_plugin_fixtures_work_for_users(tmp_path: Path) -> None:
    """A user's suite using the plugin's three fixtures passes."""
    (tmp_path / "conftest.py").write_text(
        'pytest_plugins = ["panel_async.pytest_plugin"]\n'
    )
    (tmp_path / "test_user.py").write_text(textwrap.dedent(USER_TESTS))

    completed = subprocess.run(
        [
            sys.executable, "-m", "pytest", str(tmp_path), "-q",
            "-p", "no:cacheprovider", "-o", "asyncio_mode=auto",
            "-o", "asyncio_default_fixture_loop_scope=function",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )  # fmt: skip

    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "3 passed" in completed.stdout
