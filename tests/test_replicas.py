"""Several replicas on one PostgreSQL: migrations, settings, schedules, claims and the budget."""

from __future__ import annotations

import asyncio
import os
import time as time_module
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, text

from bot.clock import FakeClock, SystemClock
from bot.content.loader import Library
from bot.ops.backup import single_process
from bot.ops.startup import prepare_database
from bot.pacer import Limits, Pacer
from bot.ratebudget import SHARED_HEADROOM, SharedBudget, chat_schedule
from bot.services.daily import DailyService
from bot.services.outbox import LEASE, OutboxService
from bot.services.registry import Registry
from bot.storage.db import Database, make_engine
from bot.storage.migrate import current_revision, head_revision, upgrade
from bot.storage.tables import announcements, outbox
from bot.types import ChatRef, Content, QuestionCard, SentRef, Text, UserRef
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


# ------------------------------------------------------------------ d. claims


async def due_announcements(pair: Pair, count: int) -> list[int]:
    """count announce rows due now, unclaimed, each to its own chat."""
    now = START
    registry = Registry(pair.a)
    author = await registry.user_id(UserRef("memory", "u-1", "강사"))
    ids = [await registry.chat_id(ChatRef("memory", f"g-{n}", True), now) for n in range(count)]
    async with pair.a.write() as conn:
        aid = (
            await conn.execute(
                announcements.insert()
                .values(
                    author_id=author, origin_chat_id=ids[0], body="공지", created_at=now, due_at=now
                )
                .returning(announcements.c.id)
            )
        ).scalar_one()
        for chat_id in ids:
            await conn.execute(
                outbox.insert().values(
                    key=f"announce:{aid}:{chat_id}",
                    kind="announce",
                    chat_id=chat_id,
                    announcement_id=aid,
                    due_at=now,
                    attempts=0,
                )
            )
    return ids


async def test_replicas_claiming_at_once_split_the_rows(pair: Pair) -> None:
    await due_announcements(pair, 60)
    services = [OutboxService(pair.a, "a"), OutboxService(pair.b, "b"), OutboxService(pair.b, "c")]
    for service in services:
        await service.presence.start()  # each is a running replica
    taken = await asyncio.gather(*(s.claim_due(START, "announce", limit=25) for s in services))
    ids = [c.id for claims in taken for c in claims]
    assert len(ids) == len(set(ids)) == 60
    # Nothing is left to claim until the lease runs out; then the rows can be taken over.
    assert await services[0].claim_due(START, "announce") == []
    later = START + LEASE + timedelta(seconds=1)
    assert len(await services[1].claim_due(later, "announce")) == 60


async def test_a_dead_replicas_claims_are_taken_at_once_a_live_ones_after_the_lease(
    pair: Pair,
) -> None:
    if pair.engine == "sqlite":
        pytest.skip("one process on SQLite: it gives back every orphan claim at start")
    await due_announcements(pair, 10)
    live = OutboxService(pair.a, "live")
    crashed = OutboxService(pair.b, "crashed")
    other = OutboxService(pair.b, "other")
    for service in (live, crashed, other):
        await service.presence.start()
    held = await live.claim_due(START, "announce", limit=4)
    assert len(held) == 4
    mine = await crashed.claim_due(START, "announce", limit=6)
    assert len(mine) == 6
    # The crashed replica's session ends (as when its process is killed) with its claims
    # still held: its lock goes with the session, and its rows are taken at once.
    await crashed.presence.stop()
    soon = START + timedelta(seconds=1)
    taken = await other.claim_due(soon, "announce")
    assert sorted(c.id for c in taken) == sorted(c.id for c in mine)
    # The live replica's claims wait for their lease, as before.
    assert await other.claim_due(soon, "announce") == []
    after_lease = await other.claim_due(START + LEASE + timedelta(milliseconds=500), "announce")
    assert sorted(c.id for c in after_lease) == sorted(c.id for c in held)


# ------------------------------------------------------------------ e. sending


async def test_a_send_cut_short_by_a_dead_process_is_counted_and_sent_again(
    pair: Pair,
) -> None:
    await due_announcements(pair, 3)
    seen: list[str] = []
    dead = OutboxService(pair.a, "dead")
    live = OutboxService(pair.b, "live", on_ambiguous=seen.append)
    await dead.presence.start()  # alive while it claims and sends; its lease decides
    claims = await dead.claim_due(START, "announce")
    await dead.mark_sending(claims[0].id, START)  # died during this platform call
    await dead.mark_sending(claims[1].id, START)
    await dead.mark_sent(claims[1].id, START, SentRef(ChatRef("memory", "g-1", True), "m-7"))
    later = START + LEASE + timedelta(seconds=1)
    again = await live.claim_due(later, "announce")
    assert sorted(c.id for c in again) == sorted([claims[0].id, claims[2].id])
    assert seen == ["announce"]  # only the row that was mid-send when its process died
    async with pair.b.read() as conn:
        row = (await conn.execute(select(outbox).where(outbox.c.id == claims[1].id))).one()
    assert (row.message_ref, row.sending_at) == ("m-7", None) and row.sent_at is not None


# ------------------------------------------------------------------ f. one budget per token


def busiest_second(stamps: list[float]) -> int:
    """The most sends in any one-second window (closed at both ends: the strict reading)."""
    stamps = sorted(stamps)
    best, lo = 0, 0
    for hi, t in enumerate(stamps):
        while t - stamps[lo] > 1.0:
            lo += 1
        best = max(best, hi - lo + 1)
    return best


async def test_three_pacers_on_one_database_stay_under_30_a_second(schema: str) -> None:
    setup = replica_db(schema)
    await upgrade(setup)
    await setup.dispose()
    stamps: list[float] = []

    async def record(chat: ChatRef, content: Content) -> SentRef:
        stamps.append(time_module.monotonic())
        return SentRef(chat, str(len(stamps)))

    async def nobody_gone(chat: ChatRef, reason: str) -> None:
        raise AssertionError(f"{chat} gone: {reason}")

    dbs = [replica_db(schema) for _ in range(3)]
    pacers = [Pacer(record, SystemClock(), nobody_gone, budget=SharedBudget(db)) for db in dbs]
    try:
        # Each replica fans out 40 messages at once (private chats: no per-group window).
        await asyncio.gather(
            *(
                pacer.send(ChatRef("telegram", f"{n}-{i}", False), Text("hi"))
                for n, pacer in enumerate(pacers)
                for i in range(40)
            )
        )
    finally:
        for db in dbs:
            await db.dispose()
    assert len(stamps) == 120
    busiest = busiest_second(stamps)
    span = max(stamps) - min(stamps)
    print(f"3 pacers, 120 sends: busiest second {busiest}, {120 / span:.1f}/s over {span:.2f}s")
    assert busiest <= 30
    assert span >= 3.5  # the three together went at one budget's pace, not three


def busiest_window(stamps: list[float], window: float) -> int:
    stamps = sorted(stamps)
    best, lo = 0, 0
    for hi, t in enumerate(stamps):
        while t - stamps[lo] >= window:
            lo += 1
        best = max(best, hi - lo + 1)
    return best


async def test_three_pacers_share_one_groups_window(schema: str) -> None:
    """Three replicas sending into one group together keep its per-group window (here 8 a
    second, so the test is short; Telegram's is 20 a minute, booked the same way)."""
    setup = replica_db(schema)
    await upgrade(setup)
    await setup.dispose()
    stamps: list[float] = []

    async def record(chat: ChatRef, content: Content) -> SentRef:
        stamps.append(time_module.monotonic())
        return SentRef(chat, str(len(stamps)))

    async def nobody_gone(chat: ChatRef, reason: str) -> None:
        raise AssertionError(f"{chat} gone: {reason}")

    limits = {"telegram": Limits(30.0, (8, 1.0))}
    dbs = [replica_db(schema) for _ in range(3)]
    pacers = [
        Pacer(record, SystemClock(), nobody_gone, limits=limits, budget=SharedBudget(db))
        for db in dbs
    ]
    group = ChatRef("telegram", "-100777", True)
    try:
        await asyncio.gather(
            *(
                pacer.send(group, Text(f"{n}-{i}"))
                for n, pacer in enumerate(pacers)
                for i in range(8)
            )
        )
    finally:
        for db in dbs:
            await db.dispose()
    assert len(stamps) == 24
    busiest = busiest_window(stamps, 1.0)
    print(f"3 pacers, 24 sends into one group: busiest second {busiest} (limit 8)")
    # Each process alone would let its own 8 go at once: 24 in the first second.
    assert busiest <= 8


def test_the_group_schedule_never_puts_more_than_count_in_a_window() -> None:
    # The booking rule of SharedBudget.reserve_chat, played out for a group that is sent
    # to as fast as the budget lets: no 60-second window holds more than 20.
    for count, window in ((20, 60.0), (8, 1.0), (4, 2.0)):
        interval, ahead = chat_schedule(count, window, SHARED_HEADROOM)
        due, stamps, now = 0.0, [], 0.0
        for _ in range(count * 5):
            now = max(now, due - ahead)  # the send goes when its wait is over
            due = max(due, now) + interval
            stamps.append(now)
        assert busiest_window(stamps, window) <= count
        assert busiest_window(stamps[: max(1, count // 4)], 1e-9) == max(1, count // 4)


async def test_a_429_pauses_every_replica(schema: str) -> None:
    setup = replica_db(schema)
    await upgrade(setup)
    try:
        budget = SharedBudget(setup)
        assert await budget.reserve("telegram", 30.0) < 0.05
        await budget.pause("telegram", 2.0)
        other = SharedBudget(setup)
        assert 1.8 < await other.reserve("telegram", 30.0) <= 2.1
    finally:
        await setup.dispose()


# ------------------------------------------------------------------ g. one process on SQLite


def test_a_second_bot_on_one_sqlite_file_is_refused_in_one_line(tmp_path: Path) -> None:
    from tests.ops.test_backup import cli

    data = tmp_path / "data"
    assert cli(data, "console", stdin="/start\n").returncode == 0  # makes the database
    with single_process(f"sqlite+aiosqlite:///{data / 'studybot.db'}"):  # the running bot
        refused = cli(data, "console", stdin="/start\n")
        backup = cli(data, "db", "backup", str(tmp_path))
    assert refused.returncode == 2
    lines = refused.stderr.strip().splitlines()
    assert len(lines) == 1 and "another studybot is already running" in lines[0], lines
    assert backup.returncode == 0, backup.stderr  # the db commands still work beside it
    assert cli(data, "console", stdin="/start\n").returncode == 0


# ------------------------------------------------------------------ h. deploy/


def test_the_replicas_compose_file_runs_three_bots_behind_the_proxy() -> None:
    import yaml

    deploy = Path(__file__).resolve().parent.parent / "deploy"
    compose = yaml.safe_load((deploy / "compose.replicas.yaml").read_text(encoding="utf-8"))
    bot = compose["services"]["bot"]
    assert bot["deploy"]["replicas"] == 3
    assert "postgresql+asyncpg://" in bot["environment"]["STUDYBOT_DATABASE_URL"]
    assert "STUDYBOT_TELEGRAM_WEBHOOK_SECRET" in bot["environment"]  # one secret for all
    assert "ports" not in bot  # only the proxy is published
    proxy = compose["services"]["proxy"]
    assert "443:443" in proxy["ports"]
    caddy = (deploy / "Caddyfile.replicas").read_text(encoding="utf-8")
    assert "dynamic a bot 8443" in caddy and "/telegram" in caddy
