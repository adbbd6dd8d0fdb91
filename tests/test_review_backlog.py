"""Group answers' review-card writes, queued with the answer and applied after
(bot/services/review_backlog.py): nothing is lost between the two, each answer is reviewed
once, and a person's own reads see their cards up to date."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from bot.services.quiz import AnswerStatus, QuizService
from bot.services.registry import Registry
from bot.services.review import ReviewService, drain_backlog
from bot.services.review_backlog import backlog_size
from bot.storage.db import Database
from bot.storage.tables import review_cards, review_logs
from bot.types import ChatRef, UserRef

NOW = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)


async def _answers(db: Database, quiz: QuizService, people: int) -> tuple[list[int], int]:
    registry = Registry(db)
    chat = await registry.chat_id(ChatRef("t", "g", True), NOW)
    users = [await registry.user_id(UserRef("t", f"u{i}", f"p{i}")) for i in range(people)]
    post = await quiz.open_post(
        chat_id=chat,
        question_id="q-1",
        options_count=4,
        correct=(2,),
        kind="quiz",
        now=NOW,
        closes_at=NOW + timedelta(minutes=10),
    )
    for i, user in enumerate(users):
        outcome = await quiz.record_answer(
            chat_id=chat,
            user_id=user,
            post_id=post,
            option=2 if i % 2 else 1,  # every other one wrong: its card joins the deck
            now=NOW + timedelta(seconds=1 + i),
            review=True,
        )
        assert outcome.status is AnswerStatus.ACCEPTED and outcome.review_done
    return users, chat


async def _counts(db: Database) -> tuple[int, int, int]:
    async with db.read() as conn:
        cards = (await conn.execute(select(func.count()).select_from(review_cards))).scalar_one()
        deck = (
            await conn.execute(
                select(func.count()).select_from(review_cards).where(review_cards.c.in_deck)
            )
        ).scalar_one()
        logs = (await conn.execute(select(func.count()).select_from(review_logs))).scalar_one()
    return int(cards), int(deck), int(logs)


async def test_a_burst_is_reviewed_after_it_and_a_person_sees_their_card_at_once(
    db: Database,
) -> None:
    quiz = QuizService(db)
    users, _chat = await _answers(db, quiz, 6)
    assert await backlog_size(db) == 6
    assert await _counts(db) == (0, 0, 0)  # nothing written on the answers' path
    # A person's own read applies their backlog first.
    card = await ReviewService(db).card(users[0], "q-1")
    assert card is not None and card.deck_no == 1  # wrong: in the deck as card 1
    assert await backlog_size(db) == 5
    # The rest once the burst is over.
    await quiz.backlog.idle()
    assert await backlog_size(db) == 0
    assert await _counts(db) == (6, 3, 6)


async def test_a_backlog_left_by_a_stopped_process_is_applied_once(db: Database) -> None:
    first = QuizService(db)
    await _answers(db, first, 4)
    # As if that process died before its worker ran: a new one finds the rows.
    assert await backlog_size(db) == 4
    second = QuizService(db)
    await second.backlog.sweep()
    assert await _counts(db) == (4, 2, 4)
    # Applying again (the first process's worker waking late, a redelivery) changes nothing.
    assert await drain_backlog(db) == 0
    await first.backlog.idle()
    assert await _counts(db) == (4, 2, 4)
