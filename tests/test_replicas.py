"""Several replicas on one PostgreSQL: migrations, settings, schedules, claims and the budget."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import time
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.ops.startup import prepare_database
from bot.services.daily import DailyService
from bot.services.registry import Registry
from bot.storage.db import Database, make_engine
from bot.storage.migrate import current_revision, head_revision, upgrade
from bot.types import ChatRef
from tests.conftest import ENGINES, PG_ENV, START, drop_schema, open_database


def pg_url() -> str:
    url = os.environ.get(PG_ENV)
    if not url:
        pytest.skip(f"{PG_ENV} is not set, so this PostgreSQL test is skipped")
    return url


async def empty_schema() -> str:
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = make_engine(pg_url())
    async with admin.begin() as conn:
        await conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    await admin.dispose()
    return schema


def replica_db(schema: str) -> Database:
    return Database(pg_url(), connect_args={"server_settings": {"search_path": schema}})


@pytest.fixture
async def schema() -> AsyncIterator[str]:
    name = await empty_schema()
    try:
        yield name
    finally:
        await drop_schema(name)


# ------------------------------------------------------------------ a. migrations


@pytest.mark.parametrize("start", ["upgrade", "prepare_database"])
async def test_three_replicas_migrate_an_empty_database_together(schema: str, start: str) -> None:
    dbs = [replica_db(schema) for _ in range(3)]
    try:
        step = upgrade if start == "upgrade" else prepare_database
        results = await asyncio.gather(*(step(db) for db in dbs), return_exceptions=True)
        assert [r for r in results if isinstance(r, BaseException)] == []
        assert await current_revision(dbs[0]) == head_revision()
    finally:
        for db in dbs:
            await db.dispose()


async def test_migrating_twice_on_sqlite_still_works(tmp_path: Path) -> None:
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'one.db'}")
    try:
        await upgrade(db)
        await upgrade(db)
        assert await current_revision(db) == head_revision()
    finally:
        await db.dispose()


# ------------------------------------------------------------------ shared fixtures


@dataclass
class Pair:
    """Two replicas' databases on one migrated schema (one database twice on SQLite)."""

    a: Database
    b: Database
    engine: str


@pytest.fixture(params=ENGINES)
async def pair(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Pair]:
    a, schema = await open_database(request.param, tmp_path)
    b = a if schema is None else replica_db(schema)
    try:
        yield Pair(a, b, request.param)
    finally:
        if b is not a:
            await b.dispose()
        await a.dispose()
        if schema:
            await drop_schema(schema)


# ------------------------------------------------------------------ b. settings


async def test_settings_changed_through_two_replicas_at_once_both_stick(pair: Pair) -> None:
    now = START
    chats = [ChatRef("telegram", f"-100{i}", True) for i in range(20)]
    ids = [await Registry(pair.a).chat_id(chat, now) for chat in chats]
    a, b = DailyService(pair.a), DailyService(pair.b)
    for chat_id in ids:
        await a.update(chat_id, now, enabled=True)
    await asyncio.gather(
        *(a.update(chat_id, now, at_time=time(7, 30)) for chat_id in ids),
        *(b.update(chat_id, now, topics=("network",)) for chat_id in ids),
        *(a.update(chat_id, now, close_time=time(21, 0)) for chat_id in ids),
    )
    for chat_id in ids:
        sub = await b.get(chat_id)
        assert (sub.enabled, sub.at_time, sub.close_time, sub.topics) == (
            True,
            time(7, 30),
            time(21, 0),
            ("network",),
        )
