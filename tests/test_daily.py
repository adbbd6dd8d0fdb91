"""The daily question: settings, exactly-once delivery, restarts, two processes, grace, limits."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from bot.clock import FakeClock
from bot.content.loader import Library
from bot.errors import ChatGone, RateLimited
from bot.storage.db import Database
from bot.storage.tables import chats, daily_subscriptions, outbox
from bot.types import ChatRef
from tests.conftest import FlakyAdapter, Harness, bodies, cards, make_harness, plain

# 07:59 in Seoul on 2026-11-26.
BEFORE_EIGHT = datetime(2026, 11, 25, 22, 59, tzinfo=UTC)


async def started(
    db: Database,
    library: Library,
    tmp_path: Path,
    clock: FakeClock,
    adapter: FlakyAdapter | None = None,
) -> Harness:
    h = make_harness(db, library, tmp_path, clock=clock, adapter=adapter or FlakyAdapter())
    await h.adapter.start(h.core.handle)
    await h.core.start()
    return h


def group(n: int) -> ChatRef:
    return ChatRef("memory", f"group-{n}", True)


async def subscribe(h: Harness, *chats_: ChatRef) -> None:
    for chat in chats_:
        await h.command("daily", "on", who="관리자", chat=chat, admin=True)


async def test_settings_and_refusals(db: Database, library: Library, tmp_path: Path) -> None:
    h = await started(db, library, tmp_path, FakeClock(BEFORE_EIGHT))
    shown = plain(await h.command("daily"))
    assert "매일 문제: 꺼짐 · 08:00 (Asia/Seoul) · 마감 23:00 · 주제: 전체" in shown
    refused = plain(await h.command("daily", "on", who="학생"))
    assert "강사만 매일 문제 설정을 바꿀 수 있어요" in refused and "/강사 추가" in refused
    assert "매일 문제를 켰어요" in plain(await h.command("daily", "on", who="관리자", admin=True))
    bad = plain(await h.command("daily", "time 25:61", who="관리자", admin=True))
    assert "올바른 시각이 아니에요: 25:61" in bad
    assert "08:00" in plain(await h.command("daily"))  # nothing changed
    unknown = plain(await h.command("daily", "topics 양자컴퓨터", who="관리자", admin=True))
    assert "모르는 주제예요: 양자컴퓨터" in unknown and "하이퍼바이저" in unknown
    saved = plain(await h.command("daily", "topics 하이퍼바이저, 보안", who="관리자", admin=True))
    assert "주제: 하이퍼바이저, 보안" in saved
    assert "08:30" in plain(await h.command("daily", "time 8:30", who="관리자", admin=True))
    assert "모르는 시간대예요" in plain(await h.command("daily", "tz Mars/Base", admin=True))
    assert "사용법: /매일문제 켜기" in plain(await h.command("daily", "sometimes"))


async def test_one_question_a_day_past_exams_first(
    db: Database, library: Library, tmp_path: Path
) -> None:
    clock = FakeClock(BEFORE_EIGHT)
    h = await started(db, library, tmp_path, clock)
    await subscribe(h, h.chat)
    assert cards(h.adapter) == []
    assert await h.advance(60) == 1  # 08:00 Seoul
    first = cards(h.adapter)
    assert len(first) == 1 and first[0].header.startswith("오늘의 문제")
    assert "기출" in first[0].header  # 기출 come first
    assert await h.advance(3600) == 0
    await h.core.sweep()
    assert len(cards(h.adapter)) == 1
    # Members answer; the post closes at 23:00 with the reveal.
    post = first[0]
    await h.choose(post.post_id, post.correct[0], who="민수")
    await h.choose(post.post_id, post.correct[0] % 4 + 1, who="지영")
    clock.set(datetime(2026, 11, 26, 14, 0, tzinfo=UTC))  # 23:00 Seoul
    await h.timers.run_due(clock.now())
    reveal = bodies(h.adapter)[-1]
    assert "참여 2명 · 정답률 50%" in reveal and "가장 먼저 맞힌 사람: 민수" in reveal
    # The next day brings a different question.
    clock.set(datetime(2026, 11, 26, 23, 0, tzinfo=UTC))
    await h.timers.run_due(clock.now())
    second = cards(h.adapter)
    assert len(second) == 2 and second[1].stem != second[0].stem
    assert "기출" in second[1].header


async def test_restart_mid_fan_out_no_duplicate_no_gap(
    db: Database, library: Library, tmp_path: Path
) -> None:
    clock = FakeClock(BEFORE_EIGHT)
    groups = [group(i) for i in range(1, 6)]
    crashing = FlakyAdapter()
    first = await started(db, library, tmp_path, clock, crashing)
    await subscribe(first, *groups)
    # The process dies while sending to the third group.
    crashing.failures["group-3"] = [KeyboardInterrupt()]
    clock.advance(60)
    try:
        await first.timers.run_due(clock.now())
    except KeyboardInterrupt:
        pass
    delivered_before = {s.chat.chat_id for s in crashing.sent if s.content in cards(crashing)}
    assert delivered_before == {"group-1", "group-2"}
    # A new process starts three minutes later (the dead claim's lease has run out).
    clock.advance(180)
    second = await started(db, library, tmp_path, clock)
    delivered_after = [
        s.chat.chat_id for s in second.adapter.sent if s.content in cards(second.adapter)
    ]
    assert sorted(delivered_after) == ["group-3", "group-4", "group-5"]
    async with db.read() as conn:
        rows = (await conn.execute(select(outbox.c.key, outbox.c.sent_at))).all()
    assert len(rows) == 5 and all(r.sent_at is not None for r in rows)


async def test_two_processes_one_database(db: Database, library: Library, tmp_path: Path) -> None:
    clock = FakeClock(BEFORE_EIGHT)
    groups = [group(i) for i in range(1, 4)]
    a = await started(db, library, tmp_path, clock)
    await subscribe(a, *groups)
    b = await started(db, library, tmp_path, clock)
    clock.advance(60)
    await a.timers.run_due(clock.now())
    await b.timers.run_due(clock.now())
    await b.core.sweep()
    sent = a.adapter.sent + b.adapter.sent
    per_chat = [s.chat.chat_id for s in sent if s.content in cards(a.adapter) + cards(b.adapter)]
    assert sorted(per_chat) == ["group-1", "group-2", "group-3"]


async def test_missed_slot_caught_up_within_grace_only(
    db: Database, library: Library, tmp_path: Path
) -> None:
    clock = FakeClock(BEFORE_EIGHT)
    h = await started(db, library, tmp_path, clock)
    await subscribe(h, h.chat)
    # Down over 08:00; back at 08:40 — within the hour of grace.
    clock.advance(41 * 60)
    late = await started(db, library, tmp_path, clock)
    assert len(cards(late.adapter)) == 1
    again = await started(db, library, tmp_path, clock)
    assert cards(again.adapter) == []  # never twice
    # The next day the bot is down until 09:30: that day is skipped, not posted late.
    clock.set(datetime(2026, 11, 27, 0, 30, tzinfo=UTC))
    tardy = await started(db, library, tmp_path, clock)
    assert cards(tardy.adapter) == []
    # ...and it is armed for the day after.
    assert any(k.startswith("daily-") for k in tardy.timers.jobs)


async def test_gone_chat_is_unsubscribed_not_retried(
    db: Database, library: Library, tmp_path: Path
) -> None:
    clock = FakeClock(BEFORE_EIGHT)
    adapter = FlakyAdapter()
    h = await started(db, library, tmp_path, clock, adapter)
    await subscribe(h, group(1), group(2))
    adapter.failures["group-1"] = [ChatGone("403 Forbidden: bot was kicked")]
    before = adapter.attempts["group-1"]  # the reply to /daily on
    await h.advance(60)
    assert adapter.attempts["group-1"] == before + 1
    assert [s.chat.chat_id for s in adapter.sent if s.content in cards(adapter)] == ["group-2"]
    async with db.read() as conn:
        gone = (
            await conn.execute(select(chats.c.gone_at).where(chats.c.chat_key == "group-1"))
        ).scalar_one()
        enabled = (
            await conn.execute(
                select(daily_subscriptions.c.enabled)
                .select_from(daily_subscriptions.join(chats))
                .where(chats.c.chat_key == "group-1")
            )
        ).scalar_one()
    assert gone is not None and enabled is False
    clock.advance(timedelta(days=1).total_seconds())
    await h.timers.run_due(clock.now())
    await h.core.sweep()
    assert adapter.attempts["group-1"] == before + 1


async def test_rate_limit_is_waited_out(db: Database, library: Library, tmp_path: Path) -> None:
    clock = FakeClock(BEFORE_EIGHT)
    adapter = FlakyAdapter()
    h = await started(db, library, tmp_path, clock, adapter)
    await subscribe(h, h.chat)
    adapter.failures[h.chat.chat_id] = [RateLimited(7)]
    await h.advance(60)
    assert len(cards(adapter)) == 1
    assert h.core.rt.pacer.stats.rate_limited == 1
    assert h.core.rt.pacer.stats.waited_on_429 == 7
    assert clock.slept >= 7
