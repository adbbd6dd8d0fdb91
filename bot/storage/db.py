"""The engine, its SQLite pragmas, and the read and write transaction helpers."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections.abc import AsyncIterator, Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar, overload

from sqlalchemy import create_engine, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine, Row, make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from bot.storage.group_commit import GroupCommit

BUSY_TIMEOUT_MS = 10_000
# SQLite checkpoints run on a thread of their own (Checkpointer), not inside a commit:
# the engine's connections set wal_autocheckpoint=0, and a PASSIVE checkpoint runs this
# often, so an answer's commit never copies the WAL back into the database file.
CHECKPOINT_INTERVAL_S = 1.0
# Prepared statements kept per PostgreSQL connection (SQLAlchemy's asyncpg cache, keyed by
# SQL text): every hot statement is parsed and planned once per connection, not per call.
PG_STATEMENT_CACHE = 500
# How long a PostgreSQL connection attempt may take (asyncpg's own default is 60 s).
CONNECT_TIMEOUT_S = 10.0
T = TypeVar("T")

# What Database.insert hands back: the dialect's INSERT, which has on_conflict_do_nothing,
# on_conflict_do_update and excluded (the generic sqlalchemy Insert has none of them).
UpsertInsert = sqlite.Insert | postgresql.Insert

# A result row of any width, read by column name (row.chat_id).
AnyRow = Row[*tuple[Any, ...]]


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Hand transaction control to our "begin" hook so writers can take BEGIN IMMEDIATE.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    # NORMAL in WAL mode keeps every committed transaction across a process kill;
    # only a power loss can take the last ones back.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _sqlite_begin(conn: Any) -> None:
    immediate = conn.get_execution_options().get("sqlite_immediate", False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def make_engine(url: str, **kwargs: Any) -> AsyncEngine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(url, **kwargs)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        event.listen(engine.sync_engine, "begin", _sqlite_begin)
        return engine
    connect_args = {
        "timeout": CONNECT_TIMEOUT_S,
        "prepared_statement_cache_size": PG_STATEMENT_CACHE,
        **kwargs.pop("connect_args", {}),
    }
    # No pre-ping: it cost a round trip (~1 ms) on every checkout, more than a board's
    # queries. A connection the server dropped fails one call and the pool is invalidated.
    return create_async_engine(url, pool_pre_ping=False, connect_args=connect_args, **kwargs)


def sqlite_quick_check(path: Path) -> str | None:
    """The first problem PRAGMA quick_check finds in a SQLite file, or None when it is sound.

    Opened read-only and apart from any engine, so it changes nothing and also names a
    file that is not a database at all.
    """
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=10)
    except sqlite3.Error as exc:
        return str(exc)
    try:
        rows = conn.execute("PRAGMA quick_check").fetchall()
    except sqlite3.Error as exc:
        return str(exc)
    finally:
        conn.close()
    problems = [str(row[0]) for row in rows if row and row[0] != "ok"]
    if not problems:
        return None
    more = f" and {len(problems) - 1} more" if len(problems) > 1 else ""
    return f"quick_check: {problems[0]}{more}"


def _no_autocheckpoint(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA wal_autocheckpoint=0")
    cursor.close()


class Checkpointer:
    """PASSIVE WAL checkpoints on a thread of their own, every interval seconds.

    PASSIVE never waits for readers or writers: writers keep appending to the WAL while it
    copies committed frames back, and SQLite restarts the WAL from its start once a
    checkpoint has caught up. A last checkpoint runs when the Database is disposed.
    """

    def __init__(self, path: str, interval: float = CHECKPOINT_INTERVAL_S) -> None:
        self.path = path
        self.interval = interval
        self.runs = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="studybot-db-checkpoint")
        self._thread.daemon = True
        self._thread.start()

    def checkpoint(self, conn: sqlite3.Connection) -> None:
        try:
            conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
            self.runs += 1
        except sqlite3.Error:
            pass  # a busy or vanished file: the next round tries again

    def _loop(self) -> None:
        conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
        try:
            conn.execute("PRAGMA wal_autocheckpoint=0")
            while not self._stop.wait(self.interval):
                self.checkpoint(conn)
            self.checkpoint(conn)
        finally:
            conn.close()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


class Database:
    """One engine with the transaction discipline every service uses.

    Hot paths hand a whole transaction, as a plain function of a sync Connection, to
    run_write or run_read. On SQLite that function runs in one hop on a dedicated thread
    with a sync engine, instead of one aiosqlite thread round trip per statement; on
    PostgreSQL it runs through the async engine with run_sync.
    """

    def __init__(self, url: str, **engine_kwargs: Any) -> None:
        self.url = url
        self.engine = make_engine(url, **engine_kwargs)
        self.is_sqlite = self.engine.dialect.name == "sqlite"
        # SQLite has one writer; queueing writers here avoids busy waits inside the process.
        self._write_lock = asyncio.Lock() if self.is_sqlite else None
        self._sync: Engine | None = None
        self._writer: ThreadPoolExecutor | None = None
        self._readers: ThreadPoolExecutor | None = None
        self.checkpointer: Checkpointer | None = None
        if self.is_sqlite:
            sync_url = make_url(url).set(drivername="sqlite+pysqlite")
            self._sync = create_engine(sync_url, pool_size=3, max_overflow=0)
            event.listen(self._sync, "connect", _sqlite_pragmas)
            event.listen(self._sync, "begin", _sqlite_begin)
            self._writer = ThreadPoolExecutor(1, thread_name_prefix="studybot-db-write")
            self._readers = ThreadPoolExecutor(2, thread_name_prefix="studybot-db-read")
            path = make_url(url).database
            if path and path != ":memory:" and not path.startswith("file:"):
                for engine in (self._sync, self.engine.sync_engine):
                    event.listen(engine, "connect", _no_autocheckpoint)
                self.checkpointer = Checkpointer(str(Path(path).expanduser()))
        # Hot small writes (an answer, a newcomer) queued together share one transaction.
        self.group = GroupCommit(self)
        self._closers: list[Callable[[], Awaitable[None]]] = []

    def on_dispose(self, close: Callable[[], Awaitable[None]]) -> None:
        """Run close (background writes finishing up) before the engine goes."""
        self._closers.append(close)

    def _in_thread(self, fn: Callable[..., T], args: tuple[Any, ...], write: bool) -> T:
        assert self._sync is not None
        with self._sync.connect() as conn:
            conn = conn.execution_options(sqlite_immediate=write)
            with conn.begin():
                return fn(conn, *args)

    async def run_write(self, fn: Callable[..., T], *args: Any) -> T:
        """Run fn(conn, *args) as one write transaction."""
        if self._writer is None:
            async with self.engine.begin() as conn:
                return await conn.run_sync(fn, *args)
        assert self._write_lock is not None
        async with self._write_lock:
            loop = asyncio.get_running_loop()
            return await loop.run_in_executor(self._writer, self._in_thread, fn, args, True)

    async def run_grouped(self, fn: Callable[..., T], *args: Any) -> T:
        """Like run_write, but fn may share its transaction with writes queued beside it
        (bot.storage.group_commit); its result comes back once that transaction committed."""
        return await self.group.run(fn, *args)

    async def run_grouped_many(self, fn: Callable[[Any, list[Any]], list[Any]], item: Any) -> Any:
        """item as one of a set-based write: fn(conn, items) gets every item of fn queued
        with it, and returns one result per item (bot.storage.group_commit)."""
        return await self.group.run_many(fn, item)

    async def run_read(self, fn: Callable[..., T], *args: Any) -> T:
        """Run fn(conn, *args) as one read transaction.

        On PostgreSQL it runs in autocommit, without BEGIN and ROLLBACK (two round trips of
        the three a one-statement read would cost): fn should read in one statement, or not
        mind each statement seeing its own snapshot.
        """
        if self._readers is None:
            async with self.engine.connect() as conn:
                conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
                return await conn.run_sync(fn, *args)
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._readers, self._in_thread, fn, args, False)

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncConnection]:
        async with self.engine.connect() as conn, conn.begin():
            yield conn

    @asynccontextmanager
    async def write(self) -> AsyncIterator[AsyncConnection]:
        if self._write_lock is None:
            async with self.engine.begin() as conn:
                yield conn
            return
        async with self._write_lock, self.engine.connect() as conn:
            conn = await conn.execution_options(sqlite_immediate=True)
            async with conn.begin():
                yield conn

    def insert(self, table: Any) -> UpsertInsert:
        """An INSERT that supports ON CONFLICT on both engines."""
        if self.is_sqlite:
            return sqlite.insert(table)
        return postgresql.insert(table)

    async def dispose(self) -> None:
        closers, self._closers = self._closers, []
        for close in closers:
            await close()
        await self.engine.dispose()
        if self.checkpointer is not None:
            self.checkpointer.stop()
        for pool in (self._writer, self._readers):
            if pool is not None:
                pool.shutdown(wait=True)
        if self._sync is not None:
            self._sync.dispose()


@overload
def as_utc(value: datetime) -> datetime: ...
@overload
def as_utc(value: None) -> None: ...
@overload
def as_utc(value: datetime | None) -> datetime | None: ...
def as_utc(value: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; everything we store is UTC."""
    if value is None:
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)
