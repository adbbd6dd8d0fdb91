"""What the pictures show, read in one transaction each (read-only; other services own the
tables and write them).

A person's /me picture reads their review log (every answer they gave anywhere is one
review, bot/services/review.py), through its (user_id, post_id) index: points a day over 30
days from the answers it points at, accuracy per question (folded into topics by the
handler), the deck's due, learning and learned counts. A group's /stats reads the chat's
answers in the period through ix_answers_chat_time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, bindparam, case, func, select
from sqlalchemy.engine import Connection

from bot.services.question_stats import NOT_COUNTED
from bot.services.review import settle
from bot.services.scores import NOT_ON_BOARDS
from bot.storage.db import Database, as_utc
from bot.storage.tables import answers, posts, review_cards, review_logs

LEARNING_STATES = (1, 3)  # fsrs.State.Learning, Relearning
REVIEW_STATE = 2  # fsrs.State.Review
AGAIN = 1  # fsrs.Rating.Again: a wrong answer


@dataclass(frozen=True, slots=True)
class PersonProgress:
    points: list[tuple[datetime, int]]  # (answered at, points) of board answers since `since`
    questions: dict[str, tuple[int, int]]  # question id -> (right, answered), all time
    due: int
    learning: int
    learned: int


@dataclass(frozen=True, slots=True)
class GroupProgress:
    answers: list[tuple[datetime, int]]  # (answered at, user id) of every counted answer
    questions: dict[str, tuple[int, int]]  # question id -> (right, answered) in the period


_POINTS = (
    select(answers.c.answered_at, answers.c.points)
    .select_from(
        review_logs.join(
            answers,
            and_(
                answers.c.post_id == review_logs.c.post_id,
                answers.c.user_id == review_logs.c.user_id,
            ),
        ).join(posts, posts.c.id == answers.c.post_id)
    )
    .where(
        review_logs.c.user_id == bindparam("user_id"),
        review_logs.c.reviewed_at >= bindparam("since", type_=review_logs.c.reviewed_at.type),
        posts.c.kind.not_in(NOT_ON_BOARDS),
        answers.c.points > 0,
    )
)
_ACCURACY = (
    select(
        review_cards.c.question_id,
        func.count().label("answered"),
        func.sum(case((review_logs.c.rating > AGAIN, 1), else_=0)).label("right"),
    )
    .select_from(review_logs.join(review_cards, review_cards.c.id == review_logs.c.card_id))
    .where(review_logs.c.user_id == bindparam("user_id"))
    .group_by(review_cards.c.question_id)
)
_DECK = select(
    func.coalesce(
        func.sum(
            case(
                (review_cards.c.due <= bindparam("now", type_=review_cards.c.due.type), 1), else_=0
            )
        ),
        0,
    ).label("due"),
    func.coalesce(
        func.sum(
            case(
                (
                    and_(
                        review_cards.c.due > bindparam("now", type_=review_cards.c.due.type),
                        review_cards.c.state.in_(LEARNING_STATES),
                    ),
                    1,
                ),
                else_=0,
            )
        ),
        0,
    ).label("learning"),
    func.coalesce(
        func.sum(
            case(
                (
                    and_(
                        review_cards.c.due > bindparam("now", type_=review_cards.c.due.type),
                        review_cards.c.state == REVIEW_STATE,
                    ),
                    1,
                ),
                else_=0,
            )
        ),
        0,
    ).label("learned"),
).where(review_cards.c.user_id == bindparam("user_id"), review_cards.c.in_deck.is_(True))


def _person(conn: Connection, user_id: int, since: datetime, now: datetime) -> PersonProgress:
    points = [
        (as_utc(r.answered_at), int(r.points))
        for r in conn.execute(_POINTS, {"user_id": user_id, "since": since})
    ]
    questions = {
        r.question_id: (int(r.right or 0), int(r.answered))
        for r in conn.execute(_ACCURACY, {"user_id": user_id})
    }
    deck = conn.execute(_DECK, {"user_id": user_id, "now": now}).one()
    return PersonProgress(points, questions, int(deck.due), int(deck.learning), int(deck.learned))


_GROUP_ANSWERS = (
    select(answers.c.answered_at, answers.c.user_id, posts.c.question_id, answers.c.correct)
    .select_from(answers.join(posts, posts.c.id == answers.c.post_id))
    .where(
        answers.c.chat_id == bindparam("chat_id"),
        answers.c.answered_at >= bindparam("start", type_=answers.c.answered_at.type),
        answers.c.answered_at < bindparam("end", type_=answers.c.answered_at.type),
        posts.c.kind.not_in(NOT_COUNTED),
        posts.c.closed_at.is_not(None),  # an open question gives nothing away
    )
)


def _group(conn: Connection, chat_id: int, start: datetime, end: datetime) -> GroupProgress:
    seen: list[tuple[datetime, int]] = []
    questions: dict[str, list[int]] = {}
    for r in conn.execute(_GROUP_ANSWERS, {"chat_id": chat_id, "start": start, "end": end}):
        seen.append((as_utc(r.answered_at), int(r.user_id)))
        got = questions.setdefault(r.question_id, [0, 0])
        got[0] += int(bool(r.correct))
        got[1] += 1
    return GroupProgress(seen, {q: (c, a) for q, (c, a) in questions.items()})


class ProgressService:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def person(self, user_id: int, since: datetime, now: datetime) -> PersonProgress:
        await settle(self.db, user_id)
        return await self.db.run_read(_person, user_id, since, now)

    async def group(self, chat_id: int, start: datetime, end: datetime) -> GroupProgress:
        return await self.db.run_read(_group, chat_id, start, end)
