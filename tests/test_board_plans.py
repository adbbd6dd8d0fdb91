"""Board, /me and streak reads keep their plans with or without ANALYZE (issue 17).

The bot never runs ANALYZE, but an operator (or a future SQLite's automatic analysis)
might; with statistics SQLite once switched the streaks query to a full scan. Each read
must use a primary key or the rank index both before and after, with the same plan.
"""

from __future__ import annotations

import random
import re
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import insert
from sqlalchemy.dialects import sqlite

from bot.services import scores as sc
from bot.storage.db import Database
from bot.storage.migrate import upgrade
from bot.storage.tables import (
    board_points,
    board_totals,
    chats,
    scores,
    streak_heads,
    streaks,
    users,
)

CHATS, MEMBERS = 20, 300
BUCKETS = {
    sc.DAY: [29_000_000 + 1440 * i for i in range(10)],
    sc.WEEK: [29_000_000],
    sc.MONTH: [29_000_000],
}


def _rows(rng: random.Random) -> dict[Any, list[dict[str, object]]]:
    out: dict[Any, list[dict[str, object]]] = {t: [] for t in (chats, users, scores)}
    out |= {t: [] for t in (board_totals, board_points, streaks, streak_heads)}
    out[users] = [
        {"id": u, "platform": "t", "user_key": f"u{u}", "display_name": f"u{u}"}
        for u in range(1, CHATS * MEMBERS + 1)
    ]
    for c in range(1, CHATS + 1):
        chat = {"id": c, "platform": "t", "chat_key": f"c{c}", "is_group": True}
        out[chats].append(chat | {"created_at": datetime(2026, 1, 1, tzinfo=UTC)})
        # One big chat and many small ones, so statistics are skewed.
        members = range(1, (CHATS * MEMBERS if c == 1 else 20) + 1)
        hist: dict[tuple[str, int, int], int] = {}
        for u in members:
            points = 10 * rng.randint(0, 30)
            out[scores].append(
                {"chat_id": c, "user_id": u, "points": points, "answered": 30, "correct": 3}
            )
            hist[(sc.ALL, 0, points)] = hist.get((sc.ALL, 0, points), 0) + 1
            for period, buckets in BUCKETS.items():
                for b in buckets:
                    p = 10 * rng.randint(0, 3)
                    row = {"chat_id": c, "period": period, "bucket": b, "user_id": u}
                    out[board_totals].append(row | {"points": p, "answered": 3, "correct": 1})
                    hist[(period, b, p)] = hist.get((period, b, p), 0) + 1
            out[streaks].append(
                {"chat_id": c, "user_id": u, "streak": rng.randint(1, 9), "last_post_id": 7}
            )
        for (period, b, p), n in hist.items():
            if p > 0:
                row = {"chat_id": c, "period": period, "bucket": b, "points": p}
                out[board_points].append(row | {"players": n})
        out[streak_heads].append({"chat_id": c, "post_id": 7})
    return out


def _statements() -> dict[str, tuple[Any, dict[str, object]]]:
    key = {"chat_id": 1, "user_id": 77}
    return {
        "all-time board": (sc._ALL_BOARD, key | {"period": sc.ALL, "bucket": 0, "limit": 10}),
        **{
            f"{period} board": (
                sc._PERIOD_BOARD,
                key | {"period": period, "bucket": BUCKETS[period][0], "limit": 10},
            )
            for period in sc.PERIODS
        },
        "/me": (sc._RECORD, key | {"period": sc.ALL, "bucket": 0}),
        "streaks": (sc._STREAKS, {"chat_id": 1, "user_ids": [3, 77, 1200, 5000]}),
        "streak head": (sc._HEAD, {"chat_id": 1}),
    }


def _plan(conn: sqlite3.Connection, statement: Any, params: dict[str, object]) -> list[str]:
    compiled = statement.compile(dialect=sqlite.dialect())
    state = compiled.construct_expanded_state(params)
    args = [state.parameters[name] for name in state.positiontup or ()]
    return [row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {state.statement}", args)]


FULL_SCAN = re.compile(r"^SCAN (\w+)$")
TABLES = {"scores", "board_totals", "board_points", "streaks", "streak_heads", "users"}


async def test_board_plans_do_not_depend_on_statistics(tmp_path: Path) -> None:
    path = tmp_path / "plans.db"
    db = Database(f"sqlite+aiosqlite:///{path}")
    try:
        await upgrade(db)
        rows = _rows(random.Random(17))
        async with db.write() as write:
            for table, batch in rows.items():
                for i in range(0, len(batch), 5000):
                    await write.execute(insert(table), batch[i : i + 5000])
    finally:
        await db.dispose()

    conn = sqlite3.connect(path)
    try:
        before = {name: _plan(conn, st, p) for name, (st, p) in _statements().items()}
        conn.execute("ANALYZE")
        assert conn.execute("SELECT count(*) FROM sqlite_stat1").fetchone()[0] > 0
        after = {name: _plan(conn, st, p) for name, (st, p) in _statements().items()}
    finally:
        conn.close()
    for name, plan in after.items():
        assert plan == before[name], f"{name}: {before[name]} -> {plan}"
        for step in plan:
            full = FULL_SCAN.match(step)
            assert not (full and full.group(1) in TABLES), f"{name}: {plan}"
        # Every table the read touches is found through a key, not scanned.
        assert any("USING" in step for step in plan), f"{name}: {plan}"
