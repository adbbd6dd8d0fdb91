"""Claims on messages the bot sends by itself, so each goes out once across restarts and processes.

A row is claimed under a unique key before its message is sent and marked sent after. A
claim whose process died (older than the lease, still unsent) may be taken over, once, by
compare-and-swap on the claim time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, or_, select, update

from bot.storage.db import AnyRow, Database, as_utc
from bot.storage.tables import outbox

LEASE = timedelta(minutes=2)


@dataclass(frozen=True, slots=True)
class Claim:
    id: int
    kind: str
    chat_id: int
    post_id: int | None
    announcement_id: int | None
    due_at: datetime


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
    def __init__(self, db: Database, instance: str) -> None:
        self.db = db
        self.instance = instance

    async def mark_sent(self, claim_id: int, now: datetime) -> None:
        async with self.db.write() as conn:
            await conn.execute(update(outbox).where(outbox.c.id == claim_id).values(sent_at=now))

    async def mark_failed(self, claim_id: int, error: str) -> None:
        async with self.db.write() as conn:
            await conn.execute(
                update(outbox).where(outbox.c.id == claim_id).values(last_error=error[:200])
            )

    async def cancel(self, claim_id: int, now: datetime, reason: str) -> None:
        async with self.db.write() as conn:
            await conn.execute(
                update(outbox)
                .where(outbox.c.id == claim_id, outbox.c.sent_at.is_(None))
                .values(cancelled_at=now, last_error=reason[:200])
            )

    async def claim_due(self, now: datetime, kind: str, limit: int = 500) -> list[Claim]:
        """Take every unsent row of a kind that is due and unclaimed, or whose claim went stale."""
        stale = now - LEASE
        async with self.db.read() as conn:
            rows = (
                await conn.execute(
                    select(*_COLUMNS, outbox.c.claimed_at)
                    .where(
                        outbox.c.kind == kind,
                        outbox.c.sent_at.is_(None),
                        outbox.c.cancelled_at.is_(None),
                        outbox.c.due_at <= now,
                        or_(outbox.c.claimed_at.is_(None), outbox.c.claimed_at <= stale),
                    )
                    .order_by(outbox.c.due_at, outbox.c.id)
                    .limit(limit)
                )
            ).all()
        taken: list[Claim] = []
        for row in rows:
            if await self._take(row.id, row.claimed_at, now):
                taken.append(_claim(row))
        return taken

    async def _take(self, claim_id: int, seen: datetime | None, now: datetime) -> bool:
        unchanged = outbox.c.claimed_at.is_(None) if seen is None else outbox.c.claimed_at == seen
        async with self.db.write() as conn:
            result = await conn.execute(
                update(outbox)
                .where(
                    and_(outbox.c.id == claim_id, outbox.c.sent_at.is_(None), unchanged),
                    outbox.c.cancelled_at.is_(None),
                )
                .values(claimed_at=now, claimed_by=self.instance, attempts=outbox.c.attempts + 1)
            )
        return bool(result.rowcount)

    async def release_held(self) -> int:
        """Give back every unsent claim this process holds; call only once its sends are over."""
        async with self.db.write() as conn:
            result = await conn.execute(
                update(outbox)
                .where(
                    outbox.c.claimed_by == self.instance,
                    outbox.c.claimed_at.is_not(None),
                    outbox.c.sent_at.is_(None),
                    outbox.c.cancelled_at.is_(None),
                )
                .values(claimed_at=None, claimed_by=None)
            )
        return int(result.rowcount or 0)
