"""Webhook mode: Telegram posts updates to us, and only with the secret it was given."""

from __future__ import annotations

import importlib.util
import logging
import socket

import aiohttp
import pytest

from bot.config import Secret
from bot.errors import StartupError
from bot.logsetup import setup_logging
from tests.telegram.conftest import People, World
from tests.telegram.fake_bot_api import FakeBotApi

SECRET = "s3cret-Token_1"
HOOK = "https://bot.example.org/tg/hook"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def update(update_id: int, people: People, text: str) -> dict[str, object]:
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": 0,
            "chat": people.group,
            "from": people.minsu,
            "text": text,
            "entities": [{"type": "bot_command", "offset": 0, "length": len(text)}],
        },
    }


async def test_webhook_mode_checks_the_secret(
    world: World, api: FakeBotApi, people: People
) -> None:
    await world.shutdown()
    polled = api.count("getUpdates", status=None)
    port = free_port()
    settings = {
        "telegram_webhook_url": HOOK,
        "telegram_webhook_secret": Secret(SECRET),
        "telegram_webhook_listen": "127.0.0.1",
        "telegram_webhook_port": port,
    }
    if importlib.util.find_spec("tornado") is None:
        # PTB serves webhooks with tornado, from python-telegram-bot[webhooks].
        with pytest.raises(StartupError, match="python-telegram-bot\\[webhooks\\]"):
            await world.boot(**settings)
        return
    await world.boot(**settings)
    assert api.webhook == {
        "url": HOOK,
        "secret_token": SECRET,
        "allowed_updates": [
            "message",
            "callback_query",
            "inline_query",
            "poll_answer",
            "my_chat_member",
        ],
    }
    url = f"http://127.0.0.1:{port}/tg/hook"
    async with aiohttp.ClientSession() as http:
        forged = await http.post(url, json=update(1, people, "/start"))
        wrong = await http.post(
            url,
            json=update(2, people, "/start"),
            headers={"X-Telegram-Bot-Api-Secret-Token": "guess"},
        )
        real = await http.post(
            url,
            json=update(3, people, "/help"),
            headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
        )
    assert (forged.status, wrong.status, real.status) == (403, 403, 200)
    await api.wait_for(lambda: len(api.sent(people.group)) == 1)
    assert api.sent(people.group)[0].text.startswith("스터디봇 명령어")
    assert api.count("getUpdates", status=None) == polled  # no polling beside the webhook


async def test_without_a_configured_secret_one_is_made_up(
    world: World, api: FakeBotApi, people: People
) -> None:
    if importlib.util.find_spec("tornado") is None:
        return  # covered by the test above: webhook mode does not start at all
    await world.shutdown()
    await world.boot(
        telegram_webhook_url=HOOK,
        telegram_webhook_listen="127.0.0.1",
        telegram_webhook_port=free_port(),
    )
    secret = api.webhook["secret_token"]
    assert isinstance(secret, str) and len(secret) >= 32


async def test_a_made_up_secret_never_reaches_the_log(
    world: World, api: FakeBotApi, people: People, capsys: pytest.CaptureFixture[str]
) -> None:
    """PTB logs setWebhook's parameters at DEBUG, the secret_token among them."""
    if importlib.util.find_spec("tornado") is None:
        return  # webhook mode does not start at all
    await world.shutdown()
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    setup_logging(world.settings(log_level="DEBUG"))
    try:
        await world.boot(
            telegram_webhook_url=HOOK,
            telegram_webhook_listen="127.0.0.1",
            telegram_webhook_port=free_port(),
        )
        logging.getLogger("telegram.test").debug("secret %s", api.webhook["secret_token"])
    finally:
        root.handlers[:], level = saved
        root.setLevel(level)
    logged = capsys.readouterr().err
    secret = api.webhook["secret_token"]
    assert isinstance(secret, str) and len(secret) >= 32
    assert "setWebhook" in logged  # PTB did log the call
    assert secret not in logged and "secret telegram" not in logged
    assert "****" in logged
