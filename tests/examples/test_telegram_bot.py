"""examples/telegram_bot.py, fed updates through aiogram's own Dispatcher.

A recording session replaces aiogram's HTTP session: it keeps each Bot API call
the handlers make and sends nothing, so no request goes to Telegram.
"""

from __future__ import annotations

import datetime
from collections.abc import AsyncGenerator, AsyncIterator
from typing import Any, cast

import pytest

from panel_async import PanelClient
from panel_async.testing import FakePanel, FaultPlan, ManualClock

from ._panel import KEY, connect

pytest.importorskip("aiogram", reason="the Telegram bot example needs aiogram")

from aiogram import Bot, Dispatcher
from aiogram.client.session.base import BaseSession
from aiogram.methods import SendMessage, TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.types import Chat, Message, Update, User

from examples.telegram_bot import create_router

ADMIN_ID = 1001
STRANGER_ID = 2002
# A well-formed token; the recording session never sends it anywhere.
BOT_TOKEN = "123456:TEST-TOKEN"


class RecordingSession(BaseSession):
    """A Bot API session that records the messages the bot sends."""

    def __init__(self) -> None:
        super().__init__()
        self.sent: list[SendMessage] = []

    async def make_request(
        self,
        bot: Bot,
        method: TelegramMethod[TelegramType],
        timeout: int | None = None,
    ) -> TelegramType:
        if not isinstance(method, SendMessage):
            raise AssertionError(f"unexpected Bot API call {type(method).__name__}")
        self.sent.append(method)
        reply = Message(
            message_id=len(self.sent),
            date=datetime.datetime.now(datetime.timezone.utc),
            chat=Chat(id=int(method.chat_id), type="private"),
            text=method.text,
        )
        return cast(TelegramType, reply)

    async def stream_content(
        self,
        url: str,
        headers: dict[str, Any] | None = None,
        timeout: int = 30,
        chunk_size: int = 65536,
        raise_for_status: bool = True,
    ) -> AsyncGenerator[bytes, None]:
        raise AssertionError("the bot downloads nothing")
        yield b""  # makes this an async generator, as the base class declares

    async def close(self) -> None:
        pass


class FakeTelegram:
    """Feeds text messages to the bot's dispatcher and collects its replies."""

    def __init__(self, panel: PanelClient) -> None:
        self.session = RecordingSession()
        self.bot = Bot(BOT_TOKEN, session=self.session)
        self.dispatcher = Dispatcher(panel=panel)
        self.dispatcher.include_router(create_router([ADMIN_ID]))
        self._next_id = 1

    async def send(self, text: str, user_id: int = ADMIN_ID) -> list[str]:
        """Deliver `text` from `user_id`; return the texts of the bot's replies."""
        before = len(self.session.sent)
        self._next_id += 1
        message = Message(
            message_id=self._next_id,
            date=datetime.datetime.now(datetime.timezone.utc),
            chat=Chat(id=user_id, type="private"),
            from_user=User(id=user_id, is_bot=False, first_name="Test"),
            text=text,
        )
        update = Update(update_id=self._next_id, message=message)
        await self.dispatcher.feed_update(self.bot, update)
        return [sent.text for sent in self.session.sent[before:]]


@pytest.fixture
def panel() -> FakePanel:
    return FakePanel(key=KEY, seeded_orders=100, clock=ManualClock())


@pytest.fixture
async def telegram(panel: FakePanel) -> AsyncIterator[FakeTelegram]:
    async with connect(panel) as client:
        telegram = FakeTelegram(client)
        yield telegram
        await telegram.bot.session.close()


async def test_services_listed(telegram: FakeTelegram) -> None:
    (reply,) = await telegram.send("/services")

    assert reply.startswith("1: Followers (Default), 0.90 per 1000, 50 to 10000")
    assert len(reply.splitlines()) == 18


async def test_order_placed(telegram: FakeTelegram, panel: FakePanel) -> None:
    (reply,) = await telegram.send("/order 1 https://instagram.com/p/bot 1000")

    assert reply.startswith("Order 101 placed: 1000 of Followers")
    assert panel.orders[101].link == "https://instagram.com/p/bot"


async def test_order_usage_shown(telegram: FakeTelegram, panel: FakePanel) -> None:
    (reply,) = await telegram.send("/order 1 https://instagram.com/p/bot")

    assert reply.startswith("Usage: /order")
    assert panel.requests.get("add", 0) == 0


async def test_order_checked_before_sending(
    telegram: FakeTelegram, panel: FakePanel
) -> None:
    (reply,) = await telegram.send("/order 1 https://instagram.com/p/bot 10")

    assert reply.startswith("Not sent: service 1 (Default): quantity 10 is below")
    assert panel.requests.get("add", 0) == 0


async def test_unknown_service_named(telegram: FakeTelegram) -> None:
    (reply,) = await telegram.send("/order 99 https://instagram.com/p/bot 100")

    assert reply == "There is no service 99; see /services."


async def test_lost_response_explained(
    telegram: FakeTelegram, panel: FakePanel
) -> None:
    panel.faults = FaultPlan(reset_after=1.0, actions={"add"})

    (reply,) = await telegram.send("/order 1 https://instagram.com/p/bot 1000")

    assert "may or may not have been placed" in reply
    assert panel.orders_created == 1


async def test_status_shown(telegram: FakeTelegram, panel: FakePanel) -> None:
    (reply,) = await telegram.send("/status 1")

    assert reply.startswith(f"Order 1: {panel.orders[1].status},")


async def test_status_of_unknown_order(telegram: FakeTelegram) -> None:
    (reply,) = await telegram.send("/status 99999")

    assert reply == "There is no order 99999."


async def test_strangers_ignored(telegram: FakeTelegram, panel: FakePanel) -> None:
    replies = await telegram.send(
        "/order 1 https://instagram.com/p/bot 1000", STRANGER_ID
    )

    assert replies == []
    assert panel.requests == {}
