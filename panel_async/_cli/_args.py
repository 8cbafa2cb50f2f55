"""The argument parser of `panel-async`: its subcommands and their options."""

from __future__ import annotations

__all__ = ["BATCH_COMMANDS", "build_parser"]

import argparse

from panel_async import __version__

from ._argtypes import (
    fault_plan,
    field_pair,
    iso_date,
    non_negative_int,
    port_number,
    positive_int,
    seconds,
)

#: Commands that take IDs and run them through the batcher.
BATCH_COMMANDS = ("status", "refill", "refill-status", "cancel")

_EPILOG = """\
The panel URL comes from --url or PANEL_URL. The API key comes from --key-file, \
PANEL_KEY or a hidden prompt on a terminal (--key also works, but other local users \
can read it from the process list).

exit codes: 0 success, 1 the panel or the network failed or some IDs of a batched \
command failed, 2 usage error, 130 interrupted.

Try it without a panel: `panel-async demo`, or `panel-async simulate` in one shell \
and the printed export line in another.
"""


def build_parser() -> argparse.ArgumentParser:
    """Build the parser of every subcommand; `args.command` names the one chosen."""
    parser = argparse.ArgumentParser(
        prog="panel-async",
        description="Use an SMM panel's API v2 from the shell, or run a simulated one.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=__version__)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    output = _output_options()
    panel = _panel_options()

    _add_catalogue_commands(commands, [output, panel])
    _add_order_command(commands, [output, panel])
    _add_batch_commands(commands, [output, panel])
    _add_simulator_commands(commands, [output])

    return parser


def _output_options() -> argparse.ArgumentParser:
    options = argparse.ArgumentParser(add_help=False)
    options.add_argument(
        "--json",
        action="store_true",
        help="print machine-readable JSON on stdout instead of tables",
    )
    options.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="log each request and retry of the client on stderr",
    )

    return options


def _panel_options() -> argparse.ArgumentParser:
    options = argparse.ArgumentParser(add_help=False)
    options.add_argument("--url", help="the panel's API endpoint (default: $PANEL_URL)")
    keys = options.add_mutually_exclusive_group()
    keys.add_argument(
        "--key-file", metavar="PATH", help="read the API key from this file"
    )
    keys.add_argument(
        "--key",
        help="the API key (other local users can see it; prefer PANEL_KEY)",
    )
    options.add_argument(
        "--timeout",
        type=seconds,
        default=30.0,
        metavar="SECONDS",
        help="seconds to wait for each response (default: 30)",
    )
    options.add_argument(
        "--attempts",
        type=positive_int,
        metavar="N",
        help="attempts per request when a retry is safe, 1 for no retries "
        "(default: as in RetryPolicy.default())",
    )

    return options


def _add_catalogue_commands(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    parents: list[argparse.ArgumentParser],
) -> None:
    commands.add_parser("services", parents=parents, help="list the panel's services")
    commands.add_parser("balance", parents=parents, help="show the account balance")


def _add_order_command(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    parents: list[argparse.ArgumentParser],
) -> None:
    add = commands.add_parser(
        "add",
        parents=parents,
        help="place an order",
        description=(
            "Place an order. Options are named like the API's fields; which ones a "
            "service needs depends on its type. The order is checked against the "
            "service's catalogue entry first, unless --no-check is given."
        ),
    )
    add.add_argument("--service", required=True, help="the service ID")
    _add_delivery_options(add)
    add.add_argument("--username", help="Subscriptions and some Mentions types")
    _add_subscription_options(add)
    add.add_argument(
        "--field",
        action="append",
        type=field_pair,
        default=[],
        metavar="NAME=VALUE",
        help="any other field of the service type, such as usernames=alice or "
        "answer_number=2; repeat a NAME to send a list, one item per line",
    )
    add.add_argument(
        "--no-check",
        action="store_true",
        help="send without fetching the catalogue to check the order first",
    )


def _add_delivery_options(add: argparse.ArgumentParser) -> None:
    add.add_argument("--link", help="the link to the page or post")
    add.add_argument("--quantity", type=positive_int, help="units to deliver")
    add.add_argument("--runs", type=positive_int, help="drip-feed: runs to deliver")
    add.add_argument(
        "--interval", type=positive_int, help="drip-feed: minutes between runs"
    )
    add.add_argument(
        "--comments",
        action="append",
        metavar="LINE",
        help="one comment; repeat for more. @FILE reads one comment per line of "
        "FILE, and @@ starts a comment with a literal @",
    )


def _add_subscription_options(add: argparse.ArgumentParser) -> None:
    add.add_argument("--min", type=positive_int, help="Subscriptions: minimum quantity")
    add.add_argument("--max", type=positive_int, help="Subscriptions: maximum quantity")
    add.add_argument(
        "--posts", type=positive_int, help="Subscriptions: new posts to parse"
    )
    add.add_argument(
        "--old-posts", type=non_negative_int, help="Subscriptions: old posts to parse"
    )
    add.add_argument(
        "--delay", type=non_negative_int, help="Subscriptions: delay in minutes"
    )
    add.add_argument(
        "--expiry", type=iso_date, metavar="YYYY-MM-DD", help="Subscriptions: end date"
    )


def _add_batch_commands(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    parents: list[argparse.ArgumentParser],
) -> None:
    helps = {
        "status": ("show the status of orders", "order"),
        "refill": ("ask for refills of orders", "order"),
        "refill-status": ("show the status of refills", "refill"),
        "cancel": ("cancel orders", "order"),
    }
    for name in BATCH_COMMANDS:
        summary, id_kind = helps[name]
        command = commands.add_parser(
            name,
            parents=parents,
            help=summary,
            description=f"{summary[0].upper()}{summary[1:]}, in requests of up to "
            "100 IDs.",
        )
        command.add_argument(
            "ids",
            nargs="*",
            metavar="ID",
            help=f"{id_kind} IDs, or - to read them from standard input (also read "
            "when no ID is given), one per line or separated by commas or spaces",
        )


def _add_simulator_commands(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    parents: list[argparse.ArgumentParser],
) -> None:
    simulate = commands.add_parser(
        "simulate",
        parents=parents,
        help="serve a simulated panel on 127.0.0.1",
        description="Serve the simulated panel on 127.0.0.1 until Ctrl+C, and print "
        "the PANEL_URL and PANEL_KEY to use with it.",
    )
    simulate.add_argument(
        "--port",
        type=port_number,
        default=0,
        help="the TCP port on 127.0.0.1 (default: 0, a free port)",
    )
    simulate.add_argument(
        "--key",
        default="test-key",
        help="the API key the simulator accepts (default: test-key)",
    )
    _add_simulator_options(simulate, seeded_orders=0)

    demo = commands.add_parser(
        "demo",
        parents=parents,
        help="run a tour of the client against a simulated panel",
        description="Start a simulated panel with seeded orders on a free loopback "
        "port, then balance, services, orders of four types, the statuses of every "
        "seeded order, a few refills and cancels, and a summary.",
    )
    _add_simulator_options(demo, seeded_orders=10_000)


def _add_simulator_options(
    parser: argparse.ArgumentParser, *, seeded_orders: int
) -> None:
    parser.add_argument(
        "--seeded-orders",
        type=non_negative_int,
        default=seeded_orders,
        metavar="N",
        help=f"orders with IDs 1 to N that exist from the start (default: "
        f"{seeded_orders})",
    )
    parser.add_argument(
        "--latency",
        type=seconds,
        default=0.0,
        metavar="SECONDS",
        help="seconds the simulator waits before each response (default: 0)",
    )
    parser.add_argument(
        "--faults",
        type=fault_plan,
        default=None,
        metavar="PLAN",
        help="faults to inject, such as reset_after=0.1,http_502=0.05,seed=3",
    )
