"""Copy every table between engines through a JSON Lines file (SQLite to PostgreSQL, and back).

The file is a header line (format, schema revision, tables in foreign-key order and their
columns), one line per row as ["table", [values...]], and a trailer with the row count of
each table. The trailer is how an import knows the file was not cut short; the whole import
is one transaction, so a bad file leaves the target as empty as it was.
"""

from __future__ import annotations

import base64
import gzip
import io
import json
import zlib
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from sqlalchemy import LargeBinary, Table, func, select, text
from sqlalchemy.ext.asyncio import AsyncConnection

from bot import __version__
from bot.storage.db import Database
from bot.storage.migrate import current_revision, head_revision, upgrade
from bot.storage.tables import UtcDateTime, metadata

FORMAT = "studybot-export"
FORMAT_VERSION = 1
BATCH = 1000


class TransferError(Exception):
    """An export or import that cannot go ahead; the message says why in one line."""


def _open(path: Path, mode: str, *, gz: bool | None = None) -> IO[str]:
    # A .gz name compresses: a million answers shrink to a tenth.
    if path.suffix == ".gz" if gz is None else gz:
        return io.TextIOWrapper(gzip.GzipFile(path, mode + "b"), encoding="utf-8")
    return path.open(mode, encoding="utf-8")


def _encode(value: object) -> object:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, bytes | memoryview):
        # A question's picture (question_images.data); the column's type says to decode it.
        return base64.b64encode(bytes(value)).decode("ascii")
    raise TransferError(f"cannot write a value of type {type(value).__name__}")


def _as_datetime(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def _as_bytes(value: str | None) -> bytes | None:
    return None if value is None else base64.b64decode(value, validate=True)


def _decoder(column_type: object) -> Callable[[Any], Any] | None:
    if isinstance(column_type, UtcDateTime):
        return _as_datetime
    if isinstance(column_type, LargeBinary):
        return _as_bytes
    return None


def _decoders(table: Table, columns: list[str]) -> list[Callable[[Any], Any] | None]:
    """Per column, how a JSON value becomes a bound value (None: as it is)."""
    return [_decoder(table.c[c].type) for c in columns]


@asynccontextmanager
async def _snapshot(db: Database) -> AsyncIterator[AsyncConnection]:
    """One read transaction for every table, so the file is one committed state."""
    async with db.engine.connect() as conn:
        if not db.is_sqlite:
            # PostgreSQL's default READ COMMITTED takes a new snapshot per statement.
            conn = await conn.execution_options(isolation_level="REPEATABLE READ")
        async with conn.begin():
            yield conn


async def export_database(db: Database, path: Path) -> dict[str, int]:
    """Write every table to path; returns the rows written per table."""
    revision = await current_revision(db)
    head = head_revision()
    if revision != head:
        raise TransferError(
            f"the database is at revision {revision}, this studybot's is {head}; "
            "run 'studybot db upgrade' first"
        )
    tables = metadata.sorted_tables
    header = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "revision": revision,
        "studybot": __version__,
        "source": db.engine.dialect.name,
        "exported_at": datetime.now(UTC).isoformat(),
        "tables": [t.name for t in tables],
        "columns": {t.name: [c.name for c in t.columns] for t in tables},
    }
    counts: dict[str, int] = {}
    partial = path.with_name(f".{path.name}.partial")
    try:
        with _open(partial, "w", gz=path.suffix == ".gz") as out:
            out.write(json.dumps(header, ensure_ascii=False) + "\n")
            async with _snapshot(db) as conn:
                for table in tables:
                    counts[table.name] = 0
                    order = list(table.primary_key.columns)
                    result = await conn.stream(select(table).order_by(*order))
                    async for row in result:
                        values = [_encode(v) for v in row]
                        out.write(json.dumps([table.name, values], ensure_ascii=False) + "\n")
                        counts[table.name] += 1
            out.write(json.dumps({"end": {"counts": counts}}) + "\n")
        partial.replace(path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return counts


def _lines(fh: IO[str]) -> Iterator[tuple[int, Any]]:
    number = 0
    reading = enumerate(fh, start=1)
    while True:
        try:
            number, line = next(reading)
        except StopIteration:
            return
        except (EOFError, gzip.BadGzipFile, zlib.error, UnicodeDecodeError) as exc:
            # A .gz cut mid-stream, or a file that is not what its name says.
            what = "cut short" if isinstance(exc, EOFError) else f"unreadable ({exc})"
            raise TransferError(
                f"the file is {what} after line {number}; nothing was imported"
            ) from None
        if not line.strip():
            continue
        try:
            yield number, json.loads(line)
        except json.JSONDecodeError as exc:
            raise TransferError(f"line {number}: not JSON ({exc.msg})") from None


def _check_header(header: Any) -> dict[str, list[str]]:
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise TransferError("not a studybot export (the first line has no studybot header)")
    if header.get("version") != FORMAT_VERSION:
        raise TransferError(f"export format version {header.get('version')} is not supported")
    head = head_revision()
    if header.get("revision") != head:
        raise TransferError(
            f"the export is at schema revision {header.get('revision')}, this studybot's is "
            f"{head}; export and import with the same studybot version"
        )
    columns: dict[str, list[str]] = header.get("columns") or {}
    known = {t.name: t for t in metadata.sorted_tables}
    for name, cols in columns.items():
        if name not in known:
            raise TransferError(f"the export has a table this studybot does not know: {name}")
        unknown = set(cols) - set(known[name].c.keys())
        if unknown:
            raise TransferError(f"table {name}: unknown columns {sorted(unknown)}")
    return columns


async def _row_counts(conn: AsyncConnection) -> dict[str, int]:
    counts = {}
    for table in metadata.sorted_tables:
        counts[table.name] = (
            await conn.execute(select(func.count()).select_from(table))
        ).scalar_one()
    return counts


async def _fix_sequences(conn: AsyncConnection) -> None:
    """Move each PostgreSQL id sequence past the imported ids, so new rows get fresh ones."""
    for table in metadata.sorted_tables:
        column = table.autoincrement_column
        if column is None:
            continue
        await conn.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence(:table, :column), "
                f'COALESCE((SELECT max("{column.name}") FROM "{table.name}"), 0) + 1, false)'
            ),
            {"table": f'"{table.name}"', "column": column.name},
        )


async def import_database(db: Database, path: Path) -> dict[str, int]:
    """Load an export into an empty database (migrating it first); returns rows per table."""
    # The file is read line by line on the loop: a CLI command with nothing else to serve.
    try:
        fh = _open(path, "r")
    except FileNotFoundError:
        raise TransferError(f"{path} does not exist") from None
    with fh:
        lines = _lines(fh)
        first = next(lines, None)
        if first is None:
            raise TransferError(f"{path} is empty")
        columns = _check_header(first[1])
        await upgrade(db)
        known = {t.name: t for t in metadata.sorted_tables}
        decoders = {name: _decoders(known[name], cols) for name, cols in columns.items()}
        async with db.write() as conn:
            present = {name: n for name, n in (await _row_counts(conn)).items() if n}
            if present:
                held = ", ".join(f"{n} {name}" for name, n in present.items())
                raise TransferError(
                    f"the target database already holds data ({held}); import needs an empty one"
                )
            counts = {name: 0 for name in columns}
            trailer: dict[str, int] | None = None
            batch: list[dict[str, Any]] = []
            current: str | None = None

            async def flush() -> None:
                if batch and current is not None:
                    await conn.execute(known[current].insert(), batch)
                    batch.clear()

            for number, item in lines:
                if isinstance(item, dict) and "end" in item:
                    trailer = item["end"].get("counts")
                    break
                if not (isinstance(item, list) and len(item) == 2 and item[0] in columns):
                    raise TransferError(f"line {number}: not a row of a known table")
                name, values = item
                cols = columns[name]
                if len(values) != len(cols):
                    raise TransferError(f"line {number}: {len(values)} values for {len(cols)}")
                if name != current:
                    await flush()
                    current = name
                batch.append(
                    {
                        col: decode(value) if decode else value
                        for col, decode, value in zip(cols, decoders[name], values, strict=True)
                    }
                )
                counts[name] += 1
                if len(batch) >= BATCH:
                    await flush()
            await flush()
            if trailer is None:
                raise TransferError(f"{path} ends early (no end line); nothing was imported")
            if trailer != counts:
                raise TransferError(
                    f"{path}: row counts {counts} do not match the end line {trailer}; "
                    "nothing was imported"
                )
            if not db.is_sqlite:
                await _fix_sequences(conn)
    return counts
