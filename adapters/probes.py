"""Does each platform accept our token? One authenticated call each, for `studybot doctor`.

These live beside the adapters because they import the platform libraries, which the core
never does. Each probe returns (ok, detail); details show tokens only masked, and any
library message that might quote the token has it replaced.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from bot.config import Secret, Settings

TIMEOUT_S = 20.0


def _scrub(message: str, token: Secret) -> str:
    message = " ".join(message.split())
    secret = token.reveal()
    return message.replace(secret, token.masked()) if secret else message


async def telegram(settings: Settings) -> tuple[bool, str]:
    from telegram import Bot
    from telegram.error import InvalidToken, NetworkError, TelegramError

    token = settings.telegram_token
    shown = token.masked()
    kwargs: dict[str, Any] = (
        {"base_url": settings.telegram_api_url} if settings.telegram_api_url else {}
    )
    where = settings.telegram_api_url or "https://api.telegram.org"
    try:
        bot = Bot(token.reveal(), **kwargs)
    except InvalidToken:
        return False, f"token {shown} is not in Telegram's token format"
    try:
        async with asyncio.timeout(TIMEOUT_S):
            await bot.initialize()  # calls getMe
        me = bot.bot
        return True, f"token {shown} accepted by getMe: @{me.username} (id {me.id})"
    except InvalidToken:
        return False, f"token {shown} refused by the Bot API (getMe: unauthorized)"
    except TimeoutError:
        return False, f"token {shown} not checked: no answer from {where} within {TIMEOUT_S:.0f}s"
    except NetworkError as exc:
        return False, f"token {shown} not checked: cannot reach {where}: {_scrub(str(exc), token)}"
    except TelegramError as exc:
        return False, f"token {shown}: getMe failed: {_scrub(str(exc), token)}"
    finally:
        # A probe that failed half-way may leave nothing to close.
        with contextlib.suppress(Exception):
            await bot.shutdown()


async def discord(settings: Settings) -> tuple[bool, str]:
    import aiohttp
    import discord as dpy

    token = settings.discord_token
    shown = token.masked()
    # No gateway: login() only checks the token over HTTP (users/@me, then the app's info).
    client = dpy.Client(intents=dpy.Intents.default())
    try:
        async with asyncio.timeout(TIMEOUT_S):
            await client.login(token.reveal())
        user = client.user
        name = user.name if user is not None else "?"
        ident = user.id if user is not None else "?"
        return True, f"token {shown} accepted: {name} (id {ident})"
    except dpy.LoginFailure:
        return False, f"token {shown} refused by Discord (401 Unauthorized)"
    except dpy.HTTPException as exc:
        return (
            False,
            f"token {shown}: Discord answered {exc.status} {_scrub(exc.text or '', token)}",
        )
    except TimeoutError:
        return False, f"token {shown} not checked: no answer from Discord within {TIMEOUT_S:.0f}s"
    except (aiohttp.ClientError, OSError) as exc:
        return False, f"token {shown} not checked: cannot reach Discord: {_scrub(str(exc), token)}"
    finally:
        await client.close()


PROBES = {"telegram": telegram, "discord": discord}
