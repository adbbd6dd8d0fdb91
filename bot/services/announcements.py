"""Announcements: stored with one outbox row per target chat, so each chat gets it once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select, update

from bot.storage.db import Database, as_utc
from bot.storage.tables import announcements, outbox, users


@dataclass(frozen=True, slots=True)
class Scheduled:
    id: int
    due_at: datetime
    body: str
    chats: int


@dataclass(frozen=True, slots=True)
class Announcement:
    id: int
    body: str
    author: str
    origin_chat_id: int
    due_at: datetime


class AnnouncementService:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def create(
        self,
        *,
        author_id: int,
        origin_chat_id: int,
        body: str,
        due_at: datetime,
        targets: list[int],
        now: datetime,
    ) -> int:
        async with self.db.write() as conn:
            aid = (
                await conn.execute(
                    announcements.insert()
                    .values(
                        author_id=author_id,
                        origin_chat_id=origin_chat_id,
                        body=body,
                        created_at=now,
                        due_at=due_at,
                    )
                    .returning(announcements.c.id)
                )
            ).scalar_one()
            await conn.execute(
                outbox.insert(),
                [
                    {
                        "key": f"announce:{aid}:{chat_id}",
                        "kind": "announce",
                        "chat_id": chat_id,
                        "announcement_id": aid,
                        "due_at": due_at,
                        "attempts": 0,
                    }
                    for chat_id in targets
                ],
            )
        return int(aid)

    async def get(self, aid: int) -> Announcement | None:
        async with self.db.read() as conn:
            row = (
                await conn.execute(
                    select(
                        announcements.c.id,
                        announcements.c.body,
                        users.c.display_name,
                        announcements.c.origin_chat_id,
                        announcements.c.due_at,
                    )
                    .select_from(announcements.join(users, users.c.id == announcements.c.author_id))
                    .where(announcements.c.id == aid)
                )
            ).first()
        if row is None:
            return None
        return Announcement(
            row.id,
            row.body,
            row.display_name,
            row.origin_chat_id,
            as_utc(row.due_at),
        )

    async def scheduled(self, chat_id: int, now: datetime) -> list[Scheduled]:
        """Unsent announcements made in this chat or headed for it."""
        pending = (
            outbox.c.kind == "announce",
            outbox.c.sent_at.is_(None),
            outbox.c.cancelled_at.is_(None),
        )
        async with self.db.read() as conn:
            rows = await conn.execute(
                select(
                    announcements.c.id,
                    announcements.c.due_at,
                    announcements.c.body,
                    func.count(outbox.c.id),
                )
                .select_from(
                    announcements.join(outbox, outbox.c.announcement_id == announcements.c.id)
                )
                .where(
                    *pending,
                    or_(announcements.c.origin_chat_id == chat_id, outbox.c.chat_id == chat_id),
                )
                .group_by(announcements.c.id, announcements.c.due_at, announcements.c.body)
                .order_by(announcements.c.due_at, announcements.c.id)
            )
            return [Scheduled(r[0], as_utc(r[1]), r[2], int(r[3])) for r in rows]

    async def cancel(self, aid: int, now: datetime) -> int:
        async with self.db.write() as conn:
            result = await conn.execute(
                update(outbox)
                .where(
                    outbox.c.announcement_id == aid,
                    outbox.c.sent_at.is_(None),
                    outbox.c.cancelled_at.is_(None),
                    outbox.c.claimed_at.is_(None),
                )
                .values(cancelled_at=now, last_error="cancelled")
            )
        return int(result.rowcount or 0)

    async def pending_due_times(self) -> list[tuple[int, datetime]]:
        async with self.db.read() as conn:
            rows = await conn.execute(
                select(outbox.c.announcement_id, func.min(outbox.c.due_at))
                .where(
                    outbox.c.kind == "announce",
                    outbox.c.sent_at.is_(None),
                    outbox.c.cancelled_at.is_(None),
                )
                .group_by(outbox.c.announcement_id)
            )
            return [(r[0], as_utc(r[1])) for r in rows]
