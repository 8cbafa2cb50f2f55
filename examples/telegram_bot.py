"""A Telegram bot that places orders on an SMM panel for its admins, with aiogram 3.

Commands:

    /services                             list the services
    /order <service> <link> <quantity>    place an order
    /status <order ID>                    show an order's status

Run it against the simulator (or a real panel) with a bot token from @BotFather:

    panel-async simulate --seeded-orders 100      # in one shell; paste its export line
    export BOT_TOKEN=... BOT_ADMINS=123456789      # your Telegram user ID
    python examples/telegram_bot.py

Orders spend the panel's balance, so the bot replies only to the Telegram users
listed in BOT_ADMINS (user IDs separated by commas) and ignores everyone else. One
PanelClient is opened in `main()` and handed to every handler by aiogram's dependency
injection: handlers receive it as their `panel` argument.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Collection, Iterable

from aiogram import Bot, Dispatcher, F, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import Message

from panel_async import (
    PanelAmbiguousOrderError,
    PanelAPIError,
    PanelClient,
    PanelError,
    PanelInputError,
    PanelNotFoundError,
)

logger = logging.getLogger("panel_bot")

# Telegram rejects messages longer than this many characters.
MAX_MESSAGE_CHARS = 4096

ORDER_USAGE = "Usage: /order <service ID> <link> <quantity>"
STATUS_USAGE = "Usage: /status <order ID>"
HELP = "\n".join(
    (
        "/services - list the services",
        "/order <service ID> <link> <quantity> - place an order",
        "/status <order ID> - show an order's status",
    )
)


def fit_message(lines: Iterable[str], limit: int = MAX_MESSAGE_CHARS) -> str:
    """Join lines into one message, dropping the lines that do not fit."""
    kept: list[str] = []
    size = 0
    for line in lines:
        size += len(line) + 1
        if size > limit - 4:
            kept.append("...")
            break
        kept.append(line)
    return "\n".join(kept)


def describe_failure(error: PanelError) -> str:
    """Return the reply for an order or status request that failed."""
    if isinstance(error, PanelAmbiguousOrderError):
        logger.error("order may or may not exist, check it by hand: %s", error.fields)
        return (
            "The panel's response was lost: the order may or may not have been placed. "
            "Check the panel's order list before you order again."
        )
    if isinstance(error, PanelAPIError):
        return f"The panel refused: {error.message}"
    logger.error("the panel failed on %s: %s", error.action, error)
    return "The panel cannot be reached right now; try again later."


async def send_help(message: Message) -> None:
    """Reply to /start and /help with the list of commands."""
    await message.answer(HELP)


async def list_services(message: Message, panel: PanelClient) -> None:
    """Reply to /services with one line per service."""
    try:
        catalogue = await panel.services_by_id()
    except PanelError as error:
        await message.answer(describe_failure(error))
        return

    lines = (
        f"{service.id}: {service.name} ({service.type}), {service.rate} per 1000, "
        f"{service.min} to {service.max}"
        for service in catalogue.values()
    )
    await message.answer(fit_message(lines))


async def place_order(
    message: Message, command: CommandObject, panel: PanelClient
) -> None:
    """Place the order of /order <service> <link> <quantity> and reply."""
    parts = (command.args or "").split()
    if len(parts) != 3 or not parts[2].isdigit():
        await message.answer(ORDER_USAGE)
        return
    service_id, link, quantity = parts[0], parts[1], int(parts[2])

    try:
        service = (await panel.services_by_id()).get(service_id)
        if service is None:
            await message.answer(f"There is no service {service_id}; see /services.")
            return
        order_id = await panel.add(service=service, link=link, quantity=quantity)
    except PanelInputError as error:
        await message.answer(f"Not sent: {error}")
        return
    except PanelError as error:
        await message.answer(describe_failure(error))
        return

    logger.info("user %s placed order %s", message.chat.id, order_id)
    await message.answer(
        f"Order {order_id} placed: {quantity} of {service.name}, "
        f"about {service.cost(quantity)} at the listed rate."
    )


async def show_status(
    message: Message, command: CommandObject, panel: PanelClient
) -> None:
    """Reply to /status <order ID> with the order's state."""
    order_id = (command.args or "").strip()
    if not order_id or " " in order_id:
        await message.answer(STATUS_USAGE)
        return

    try:
        status = await panel.status(order_id)
    except PanelInputError:
        await message.answer(f"{order_id!r} is not an order ID. {STATUS_USAGE}")
        return
    except PanelNotFoundError:
        await message.answer(f"There is no order {order_id}.")
        return
    except PanelError as error:
        await message.answer(describe_failure(error))
        return

    await message.answer(
        f"Order {order_id}: {status.status.value}, {status.remains} remaining, "
        f"charged {status.charge} {status.currency or ''}".rstrip()
    )


def create_router(admin_ids: Collection[int]) -> Router:
    """Build the bot's router; it handles messages from `admin_ids` only."""
    router = Router(name="panel")
    router.message.filter(F.from_user.id.in_(set(admin_ids)))
    router.message.register(send_help, Command("start", "help"))
    router.message.register(list_services, Command("services"))
    router.message.register(place_order, Command("order"))
    router.message.register(show_status, Command("status"))
    return router


def parse_admin_ids(text: str) -> set[int]:
    """Read Telegram user IDs separated by commas."""
    try:
        return {int(part) for part in text.split(",") if part.strip()}
    except ValueError:
        raise SystemExit(
            f"BOT_ADMINS must be Telegram user IDs separated by commas, got {text!r}"
        ) from None


async def main() -> None:
    """Run the bot until Ctrl+C, with one PanelClient for every handler."""
    logging.basicConfig(level=logging.INFO)
    logging.getLogger("httpx").setLevel(logging.WARNING)  # a line per panel request
    admins = parse_admin_ids(os.environ["BOT_ADMINS"])
    bot = Bot(os.environ["BOT_TOKEN"])
    async with PanelClient(os.environ["PANEL_URL"], os.environ["PANEL_KEY"]) as panel:
        dispatcher = Dispatcher(panel=panel)  # injected as the handlers' `panel`
        dispatcher.include_router(create_router(admins))
        await dispatcher.start_polling(bot)


if __name__ == "__main__":
    asyncio.run(main())
