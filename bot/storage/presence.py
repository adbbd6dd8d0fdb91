"""Which replicas are alive, told by PostgreSQL itself: each holds a session lock.

A replica's outbox claims (bot.services.outbox) used to be taken over only after their
lease (two minutes), since another replica could not tell a dead claimant from a slow
one; a restart after a crash left the rest of a fan-out two minutes late. Now each
process holds a session-level advisory lock named after its instance id on a connection
of its own, for as long as it runs. PostgreSQL drops the lock the moment that session
ends (the process exited, was killed, or lost its connection), so a claimant whose lock
can be taken is dead, and its claims are taken over at once; a live one's wait for the
lease as before. SQLite has one process, which gives back every orphan claim at start.
"""

from __future__ import annotations

import logging
import zlib

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.storage.db import Database

log = logging.getLogger(__name__)

# The first half of the two-key advisory lock: studybot's replicas, apart from every other
# advisory lock the database's users may take (the migrations use a one-key lock).
LOCK_CLASS = 0x5342  # "SB"


def lock_key(instance: str) -> int:
    """The lock's second key: the instance id's CRC-32 as a signed 32-bit integer."""
    value = zlib.crc32(instance.encode())
    return value - (1 << 32) if value >= 1 << 31 else value


async def dead(conn: AsyncConnection, instances: list[str]) -> list[str]:
    """Of these instances, those no live process is: their lock is free. Inside the caller's
    transaction; the lock taken to find out goes when it ends."""
    gone = []
    for instance in instances:
        free = (
            await conn.execute(
                text("SELECT pg_try_advisory_xact_lock(:cls, :key)"),
                {"cls": LOCK_CLASS, "key": lock_key(instance)},
            )
        ).scalar_one()
        if free:
            gone.append(instance)
    return gone


class Presence:
    """This process's lock, held on a connection of its own while it runs (PostgreSQL)."""

    def __init__(self, db: Database, instance: str) -> None:
        self.db = db
        self.instance = instance
        self._conn: AsyncConnection | None = None

    @property
    def held(self) -> bool:
        return self._conn is not None

    async def start(self) -> None:
        if self.db.is_sqlite or self._conn is not None:
            return
        conn = await self.db.engine.connect()
        try:
            await conn.execution_options(isolation_level="AUTOCOMMIT")
            await conn.execute(
                text("SELECT pg_advisory_lock(:cls, :key)"),
                {"cls": LOCK_CLASS, "key": lock_key(self.instance)},
            )
        except BaseException:
            await conn.close()
            raise
        self._conn = conn

    async def check(self) -> None:
        """At each sweep: a lost connection lost the lock too, and is made again."""
        if self._conn is None:
            return
        try:
            await self._conn.execute(text("SELECT 1"))
            return
        except Exception:
            log.warning("presence: the connection holding this replica's lock was lost")
        await self.stop()
        await self.start()

    async def stop(self) -> None:
        conn, self._conn = self._conn, None
        if conn is None:
            return
        try:
            await conn.execute(
                text("SELECT pg_advisory_unlock(:cls, :key)"),
                {"cls": LOCK_CLASS, "key": lock_key(self.instance)},
            )
            await conn.close()
        except Exception:
            # The connection is gone (and the lock with its session): drop it from the pool.
            await conn.invalidate()
            await conn.close()
