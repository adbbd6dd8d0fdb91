"""Claims on messages the bot sends by itself, so each goes out once across restarts and processes.

A row is claimed under a unique key before its message is sent and marked sent after. A
claim whose process died (older than the lease, still unsent) may be taken over, once, by
compare-and-swap on the claim time.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.sql.dml import ReturningInsert
from sqlalchemy.sql.elements import ColumnElement

from bot.storage.db import AnyRow, Database, as_utc
from bot.storage.presence import Presence, dead
from bot.storage.tables import outbox, posts
from bot.types import SentRef

log = logging.getLogger(__name__)

# The default lease (STUDYBOT_OUTBOX_LEASE_SECONDS): long enough that a live process ends
# its paced sends well within it, so only a dead process's claims are ever taken over.
LEASE = timedelta(minutes=2)


@dataclass(frozen=True, slots=True)
class Claim:
    id: int
    kind: str
    chat_id: int
    post_id: int | None
    announcement_id: int | None
    due_at: datetime


def claim_statement(
    db: Database,
    *,
    key: str,
    kind: str,
    chat_id: int,
    due_at: datetime,
    now: datetime,
    instance: str,
) -> ReturningInsert:
    """Claim the row under key, once: the statement returns its id, or nothing when another
    process (or an earlier run) already holds it. Run inside the caller's transaction."""
    return (
        db.insert(outbox)
        .values(
            key=key,
            kind=kind,
            chat_id=chat_id,
            due_at=due_at,
            claimed_at=now,
            claimed_by=instance,
            attempts=1,
        )
        .on_conflict_do_nothing(index_elements=["key"])
        .returning(outbox.c.id)
    )


def _claim(row: AnyRow) -> Claim:
    return Claim(
        row.id,
        row.kind,
        row.chat_id,
        row.post_id,
        row.announcement_id,
        as_utc(row.due_at),
    )


_COLUMNS = (
    outbox.c.id,
    outbox.c.kind,
    outbox.c.chat_id,
    outbox.c.post_id,
    outbox.c.announcement_id,
    outbox.c.due_at,
)


class OutboxService:
    def __init__(
        self,
        db: Database,
        instance: str,
        on_ambiguous: Callable[[str], None] | None = None,
        lease: timedelta = LEASE,
    ) -> None:
        self.db = db
        self.instance = instance
        self.lease = lease
        # Told of each claim taken over from a process that died during the send (by kind).
        self.on_ambiguous = on_ambiguous
        # PostgreSQL: tells other replicas this one is alive, so only a dead one's claims
        # are taken before their lease (started by bot.app; ends with the process).
        self.presence = Presence(db, instance)
        db.on_dispose(self.presence.stop)

    async def mark_sending(self, claim_id: int, now: datetime) -> None:
        """Just before the platform call: if this process dies before mark_sent, the row
        says so, and whoever takes it over counts the send as ambiguous."""
        async with self.db.write() as conn:
            await conn.execute(
                update(outbox)
                .where(outbox.c.id == claim_id, outbox.c.sent_at.is_(None))
                .values(sending_at=now)
            )

    async def mark_sent(
        self,
        claim_id: int,
        now: datetime,
        sent: SentRef | None = None,
        post_id: int | None = None,
    ) -> None:
        """Record the platform's answer in one step: the message id (on the row and on its
        post, where answers will look it up) and that the work is done."""
        async with self.db.write() as conn:
            if sent is not None and post_id is not None:
                await conn.execute(
                    update(posts)
                    .where(posts.c.id == post_id)
                    .values(message_ref=sent.message_id, native_ref=sent.native_id)
                )
            await conn.execute(
                update(outbox)
                .where(outbox.c.id == claim_id)
                .values(
                    sent_at=now,
                    sending_at=None,
                    message_ref=sent.message_id[:64] if sent is not None else None,
                )
            )

    async def mark_failed(self, claim_id: int, error: str) -> None:
        """The platform answered with an error (the send is known not to have happened)."""
        async with self.db.write() as conn:
            await conn.execute(
                update(outbox)
                .where(outbox.c.id == claim_id)
                .values(last_error=error[:200], sending_at=None)
            )

    async def cancel(self, claim_id: int, now: datetime, reason: str) -> None:
        async with self.db.write() as conn:
            await conn.execute(
                update(outbox)
                .where(outbox.c.id == claim_id, outbox.c.sent_at.is_(None))
                .values(cancelled_at=now, last_error=reason[:200])
            )

    async def claim_due(self, now: datetime, kind: str, limit: int = 500) -> list[Claim]:
        """Take every unsent row of a kind that is due and unclaimed, or whose claim went stale.

        One transaction selects the rows and stamps them with this process's claim. On
        PostgreSQL the select is FOR UPDATE SKIP LOCKED, so replicas sweeping at once split
        the rows between them instead of queueing on each other; SQLite's write transaction
        (BEGIN IMMEDIATE) already admits one claimant at a time, and the clause is dropped.
        """
        stale = now - self.lease
        unsent = (
            outbox.c.kind == kind,
            outbox.c.sent_at.is_(None),
            outbox.c.cancelled_at.is_(None),
            outbox.c.due_at <= now,
        )
        async with self.db.write() as conn:
            takeable = or_(outbox.c.claimed_at.is_(None), outbox.c.claimed_at <= stale)
            if not self.db.is_sqlite:
                # Claims of a replica that is gone (its presence lock is free) need not wait
                # for their lease (bot.storage.presence).
                held = select(outbox.c.claimed_by).where(
                    *unsent,
                    outbox.c.claimed_at > stale,
                    outbox.c.claimed_by.is_not(None),
                    outbox.c.claimed_by != self.instance,
                )
                owners = list((await conn.execute(held.distinct())).scalars())
                gone = await dead(conn, owners)
                if gone:
                    takeable = or_(takeable, outbox.c.claimed_by.in_(gone))
            due = (
                select(outbox.c.id, outbox.c.sending_at)
                .where(*unsent, takeable)
                .order_by(outbox.c.due_at, outbox.c.id)
                .limit(limit)
                .with_for_update(skip_locked=True)
            )
            found = (await conn.execute(due)).all()
            if not found:
                return []
            rows = (
                await conn.execute(
                    update(outbox)
                    .where(outbox.c.id.in_([r.id for r in found]))
                    .values(
                        claimed_at=now,
                        claimed_by=self.instance,
                        attempts=outbox.c.attempts + 1,
                        sending_at=None,
                    )
                    .returning(*_COLUMNS)
                )
            ).all()
        # A row some process began sending and never settled: it died during the platform
        # call, so the platform may or may not have the message (README: "What is promised").
        # It is sent again; the metric counts how often that may have made a second copy.
        for r in found:
            if r.sending_at is not None:
                log.warning("outbox %d (%s): its sender died mid-send; sending again", r.id, kind)
                if self.on_ambiguous is not None:
                    self.on_ambiguous(kind)
        return sorted((_claim(r) for r in rows), key=lambda c: (c.due_at, c.id))

    async def release_orphans(self) -> int:
        """Give back every unsent claim, whoever holds it. Only for a process that knows no
        other is alive: one on a SQLite file, under its single-process lock. The mark of a
        send begun stays, so the takeover still counts it as ambiguous."""
        return await self._release()

    async def release_held(self) -> int:
        """Give back every unsent claim this process holds; call only once its sends are over."""
        return await self._release(outbox.c.claimed_by == self.instance)

    async def _release(self, *which: ColumnElement[bool]) -> int:
        async with self.db.write() as conn:
            result = await conn.execute(
                update(outbox)
                .where(
                    *which,
                    outbox.c.claimed_at.is_not(None),
                    outbox.c.sent_at.is_(None),
                    outbox.c.cancelled_at.is_(None),
                )
                .values(claimed_at=None, claimed_by=None)
            )
        return int(result.rowcount or 0)
