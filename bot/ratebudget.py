"""One send budget per bot token, shared by every replica through PostgreSQL.

Each platform has a row holding the moment its next message may go (a virtual schedule, as
in GCRA). A send books the next free slot with one UPDATE … RETURNING, which moves the row
one interval on and says how long to wait for the slot booked; the database's clock is the
only clock, so replicas with skewed clocks still space their sends. N replicas together
therefore send no faster than one would. A 429 moves the row on by retry_after for all.

On SQLite (one process) the pacer's in-memory lane is the whole budget and this is unused.
"""

from __future__ import annotations

import logging
from typing import Protocol

from sqlalchemy import text

from bot.storage.db import Database

log = logging.getLogger(__name__)

# The shared schedule aims further under the limit than one process's lane does: a send
# goes a little after its booked slot (the booking's round trip, a busy event loop), and a
# late one can bunch with the next. At 27/s any one second holds at most 29 sends as long
# as no send goes more than ~70 ms after its slot.
SHARED_HEADROOM = 0.9

_BOOK = text(
    """
    UPDATE rate_budgets
    SET next_free = GREATEST(next_free, statement_timestamp())
        + CAST(:interval AS double precision) * INTERVAL '1 second'
    WHERE key = :key
    RETURNING EXTRACT(EPOCH FROM (next_free - statement_timestamp()))
        - CAST(:interval AS double precision) AS wait
    """
)
_CREATE = text(
    "INSERT INTO rate_budgets (key, next_free) VALUES (:key, statement_timestamp()) "
    "ON CONFLICT (key) DO NOTHING"
)
_PAUSE = text(
    """
    UPDATE rate_budgets
    SET next_free = GREATEST(
        next_free,
        statement_timestamp() + CAST(:seconds AS double precision) * INTERVAL '1 second'
    )
    WHERE key = :key
    """
)


class Budget(Protocol):
    async def reserve(self, key: str, per_second: float) -> float:
        """Book the next send for key; the seconds to wait before it may go."""

    async def pause(self, key: str, seconds: float) -> None:
        """The platform said wait (a 429): no replica sends for key before then."""


class SharedBudget:
    """The budget rows of a PostgreSQL database."""

    def __init__(self, db: Database, headroom: float = SHARED_HEADROOM) -> None:
        self.db = db
        self.headroom = headroom
        self._known: set[str] = set()

    async def reserve(self, key: str, per_second: float) -> float:
        interval = 1.0 / (per_second * self.headroom)
        async with self.db.engine.begin() as conn:
            if key not in self._known:
                await conn.execute(_CREATE, {"key": key})
                self._known.add(key)
            wait = (await conn.execute(_BOOK, {"key": key, "interval": interval})).scalar_one()
        return max(0.0, float(wait))

    async def pause(self, key: str, seconds: float) -> None:
        async with self.db.engine.begin() as conn:
            await conn.execute(_PAUSE, {"key": key, "seconds": seconds})
