"""The real python-telegram-bot Application, through our adapter, against the fake Bot API.

Each test gets a fake Telegram on a random local port, a core on real SQLite storage with a
fake clock and manual timers (as tests/conftest.py builds it), and the adapter that
`studybot run` would create, started the way `run` starts it.

(No __init__.py here on purpose: with one, pytest would import this folder as a top-level
package named `telegram` and shadow python-telegram-bot.)
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from adapters.telegram import TelegramAdapter, create
from bot.clock import FakeClock
from bot.config import Secret, Settings
from bot.content.loader import Library
from bot.core import Core
from bot.storage.db import Database
from bot.storage.migrate import upgrade
from bot.storage.tables import answers
from bot.timers import ManualTimers
from bot.wiring import build_core
from tests.conftest import START
from tests.telegram.fake_bot_api import JSON, FakeBotApi, Sent


@dataclass
class World:
    """Telegram (fake), the bot (real) and a few people in a few chats."""

    api: FakeBotApi
    db: Database
    library: Library
    tmp_path: Path
    clock: FakeClock = field(default_factory=lambda: FakeClock(START))
    timers: ManualTimers = field(default_factory=ManualTimers)
    core: Core | None = None
    adapter: TelegramAdapter | None = None

    def settings(self, **overrides: Any) -> Settings:
        values: dict[str, Any] = {
            "data_dir": self.tmp_path,
            "quiz_open_seconds": 600,
            "telegram_token": Secret(self.api.token),
            "telegram_api_url": self.api.base_url,
            **overrides,
        }
        return Settings(**values)

    async def boot(self, **overrides: Any) -> None:
        """Build and start core and adapter as `studybot run` does."""
        core = build_core(
            self.settings(**overrides),
            self.db,
            self.library,
            clock=self.clock,
            timers=self.timers,
            rng=random.Random(7),
        )
        adapter = create(core.rt.settings, core)
        core.attach(adapter)
        await adapter.start(core.handle)
        await core.start()
        self.core, self.adapter = core, adapter

    async def shutdown(self) -> None:
        if self.adapter is not None:
            await self.adapter.stop()
        self.adapter = None
        self.core = None

    async def settled(self, within: float = 5.0) -> None:
        """Every injected update fetched, and every fetched one handled to the end."""
        await self.api.wait_for(lambda: self.api.pending_updates() == 0, within)
        assert self.adapter is not None and self.adapter.application is not None
        # The adapter's intake lets an update go only after its handler returned.
        async with asyncio.timeout(within):
            await self.adapter.idle()

    async def answer_count(self) -> int:
        async with self.db.read() as conn:
            return int((await conn.execute(select(func.count()).select_from(answers))).scalar_one())

    def last_poll(self, chat: JSON) -> Sent:
        polls = [s for s in self.api.sent(chat) if s.poll is not None]
        assert polls, "no poll was sent"
        return polls[-1]

    async def advance(self, seconds: float) -> int:
        self.clock.advance(seconds)
        return await self.timers.run_due(self.clock.now())


@pytest.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    fake = FakeBotApi()
    await fake.start()
    try:
        yield fake
    finally:
        await fake.close()


@pytest.fixture
async def tg_db(tmp_path: Path) -> AsyncIterator[Database]:
    # The adapter's logic does not depend on the engine; tests/conftest.py covers both.
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'studybot.db'}")
    await upgrade(database)
    try:
        yield database
    finally:
        await database.dispose()


@pytest.fixture
async def world(
    api: FakeBotApi, tg_db: Database, library: Library, tmp_path: Path
) -> AsyncIterator[World]:
    w = World(api, tg_db, library, tmp_path)
    await w.boot()
    try:
        yield w
    finally:
        await w.shutdown()


@dataclass
class People:
    minsu: JSON
    jiyoung: JSON
    hyun: JSON
    admin: JSON
    group: JSON


@pytest.fixture
def people(api: FakeBotApi) -> People:
    admin = api.user(501, "관리자", username="boss")
    minsu = api.user(101, "민수", last_name="김", username="minsu")
    jiyoung = api.user(102, "지영", username="jiyoung")
    hyun = api.user(103, "현")
    group = api.group(-100, "컴퓨터일반 스터디", admins=(admin,))
    return People(minsu, jiyoung, hyun, admin, group)
