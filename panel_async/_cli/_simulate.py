"""The `simulate` command: serve a FakePanel on 127.0.0.1 until Ctrl+C."""

from __future__ import annotations

__all__ = ["run_simulator"]

import argparse
import shlex

from panel_async.testing import FakePanel, run

from ._output import Output


def run_simulator(args: argparse.Namespace, output: Output) -> int:
    """Serve the simulated panel and print the PANEL_URL and PANEL_KEY to use.

    The key is the simulator's own, chosen with --key, so printing it reveals no
    panel's key. Returns 0 after Ctrl+C or SIGTERM, 1 if the server cannot start.
    """
    panel = FakePanel(
        key=args.key,
        seeded_orders=args.seeded_orders,
        latency=args.latency,
        faults=args.faults,
    )

    def announce(url: str) -> None:
        if output.json_mode:
            output.print_json({"url": url, "key": args.key})
        else:
            line = (
                f"export PANEL_URL={shlex.quote(url)} PANEL_KEY={shlex.quote(args.key)}"
            )
            output.stdout.file.write(line + "\n")
            output.stdout.file.flush()
            output.note(f"Simulated panel at {url}; press Ctrl+C to stop.")

    try:
        run(panel, host="127.0.0.1", port=args.port, on_ready=announce)
    except OSError as exc:
        output.error(f"cannot serve the simulator on 127.0.0.1 port {args.port}: {exc}")
        return 1
    output.note("Simulated panel stopped.")

    return 0
