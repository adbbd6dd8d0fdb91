"""Contests: one running per chat (a partial unique index), speed-weighted standings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, select, update
from sqlalchemy.exc import IntegrityError

from bot.services.scores import competition_ranks
from bot.storage.db import AnyRow, Database, as_utc
from bot.storage.tables import answers, contests, posts, users

RUNNING = "running"
FINISHED = "finished"
STOPPED = "stopped"


# The rules of a contest: how many questions, how long each, and the points for speed.
MIN_QUESTIONS, MAX_QUESTIONS = 1, 50
MIN_SECONDS, MAX_SECONDS, DEFAULT_SECONDS = 5, 120, 20


def speed_points(correct: bool, elapsed_ms: int, open_ms: int | None) -> int:
    """round(1000 × (1 − t / 2T)): 1000 for an instant answer, 500 at the buzzer."""
    if not correct:
        return 0
    if not open_ms:
        return 500
    t = min(elapsed_ms, open_ms)
    return round(1000 * (1 - t / (2 * open_ms)))


@dataclass(frozen=True, slots=True)
class Contest:
    id: int
    chat_id: int
    started_by: int
    total: int
    seconds: int
    asked: int
    state: str


@dataclass(frozen=True, slots=True)
class Placing:
    rank: int
    user_id: int
    name: str
    points: int
    correct: int


def _contest(row: AnyRow) -> Contest:
    r = row
    return Contest(r.id, r.chat_id, r.started_by, r.total, r.seconds, r.asked, r.state)


class ContestService:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def start(
        self, chat_id: int, user_id: int, total: int, seconds: int, now: datetime
    ) -> Contest | None:
        """None when the chat already has a running contest."""
        try:
            async with self.db.write() as conn:
                cid = (
                    await conn.execute(
                        contests.insert()
                        .values(
                            chat_id=chat_id,
                            started_by=user_id,
                            total=total,
                            seconds=seconds,
                            asked=0,
                            state=RUNNING,
                            started_at=now,
                        )
                        .returning(contests.c.id)
                    )
                ).scalar_one()
        except IntegrityError:
            return None
        return Contest(cid, chat_id, user_id, total, seconds, 0, RUNNING)

    async def get(self, contest_id: int) -> Contest | None:
        async with self.db.read() as conn:
            row = (await conn.execute(select(contests).where(contests.c.id == contest_id))).first()
        return _contest(row) if row else None

    async def running(self, chat_id: int | None = None) -> list[Contest]:
        query = select(contests).where(contests.c.state == RUNNING)
        if chat_id is not None:
            query = query.where(contests.c.chat_id == chat_id)
        async with self.db.read() as conn:
            return [_contest(r) for r in await conn.execute(query.order_by(contests.c.id))]

    async def open_step(
        self,
        contest: Contest,
        *,
        question_id: str,
        options_count: int,
        correct: str,
        now: datetime,
        closes_at: datetime,
    ) -> int | None:
        """Take the contest's next step and open its question, in one transaction.

        The step is claimed by a conditional UPDATE on the count asked so far, so when
        several replicas (a timer here, a sweep there) move the same contest on at once,
        exactly one opens the next question; the others get None.
        """
        async with self.db.write() as conn:
            taken = await conn.execute(
                update(contests)
                .where(
                    contests.c.id == contest.id,
                    contests.c.state == RUNNING,
                    contests.c.asked == contest.asked,
                )
                .values(asked=contests.c.asked + 1)
            )
            if not taken.rowcount:
                return None
            result = await conn.execute(
                posts.insert()
                .values(
                    chat_id=contest.chat_id,
                    question_id=question_id,
                    kind="contest",
                    options_count=options_count,
                    correct=correct,  # as encode_correct writes it
                    opened_by=contest.started_by,
                    opened_at=now,
                    closes_at=closes_at,
                    contest_id=contest.id,
                )
                .returning(posts.c.id)
            )
            return int(result.scalar_one())

    async def last_closed_at(self, contest_id: int) -> datetime | None:
        async with self.db.read() as conn:
            value = (
                await conn.execute(
                    select(func.max(posts.c.closed_at)).where(posts.c.contest_id == contest_id)
                )
            ).scalar_one_or_none()
        return as_utc(value)

    async def end(self, contest_id: int, state: str, now: datetime) -> bool:
        """End once; False if it had already ended."""
        async with self.db.write() as conn:
            result = await conn.execute(
                update(contests)
                .where(contests.c.id == contest_id, contests.c.state == RUNNING)
                .values(state=state, ended_at=now)
            )
        return bool(result.rowcount)

    async def open_post(self, contest_id: int) -> tuple[int, datetime | None] | None:
        async with self.db.read() as conn:
            row = (
                await conn.execute(
                    select(posts.c.id, posts.c.closes_at)
                    .where(posts.c.contest_id == contest_id, posts.c.closed_at.is_(None))
                    .order_by(posts.c.id.desc())
                    .limit(1)
                )
            ).first()
        return (row.id, row.closes_at) if row else None

    async def asked_questions(self, contest_id: int) -> set[str]:
        async with self.db.read() as conn:
            rows = await conn.execute(
                select(posts.c.question_id).where(posts.c.contest_id == contest_id)
            )
            return {r.question_id for r in rows}

    async def standings(self, contest_id: int) -> list[Placing]:
        async with self.db.read() as conn:
            rows = (
                await conn.execute(
                    select(
                        answers.c.user_id,
                        users.c.display_name,
                        func.sum(answers.c.points).label("points"),
                        func.sum(case((answers.c.correct, 1), else_=0)).label("correct"),
                        func.min(answers.c.answered_at).label("first"),
                    )
                    .select_from(
                        answers.join(posts, posts.c.id == answers.c.post_id).join(
                            users, users.c.id == answers.c.user_id
                        )
                    )
                    .where(posts.c.contest_id == contest_id)
                    .group_by(answers.c.user_id, users.c.display_name)
                    # Nobody is placed, or given a medal, for zero points.
                    .having(func.sum(answers.c.points) > 0)
                    .order_by(func.sum(answers.c.points).desc(), answers.c.user_id)
                )
            ).all()
        points = [int(r.points or 0) for r in rows]
        return [
            Placing(rank, r.user_id, r.display_name, p, int(r.correct or 0))
            for rank, p, r in zip(competition_ranks(points), points, rows, strict=True)
        ]
