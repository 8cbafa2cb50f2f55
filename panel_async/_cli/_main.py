"""Run one command line: parse it, run the subcommand, map errors to exit codes."""

from __future__ import annotations

__all__ = ["run"]

import argparse
import asyncio
import os
import sys

import attrs

from panel_async import (
    PanelClient,
    PanelClientClosedError,
    PanelError,
    PanelInputError,
    RetryPolicy,
)

from ._args import BATCH_COMMANDS, build_parser
from ._commands import PANEL_HANDLERS
from ._demo import run_demo
from ._ids import collect_ids
from ._keys import read_key, read_url
from ._logs import logging_to
from ._output import Output
from ._simulate import run_simulator
from ._usage import UsageError

EXIT_FAILED = 1
EXIT_USAGE = 2
# The shell's code for a process ended by SIGINT (128 + 2).
EXIT_INTERRUPTED = 130


def run(argv: list[str]) -> int:
    """Run one command line and return its exit code; see `main()`."""
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:
        # argparse exits after --help, --version and usage errors; main() returns.
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE

    output = Output(sys.stdout, sys.stderr, json_mode=args.json)
    with logging_to(output, verbose=args.verbose):
        try:
            return _dispatch(args, output)
        except (UsageError, PanelInputError) as exc:
            output.error(str(exc))
            return EXIT_USAGE
        except (PanelError, PanelClientClosedError) as exc:
            output.error(f"{exc} ({type(exc).__name__})")
            return EXIT_FAILED
        except KeyboardInterrupt:
            output.error("interrupted")
            return EXIT_INTERRUPTED


def _dispatch(args: argparse.Namespace, output: Output) -> int:
    if args.command == "simulate":
        return run_simulator(args, output)
    if args.command == "demo":
        return asyncio.run(run_demo(args, output))

    return asyncio.run(_run_panel_command(args, output))


async def _run_panel_command(args: argparse.Namespace, output: Output) -> int:
    if args.command in BATCH_COMMANDS:
        # IDs are read first, so that a mistake in them costs no key prompt.
        args.ids = collect_ids(args.ids, sys.stdin, output.note)
    url = read_url(args.url, os.environ)
    key = read_key(
        option=args.key,
        key_file=args.key_file,
        environ=os.environ,
        stdin=sys.stdin,
        warn=output.warn,
    )
    output.add_secret(key)

    retry = RetryPolicy.default()
    if args.attempts is not None:
        retry = attrs.evolve(retry, attempts=args.attempts)

    async with PanelClient(url, key, timeout=args.timeout, retry=retry) as client:
        handler = PANEL_HANDLERS[args.command]
        return await handler(client, args, output)
