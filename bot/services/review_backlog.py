"""Review-card writes for group answers, done shortly after the answer instead of with it.

An answer in a group (daily, /quiz, contest) is also one FSRS review of the person's card
(bot.services.review). That write costs more than storing the answer (the person's
settings and cards, the peers' times, new cards, logs, card updates), and nobody waits for
it: the chat sees no card, only the person's own /review, /deck and /me do. So the
answer's transaction stores only a backlog row naming the answer, and the reviews are
applied later, oldest answer first, in transactions of their own:

- soon after a burst ends (BacklogWorker: a short quiet spell, or every MAX_DELAY_S under
  sustained load), at every sweep (a replica's leftovers after it died) and at a graceful
  stop;
- before anything reads or writes a person's cards (ReviewService, progress, exams,
  re-scoring): their own backlog first, in the reader's transaction or one just before.

A review is applied from the stored answer (its time, correctness and duration), so it
comes out as it would have inline; the one difference is that the peers a right answer's
speed is compared with are the right answers stored when it is applied, not when it came
(Hard and Easy need MIN_PEERS of them; a burst's first answers now see the whole burst).
The backlog row is deleted in the transaction that applies it, so each answer is reviewed
once; a redelivered answer has no row (its insert found the answer stored already).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from sqlalchemy import bindparam, delete, exists, func, select, text
from sqlalchemy.engine import Connection

from bot.storage.bulk import insert_rows
from bot.storage.db import Database
from bot.storage.tables import answers, posts, review_backlog

log = logging.getLogger(__name__)

# Backlog rows applied per transaction: a chunk holds SQLite's one writer (and, on
# PostgreSQL, the event loop's thread while SQLAlchemy builds its rows) for about 15 ms.
CHUNK = 200
# The backlog is applied in the quiet after a burst, so it never holds up the burst's own
# answers; under sustained load, at least this often (the person's own reads apply theirs).
QUIET_S = 0.3
MAX_DELAY_S = 30.0
# PostgreSQL: one background drain at a time across replicas (a person's answers must be
# applied in order); a reader's own drain locks its rows instead and waits its turn.
_DRAIN_LOCK_KEY = 0x5354_5256  # "STRV"

_COLUMNS = ("answer_id", "user_id")
_ROWS = select(
    review_backlog.c.answer_id,
    answers.c.user_id,
    answers.c.post_id,
    answers.c.correct,
    answers.c.elapsed_ms,
    answers.c.answered_at,
    posts.c.question_id,
    posts.c.kind,
).select_from(
    review_backlog.outerjoin(answers, answers.c.id == review_backlog.c.answer_id).outerjoin(
        posts, posts.c.id == answers.c.post_id
    )
)
_ALL = _ROWS.order_by(review_backlog.c.answer_id).limit(bindparam("limit"))
_MINE = (
    _ROWS.where(review_backlog.c.user_id.in_(bindparam("users", expanding=True)))
    .order_by(review_backlog.c.answer_id)
    .limit(bindparam("limit"))
)
_DONE = delete(review_backlog).where(
    review_backlog.c.answer_id.in_(bindparam("ids", expanding=True))
)
_ANY_OF = select(exists().where(review_backlog.c.user_id.in_(bindparam("users", expanding=True))))
_COUNT = select(func.count()).select_from(review_backlog)


def defer(conn: Connection, rows: Sequence[tuple[int, int]]) -> None:
    """Queue (answer id, person) rows for review, in the answers' transaction."""
    if rows:
        insert_rows(conn, review_backlog, _COLUMNS, list(rows), conflict=("answer_id",))


# apply(conn, rows): review the backlog rows' answers (bot.services.review applies them;
# it imports this module, so it hands its function in). A row's user_id and question_id
# are None when its answer is gone.
Apply = Callable[[Connection, list[Any]], None]


def drain(
    conn: Connection, apply: Apply, users: Sequence[int] | None = None, limit: int = CHUNK
) -> int:
    """Apply up to limit backlog rows (only these people's, when given), oldest first, in
    the caller's transaction; how many rows were taken."""
    statement = _ALL if users is None else _MINE
    if conn.dialect.name == "postgresql":
        # Rows another transaction is applying are waited for, then skipped as deleted.
        statement = statement.with_for_update(of=review_backlog)
    params: dict[str, Any] = {"limit": limit}
    if users is not None:
        params["users"] = list(users)
    rows = conn.execute(statement, params).all()
    if not rows:
        return 0
    apply(conn, [row for row in rows if row.user_id is not None and row.question_id is not None])
    conn.execute(_DONE, {"ids": [row.answer_id for row in rows]})
    return len(rows)


def drain_all(conn: Connection, apply: Apply, users: Sequence[int]) -> None:
    """Every backlog row of these people (before their cards are read or written)."""
    while drain(conn, apply, users) == CHUNK:
        pass


def drain_chunk(conn: Connection, apply: Apply) -> int:
    """One chunk of everyone's backlog; 0 when another replica is applying it now."""
    if conn.dialect.name == "postgresql":
        taken = conn.execute(
            text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": _DRAIN_LOCK_KEY}
        ).scalar_one()
        if not taken:
            return 0
    return drain(conn, apply)


def pending(conn: Connection, users: list[int]) -> bool:
    return bool(conn.execute(_ANY_OF, {"users": users}).scalar_one())


def count(conn: Connection) -> int:
    return int(conn.execute(_COUNT).scalar_one())


async def backlog_size(db: Database) -> int:
    return await db.run_read(count)


class BacklogWorker:
    """Applies the backlog soon after answers were deferred, off their path; what is left
    when the database is disposed (a graceful stop) is applied then."""

    def __init__(self, db: Database, drain: Callable[[Database], Awaitable[int]]) -> None:
        self.db = db
        self._drain = drain  # bot.services.review.drain_backlog
        self._kick = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._waiting = False  # the task is in its quiet-spell sleep (safe to cancel)
        self._idle = asyncio.Event()
        self._idle.set()
        db.on_dispose(self.close)

    def deferred(self) -> None:
        """Answers were deferred and committed: apply them soon."""
        self._idle.clear()
        self._kick.set()
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(
                self._run(), name="studybot-review-backlog"
            )

    async def idle(self) -> None:
        """Until what was deferred so far is applied (tests, benches)."""
        await self._idle.wait()

    async def sweep(self) -> None:
        """The periodic safety net: rows a dead replica or a failed drain left."""
        if await backlog_size(self.db):
            await self._drain(self.db)

    async def close(self) -> None:
        task, self._task = self._task, None
        if task is not None and not task.done():
            if self._waiting:
                task.cancel()
            await asyncio.gather(task, return_exceptions=True)
        try:
            await self.sweep()
        except Exception:
            log.exception("review backlog: applying deferred reviews at stop failed")
        self._idle.set()

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while self._kick.is_set():
            started = loop.time()
            # Wait for a quiet spell, but not forever under sustained load.
            self._waiting = True
            try:
                while self._kick.is_set() and loop.time() - started < MAX_DELAY_S:
                    self._kick.clear()
                    await asyncio.sleep(QUIET_S)
            finally:
                self._waiting = False
            self._kick.clear()
            try:
                await self._drain(self.db)
            except Exception:
                # The rows stay; the next burst or sweep applies them.
                log.exception("review backlog: applying deferred reviews failed")
        self._idle.set()
