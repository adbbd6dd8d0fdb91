"""Just enough of Telegram's and Discord's HTTP APIs to accept or refuse a token.

Telegram: POST /bot<token>/getMe, as python-telegram-bot calls it with base_url
http://127.0.0.1:PORT/bot. Discord: GET /api/v10/users/@me and
/api/v10/oauth2/applications/@me with "Authorization: Bot <token>", as discord.py's
Client.login calls them once discord.http.Route.BASE points here.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from aiohttp import web

GOOD_TELEGRAM = "123456789:AAHgoodtokengoodtokengoodtokengood12"
GOOD_DISCORD = "MTIzNDU2Nzg5MDEyMzQ1Njc4.GoodOne.discordtokendiscordtokendisco"
BOT_ID = 123456789


@dataclass
class FakePlatforms:
    base: str
    calls: list[str] = field(default_factory=list)

    @property
    def telegram_url(self) -> str:
        return f"{self.base}/bot"

    @property
    def discord_base(self) -> str:
        return f"{self.base}/api/v10"


def _discord_json(payload: object, status: int = 200) -> web.Response:
    # discord.py decodes a body only when Content-Type is exactly application/json.
    return web.Response(
        body=json.dumps(payload).encode(),
        status=status,
        headers={"Content-Type": "application/json"},
    )


def _telegram_error(status: int, description: str) -> web.Response:
    return web.json_response(
        {"ok": False, "error_code": status, "description": description}, status=status
    )


def _app(state: FakePlatforms) -> web.Application:
    async def telegram(request: web.Request) -> web.Response:
        token = request.match_info["token"]
        method = request.match_info["method"]
        state.calls.append(f"telegram {method}")
        if token != GOOD_TELEGRAM:
            return _telegram_error(401, "Unauthorized")
        if method != "getMe":
            return _telegram_error(404, "Not Found")
        return web.json_response(
            {
                "ok": True,
                "result": {
                    "id": BOT_ID,
                    "is_bot": True,
                    "first_name": "Study Bot",
                    "username": "studybot_test_bot",
                    "can_join_groups": True,
                    "can_read_all_group_messages": False,
                    "supports_inline_queries": False,
                },
            }
        )

    def discord_authorized(request: web.Request) -> bool:
        return request.headers.get("Authorization") == f"Bot {GOOD_DISCORD}"

    user = {
        "id": str(BOT_ID),
        "username": "studybot",
        "discriminator": "0",
        "global_name": None,
        "avatar": None,
        "bot": True,
    }

    async def discord_me(request: web.Request) -> web.Response:
        state.calls.append("discord users/@me")
        if not discord_authorized(request):
            return _discord_json({"message": "401: Unauthorized", "code": 0}, status=401)
        return _discord_json(user)

    async def discord_app(request: web.Request) -> web.Response:
        state.calls.append("discord applications/@me")
        if not discord_authorized(request):
            return _discord_json({"message": "401: Unauthorized", "code": 0}, status=401)
        return _discord_json(
            {
                "id": str(BOT_ID),
                "name": "studybot",
                "description": "",
                "icon": None,
                "bot_public": True,
                "bot_require_code_grant": False,
                "owner": {**user, "id": "42", "username": "owner", "bot": False},
                "verify_key": "00",
                "flags": 0,
            }
        )

    app = web.Application()
    app.router.add_post("/bot{token}/{method}", telegram)
    app.router.add_get("/api/v10/users/@me", discord_me)
    app.router.add_get("/api/v10/oauth2/applications/@me", discord_app)
    return app


@asynccontextmanager
async def fake_platforms() -> AsyncIterator[FakePlatforms]:
    state = FakePlatforms("")
    runner = web.AppRunner(_app(state), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    state.base = f"http://127.0.0.1:{port}"
    try:
        yield state
    finally:
        await runner.cleanup()
