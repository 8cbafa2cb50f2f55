"""The simulate command, run as a real process serving on 127.0.0.1."""

from __future__ import annotations

import json
import shlex
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator

import pytest

from panel_async._cli import main

SIM_KEY = "sim-only-KEY-77"

# The running `simulate` process and the variables its first line exports.
Simulator = tuple[subprocess.Popen[str], dict[str, str]]


@pytest.fixture
def simulator() -> Iterator[Simulator]:
    """Start `simulate` and return the process and its exported variables."""
    process = subprocess.Popen(
        [sys.executable, "-m", "panel_async", "simulate", "--seeded-orders", "5",
         "--key", SIM_KEY],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    # Kill the process if it never prints its URL, so that the test cannot hang.
    watchdog = threading.Timer(30, process.kill)
    watchdog.start()
    assert process.stdout is not None
    line = process.stdout.readline()
    watchdog.cancel()
    words = shlex.split(line)
    exported = dict(word.split("=", 1) for word in words[1:])
    try:
        yield process, exported
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate(timeout=10)


def test_simulate_prints_export_line(simulator: Simulator) -> None:
    """The first stdout line exports a loopback PANEL_URL and the simulator's key."""
    _, exported = simulator

    assert exported["PANEL_URL"].startswith("http://127.0.0.1:")
    assert exported["PANEL_URL"].endswith("/api/v2")
    assert exported["PANEL_KEY"] == SIM_KEY


def test_simulate_serves_cli_commands(
    simulator: Simulator,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Other commands work against the exported URL and key."""
    _, exported = simulator
    monkeypatch.setenv("PANEL_URL", exported["PANEL_URL"])
    monkeypatch.setenv("PANEL_KEY", exported["PANEL_KEY"])

    code = main(["status", "1", "2", "3", "4", "5", "--json"])

    assert code == 0
    assert list(json.loads(capsys.readouterr().out)) == ["1", "2", "3", "4", "5"]


def test_simulate_ctrl_c_exits_zero(simulator: Simulator) -> None:
    """SIGINT stops the server cleanly with exit code 0."""
    process, _ = simulator

    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=10)

    assert process.returncode == 0
    assert "Simulated panel stopped." in err
    assert "Traceback" not in err


def test_simulate_taken_port_exits_one(capsys: pytest.CaptureFixture[str]) -> None:
    """A port already in use is reported on stderr with exit code 1."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]

        code = main(["simulate", "--port", str(port)])

    assert code == 1
    assert (
        f"cannot serve the simulator on 127.0.0.1 port {port}"
        in capsys.readouterr().err
    )
