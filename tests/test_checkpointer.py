"""SQLite WAL checkpoints run on the Checkpointer's thread, never inside a commit (issue 17).

A commit that had to copy the WAL back into the database file took over 3 ms about once
in 180 answers. The engine's connections turn automatic checkpoints off; this shows that
commits then leave the WAL to grow past the point where SQLite would have checkpointed,
and that the Checkpointer's thread copies it back and lets the WAL start over.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from pathlib import Path

from sqlalchemy import text

from bot.storage.db import Checkpointer, Database

PAGE = 4096
AUTOCHECKPOINT_PAGES = 1000  # SQLite's default wal_autocheckpoint
ROW = "x" * 3000  # about one page per row


def _wal_frames(path: Path) -> int:
    wal = Path(f"{path}-wal")
    return (wal.stat().st_size - 32) // (PAGE + 24) if wal.exists() else 0


def _wait_for_runs(checkpointer: Checkpointer, runs: int, seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while checkpointer.runs < runs and time.monotonic() < deadline:
        time.sleep(0.01)
    return checkpointer.runs >= runs


def _write(conn: object, n: int) -> None:
    for i in range(n):
        conn.execute(  # type: ignore[attr-defined]
            text("INSERT INTO ballast (body) VALUES (:b)"), {"b": f"{i}{ROW}"}
        )


async def test_commits_do_not_checkpoint_and_the_checkpointer_does(tmp_path: Path) -> None:
    path = tmp_path / "wal.db"
    db = Database(f"sqlite+aiosqlite:///{path}")
    assert db.checkpointer is not None
    # Its own thread is stopped, so every checkpoint below is one this test started.
    db.checkpointer.stop()
    runs_before = db.checkpointer.runs
    try:
        await db.run_write(
            lambda c: c.execute(text("CREATE TABLE ballast (id INTEGER PRIMARY KEY, body TEXT)"))
        )
        # Every connection the engines hand out has automatic checkpoints off.
        assert (
            await db.run_write(lambda c: c.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar())
            == 0
        )
        assert (
            await db.run_read(lambda c: c.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar())
            == 0
        )
        async with db.write() as conn:
            assert (await conn.exec_driver_sql("PRAGMA wal_autocheckpoint")).scalar() == 0

        # Three times the pages at which a commit would have checkpointed, in 300 commits.
        for _ in range(300):
            await db.run_write(_write, 10)
        frames = _wal_frames(path)
        assert frames > 3 * AUTOCHECKPOINT_PAGES, frames
        # Nothing was copied back: the database file holds little more than the schema.
        assert path.stat().st_size < 100 * PAGE
        assert db.checkpointer.runs == runs_before

        # A Checkpointer on its thread copies the WAL back within an interval or two...
        checkpointer = Checkpointer(str(path), interval=0.05)
        try:
            assert await asyncio.to_thread(_wait_for_runs, checkpointer, 1)
        finally:
            checkpointer.stop()
        assert path.stat().st_size > frames * PAGE // 2
        with sqlite3.connect(path) as raw:
            busy, log, done = raw.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
            assert busy == 0 and log == done  # every frame is already in the database
            assert raw.execute("SELECT count(*) FROM ballast").fetchone()[0] == 3000

        # ...and the next commits write the WAL from its start again instead of growing it.
        for _ in range(10):
            await db.run_write(_write, 10)
        assert _wal_frames(path) == frames  # the file is reused, not extended
        with sqlite3.connect(path) as raw:
            _busy, log, _done = raw.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
            assert log < AUTOCHECKPOINT_PAGES
    finally:
        await db.dispose()


async def test_commits_go_on_while_a_checkpoint_runs(tmp_path: Path) -> None:
    """A PASSIVE checkpoint takes no writer lock: a commit made mid-checkpoint succeeds.

    A reader's open snapshot holds the checkpoint at the frames it still needs, so the
    checkpoint stays unfinished (busy) while the commits go on around it.
    """
    path = tmp_path / "busy.db"
    db = Database(f"sqlite+aiosqlite:///{path}")
    assert db.checkpointer is not None
    db.checkpointer.stop()
    try:
        await db.run_write(
            lambda c: c.execute(text("CREATE TABLE ballast (id INTEGER PRIMARY KEY, body TEXT)"))
        )
        await db.run_write(_write, 200)
        reader = sqlite3.connect(path, isolation_level=None)
        reader.execute("BEGIN")
        assert reader.execute("SELECT count(*) FROM ballast").fetchone()[0] == 200
        await db.run_write(_write, 200)  # frames the reader's snapshot does not cover
        checkpointer = Checkpointer(str(path), interval=0.01)
        try:
            started = checkpointer.runs
            for _ in range(50):
                await db.run_write(_write, 1)  # each commit lands while checkpoints run
            assert await asyncio.to_thread(_wait_for_runs, checkpointer, started + 3)
        finally:
            checkpointer.stop()
        assert reader.execute("SELECT count(*) FROM ballast").fetchone()[0] == 200
        reader.execute("COMMIT")
        reader.close()
        count = await db.run_read(
            lambda c: c.exec_driver_sql("SELECT count(*) FROM ballast").scalar()
        )
        assert count == 450
    finally:
        await db.dispose()
