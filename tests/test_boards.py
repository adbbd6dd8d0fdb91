"""Period leaderboards (local calendar, Monday weeks) and daily streaks."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from bot.clock import FakeClock
from bot.content.loader import Library
from bot.handlers.scores import period_bounds
from bot.storage.db import Database
from bot.types import Leaderboard
from tests.conftest import Harness, cards, make_harness, plain


def test_period_bounds_use_local_calendar() -> None:
    from zoneinfo import ZoneInfo

    seoul = ZoneInfo("Asia/Seoul")
    # Thursday 2026-11-26 00:30 in Seoul is still Wednesday in UTC.
    now = datetime(2026, 11, 25, 15, 30, tzinfo=UTC)
    start, end = period_bounds("today", now, seoul)
    assert (start, end) == (
        datetime(2026, 11, 25, 15, 0, tzinfo=UTC),
        datetime(2026, 11, 26, 15, 0, tzinfo=UTC),
    )
    start, end = period_bounds("week", now, seoul)
    assert start == datetime(2026, 11, 22, 15, 0, tzinfo=UTC)  # Monday 00:00 Seoul
    assert end == datetime(2026, 11, 29, 15, 0, tzinfo=UTC)
    start, end = period_bounds("month", now, seoul)
    assert start == datetime(2026, 10, 31, 15, 0, tzinfo=UTC)
    assert end == datetime(2026, 11, 30, 15, 0, tzinfo=UTC)


async def answer_quiz(h: Harness, correct: dict[str, bool]) -> None:
    await h.command("quiz", who="출제자")
    card = cards(h.adapter)[-1]
    for name, right in correct.items():
        option = card.correct[0] if right else card.correct[0] % len(card.options) + 1
        await h.choose(card.post_id, option, who=name)
    await h.command("reveal", who="출제자")


async def test_periods_and_bad_period(db: Database, library: Library, tmp_path: Path) -> None:
    clock = FakeClock(datetime(2026, 11, 23, 1, 0, tzinfo=UTC))  # Monday 10:00 Seoul
    h = make_harness(db, library, tmp_path, clock=clock)
    await h.adapter.start(h.core.handle)
    await answer_quiz(h, {"민수": True, "지영": True})
    clock.set(datetime(2026, 11, 26, 1, 0, tzinfo=UTC))  # Thursday
    await answer_quiz(h, {"지영": True, "민수": False})
    today = (await h.command("top", "today", who="민수"))[0]
    assert isinstance(today, Leaderboard) and today.title == "오늘의 순위"
    # 민수 has no points today: zero scores are not ranked (issue 11.15).
    assert [(r.name, r.points) for r in today.rows] == [("지영", 10)]
    week = (await h.command("top", "이번주", who="민수"))[0]
    assert [(r.rank, r.name, r.points) for r in week.rows] == [(1, "지영", 20), (2, "민수", 10)]
    clock.set(datetime(2026, 11, 30, 1, 0, tzinfo=UTC))  # the next Monday
    assert "아직 점수가 없어요" in plain(await h.command("top", "week"))
    month = (await h.command("top", "month"))[0]
    assert [(r.name, r.points) for r in month.rows] == [("지영", 20), ("민수", 10)]
    assert "사용법: /순위" in plain(await h.command("top", "yesterday"))


async def test_streaks_show_but_do_not_rank(db: Database, library: Library, tmp_path: Path) -> None:
    clock = FakeClock(datetime(2026, 11, 22, 22, 59, tzinfo=UTC))
    h = make_harness(db, library, tmp_path, clock=clock)
    await h.adapter.start(h.core.handle)
    await h.core.start()
    await h.command("daily", "on", who="관리자", admin=True)
    # 지영 is right three days running; 민수 misses a day but answers more /quiz questions.
    for day, minsu_right in enumerate((True, False, True)):
        clock.set(datetime(2026, 11, 22 + day, 23, 0, tzinfo=UTC))
        await h.timers.run_due(clock.now())
        card = cards(h.adapter)[-1]
        await h.choose(card.post_id, card.correct[0], who="지영")
        wrong = card.correct[0] % len(card.options) + 1
        await h.choose(card.post_id, card.correct[0] if minsu_right else wrong, who="민수")
        clock.set(datetime(2026, 11, 23 + day, 14, 0, tzinfo=UTC))
        await h.timers.run_due(clock.now())
    await answer_quiz(h, {"민수": True})
    await answer_quiz(h, {"민수": True})
    board = (await h.command("top", who="민수"))[0]
    assert isinstance(board, Leaderboard)
    assert [(r.rank, r.name, r.points) for r in board.rows] == [(1, "민수", 40), (2, "지영", 30)]
    assert "지영 — 30점 🔥3일 연속" in board.fallback
    me = plain(await h.command("me", who="지영"))
    assert "매일 문제 연속 정답 3일" in me
    assert "매일 문제 연속 정답 1일" in plain(await h.command("me", who="민수"))
