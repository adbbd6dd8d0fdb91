"""Live contests: bad input, speed points, standings, ties, podium, stop and restart."""

from __future__ import annotations

from pathlib import Path

from bot.clock import FakeClock
from bot.content.loader import Library
from bot.services.contests import speed_points
from bot.storage.db import Database
from tests.conftest import START, Harness, bodies, cards, make_harness, plain


async def started(db: Database, library: Library, tmp_path: Path, clock: FakeClock) -> Harness:
    h = make_harness(db, library, tmp_path, clock=clock)
    await h.adapter.start(h.core.handle)
    await h.core.start()
    return h


def test_speed_points_formula() -> None:
    assert speed_points(True, 0, 20_000) == 1000
    assert speed_points(True, 10_000, 20_000) == 750
    assert speed_points(True, 20_000, 20_000) == 500
    assert speed_points(True, 99_000, 20_000) == 500
    assert speed_points(False, 1, 20_000) == 0


async def test_bad_input(harness: Harness) -> None:
    h = harness
    assert "1~50 사이" in plain(await h.command("contest", "0"))
    assert "1~50 사이" in plain(await h.command("contest", "10000"))
    assert "5~120초" in plain(await h.command("contest", "3 1"))
    assert "사용법: /대회 10" in plain(await h.command("contest", "열 문제"))
    assert "사용법: /대회 10" in plain(await h.command("contest"))
    assert "진행 중인 대회가 없어요" in plain(await h.command("contest", "stop"))
    assert cards(h.adapter) == []


async def test_contest_runs_to_a_podium_with_ties(
    db: Database, library: Library, tmp_path: Path
) -> None:
    clock = FakeClock(START)
    h = await started(db, library, tmp_path, clock)
    await h.command("contest", "3 10", who="민수")
    assert "대회를 시작해요! 3문제, 문제당 10초" in bodies(h.adapter)[0]
    assert "이미 대회가 진행 중이에요" in plain(await h.command("contest", "2", who="지영"))
    assert "대회가 진행 중이라" in plain(await h.command("quiz", who="지영"))
    for round_ in range(3):
        card = cards(h.adapter)[-1]
        assert card.header.startswith(f"대회 문제 {round_ + 1}/3") and card.open_seconds == 10
        right = card.correct[0]
        wrong = right % len(card.options) + 1
        clock.advance(2)
        await h.choose(card.post_id, right, who="민수")  # 2 s: 900 points
        await h.choose(card.post_id, right, who="지영")  # the same moment: a tie
        clock.advance(3)
        await h.choose(card.post_id, wrong, who="현우")
        await h.choose(card.post_id, right, who="민수")  # a second tap counts for nothing
        assert await h.advance(5) == 1
        assert f"정답: {'①②③④'[right - 1]}" in bodies(h.adapter)[-1 if round_ < 2 else -2]
    assert len(cards(h.adapter)) == 3
    podium = bodies(h.adapter)[-1]
    assert "🏆 대회 결과" in podium
    assert "🥇 민수 — 2700점 (정답 3개)" in podium and "🥇 지영 — 2700점 (정답 3개)" in podium
    # 현우 scored nothing: no place and no medal for zero (issue 11.15).
    assert "현우" not in podium and "🥉" not in podium
    # Contest points stay out of the chat's board.
    assert "아직 점수가 없어요" in plain(await h.command("top"))


async def test_stop_by_starter_or_instructor_only(
    db: Database, library: Library, tmp_path: Path
) -> None:
    clock = FakeClock(START)
    h = await started(db, library, tmp_path, clock)
    await h.command("contest", "5", who="민수")
    card = cards(h.adapter)[-1]
    await h.choose(card.post_id, card.correct[0], who="지영")
    refused = plain(await h.command("contest", "stop", who="지영"))
    assert "강사만 다른 사람이 시작한 대회를 멈출 수 있어요" in refused
    await h.command("contest", "stop", who="민수")
    assert "🥇 지영 — 1000점" in bodies(h.adapter)[-1]
    assert await h.advance(60) == 0  # its timer is gone
    assert len(cards(h.adapter)) == 1
    # A new contest may start once it has ended.
    await h.command("contest", "1", who="지영")
    assert len(cards(h.adapter)) == 2


async def test_restart_resumes_a_contest(db: Database, library: Library, tmp_path: Path) -> None:
    clock = FakeClock(START)
    first = await started(db, library, tmp_path, clock)
    await first.command("contest", "2 20", who="민수")
    card = cards(first.adapter)[-1]
    clock.advance(1)
    await first.choose(card.post_id, card.correct[0], who="민수")
    # The process dies; the new one starts after the first question's deadline.
    clock.advance(30)
    second = await started(db, library, tmp_path, clock)
    assert "정답:" in bodies(second.adapter)[0]
    assert len(cards(second.adapter)) == 1  # question 2 of 2, asked by the new process
    assert cards(second.adapter)[0].header.startswith("대회 문제 2/2")
    assert await second.advance(20) == 1
    assert "🥇 민수 — 975점" in bodies(second.adapter)[-1]
