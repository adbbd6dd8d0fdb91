"""Who may run a chat's study features: its admins, and the instructors they add."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, or_, select

from bot.storage.db import Database
from bot.storage.tables import answers, chats, instructors, users

ROLE_ADMIN = "admin"
ROLE_ADDED = "added"


@dataclass(frozen=True, slots=True)
class Instructor:
    user_id: int
    name: str
    role: str


class InstructorService:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def check(self, chat_id: int, user_id: int, *, is_admin: bool, now: datetime) -> bool:
        """True for an admin (remembered for 'every chat they instruct') or an added one."""
        if is_admin:
            async with self.db.write() as conn:
                await conn.execute(
                    self.db.insert(instructors)
                    .values(chat_id=chat_id, user_id=user_id, role=ROLE_ADMIN, added_at=now)
                    .on_conflict_do_nothing(index_elements=["chat_id", "user_id"])
                )
            return True
        async with self.db.read() as conn:
            row = (
                await conn.execute(
                    select(instructors.c.role).where(
                        instructors.c.chat_id == chat_id,
                        instructors.c.user_id == user_id,
                        instructors.c.role == ROLE_ADDED,
                    )
                )
            ).first()
        return row is not None

    async def add(self, chat_id: int, user_id: int, by: int, now: datetime) -> bool:
        """False when they already were one."""
        async with self.db.write() as conn:
            existing = (
                await conn.execute(
                    select(instructors.c.role).where(
                        instructors.c.chat_id == chat_id, instructors.c.user_id == user_id
                    )
                )
            ).first()
            if existing is not None and existing.role == ROLE_ADDED:
                return False
            if existing is not None:
                await conn.execute(
                    instructors.update()
                    .where(instructors.c.chat_id == chat_id, instructors.c.user_id == user_id)
                    .values(role=ROLE_ADDED, added_by=by, added_at=now)
                )
            else:
                await conn.execute(
                    instructors.insert().values(
                        chat_id=chat_id, user_id=user_id, role=ROLE_ADDED, added_by=by, added_at=now
                    )
                )
        return True

    async def remove(self, chat_id: int, user_id: int) -> bool:
        async with self.db.write() as conn:
            result = await conn.execute(
                delete(instructors).where(
                    instructors.c.chat_id == chat_id, instructors.c.user_id == user_id
                )
            )
        return bool(result.rowcount)

    async def listing(self, chat_id: int) -> list[Instructor]:
        async with self.db.read() as conn:
            rows = await conn.execute(
                select(instructors.c.user_id, users.c.display_name, instructors.c.role)
                .select_from(instructors.join(users, users.c.id == instructors.c.user_id))
                .where(instructors.c.chat_id == chat_id)
                .order_by(users.c.display_name)
            )
            return [Instructor(r.user_id, r.display_name, r.role) for r in rows]

    async def chats_of(self, user_id: int, platform: str) -> list[int]:
        """Every live chat on one platform where this user instructs."""
        async with self.db.read() as conn:
            rows = await conn.execute(
                select(instructors.c.chat_id)
                .select_from(instructors.join(chats, chats.c.id == instructors.c.chat_id))
                .where(
                    instructors.c.user_id == user_id,
                    chats.c.platform == platform,
                    chats.c.gone_at.is_(None),
                )
                .order_by(instructors.c.chat_id)
            )
            return [r.chat_id for r in rows]

    async def role(self, chat_id: int, user_id: int) -> str | None:
        async with self.db.read() as conn:
            return (
                await conn.execute(
                    select(instructors.c.role).where(
                        instructors.c.chat_id == chat_id, instructors.c.user_id == user_id
                    )
                )
            ).scalar_one_or_none()

    async def people_named(self, chat_id: int, platform: str, name: str) -> list[tuple[int, str]]:
        """People seen on this platform whose whole display name is `name` (ASCII case aside).

        When several share it, those who have answered or instruct in this chat come first
        and alone: a name is meant for someone here.
        """
        wanted = " ".join(name.split()).lower()
        async with self.db.read() as conn:
            rows = (
                await conn.execute(
                    select(users.c.id, users.c.display_name)
                    .where(users.c.platform == platform)
                    .where(func.lower(users.c.display_name) == wanted)
                    .order_by(users.c.id)
                )
            ).all()
            found = [(r.id, r.display_name) for r in rows]
            if len(found) <= 1:
                return found
            here = set(
                (
                    await conn.execute(
                        select(users.c.id)
                        .where(users.c.id.in_([uid for uid, _ in found]))
                        .where(
                            or_(
                                users.c.id.in_(
                                    select(answers.c.user_id).where(answers.c.chat_id == chat_id)
                                ),
                                users.c.id.in_(
                                    select(instructors.c.user_id).where(
                                        instructors.c.chat_id == chat_id
                                    )
                                ),
                            )
                        )
                    )
                ).scalars()
            )
        return [f for f in found if f[0] in here] or found
