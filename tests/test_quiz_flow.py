"""The quiz through the core: post, answers, refusals, reveal and the board."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from bot.content.loader import Library
from bot.markup import to_plain
from bot.storage.db import Database
from bot.storage.tables import answers, scores
from bot.types import Leaderboard, QuestionCard, Text
from tests.conftest import Harness, make_harness


def last_card(h: Harness) -> QuestionCard:
    cards = [s.content for s in h.adapter.sent if isinstance(s.content, QuestionCard)]
    assert cards, "no question was posted"
    return cards[-1]


def texts(contents: list) -> str:
    return "\n".join(to_plain(c.body) for c in contents if isinstance(c, Text))


def wrong_option(card: QuestionCard) -> int:
    return next(i for i in range(1, len(card.options) + 1) if i not in card.correct)


async def answer_count(db: Database) -> int:
    async with db.read() as conn:
        return (await conn.execute(select(func.count()).select_from(answers))).scalar_one()


async def test_post_answer_reveal_and_board(harness: Harness) -> None:
    h = harness
    assert await h.command("quiz") == []
    card = last_card(h)
    assert card.fallback.count("①") == 1 and card.closes_at is not None
    right, wrong = card.correct[0], wrong_option(card)

    h.clock.advance(5)
    assert "민수 님의 답을 받았어요" in texts(await h.choose(card.post_id, right, who="민수"))
    h.clock.advance(3)
    assert "지영 님의 답을 받았어요" in texts(await h.choose(card.post_id, wrong, who="지영"))

    await h.command("reveal", who="민수")
    reveal = to_plain(h.adapter.sent[-1].content.body)
    assert f"마감! 문제 #{card.post_id}" in reveal
    assert "정답:" in reveal and "해설:" in reveal
    assert "참여 2명 · 정답률 50%" in reveal
    assert "가장 먼저 맞힌 사람: 민수" in reveal

    board = (await h.command("top", who="지영"))[0]
    assert isinstance(board, Leaderboard)
    # 지영 has no points, so she is neither ranked nor counted (issue 11.15).
    assert [(r.rank, r.name, r.points) for r in board.rows] == [(1, "민수", 10)]
    assert board.caller is None
    me = texts(await h.command("me", who="민수"))
    assert "점수 10점 · 1위 / 1명" in me and "정답률 100%" in me


async def test_second_answer_counts_once(harness: Harness) -> None:
    h = harness
    await h.command("quiz")
    card = last_card(h)
    wrong = wrong_option(card)
    await h.choose(card.post_id, wrong, who="민수")
    reply = texts(await h.choose(card.post_id, card.correct[0], who="민수"))
    assert f"이미 이 문제에 {wrong}번으로 답했어요" in reply
    assert await answer_count(h.core.rt.db) == 1
    await h.command("reveal")  # totals count closed questions only (issue 11.4)
    async with h.core.rt.db.read() as conn:
        row = (await conn.execute(select(scores.c.points, scores.c.answered))).one()
    assert tuple(row) == (0, 1)


async def test_refusals_change_nothing(harness: Harness) -> None:
    h = harness
    await h.command("quiz")
    card = last_card(h)
    assert "1번부터 4번까지" in texts(await h.choose(card.post_id, 9))
    assert "1번부터 4번까지" in texts(await h.choose(card.post_id, 0))
    other = h.chat.__class__("memory", "group-2", True)
    assert "다른 방의 문제" in texts(await h.choose(card.post_id, 1, chat=other))
    assert "찾을 수 없는 문제" in texts(await h.choose(card.post_id + 999, 1))
    assert await answer_count(h.core.rt.db) == 0
    await h.command("reveal")
    assert "이미 마감됐어요" in texts(await h.choose(card.post_id, card.correct[0], who="늦은이"))
    assert await answer_count(h.core.rt.db) == 0


async def test_timer_closes_the_post(harness: Harness) -> None:
    h = harness
    await h.command("quiz")
    card = last_card(h)
    await h.choose(card.post_id, card.correct[0], who="민수")
    assert await h.advance(599) == 0
    assert await h.advance(1) == 1
    assert "마감!" in to_plain(h.adapter.sent[-1].content.body)
    # An answer arriving after the deadline is refused even before a reveal runs.
    assert "이미 마감됐어요" in texts(await h.choose(card.post_id, 1, who="지영"))


async def test_closed_by_deadline_before_timer_fires(harness: Harness) -> None:
    h = harness
    await h.command("quiz")
    card = last_card(h)
    h.clock.advance(601)  # the timer has not run yet
    assert "이미 마감됐어요" in texts(await h.choose(card.post_id, 1, who="지영"))
    assert await answer_count(h.core.rt.db) == 0


async def test_restart_reveals_overdue_posts(
    db: Database, library: Library, tmp_path: Path
) -> None:
    first = make_harness(db, library, tmp_path)
    await first.adapter.start(first.core.handle)
    await first.core.start()
    await first.command("quiz")
    card = last_card(first)
    await first.choose(card.post_id, card.correct[0], who="민수")
    # The process dies; a new one starts after the deadline.
    first.clock.advance(3600)
    second = make_harness(db, library, tmp_path, clock=first.clock)
    await second.adapter.start(second.core.handle)
    await second.core.start()
    reveal = to_plain(second.adapter.sent[-1].content.body)
    assert f"마감! 문제 #{card.post_id}" in reveal and "참여 1명" in reveal
    # Starting again does not reveal twice.
    third = make_harness(db, library, tmp_path, clock=first.clock)
    await third.core.start()
    assert third.adapter.sent == []


async def test_restart_rearms_open_posts(db: Database, library: Library, tmp_path: Path) -> None:
    first = make_harness(db, library, tmp_path)
    await first.adapter.start(first.core.handle)
    await first.command("quiz")
    card = last_card(first)
    second = make_harness(db, library, tmp_path, clock=first.clock)
    await second.core.start()
    assert f"close-post-{card.post_id}" in second.timers.jobs
    assert await second.advance(600) == 1


async def test_one_open_quiz_at_a_time(harness: Harness) -> None:
    h = harness
    await h.command("quiz")
    card = last_card(h)
    reply = texts(await h.command("quiz", who="지영"))
    assert f"아직 마감되지 않은 문제(#{card.post_id})" in reply
    assert len([s for s in h.adapter.sent if isinstance(s.content, QuestionCard)]) == 1


async def test_only_asker_or_admin_reveals(harness: Harness) -> None:
    h = harness
    await h.command("quiz", who="민수")
    reply = texts(await h.command("reveal", who="지영"))
    assert "문제를 낸 사람이나 강사만" in reply and "09:10" in reply
    await h.command("reveal", who="관리자", admin=True)
    assert "마감!" in to_plain(h.adapter.sent[-1].content.body)
    assert "마감할 열린 문제가 없어요" in texts(await h.command("reveal"))


async def test_bare_number_and_answer_command(harness: Harness) -> None:
    h = harness
    assert await h.say("3") == []  # no open question: ordinary chat stays quiet
    assert "지금 열린 문제가 없어요" in texts(await h.command("answer", "3"))
    await h.command("quiz")
    assert "민수 님의 답을 받았어요" in texts(await h.say("②"))
    assert "지영 님의 답을 받았어요" in texts(await h.command("answer", "4번", who="지영"))
    assert await h.say("안녕하세요 3번 문제 어렵네요") == []
    assert "답할 번호를 적어 주세요" in texts(await h.command("answer", "셋"))
    assert await answer_count(h.core.rt.db) == 2


async def test_quiz_on_a_term(harness: Harness) -> None:
    h = harness
    await h.command("quiz", "하이퍼바이저")
    card = last_card(h)
    question = h.core.rt.library.questions[
        next(q for q in h.core.rt.library.questions.values() if q.stem == card.stem).id
    ]
    assert "hypervisor" in question.terms
    await h.command("reveal")
    assert "찾지 못했어요" in texts(await h.command("quiz", "쀍쀍쀍쀍"))


async def test_ephemeral_adapter_gets_result_and_explanation(
    db: Database, library: Library, tmp_path: Path
) -> None:
    h = make_harness(db, library, tmp_path, ephemeral=True)
    await h.adapter.start(h.core.handle)
    await h.command("quiz")
    card = last_card(h)
    right = (await h.choose(card.post_id, card.correct[0], who="민수"))[0]
    assert right.ephemeral and "정답이에요! +10점" in right.body and "해설:" in right.body
    wrong = (await h.choose(card.post_id, wrong_option(card), who="지영"))[0]
    assert wrong.ephemeral and "아쉽지만 오답이에요" in wrong.body


async def test_ties_share_rank_and_caller_outside_top(harness: Harness) -> None:
    h = harness
    players = [f"p{i:02d}" for i in range(12)]
    await h.command("quiz", who="host")
    card = last_card(h)
    right, wrong = card.correct[0], wrong_option(card)
    for i, name in enumerate(players):
        await h.choose(card.post_id, right if i < 11 else wrong, who=name)
    await h.command("reveal", who="host")
    board = (await h.command("top", who="p10"))[0]
    assert isinstance(board, Leaderboard)
    assert len(board.rows) == 10 and {r.rank for r in board.rows} == {1}
    assert board.caller is not None and (board.caller.rank, board.caller.points) == (1, 10)
    assert "내 순위: 1위 p10 — 10점" in board.fallback
    # p11 scored nothing: no rank and no caller line (issue 11.15).
    board = (await h.command("top", who="p11"))[0]
    assert isinstance(board, Leaderboard) and board.caller is None
    assert "p11" not in board.fallback


async def test_display_names_are_escaped(harness: Harness) -> None:
    h = harness
    await h.command("quiz")
    card = last_card(h)
    await h.choose(card.post_id, card.correct[0], who="**굵게**")
    await h.command("reveal")
    board = (await h.command("top"))[0]
    assert "**굵게**" in to_plain(board.fallback)


async def test_english_locale(harness: Harness) -> None:
    h = harness
    assert "English" in texts(await h.command("lang", "en"))
    assert "Leaderboard" not in texts(await h.command("top"))
    assert "No points yet" in texts(await h.command("top"))
    assert "Usage: /lang ko or /lang en" in texts(await h.command("lang", "fr"))
    assert "한국어" in texts(await h.command("lang", "ko"))
