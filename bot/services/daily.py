"""Daily-question subscriptions and the claimed, once-per-local-date delivery of each question."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import Select, func, select, update

from bot.content.schema import Question
from bot.services.outbox import claim_statement
from bot.services.quiz import encode_correct
from bot.services.registry import chat_ref_of
from bot.storage.db import AnyRow, Database, UpsertInsert, as_utc
from bot.storage.tables import chats, daily_subscriptions, outbox, posts
from bot.types import ChatRef

DEFAULT_AT = time(8, 0)
DEFAULT_CLOSE = time(23, 0)


@dataclass(frozen=True, slots=True)
class Subscription:
    chat_id: int
    enabled: bool = False
    at_time: time = DEFAULT_AT
    close_time: time = DEFAULT_CLOSE
    topics: tuple[str, ...] = ()
    timezone: str | None = None
    # When the settings last changed (None before the first change): a slot that fell due
    # after it was scheduled is one some replica owed the chat.
    updated_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Delivery:
    claim_id: int
    post_id: int
    question: Question


def parse_hhmm(text: str) -> time | None:
    """'08:30' or '8:30'; None for anything that is not a real time of day, like '25:61'."""
    parts = text.strip().split(":")
    if len(parts) != 2 or not all(p.isdigit() and 1 <= len(p) <= 2 for p in parts):
        return None
    hour, minute = int(parts[0]), int(parts[1])
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def daily_key(chat_id: int, local_date: date) -> str:
    return f"daily:{chat_id}:{local_date.isoformat()}"


class DailyService:
    def __init__(self, db: Database) -> None:
        self.db = db

    @staticmethod
    def _query(chat_id: int) -> Select[Any]:
        return (
            select(daily_subscriptions, chats.c.timezone)
            .select_from(
                chats.outerjoin(daily_subscriptions, daily_subscriptions.c.chat_id == chats.c.id)
            )
            .where(chats.c.id == chat_id)
        )

    @classmethod
    def _sub_of(cls, chat_id: int, row: AnyRow | None) -> Subscription:
        if row is None or row.enabled is None:
            return Subscription(chat_id, timezone=row.timezone if row else None)
        return cls._from_row(row)

    async def get(self, chat_id: int) -> Subscription:
        async with self.db.read() as conn:
            row = (await conn.execute(self._query(chat_id))).first()
        return self._sub_of(chat_id, row)

    @staticmethod
    def _from_row(row: AnyRow) -> Subscription:
        r = row  # a Row with the subscription's columns and the chat's timezone
        return Subscription(
            chat_id=r.chat_id,
            enabled=bool(r.enabled),
            at_time=parse_hhmm(r.at_time) or DEFAULT_AT,
            close_time=parse_hhmm(r.close_time) or DEFAULT_CLOSE,
            topics=tuple(t for t in r.topics.split("\n") if t),
            timezone=r.timezone,
            updated_at=as_utc(r.updated_at),
        )

    def _upsert(self, sub: Subscription, now: datetime) -> UpsertInsert:
        values = {
            "enabled": sub.enabled,
            "at_time": sub.at_time.strftime("%H:%M"),
            "close_time": sub.close_time.strftime("%H:%M"),
            "topics": "\n".join(sub.topics),
            "updated_at": now,
        }
        insert = self.db.insert(daily_subscriptions).values(chat_id=sub.chat_id, **values)
        return insert.on_conflict_do_update(index_elements=["chat_id"], set_=values)

    async def save(self, sub: Subscription, now: datetime) -> None:
        async with self.db.write() as conn:
            await conn.execute(self._upsert(sub, now))

    async def update(self, chat_id: int, now: datetime, **changes: object) -> Subscription:
        """Change some fields and keep the rest, in one read-modify-write transaction.

        Two changes made at once through different replicas (a time here, the topics there)
        both stick: the chat's row is locked (FOR UPDATE on PostgreSQL; SQLite's write
        transaction is BEGIN IMMEDIATE) before the subscription is read.
        """
        async with self.db.write() as conn:
            await conn.execute(select(chats.c.id).where(chats.c.id == chat_id).with_for_update())
            row = (await conn.execute(self._query(chat_id))).first()
            # Callers pass Subscription fields by name with values of their types.
            sub = replace(self._sub_of(chat_id, row), updated_at=now, **changes)  # type: ignore[arg-type]
            await conn.execute(self._upsert(sub, now))
        return sub

    async def active(self) -> list[tuple[Subscription, ChatRef]]:
        async with self.db.read() as conn:
            rows = (
                await conn.execute(
                    select(
                        daily_subscriptions,
                        chats.c.timezone,
                        chats.c.platform,
                        chats.c.chat_key,
                        chats.c.is_group,
                    )
                    .select_from(
                        daily_subscriptions.join(chats, chats.c.id == daily_subscriptions.c.chat_id)
                    )
                    .where(daily_subscriptions.c.enabled.is_(True), chats.c.gone_at.is_(None))
                    .order_by(daily_subscriptions.c.chat_id)
                )
            ).all()
        return [(self._from_row(r), chat_ref_of(r)) for r in rows]

    async def claimed_keys(self, keys: list[str]) -> set[str]:
        """Which of these daily outbox keys some process has already claimed."""
        if not keys:
            return set()
        async with self.db.read() as conn:
            rows = await conn.execute(select(outbox.c.key).where(outbox.c.key.in_(keys)))
            return {r.key for r in rows}

    async def disable(self, chat_id: int, now: datetime) -> None:
        async with self.db.write() as conn:
            await conn.execute(
                update(daily_subscriptions)
                .where(daily_subscriptions.c.chat_id == chat_id)
                .values(enabled=False, updated_at=now)
            )

    async def claim(
        self,
        *,
        chat_id: int,
        local_date: date,
        due_at: datetime,
        closes_at: datetime,
        now: datetime,
        instance: str,
        pick: Callable[[dict[str, int]], Question | None],
    ) -> Delivery | None:
        """Claim today's delivery and open its post in one transaction; None if already claimed."""
        async with self.db.write() as conn:
            claim = claim_statement(
                self.db,
                key=daily_key(chat_id, local_date),
                kind="daily",
                chat_id=chat_id,
                due_at=due_at,
                now=now,
                instance=instance,
            )
            claim_id = (await conn.execute(claim)).scalar_one_or_none()
            if claim_id is None:
                return None
            used: dict[str, int] = dict(
                (
                    await conn.execute(
                        select(posts.c.question_id, func.count())
                        .where(posts.c.chat_id == chat_id, posts.c.kind == "daily")
                        .group_by(posts.c.question_id)
                    )
                ).all()
            )
            question = pick(used)
            if question is None:
                await conn.execute(
                    update(outbox)
                    .where(outbox.c.id == claim_id)
                    .values(cancelled_at=now, last_error="no question in the chosen topics")
                )
                return None
            post_id = (
                await conn.execute(
                    posts.insert()
                    .values(
                        chat_id=chat_id,
                        question_id=question.id,
                        kind="daily",
                        options_count=len(question.options),
                        correct=encode_correct(question.answers),
                        opened_at=now,
                        closes_at=closes_at,
                    )
                    .returning(posts.c.id)
                )
            ).scalar_one()
            await conn.execute(
                update(outbox).where(outbox.c.id == claim_id).values(post_id=post_id)
            )
        return Delivery(claim_id, post_id, question)
