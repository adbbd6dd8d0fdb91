"""Chats and users: stable numeric ids for platform keys, cached because they never change."""

from __future__ import annotations

from collections import OrderedDict
from datetime import datetime

from sqlalchemy import bindparam, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.sql.dml import Insert

from bot.storage.db import AnyRow, Database
from bot.storage.tables import chats, users
from bot.types import ChatRef, UserRef

MAX_NAME = 128
MAX_TITLE = 200  # chats.title
# People seen lately; one who drops out costs one upsert when they come back. A burst of
# newcomers (20,000 voters in a channel-sized group) must not grow the process for good.
USER_CACHE = 10_000


def chat_ref_of(row: AnyRow) -> ChatRef:
    """A ChatRef from a row that selected the chats table's platform, chat_key and is_group."""
    return ChatRef(row.platform, row.chat_key, row.is_group)


def _upsert_users(conn: Connection, items: list[tuple[Insert, tuple[str, str, str]]]) -> list[int]:
    """Newcomers of a batch in one multi-row upsert; one id per item, in the items' order.

    One row per person (PostgreSQL refuses a row twice in one ON CONFLICT DO UPDATE); the
    last name given wins, as it would one by one."""
    statement = items[0][0]
    names: dict[tuple[str, str], str] = {}
    for _stmt, (platform, key, name) in items:
        names[(platform, key)] = name
    rows = [{"platform": p, "user_key": k, "name": n} for (p, k), n in names.items()]
    ids = {(r.platform, r.user_key): int(r.id) for r in conn.execute(statement, rows)}
    return [ids[(platform, key)] for _stmt, (platform, key, _name) in items]


class Registry:
    def __init__(self, db: Database) -> None:
        self.db = db
        self._chats: dict[tuple[str, str], int] = {}
        self._users: OrderedDict[tuple[str, str], tuple[int, str]] = OrderedDict()
        self._locales: dict[int, str | None] = {}
        self._zones: dict[int, str | None] = {}
        self._titles: dict[int, str | None] = {}
        self._upsert: Insert | None = None

    async def chat_id(self, chat: ChatRef, now: datetime) -> int:
        key = (chat.platform, chat.chat_id)
        cached = self._chats.get(key)
        if cached is not None:
            await self._retitle(cached, chat.title)
            return cached
        async with self.db.write() as conn:
            await conn.execute(
                self.db.insert(chats)
                .values(
                    platform=chat.platform,
                    chat_key=chat.chat_id,
                    is_group=chat.is_group,
                    created_at=now,
                )
                .on_conflict_do_nothing(index_elements=["platform", "chat_key"])
            )
            row = (
                await conn.execute(
                    select(
                        chats.c.id, chats.c.locale, chats.c.timezone, chats.c.gone_at, chats.c.title
                    ).where(chats.c.platform == chat.platform, chats.c.chat_key == chat.chat_id)
                )
            ).one()
            if row.gone_at is not None:
                # It speaks to us again, so the bot is back in the chat.
                await conn.execute(update(chats).where(chats.c.id == row.id).values(gone_at=None))
        self._chats[key] = row.id
        self._locales[row.id] = row.locale
        self._zones[row.id] = row.timezone
        self._titles[row.id] = row.title
        await self._retitle(row.id, chat.title)
        return row.id

    async def _retitle(self, chat_id: int, title: str | None) -> None:
        """Keep the name the platform shows (a group renamed is renamed here too)."""
        if title is None:
            return
        title = " ".join(title.split())[:MAX_TITLE]
        if not title or self._titles.get(chat_id) == title:
            return
        async with self.db.write() as conn:
            await conn.execute(update(chats).where(chats.c.id == chat_id).values(title=title))
        self._titles[chat_id] = title

    async def user_id(self, user: UserRef) -> int:
        key = (user.platform, user.user_id)
        name = user.display_name.strip()[:MAX_NAME] or user.user_id
        cached = self._users.get(key)
        if cached is not None and cached[1] == name:
            self._users.move_to_end(key)
            return cached[0]
        if self._upsert is None:
            stmt = self.db.insert(users).values(
                platform=bindparam("platform"),
                user_key=bindparam("user_key"),
                display_name=bindparam("name"),
            )
            self._upsert = stmt.on_conflict_do_update(
                index_elements=["platform", "user_key"],
                set_={"display_name": stmt.excluded.display_name},
            ).returning(users.c.id, users.c.platform, users.c.user_key)
        # A burst of newcomers (a quiz in a big group) makes this a hot path: one row of a
        # multi-row upsert shared with the writes beside it (bot.storage.group_commit).
        uid = int(
            await self.db.run_grouped_many(
                _upsert_users, (self._upsert, (user.platform, user.user_id, name))
            )
        )
        self._users[key] = (uid, name)
        self._users.move_to_end(key)
        while len(self._users) > USER_CACHE:
            self._users.popitem(last=False)
        return uid

    async def chat_ref(self, chat_id: int) -> ChatRef | None:
        async with self.db.read() as conn:
            row = (
                await conn.execute(
                    select(chats.c.platform, chats.c.chat_key, chats.c.is_group).where(
                        chats.c.id == chat_id
                    )
                )
            ).first()
        return chat_ref_of(row) if row else None

    def chat_locale(self, chat_id: int) -> str | None:
        return self._locales.get(chat_id)

    async def place(self, chat_id: int) -> tuple[str | None, str | None]:
        """The chat's own locale and time-zone name (None where it uses the defaults)."""
        if chat_id not in self._zones:
            async with self.db.read() as conn:
                row = (
                    await conn.execute(
                        select(chats.c.locale, chats.c.timezone).where(chats.c.id == chat_id)
                    )
                ).first()
            self._locales[chat_id] = row.locale if row else None
            self._zones[chat_id] = row.timezone if row else None
        return self._locales.get(chat_id), self._zones.get(chat_id)

    async def set_timezone(self, chat_id: int, zone: str | None) -> None:
        async with self.db.write() as conn:
            await conn.execute(update(chats).where(chats.c.id == chat_id).values(timezone=zone))
        self._zones[chat_id] = zone

    async def set_locale(self, chat_id: int, locale: str) -> None:
        async with self.db.write() as conn:
            await conn.execute(update(chats).where(chats.c.id == chat_id).values(locale=locale))
        self._locales[chat_id] = locale

    async def migrate(self, chat: ChatRef, new_key: str) -> None:
        """Move a chat to its new platform id, keeping every row that points at it."""
        async with self.db.write() as conn:
            taken = (
                await conn.execute(
                    select(chats.c.id).where(
                        chats.c.platform == chat.platform, chats.c.chat_key == new_key
                    )
                )
            ).first()
            if taken is not None:
                return  # already migrated (a redelivered update) or created meanwhile
            await conn.execute(
                update(chats)
                .where(chats.c.platform == chat.platform, chats.c.chat_key == chat.chat_id)
                .values(chat_key=new_key)
            )
        old = self._chats.pop((chat.platform, chat.chat_id), None)
        if old is not None:
            self._chats[(chat.platform, new_key)] = old

    async def mark_gone(self, chat: ChatRef, now: datetime) -> int | None:
        self._chats.pop((chat.platform, chat.chat_id), None)
        async with self.db.write() as conn:
            return (
                await conn.execute(
                    update(chats)
                    .where(chats.c.platform == chat.platform, chats.c.chat_key == chat.chat_id)
                    .values(gone_at=now)
                    .returning(chats.c.id)
                )
            ).scalar_one_or_none()
