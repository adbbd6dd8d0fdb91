"""The plans PostgreSQL runs for the board reads as asyncpg prepares them (issue 17).

asyncpg prepares every statement and keeps it per connection; after five executions
PostgreSQL may switch a prepared statement to a generic plan, planned without the
parameters' values. explain_prepared runs a statement through SQLAlchemy as the bot does,
finds the server-side prepared statement asyncpg made for it (pg_prepared_statements) and
EXPLAINs an EXECUTE of that very statement, optionally with a generic plan forced.
Used by tests/test_board_generic_plans.py and tests/bench/bench_storage.py.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.services import scores as sc

RUNS = 6  # more than the five custom plans PostgreSQL tries before a generic one


def board_statements(
    chat_id: int, user_id: int, buckets: dict[str, int]
) -> dict[str, tuple[Any, dict[str, object]]]:
    """Every board read with its parameters: all-time, each period, /me and streaks."""
    key = {"chat_id": chat_id, "user_id": user_id}
    out: dict[str, tuple[Any, dict[str, object]]] = {
        "all-time board": (sc._ALL_BOARD, key | {"period": sc.ALL, "bucket": 0, "limit": 10}),
    }
    for period, name in ((sc.DAY, "today"), (sc.WEEK, "week"), (sc.MONTH, "month")):
        params = key | {"period": period, "bucket": buckets[period], "limit": 10}
        out[f"{name} board"] = (sc._PERIOD_BOARD, params)
    out["/me"] = (sc._RECORD, key | {"period": sc.ALL, "bucket": 0})
    out["streaks"] = (sc._STREAKS, {"chat_id": chat_id, "user_ids": [user_id, 1, 2, 3]})
    return out


def _literal(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return "'" + str(value).replace("'", "''") + "'"


async def explain_prepared(
    conn: AsyncConnection,
    statement: Any,
    params: dict[str, object],
    *,
    generic: bool,
    analyze: bool = False,
    runs: int = RUNS,
) -> tuple[dict[str, Any], dict[str, int]]:
    """(the JSON plan of EXECUTE of asyncpg's prepared statement, its plan counts).

    The statement runs runs times first, as the bot would run it, on this connection.
    """
    sent: list[tuple[str, Any]] = []

    def capture(_conn: Any, _cursor: Any, text: str, parameters: Any, *_: Any) -> None:
        sent.append((text, parameters))

    sync = conn.sync_engine
    event.listen(sync, "before_cursor_execute", capture)
    try:
        for _ in range(runs):
            await conn.execute(statement, params)
    finally:
        event.remove(sync, "before_cursor_execute", capture)
    text, args = sent[-1]
    raw = (await conn.get_raw_connection()).driver_connection
    assert raw is not None
    found = await raw.fetchrow(
        "SELECT name, generic_plans, custom_plans FROM pg_prepared_statements WHERE statement = $1",
        text,
    )
    assert found is not None, f"asyncpg did not prepare: {text[:80]}"
    counts = {"generic_plans": found["generic_plans"], "custom_plans": found["custom_plans"]}
    options = "ANALYZE, BUFFERS, FORMAT JSON" if analyze else "FORMAT JSON"
    execute = f'EXECUTE "{found["name"]}"({", ".join(_literal(a) for a in args)})'
    if generic:
        await raw.execute("SET plan_cache_mode = force_generic_plan")
    try:
        plan = await raw.fetchval(f"EXPLAIN ({options}) {execute}")
    finally:
        if generic:
            await raw.execute("RESET plan_cache_mode")
    return as_plan(plan), counts


def as_plan(explained: Any) -> dict[str, Any]:
    """The top node of EXPLAIN (FORMAT JSON), as text or as asyncpg decoded it."""
    doc = json.loads(explained) if isinstance(explained, str) else explained
    return dict(doc[0]["Plan"])


def nodes(plan: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield plan
    for child in plan.get("Plans", []):
        yield from nodes(child)


def scans(plan: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(node type, relation, index) of every scan in the plan, in plan order."""
    return [
        (n["Node Type"], n.get("Relation Name", ""), n.get("Index Name", ""))
        for n in nodes(plan)
        if "Relation Name" in n
    ]


def plan_summary(plan: dict[str, Any], depth: int = 0) -> str:
    """One line per node: type, relation and index, rows and buffers when analyzed."""
    bits = [plan["Node Type"]]
    if "Index Name" in plan:
        bits.append(f"using {plan['Index Name']}")
    if "Relation Name" in plan:
        bits.append(f"on {plan['Relation Name']}")
    if "Actual Rows" in plan:
        bits.append(f"rows={plan['Actual Rows']} loops={plan['Actual Loops']}")
        bits.append(f"time={plan['Actual Total Time']:.3f} ms")
    if "Shared Hit Blocks" in plan:
        bits.append(f"buffers hit={plan['Shared Hit Blocks']} read={plan['Shared Read Blocks']}")
    lines = ["  " * depth + " ".join(bits)]
    for child in plan.get("Plans", []):
        lines.append(plan_summary(child, depth + 1))
    return "\n".join(lines)
