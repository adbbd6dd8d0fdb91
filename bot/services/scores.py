"""Leaderboards: ties share a rank, and the caller always sees their own place."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, case, func, select
from sqlalchemy.engine import Connection

from bot.storage.db import Database
from bot.storage.tables import answers, posts, scores, users


@dataclass(frozen=True, slots=True)
class Standing:
    rank: int
    user_id: int
    name: str
    points: int
    answered: int
    correct: int


@dataclass(frozen=True, slots=True)
class Board:
    top: list[Standing]
    caller: Standing | None  # None when the caller has not answered yet
    players: int


_FROM = scores.join(users, users.c.id == scores.c.user_id)
_TOP = (
    select(
        scores.c.user_id, users.c.display_name, scores.c.points, scores.c.answered, scores.c.correct
    )
    .select_from(_FROM)
    .where(scores.c.chat_id == bindparam("chat_id"))
    .order_by(scores.c.points.desc(), scores.c.user_id)
    .limit(bindparam("limit"))
)
_PLAYERS = select(func.count()).select_from(scores).where(scores.c.chat_id == bindparam("chat_id"))
_MINE = (
    select(scores.c.points, scores.c.answered, scores.c.correct, users.c.display_name)
    .select_from(_FROM)
    .where(scores.c.chat_id == bindparam("chat_id"), scores.c.user_id == bindparam("user_id"))
)
_ABOVE = (
    select(func.count())
    .select_from(scores)
    .where(scores.c.chat_id == bindparam("chat_id"), scores.c.points > bindparam("points"))
)


def _standing(conn: Connection, chat_id: int, user_id: int) -> Standing | None:
    mine = conn.execute(_MINE, {"chat_id": chat_id, "user_id": user_id}).first()
    if mine is None:
        return None
    above = conn.execute(_ABOVE, {"chat_id": chat_id, "points": mine.points}).scalar_one()
    return Standing(
        int(above) + 1, user_id, mine.display_name, mine.points, mine.answered, mine.correct
    )


def competition_ranks(points: list[int]) -> list[int]:
    """Ranks for points sorted best first: equal points share the rank of the first of them."""
    ranks: list[int] = []
    for i, p in enumerate(points):
        ranks.append(ranks[-1] if ranks and points[i - 1] == p else i + 1)
    return ranks


def _board(conn: Connection, chat_id: int, user_id: int | None, limit: int) -> Board:
    rows = conn.execute(_TOP, {"chat_id": chat_id, "limit": limit}).all() if limit > 0 else []
    top = [
        Standing(rank, r.user_id, r.display_name, r.points, r.answered, r.correct)
        for rank, r in zip(competition_ranks([r.points for r in rows]), rows, strict=True)
    ]
    players = conn.execute(_PLAYERS, {"chat_id": chat_id}).scalar_one()
    caller = next((s for s in top if s.user_id == user_id), None)
    if caller is None and user_id is not None:
        caller = _standing(conn, chat_id, user_id)
    return Board(top=top, caller=caller, players=int(players))


_PERIOD = (
    select(
        answers.c.user_id,
        users.c.display_name,
        func.sum(answers.c.points).label("points"),
        func.count().label("answered"),
        func.sum(case((answers.c.correct, 1), else_=0)).label("correct"),
    )
    .select_from(
        answers.join(posts, posts.c.id == answers.c.post_id).join(
            users, users.c.id == answers.c.user_id
        )
    )
    .where(
        answers.c.chat_id == bindparam("chat_id"),
        answers.c.answered_at >= bindparam("start", type_=answers.c.answered_at.type),
        answers.c.answered_at < bindparam("end", type_=answers.c.answered_at.type),
        posts.c.kind != "contest",
    )
    .group_by(answers.c.user_id, users.c.display_name)
)


def _period_board(
    conn: Connection,
    chat_id: int,
    user_id: int | None,
    start: datetime,
    end: datetime,
    limit: int,
) -> Board:
    # One aggregation, ranked here: repeating it per figure (top, count, own rank) cost
    # three passes over the period's answers.
    rows = conn.execute(_PERIOD, {"chat_id": chat_id, "start": start, "end": end}).all()
    rows.sort(key=lambda r: (-int(r.points), r.user_id))
    ranked = [
        Standing(rank, r.user_id, r.display_name, int(r.points), r.answered, int(r.correct))
        for rank, r in zip(competition_ranks([int(r.points) for r in rows]), rows, strict=True)
    ]
    caller = next((s for s in ranked if s.user_id == user_id), None)
    return Board(top=ranked[:limit], caller=caller, players=len(ranked))


class ScoreService:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def board(self, chat_id: int, user_id: int | None, limit: int = 10) -> Board:
        # A hot path like recording answers: one read transaction in one hop.
        return await self.db.run_read(_board, chat_id, user_id, limit)

    async def standing(self, chat_id: int, user_id: int) -> Standing | None:
        return await self.db.run_read(_standing, chat_id, user_id)

    async def period_board(
        self, chat_id: int, user_id: int | None, start: datetime, end: datetime, limit: int = 10
    ) -> Board:
        """The board over answers given in [start, end); contests keep their own standings."""
        return await self.db.run_read(_period_board, chat_id, user_id, start, end, limit)

    async def streaks(self, chat_id: int, user_ids: list[int], depth: int = 400) -> dict[int, int]:
        """Consecutive daily questions answered correctly, newest first.

        Today's question still being open does not break a streak; a wrong or missing
        answer to a closed one does.
        """
        if not user_ids:
            return {}
        async with self.db.read() as conn:
            daily = (
                await conn.execute(
                    select(posts.c.id, posts.c.closed_at)
                    .where(posts.c.chat_id == chat_id, posts.c.kind == "daily")
                    .order_by(posts.c.id.desc())
                    .limit(depth)
                )
            ).all()
            if not daily:
                return dict.fromkeys(user_ids, 0)
            got = (
                await conn.execute(
                    select(answers.c.post_id, answers.c.user_id, answers.c.correct).where(
                        answers.c.post_id.in_([d.id for d in daily]),
                        answers.c.user_id.in_(user_ids),
                    )
                )
            ).all()
        correct = {(a.post_id, a.user_id): bool(a.correct) for a in got}
        result: dict[int, int] = {}
        for uid in user_ids:
            streak = 0
            for post in daily:
                answer = correct.get((post.id, uid))
                if answer is None and post.closed_at is None:
                    continue
                if not answer:
                    break
                streak += 1
            result[uid] = streak
        return result
