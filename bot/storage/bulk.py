"""Set-based writes of a batch (many rows, one statement) without per-row Core overhead.

A group commit hands its set-based writes a hundred rows at a time. Through Core each row
of an executemany still costs a parameter dict, its compiled-parameter construction and
the bind processors, which on SQLite cost more than SQLite itself. Here, on SQLite, the
statement text is built once per shape (table, columns, row count), the values are bound
by the columns' own bind processors (the same ones Core would use, so what is stored is
the same), and the DBAPI runs it. On PostgreSQL, Core's insertmanyvalues already sends
one multi-row statement per page, so the rows go through it unchanged.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import Table, bindparam, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Dialect

from bot.storage.tables import UtcDateTime

# SQLite's bound-parameter limit is 32,766 (since 3.32); a chunk stays well under it.
MAX_PARAMS = 30_000

Processor = Callable[[Any], Any] | None


def _sqlite_utc(value: datetime | None) -> str | None:
    # SQLAlchemy's SQLite DATETIME text (always six digits of microseconds) of the UTC
    # time, as UtcDateTime binds it; isoformat does in C what its %-format does in Python.
    if value is None:
        return None
    if value.tzinfo is None:
        raise ValueError("naive datetimes are ambiguous; pass an aware datetime")
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")


def _processors(table: Table, columns: Sequence[str], dialect: Dialect) -> list[Processor]:
    if dialect.name == "sqlite":
        return [
            _sqlite_utc
            if isinstance(table.c[name].type, UtcDateTime)
            else table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
            for name in columns
        ]
    # The dialect's own implementation of each type (SQLite's DATETIME writes its text
    # form): exactly what Core binds, so a row reads back the same whichever way it went in.
    return [table.c[name].type.dialect_impl(dialect).bind_processor(dialect) for name in columns]


@lru_cache(maxsize=256)
def _insert_sql(
    table: str,
    columns: tuple[str, ...],
    rows: int,
    conflict: tuple[str, ...] | None,
    returning: tuple[str, ...],
) -> str:
    one = "(" + ",".join("?" * len(columns)) + ")"
    sql = f'INSERT INTO "{table}" ({",".join(columns)}) VALUES {",".join([one] * rows)}'
    if conflict is not None:
        sql += f" ON CONFLICT ({','.join(conflict)}) DO NOTHING"
    if returning:
        sql += f" RETURNING {','.join(returning)}"
    return sql


_PROCESSORS: dict[tuple[str, str, tuple[str, ...]], list[Processor]] = {}


def _bound(
    conn: Connection, table: Table, columns: tuple[str, ...], rows: Sequence[Sequence[Any]]
) -> list[tuple[Any, ...]]:
    key = (conn.dialect.name, table.name, columns)
    procs = _PROCESSORS.get(key)
    if procs is None:
        procs = _PROCESSORS[key] = _processors(table, columns, conn.dialect)
    pairs = [(i, p) for i, p in enumerate(procs) if p is not None]
    if not pairs:
        return [tuple(row) for row in rows]
    out = []
    for row in rows:
        values = list(row)
        for i, p in pairs:
            values[i] = p(values[i])
        out.append(tuple(values))
    return out


# Built once per shape: making the statement and its cache key on every call was a visible
# share of an answer's write on PostgreSQL.
@lru_cache(maxsize=128)
def _core_insert(
    dialect: str, table: Table, conflict: tuple[str, ...] | None, returning: tuple[str, ...]
) -> Any:
    stmt: Any = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)
    if conflict is not None:
        stmt = stmt.on_conflict_do_nothing(index_elements=list(conflict))
    if returning:
        stmt = stmt.returning(*(table.c[name] for name in returning))
    return stmt


@lru_cache(maxsize=128)
def _core_update(table: Table, key: str, columns: tuple[str, ...]) -> Any:
    return (
        update(table)
        .where(table.c[key] == bindparam("b_key"))
        .values({name: bindparam(f"b_{name}") for name in columns})
    )


def insert_rows(
    conn: Connection,
    table: Table,
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    conflict: Sequence[str] | None = None,
    returning: Sequence[str] = (),
) -> list[tuple[Any, ...]]:
    """INSERT rows (tuples in columns' order); with conflict, ON CONFLICT (conflict) DO
    NOTHING. The returning columns of the rows that went in, in no promised order; they
    must be columns that need no result processing (ids, keys, text)."""
    if not rows:
        return []
    cols = tuple(columns)
    back = tuple(returning)
    if conn.dialect.name != "sqlite":
        stmt = _core_insert(conn.dialect.name, table, tuple(conflict) if conflict else None, back)
        params = [dict(zip(cols, row, strict=True)) for row in rows]
        # One row as a plain execute: a list, even of one, takes the insertmanyvalues path,
        # which renders and batches the statement again on every call.
        result = conn.execute(stmt, params[0] if len(params) == 1 else params)
        return [tuple(r) for r in result] if back else []
    bound = _bound(conn, table, cols, rows)
    per_chunk = max(1, MAX_PARAMS // len(cols))
    found: list[tuple[Any, ...]] = []
    for start in range(0, len(bound), per_chunk):
        chunk = bound[start : start + per_chunk]
        sql = _insert_sql(table.name, cols, len(chunk), tuple(conflict) if conflict else None, back)
        flat = tuple(v for row in chunk for v in row)
        result = conn.exec_driver_sql(sql, flat)
        if back:
            found.extend(tuple(r) for r in result)
    return found


def update_rows(
    conn: Connection, table: Table, key: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]
) -> None:
    """UPDATE table SET columns WHERE key = ?, one row per tuple (columns' values, then the
    key's), as one executemany."""
    if not rows:
        return
    cols = tuple(columns)
    if conn.dialect.name != "sqlite":
        params = [
            {**{f"b_{n}": v for n, v in zip(cols, row[:-1], strict=True)}, "b_key": row[-1]}
            for row in rows
        ]
        conn.execute(_core_update(table, key, cols), params[0] if len(params) == 1 else params)
        return
    bound = _bound(conn, table, (*cols, key), rows)
    sql = f'UPDATE "{table.name}" SET {",".join(f"{c}=?" for c in cols)} WHERE {key}=?'
    conn.exec_driver_sql(sql, bound)
