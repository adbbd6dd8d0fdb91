"""Shared fixtures: real storage on SQLite and PostgreSQL, a fake clock, a recording adapter."""

from __future__ import annotations

import os
import random
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from adapters.memory import MemoryAdapter
from bot.clock import FakeClock
from bot.config import Settings
from bot.content.loader import Library, load_library
from bot.core import Core
from bot.markup import to_plain
from bot.storage.db import Database, make_engine
from bot.storage.migrate import upgrade
from bot.timers import ManualTimers
from bot.types import (
    Capabilities,
    ChatRef,
    ChoiceSelected,
    CommandReceived,
    Content,
    QuestionCard,
    SentRef,
    Text,
    TextReceived,
    UserRef,
)
from bot.wiring import build_core

PG_ENV = "STUDYBOT_TEST_POSTGRES_URL"
ENGINES = ["sqlite", "postgres"]
START = datetime(2026, 11, 26, 0, 0, tzinfo=UTC)  # 09:00 in Seoul


@pytest.fixture(scope="session")
def library() -> Library:
    return load_library()


async def open_database(engine: str, tmp_path: Path) -> tuple[Database, str | None]:
    """A migrated database; on PostgreSQL a fresh schema per test keeps tests apart."""
    if engine == "sqlite":
        db = Database(f"sqlite+aiosqlite:///{tmp_path / 'studybot.db'}")
        await upgrade(db)
        return db, None
    url = os.environ.get(PG_ENV)
    if not url:
        pytest.skip(f"{PG_ENV} is not set, so the PostgreSQL variant of this test is skipped")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = make_engine(url)
    async with admin.begin() as conn:
        await conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    await admin.dispose()
    db = Database(url, connect_args={"server_settings": {"search_path": schema}})
    await upgrade(db)
    return db, schema


async def drop_schema(schema: str) -> None:
    admin = make_engine(os.environ[PG_ENV])
    async with admin.begin() as conn:
        await conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    await admin.dispose()


@pytest.fixture(params=ENGINES)
async def db(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Database]:
    database, schema = await open_database(request.param, tmp_path)
    try:
        yield database
    finally:
        await database.dispose()
        if schema:
            await drop_schema(schema)


@dataclass
class Harness:
    """A core on real storage, a recording adapter, a fake clock and manual timers."""

    core: Core
    adapter: MemoryAdapter
    clock: FakeClock
    timers: ManualTimers
    chat: ChatRef

    def user(self, name: str) -> UserRef:
        return UserRef(self.adapter.name, f"u-{name}", name)

    async def command(
        self,
        name: str,
        args: str = "",
        *,
        who: str = "민수",
        chat: ChatRef | None = None,
        admin: bool = False,
        mentions: tuple[str, ...] = (),
    ) -> list[Content]:
        event = CommandReceived(
            chat or self.chat,
            self.user(who),
            name,
            args,
            is_admin=admin,
            mentions=tuple(self.user(m) for m in mentions),
        )
        return await self.adapter.deliver(event)

    async def say(self, text_: str, *, who: str = "민수") -> list[Content]:
        return await self.adapter.deliver(TextReceived(self.chat, self.user(who), text_))

    async def choose(
        self, post_id: int, option: int, *, who: str = "민수", chat: ChatRef | None = None
    ) -> list[Content]:
        event = ChoiceSelected(chat or self.chat, self.user(who), post_id, option)
        return await self.adapter.deliver(event)

    async def advance(self, seconds: float) -> int:
        self.clock.advance(seconds)
        return await self.timers.run_due(self.clock.now())


def make_harness(
    db: Database,
    library: Library,
    tmp_path: Path,
    *,
    ephemeral: bool = False,
    clock: FakeClock | None = None,
    adapter: MemoryAdapter | None = None,
) -> Harness:
    settings = Settings(data_dir=tmp_path, quiz_open_seconds=600)
    clock = clock or FakeClock(START)
    timers = ManualTimers()
    core = build_core(settings, db, library, clock=clock, timers=timers, rng=random.Random(7))
    adapter = adapter or MemoryAdapter("memory", Capabilities(buttons=True, ephemeral=ephemeral))
    core.attach(adapter)
    return Harness(core, adapter, clock, timers, ChatRef("memory", "group-1", True))


@pytest.fixture
async def harness(db: Database, library: Library, tmp_path: Path) -> AsyncIterator[Harness]:
    h = make_harness(db, library, tmp_path)
    await h.adapter.start(h.core.handle)
    await h.core.start()
    yield h


class FlakyAdapter(MemoryAdapter):
    """A recording adapter whose sends fail as a test scripts them, per chat."""

    def __init__(self) -> None:
        super().__init__("memory", Capabilities(buttons=True))
        self.failures: dict[str, list[BaseException]] = {}
        self.attempts: dict[str, int] = {}

    async def send(self, chat: ChatRef, content: Content) -> SentRef:
        self.attempts[chat.chat_id] = self.attempts.get(chat.chat_id, 0) + 1
        queue = self.failures.get(chat.chat_id)
        if queue:
            raise queue.pop(0)
        return await super().send(chat, content)


def cards(adapter: MemoryAdapter, chat: ChatRef | None = None) -> list[QuestionCard]:
    return [
        s.content
        for s in adapter.sent
        if isinstance(s.content, QuestionCard) and (chat is None or s.chat == chat)
    ]


def bodies(adapter: MemoryAdapter, chat: ChatRef | None = None) -> list[str]:
    return [
        to_plain(s.content.body)
        for s in adapter.sent
        if isinstance(s.content, Text) and (chat is None or s.chat == chat)
    ]


def plain(replies: list[Content]) -> str:
    return "\n".join(to_plain(r.body) for r in replies if isinstance(r, Text))
