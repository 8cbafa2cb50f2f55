"""FakePanel over real HTTP: serve() with uvicorn on 127.0.0.1, and run()."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import socket
import subprocess
import sys
import time
from decimal import Decimal

import httpx
import pytest

from panel_async.testing import FakePanel, FaultPlan, ManualClock, serve

ORDER = {
    "action": "add",
    "service": "1",
    "link": "https://social.example/p/x",
    "quantity": "100",
}


@pytest.fixture
def served_panel() -> FakePanel:
    return FakePanel(clock=ManualClock(), partial_ratio=0)


async def test_serve_yields_loopback_url(served_panel: FakePanel) -> None:
    async with serve(served_panel) as url:
        host_and_port, path = url.removeprefix("http://").split("/", 1)

    assert host_and_port.startswith("127.0.0.1:")
    assert int(host_and_port.split(":")[1]) > 0
    assert path == "api/v2"


async def test_serve_handles_actions(served_panel: FakePanel) -> None:
    async with serve(served_panel) as url, httpx.AsyncClient() as client:
        added = await client.post(url, data={"key": "test-key", **ORDER})
        status = await client.post(
            url, data={"key": "test-key", "action": "status", "order": "1"}
        )

    assert added.json() == {"order": 1}
    assert status.json()["status"] == "Pending"
    assert served_panel.balance == Decimal("999.91000")


async def test_serve_reset_after_over_http(served_panel: FakePanel) -> None:
    served_panel.faults = FaultPlan(reset_after=1.0)

    async with serve(served_panel) as url, httpx.AsyncClient() as client:
        with pytest.raises(httpx.RemoteProtocolError):
            await client.post(url, data={"key": "test-key", **ORDER})

    assert served_panel.orders_created == 1


async def test_serve_reset_before_over_http(served_panel: FakePanel) -> None:
    served_panel.faults = FaultPlan(reset_before=1.0)

    async with serve(served_panel) as url, httpx.AsyncClient() as client:
        with pytest.raises(httpx.RemoteProtocolError):
            await client.post(url, data={"key": "test-key", **ORDER})

    assert served_panel.orders_created == 0


async def test_serve_connect_error_breaks_connection(served_panel: FakePanel) -> None:
    served_panel.faults = FaultPlan(connect_error=1.0)

    async with serve(served_panel) as url, httpx.AsyncClient() as client:
        with pytest.raises(httpx.RemoteProtocolError):
            await client.post(url, data={"key": "test-key", **ORDER})

    assert served_panel.requests == {}


async def test_serve_does_not_log_simulated_resets(
    served_panel: FakePanel, caplog: pytest.LogCaptureFixture
) -> None:
    served_panel.faults = FaultPlan(reset_after=1.0)

    with caplog.at_level(logging.WARNING):
        async with serve(served_panel) as url, httpx.AsyncClient() as client:
            with pytest.raises(httpx.RemoteProtocolError):
                await client.post(url, data={"key": "test-key", **ORDER})

    assert [r.getMessage() for r in caplog.records] == []


async def test_serve_stall_times_out_promptly(served_panel: FakePanel) -> None:
    served_panel.faults = FaultPlan(stall=1.0)

    started = time.perf_counter()
    async with serve(served_panel) as url, httpx.AsyncClient() as client:
        with pytest.raises(httpx.ReadTimeout):
            await client.post(url, data={"key": "test-key", **ORDER}, timeout=0.2)

    assert time.perf_counter() - started < 5
    assert served_panel.orders_created == 1


async def test_serve_truncated_json_over_http(served_panel: FakePanel) -> None:
    served_panel.faults = FaultPlan(truncated_json=1.0)

    async with serve(served_panel) as url, httpx.AsyncClient() as client:
        response = await client.post(url, data={"key": "test-key", **ORDER})

    assert response.content == b'{"ord'


async def test_serve_max_in_flight_429() -> None:
    panel = FakePanel(max_in_flight=1, latency=0.2)

    async with serve(panel) as url, httpx.AsyncClient() as client:
        first = client.post(url, data={"key": "test-key", "action": "balance"})
        second = client.post(url, data={"key": "test-key", "action": "balance"})
        responses = await asyncio.gather(first, second)

    assert sorted(r.status_code for r in responses) == [200, 429]


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.10", "panel.example", "::"])
async def test_serve_rejects_non_loopback_host(
    served_panel: FakePanel, host: str
) -> None:
    with pytest.raises(ValueError, match="not a loopback address"):
        async with serve(served_panel, host=host):
            pass


async def test_serve_taken_port_raises(served_panel: FakePanel) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]

        with pytest.raises(OSError, match="could not start"):
            async with serve(served_panel, port=port):
                pass


RUN_SCRIPT = """
import sys
from panel_async.testing import FakePanel, run

def show(url):
    sys.stdout.write(url + "\\n")
    sys.stdout.flush()

run(FakePanel(), port=0, on_ready=show)
sys.stdout.write("stopped\\n")
"""


def test_run_serves_until_interrupted() -> None:
    process = subprocess.Popen(
        [sys.executable, "-c", RUN_SCRIPT], stdout=subprocess.PIPE, text=True
    )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        response = httpx.post(url, data={"key": "test-key", "action": "balance"})
        os.kill(process.pid, signal.SIGINT)
        rest = process.communicate(timeout=10)[0]
    finally:
        if process.poll() is None:
            process.kill()

    assert url.startswith("http://127.0.0.1:")
    assert response.json()["currency"] == "USD"
    assert rest == "stopped\n"
    assert process.returncode == 0


def test_run_rejects_non_loopback_host() -> None:
    from panel_async.testing import run

    with pytest.raises(ValueError, match="not a loopback address"):
        run(FakePanel(), host="0.0.0.0")
