"""One send budget per bot token, shared by every replica through PostgreSQL.

Each platform has a row holding the moment its next message may go (a virtual schedule, as
in GCRA). A send books the next free slot with one UPDATE … RETURNING, which moves the row
one interval on and says how long to wait for the slot booked; the database's clock is the
only clock, so replicas with skewed clocks still space their sends. N replicas together
therefore send no faster than one would. A 429 moves the row on by retry_after for all.

Telegram's 20 messages a minute into one group is shared the same way, with a row per
group (key "telegram:<chat>"): a schedule of one message every few seconds that may run a
few messages ahead of itself (GCRA with a burst), sized so that no 60-second window holds
more than 20 whichever replicas send them. A group's quick run of messages (a question, its
reveal, the board) goes at once; a longer run spreads out.

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
# late one can bunch with the next. At 25.5/s any one second holds at most 30 sends as
# long as no send goes more than ~170 ms after its slot (at 27/s, 70 ms was too little for
# three replicas on two busy cores: 31 sends were once seen in one second).
SHARED_HEADROOM = 0.85
# Budget rows this process remembers having made (one per platform and per group it has
# sent to); past it a send costs one more ON CONFLICT DO NOTHING, nothing else.
KNOWN_KEYS = 10_000

# next_free is the schedule's theoretical time for the next send; a send may go up to
# :ahead seconds before it (the burst), and moves it one interval on from when it goes.
_BOOK = text(
    """
    UPDATE rate_budgets
    SET next_free = GREATEST(next_free, statement_timestamp())
        + CAST(:interval AS double precision) * INTERVAL '1 second'
    WHERE key = :key
    RETURNING EXTRACT(EPOCH FROM (next_free - statement_timestamp()))
        - CAST(:interval AS double precision) - CAST(:ahead AS double precision) AS wait
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


def chat_schedule(count: int, window: float, headroom: float) -> tuple[float, float]:
    """(interval, burst allowance in seconds) for at most count sends in any window.

    A schedule of one send per interval that may run burst sends ahead holds at most
    floor(window / interval) + burst sends in a window; with a quarter of count as the
    burst and the interval a little over window / (count - burst), that stays under count.
    """
    burst = max(1, count // 4)
    interval = window / max(1, count - burst) / headroom
    return interval, (burst - 1) * interval


class Budget(Protocol):
    async def reserve(self, key: str, per_second: float) -> float:
        """Book the next send for key; the seconds to wait before it may go."""

    async def reserve_chat(self, key: str, count: int, window: float) -> float:
        """Book a send into one group (key names it): at most count in any window seconds
        across replicas. The seconds to wait before it may go."""

    async def pause(self, key: str, seconds: float) -> None:
        """The platform said wait (a 429): no replica sends for key before then."""


class SharedBudget:
    """The budget rows of a PostgreSQL database."""

    def __init__(self, db: Database, headroom: float = SHARED_HEADROOM) -> None:
        self.db = db
        self.headroom = headroom
        self._known: set[str] = set()

    async def reserve(self, key: str, per_second: float) -> float:
        return await self._book(key, 1.0 / (per_second * self.headroom), 0.0)

    async def reserve_chat(self, key: str, count: int, window: float) -> float:
        interval, ahead = chat_schedule(count, window, self.headroom)
        return await self._book(key, interval, ahead)

    async def _book(self, key: str, interval: float, ahead: float) -> float:
        params = {"key": key, "interval": interval, "ahead": ahead}
        async with self.db.engine.begin() as conn:
            if key not in self._known:
                await conn.execute(_CREATE, {"key": key})
                if len(self._known) < KNOWN_KEYS:
                    self._known.add(key)
            wait = (await conn.execute(_BOOK, params)).scalar_one()
        return max(0.0, float(wait))

    async def pause(self, key: str, seconds: float) -> None:
        async with self.db.engine.begin() as conn:
            await conn.execute(_PAUSE, {"key": key, "seconds": seconds})
