"""Several replicas on one PostgreSQL: migrations, settings, schedules, claims and the budget."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, time
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.clock import FakeClock
from bot.content.loader import Library
from bot.ops.startup import prepare_database
from bot.services.daily import DailyService
from bot.services.registry import Registry
from bot.storage.db import Database, make_engine
from bot.storage.migrate import current_revision, head_revision, upgrade
from bot.types import ChatRef, QuestionCard
from tests.conftest import (
    ENGINES,
    PG_ENV,
    START,
    Harness,
    bodies,
    cards,
    drop_schema,
    make_harness,
    open_database,
)


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


# ------------------------------------------------------------------ c. schedules


# 07:59 in Seoul on 2026-11-26.
BEFORE_EIGHT = datetime(2026, 11, 25, 22, 59, tzinfo=UTC)


async def replica(db: Database, library: Library, path: Path, clock: FakeClock) -> Harness:
    h = make_harness(db, library, path, clock=clock)
    await h.adapter.start(h.core.handle)
    await h.core.start()
    return h


def group(n: int) -> ChatRef:
    return ChatRef("memory", f"group-{n}", True)


def daily_cards(*hs: Harness) -> list[str]:
    return sorted(
        s.chat.chat_id for h in hs for s in h.adapter.sent if isinstance(s.content, QuestionCard)
    )


async def test_a_subscription_made_through_a_is_scheduled_on_b(
    pair: Pair, library: Library, tmp_path: Path
) -> None:
    clock = FakeClock(BEFORE_EIGHT)
    a = await replica(pair.a, library, tmp_path, clock)
    b = await replica(pair.b, library, tmp_path, clock)
    for n in (1, 2, 3):
        await a.command("daily", "on", who="관리자", chat=group(n), admin=True)
    await b.core.sweep()
    a.timers.jobs.clear()  # A dies before the slot
    clock.advance(60)
    assert await b.timers.run_due(clock.now()) >= 3
    assert daily_cards(a, b) == ["group-1", "group-2", "group-3"]


async def test_both_replicas_fire_and_each_group_gets_one_post(
    pair: Pair, library: Library, tmp_path: Path
) -> None:
    clock = FakeClock(BEFORE_EIGHT)
    a = await replica(pair.a, library, tmp_path, clock)
    b = await replica(pair.b, library, tmp_path, clock)
    groups = [group(n) for n in range(1, 11)]
    for chat in groups:
        await a.command("daily", "on", who="관리자", chat=chat, admin=True)
    await b.core.sweep()
    clock.advance(60)
    await asyncio.gather(a.timers.run_due(clock.now()), b.timers.run_due(clock.now()))
    assert daily_cards(a, b) == sorted(chat.chat_id for chat in groups)


async def test_a_time_change_through_a_moves_the_post_on_b(
    pair: Pair, library: Library, tmp_path: Path
) -> None:
    clock = FakeClock(BEFORE_EIGHT)
    a = await replica(pair.a, library, tmp_path, clock)
    b = await replica(pair.b, library, tmp_path, clock)
    await a.command("daily", "on", who="관리자", chat=group(1), admin=True)
    await b.core.sweep()
    # Through A: 09:30 instead of 08:00. B's timer still says 08:00 until its sweep.
    await a.command("daily", "time 09:30", who="관리자", chat=group(1), admin=True)
    a.timers.jobs.clear()  # only B is left
    clock.advance(60)  # 08:00: B's stale timer fires and must not post
    await b.timers.run_due(clock.now())
    assert daily_cards(a, b) == []
    await b.core.sweep()  # B picks up 09:30
    clock.advance(89 * 60)  # 09:29
    await b.timers.run_due(clock.now())
    assert daily_cards(a, b) == []
    clock.advance(60)
    await b.timers.run_due(clock.now())
    assert daily_cards(a, b) == ["group-1"]


async def test_turned_off_through_a_disarms_b(pair: Pair, library: Library, tmp_path: Path) -> None:
    clock = FakeClock(BEFORE_EIGHT)
    a = await replica(pair.a, library, tmp_path, clock)
    b = await replica(pair.b, library, tmp_path, clock)
    await a.command("daily", "on", who="관리자", chat=group(1), admin=True)
    await b.core.sweep()
    assert list(b.core.runners.daily.armed) == [1]
    await a.command("daily", "off", who="관리자", chat=group(1), admin=True)
    await b.core.sweep()
    assert b.core.runners.daily.armed == {}
    clock.advance(120)
    await b.timers.run_due(clock.now())
    assert daily_cards(a, b) == []


async def test_a_slot_whose_replica_died_is_sent_by_the_next_sweep(
    pair: Pair, library: Library, tmp_path: Path
) -> None:
    clock = FakeClock(BEFORE_EIGHT)
    a = await replica(pair.a, library, tmp_path, clock)
    await a.command("daily", "on", who="관리자", chat=group(1), admin=True)
    a.timers.jobs.clear()  # A dies; B starts only after the slot (within the grace)
    clock.advance(120)
    b = make_harness(pair.b, library, tmp_path, clock=clock)
    await b.adapter.start(b.core.handle)
    await b.core.sweep()
    assert daily_cards(a, b) == ["group-1"]
    await b.core.sweep()
    assert daily_cards(a, b) == ["group-1"]


async def test_a_quiz_asked_through_a_closes_on_time_with_a_dead(
    pair: Pair, library: Library, tmp_path: Path
) -> None:
    clock = FakeClock(START)
    a = await replica(pair.a, library, tmp_path, clock)
    b = await replica(pair.b, library, tmp_path, clock)
    await a.command("quiz")
    a.timers.jobs.clear()
    await b.core.sweep()
    assert await b.advance(600) == 1
    assert any("정답" in body for body in bodies(b.adapter))


async def test_a_contest_goes_on_when_its_replica_dies(
    pair: Pair, library: Library, tmp_path: Path
) -> None:
    clock = FakeClock(START)
    a = await replica(pair.a, library, tmp_path, clock)
    b = await replica(pair.b, library, tmp_path, clock)
    await a.command("contest", "2 20", who="민수")
    a.timers.jobs.clear()  # A dies with the deadline's timer
    clock.advance(21)
    # Both live sweeps (B twice, at once) see the deadline; one reveals and asks question 2.
    await asyncio.gather(b.core.sweep(), b.core.sweep())
    second = [c for c in cards(b.adapter) if c.header.startswith("대회 문제 2/2")]
    assert len(second) == 1
    assert sum("정답:" in body for body in bodies(b.adapter)) == 1


async def test_a_contest_step_is_taken_once_by_concurrent_replicas(
    pair: Pair, library: Library, tmp_path: Path
) -> None:
    clock = FakeClock(START)
    a = await replica(pair.a, library, tmp_path, clock)
    b = await replica(pair.b, library, tmp_path, clock)
    await a.command("contest", "3 20", who="민수")
    contest = (await a.core.rt.services.contests.running())[0]
    post_id = (await a.core.rt.services.contests.open_post(contest.id) or (0, None))[0]
    # The question closes, and the process that closed it dies before asking the next.
    await a.core.rt.services.quiz.close(post_id, clock.now())
    a.timers.jobs.clear()
    clock.advance(60)
    await asyncio.gather(a.core.sweep(), b.core.sweep(), b.core.sweep())
    asked = [c.header for c in cards(a.adapter) + cards(b.adapter)]
    assert sum(h.startswith("대회 문제 2/3") for h in asked) == 1
    assert (await a.core.rt.services.contests.get(contest.id)).asked == 2  # type: ignore[union-attr]
