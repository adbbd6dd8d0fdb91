"""Consistent copies of a live SQLite database, restoring one, and the lock that guards both.

A backup uses SQLite's online backup API in a single step: it reads every page inside one
read transaction, so in WAL mode the bot keeps writing while the copy sees one committed
state. A restore needs the bot stopped; every bot process holds a shared lock on a file
beside the database, and a restore takes it exclusively or refuses. A running bot also
holds a second lock exclusively, so a second bot on the same SQLite file is refused.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from alembic.script import ScriptDirectory
from sqlalchemy.engine import make_url

from bot.storage.migrate import alembic_config

try:
    import fcntl
except ImportError:  # Windows: no flock; a restore there trusts the operator to stop the bot
    fcntl = None  # type: ignore[assignment]  # None stands for "no flock on this platform"

PG_DUMP_HINT = (
    "backups of PostgreSQL are made with pg_dump (e.g. pg_dump -Fc -f studybot.dump DBNAME) "
    "and restored with pg_restore; db backup and db restore copy SQLite files"
)
# Tables that tell an operator what a copy holds.
SUMMARY_TABLES = ("chats", "users", "posts", "answers", "scores")


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why in one line."""


class DatabaseBusy(BackupError):
    """Another process holds the database's lock."""


def sqlite_file(url: str) -> Path | None:
    """The database file of a SQLite URL, or None for any other engine."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return None
    if not parsed.database or parsed.database == ":memory:":
        raise BackupError("an in-memory SQLite database has no file to copy")
    return Path(parsed.database).expanduser()


def lock_path(db_file: Path) -> Path:
    return db_file.with_name(db_file.name + "-inuse")


@contextlib.contextmanager
def database_lock(url: str, *, exclusive: bool) -> Iterator[None]:
    """Shared for every process that uses the database, exclusive for a restore.

    flock is released by the kernel when a process dies, so a crashed bot never leaves a
    stale lock behind. PostgreSQL needs none of this.
    """
    db_file = sqlite_file(url)
    if db_file is None or fcntl is None:
        yield
        return
    db_file.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_path(db_file), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        mode = fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH
        try:
            fcntl.flock(fd, mode | fcntl.LOCK_NB)
        except BlockingIOError:
            if exclusive:
                raise DatabaseBusy(
                    f"{db_file} is in use by a running studybot; stop it first "
                    "(e.g. systemctl stop studybot)"
                ) from None
            raise DatabaseBusy(
                f"{db_file} is being restored; start again when that is done"
            ) from None
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def run_lock_path(db_file: Path) -> Path:
    return db_file.with_name(db_file.name + "-running")


@contextlib.contextmanager
def single_process(url: str) -> Iterator[None]:
    """Held exclusively by the one bot process a SQLite database may have.

    A second `studybot run` (or console) on the same file is refused with one line; the
    `db` commands do not take this lock, so a backup or an export still works beside the
    running bot. PostgreSQL takes any number of replicas and needs none of this.
    """
    db_file = sqlite_file(url)
    if db_file is None or fcntl is None:
        yield
        return
    db_file.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(run_lock_path(db_file), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise DatabaseBusy(
                f"another studybot is already running on {db_file}; SQLite takes one process "
                "(stop the other one, or run several on PostgreSQL: see deploy/README.md)"
            ) from None
        yield
    finally:
        os.close(fd)


@dataclass(frozen=True, slots=True)
class CopyInfo:
    path: Path
    revision: str | None
    counts: dict[str, int]
    size: int

    def describe(self) -> str:
        held = ", ".join(f"{n} {t}" for t, n in self.counts.items())
        return f"{self.path} ({self.size:,} bytes, revision {self.revision}; {held})"


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_file(path: Path) -> None:
    with path.open("rb") as fh:
        os.fsync(fh.fileno())


def inspect_copy(path: Path) -> CopyInfo:
    """Check a database file the way a restore must trust it; raise BackupError if unfit."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise BackupError(f"{path}: cannot open ({exc})") from None
    try:
        try:
            result = [row[0] for row in conn.execute("PRAGMA integrity_check")]
        except sqlite3.DatabaseError as exc:
            raise BackupError(f"{path}: not a SQLite database ({exc})") from None
        if result != ["ok"]:
            raise BackupError(f"{path}: integrity check failed: {'; '.join(result[:3])}")
        try:
            revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        except sqlite3.OperationalError:
            raise BackupError(f"{path}: not a studybot database (no migration table)") from None
        counts = {}
        for table in SUMMARY_TABLES:
            try:
                counts[table] = conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
            except sqlite3.OperationalError:
                raise BackupError(f"{path}: not a studybot database (no {table} table)") from None
    finally:
        conn.close()
    return CopyInfo(path, revision[0] if revision else None, counts, path.stat().st_size)


def _copy_pages(source: sqlite3.Connection, target: Path) -> None:
    dest = sqlite3.connect(target)
    try:
        # pages=-1 copies the whole file in one step, under one read transaction, so the
        # copy is one committed state even while the bot writes (WAL lets it go on).
        source.backup(dest, pages=-1)
        # A copy must stand alone: no -wal file beside it holding part of its content.
        dest.execute("PRAGMA journal_mode=DELETE")
    finally:
        dest.close()


def _partial_name(target: Path) -> Path:
    return target.with_name(f".{target.name}.partial-{os.getpid()}")


def backup_sqlite(source: Path, target: Path) -> CopyInfo:
    """Copy the live database at source to target (a file, or a folder to put one in)."""
    if not source.is_file():
        raise BackupError(f"{source} does not exist; there is nothing to back up yet")
    if target.is_dir():
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        target = target / f"studybot-{stamp}.db"
    if target.exists():
        raise BackupError(f"{target} already exists; choose a new name")
    if not target.parent.is_dir():
        raise BackupError(f"{target.parent} is not a folder")
    partial = _partial_name(target)
    conn = sqlite3.connect(source, timeout=10)
    try:
        _copy_pages(conn, partial)
        info = inspect_copy(partial)
        _fsync_file(partial)
        os.replace(partial, target)
        _fsync_dir(target.parent)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    finally:
        conn.close()
    return CopyInfo(target, info.revision, info.counts, info.size)


def known_revisions() -> set[str]:
    script = ScriptDirectory.from_config(alembic_config())
    return {rev.revision for rev in script.walk_revisions()}


def restore_sqlite(backup: Path, url: str) -> tuple[CopyInfo, Path | None]:
    """Put a checked backup in place of the database; returns it and where the old one went.

    The caller must hold the exclusive database lock, so no bot has the file open.
    """
    target = sqlite_file(url)
    assert target is not None
    if not backup.is_file():
        raise BackupError(f"{backup} does not exist")
    info = inspect_copy(backup)
    if info.revision is not None and info.revision not in known_revisions():
        raise BackupError(
            f"{backup} is at revision {info.revision}, which this studybot does not know; "
            "restore it with the newer version that made it"
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = _partial_name(target)
    saved: Path | None = None
    src = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
    try:
        _copy_pages(src, partial)
        _fsync_file(partial)
        if target.exists():
            # Fold the old WAL into its file first: a -wal left beside the restored file
            # would be replayed into it on the next open.
            old = sqlite3.connect(target)
            try:
                old.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                old.close()
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
            saved = target.with_name(f"{target.name}.before-restore-{stamp}")
            try:
                os.link(target, saved)
            except OSError:
                shutil.copy2(target, saved)
        for suffix in ("-wal", "-shm"):
            target.with_name(target.name + suffix).unlink(missing_ok=True)
        os.replace(partial, target)
        _fsync_dir(target.parent)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    finally:
        src.close()
    return CopyInfo(target, info.revision, info.counts, target.stat().st_size), saved
