"""Leaderboards: ties share a rank, and the caller always sees their own place."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.storage.db import Database
from bot.storage.tables import scores, users


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


class ScoreService:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def board(self, chat_id: int, user_id: int | None, limit: int = 10) -> Board:
        async with self.db.read() as conn:
            rows = (
                await conn.execute(
                    select(
                        scores.c.user_id,
                        users.c.display_name,
                        scores.c.points,
                        scores.c.answered,
                        scores.c.correct,
                    )
                    .select_from(scores.join(users, users.c.id == scores.c.user_id))
                    .where(scores.c.chat_id == chat_id)
                    .order_by(scores.c.points.desc(), scores.c.user_id)
                    .limit(limit)
                )
            ).all()
            top: list[Standing] = []
            for i, r in enumerate(rows):
                rank = top[-1].rank if top and top[-1].points == r.points else i + 1
                top.append(
                    Standing(rank, r.user_id, r.display_name, r.points, r.answered, r.correct)
                )
            players = (
                await conn.execute(
                    select(func.count()).select_from(scores).where(scores.c.chat_id == chat_id)
                )
            ).scalar_one()
            caller = next((s for s in top if s.user_id == user_id), None)
            if caller is None and user_id is not None:
                caller = await self._standing(conn, chat_id, user_id)
        return Board(top=top, caller=caller, players=int(players))

    async def standing(self, chat_id: int, user_id: int) -> Standing | None:
        async with self.db.read() as conn:
            return await self._standing(conn, chat_id, user_id)

    @staticmethod
    async def _standing(conn: AsyncConnection, chat_id: int, user_id: int) -> Standing | None:
        mine = (
            await conn.execute(
                select(scores.c.points, scores.c.answered, scores.c.correct, users.c.display_name)
                .select_from(scores.join(users, users.c.id == scores.c.user_id))
                .where(scores.c.chat_id == chat_id, scores.c.user_id == user_id)
            )
        ).first()
        if mine is None:
            return None
        above = (
            await conn.execute(
                select(func.count())
                .select_from(scores)
                .where(scores.c.chat_id == chat_id, scores.c.points > mine.points)
            )
        ).scalar_one()
        return Standing(
            int(above) + 1, user_id, mine.display_name, mine.points, mine.answered, mine.correct
        )
