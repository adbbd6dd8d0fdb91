"""Instructors and announcements: permissions per chat, now, scheduled, once, across restarts."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select

from bot.clock import FakeClock
from bot.content.loader import Library
from bot.storage.db import Database
from bot.storage.tables import outbox
from bot.types import ChatRef
from tests.conftest import START, Harness, bodies, make_harness, plain

A = ChatRef("memory", "group-a", True)
B = ChatRef("memory", "group-b", True)


async def started(db: Database, library: Library, tmp_path: Path, clock: FakeClock) -> Harness:
    h = make_harness(db, library, tmp_path, clock=clock)
    await h.adapter.start(h.core.handle)
    await h.core.start()
    return h


def announcements_in(h: Harness, chat: ChatRef) -> list[str]:
    return [b for b in bodies(h.adapter, chat) if b.startswith("📢 공지")]


async def test_instructor_commands_and_permissions(harness: Harness) -> None:
    h = harness
    assert "아직 강사가 없어요" in plain(await h.command("instructor", chat=A))
    refused = plain(await h.command("instructor", "add", who="학생", chat=A, mentions=("지영",)))
    assert "그룹 관리자만" in refused
    who = plain(await h.command("instructor", "add", who="관리자", chat=A, admin=True))
    assert "누구를 지정할지" in who
    await h.command("start", who="지영", chat=A)  # only someone who has spoken can be named
    added = await h.command(
        "instructor", "add @지영", who="관리자", chat=A, admin=True, mentions=("지영",)
    )
    assert "지영 님을 강사로 지정했어요" in plain(added)
    again = await h.command(
        "instructor", "add", who="관리자", chat=A, admin=True, mentions=("지영",)
    )
    assert "이미 강사예요" in plain(again)
    listing = plain(await h.command("instructor", chat=A))
    assert "지영" in listing and "관리자 (관리자)" in listing
    # An instructor of A is a member in B.
    assert "매일 문제를 켰어요" in plain(await h.command("daily", "on", who="지영", chat=A))
    assert "강사만" in plain(await h.command("daily", "on", who="지영", chat=B))
    assert "강사만 공지를 보낼 수 있어요" in plain(
        await h.command("announce", "안녕", who="지영", chat=B)
    )
    removed = await h.command(
        "instructor", "remove", who="관리자", chat=A, admin=True, mentions=("지영",)
    )
    assert "강사 지정을 해제했어요" in plain(removed)
    assert "강사만" in plain(await h.command("daily", "off", who="지영", chat=A))
    assert "사용법: /강사" in plain(await h.command("instructor", "promote", chat=A))


async def test_announce_now_and_bad_input(harness: Harness) -> None:
    h = harness
    await h.command("instructor", "add", who="관리자", chat=A, admin=True, mentions=("지영",))
    assert "공지 내용을 적어 주세요" in plain(await h.command("announce", "", who="지영", chat=A))
    past = plain(await h.command("announce", "2020-01-01 09:00 옛날 공지", who="지영", chat=A))
    assert "이미 지난 시각이에요" in past
    bad = plain(await h.command("announce", "2026-13-45 09:00 공지", who="지영", chat=A))
    assert "날짜나 시각이 올바르지 않아요" in bad
    bad_time = plain(await h.command("announce", "2026-12-01 25:61 공지", who="지영", chat=A))
    assert "날짜나 시각이 올바르지 않아요" in bad_time
    empty = plain(await h.command("announce", "2026-12-01 09:00", who="지영", chat=A))
    assert "공지 내용을 적어 주세요" in empty
    assert "너무 길어요" in plain(await h.command("announce", "가" * 4000, who="지영", chat=A))
    assert announcements_in(h, A) == []
    sent = plain(await h.command("announce", "내일 **모의고사** 있어요", who="지영", chat=A))
    assert "공지를 보냈어요 (방 1곳)" in sent
    notices = announcements_in(h, A)
    assert notices == ["📢 공지\n내일 **모의고사** 있어요\n\n— 지영"]


async def test_scheduled_once_across_restart_and_cancel(
    db: Database, library: Library, tmp_path: Path
) -> None:
    clock = FakeClock(START)  # 2026-11-26 09:00 in Seoul
    h = await started(db, library, tmp_path, clock)
    await h.command("instructor", "add", who="관리자", chat=A, admin=True, mentions=("지영",))
    reply = plain(
        await h.command("announce", "2026-12-01 09:00 12월 스터디 시작", who="지영", chat=A)
    )
    assert "공지 #1 예약 완료: 2026-12-01 09:00" in reply
    await h.command("announce", "2026-12-02 09:00 취소될 공지", who="지영", chat=A)
    listing = plain(await h.command("announce", "list", who="지영", chat=A))
    assert "#1 · 12-01 09:00 · 방 1곳 · 12월 스터디 시작" in listing and "#2" in listing
    # Another chat's instructor cannot touch it.
    await h.command("instructor", "add", who="관리자B", chat=B, admin=True, mentions=("현우",))
    denied = plain(await h.command("announce", "cancel 2", who="현우", chat=B))
    assert "이 방에서 예약한 공지 #2는 없어요" in denied
    assert "공지 #2를 취소했어요" in plain(
        await h.command("announce", "cancel 2", who="지영", chat=A)
    )
    # The process restarts before the due time; the new one delivers exactly once.
    clock.set(datetime(2026, 12, 1, 0, 0, tzinfo=UTC))
    second = await started(db, library, tmp_path, clock)
    assert announcements_in(second, A) == ["📢 공지\n12월 스터디 시작\n\n— 지영"]
    third = await started(db, library, tmp_path, clock)
    await third.timers.run_due(clock.now())
    await third.core.sweep()
    assert announcements_in(third, A) == []
    assert "공지 #1은 이미 보냈거나 취소됐어요" in plain(
        await third.command("announce", "cancel 1", who="지영", chat=A)
    )
    async with db.read() as conn:
        sent = (
            await conn.execute(
                select(func.count()).select_from(outbox).where(outbox.c.sent_at.is_not(None))
            )
        ).scalar_one()
    assert sent == 1


async def test_announce_to_every_chat_one_instructs(harness: Harness) -> None:
    h = harness
    c = ChatRef("memory", "group-c", True)
    for chat in (A, B):
        await h.command(
            "instructor", "add", who="관리자", chat=chat, admin=True, mentions=("지영",)
        )
    await h.command("start", who="지영", chat=c)  # a chat she does not instruct
    reply = plain(await h.command("announce", "all 이번 주 모의고사 안내", who="지영", chat=A))
    assert "공지를 보냈어요 (방 2곳)" in reply
    assert len(announcements_in(h, A)) == 1 and len(announcements_in(h, B)) == 1
    assert announcements_in(h, c) == []
