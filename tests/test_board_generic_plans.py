"""On PostgreSQL a cached generic plan still reads the caller's row by primary key (issue 17).

asyncpg prepares each board read once per connection, and after five executions the
server may plan it generically, without the parameters. A generic plan estimates a board's
bucket by the average bucket, so with one big chat among many small ones the rank index
looked as cheap as the primary key for the caller's row and read the whole bucket for it.
The rank indexes are partial (points > 0) and only the top rows' branch says points > 0,
so the caller's lookup has the primary key and nothing else.

PostgreSQL only: skipped unless STUDYBOT_TEST_POSTGRES_URL is set.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from bot.services import scores as sc
from bot.storage.db import Database
from tests.conftest import drop_schema, open_database
from tests.pg_plans import RUNS, as_plan, board_statements, explain_prepared, nodes, scans

BIG, MEMBERS, SMALL_CHATS, SMALL_MEMBERS, DAYS = 1, 4000, 300, 12, 30
DAY0 = 29_000_000  # a bucket: minutes since the epoch
BUCKETS = {sc.DAY: DAY0 + 1440 * 3, sc.WEEK: DAY0, sc.MONTH: DAY0}
CALLER = 3333

# One big chat whose buckets hold every member, many small chats with many day buckets, so
# the average bucket the generic plan assumes is tiny next to the big chat's.
FIXTURE = f"""
INSERT INTO chats (id, platform, chat_key, is_group, created_at)
  SELECT c, 'plan', 'c' || c, true, now() FROM generate_series(1, {SMALL_CHATS}) c;
INSERT INTO users (id, platform, user_key, display_name)
  SELECT u, 'plan', 'u' || u, 'student ' || u FROM generate_series(1, {MEMBERS}) u;
INSERT INTO scores (chat_id, user_id, points, answered, correct)
  SELECT {BIG}, u, 10 * (u % 97), 100, 50 FROM generate_series(1, {MEMBERS}) u
  UNION ALL
  SELECT c, u, 10 * ((c + u) % 4), 4, 2
  FROM generate_series(2, {SMALL_CHATS}) c, generate_series(1, {SMALL_MEMBERS}) u;
INSERT INTO board_totals (chat_id, period, bucket, user_id, points, answered, correct)
  SELECT {BIG}, p.period, p.bucket, u, 10 * ((u + p.bucket) % 31), 9, 4
  FROM generate_series(1, {MEMBERS}) u,
       (VALUES ('d', {BUCKETS[sc.DAY]}), ('w', {DAY0}), ('m', {DAY0})) AS p(period, bucket)
  UNION ALL
  SELECT c, 'd', {DAY0} + 1440 * d, u, 10 * ((c + u + d) % 3), 1, 1
  FROM generate_series(2, {SMALL_CHATS}) c, generate_series(1, {SMALL_MEMBERS}) u,
       generate_series(0, {DAYS - 1}) d;
INSERT INTO board_points (chat_id, period, bucket, points, players)
  SELECT chat_id, 'a', 0, points, count(*) FROM scores WHERE points > 0 GROUP BY 1, 4;
INSERT INTO board_points (chat_id, period, bucket, points, players)
  SELECT chat_id, period, bucket, points, count(*) FROM board_totals WHERE points > 0
  GROUP BY 1, 2, 3, 4;
INSERT INTO streak_heads (chat_id, post_id) SELECT c, 7 FROM generate_series(1, {SMALL_CHATS}) c;
INSERT INTO streaks (chat_id, user_id, streak, last_post_id)
  SELECT {BIG}, u, 1 + u % 9, 7 FROM generate_series(1, {MEMBERS}) u;
ANALYZE;
"""

PKEY = {"scores": "scores_pkey", "board_totals": "board_totals_pkey"}
RANK = {"scores": "ix_scores_rank", "board_totals": "ix_board_totals_rank"}


@pytest.fixture
async def pg(tmp_path: Path) -> AsyncIterator[Database]:
    db, schema = await open_database("postgres", tmp_path)
    try:
        async with db.engine.begin() as conn:
            raw = (await conn.get_raw_connection()).driver_connection
            assert raw is not None
            await raw.execute(FIXTURE.replace("ANALYZE;", ""))
        async with db.engine.connect() as conn:
            conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
            await conn.execute(text("ANALYZE"))
        yield db
    finally:
        await db.dispose()
        assert schema is not None
        await drop_schema(schema)


def _board_table(name: str) -> str:
    return "scores" if name in ("all-time board", "/me") else "board_totals"


def _check(name: str, plan: dict[str, Any]) -> None:
    every = scans(plan)
    # streak_heads holds one row per chat; with a few hundred a scan of its pages is what
    # the planner rightly calls cheapest. Every table that grows with people is keyed.
    assert not [s for s in every if s[0] == "Seq Scan" and s[1] != "streak_heads"], (
        f"{name}: {every}"
    )
    if name == "streaks":
        assert {(r, i) for _t, r, i in every} <= {
            ("streaks", "streaks_pkey"),
            ("streak_heads", "streak_heads_pkey"),
            ("streak_heads", ""),
        }, f"{name}: {every}"
        return
    table = _board_table(name)
    if name == "/me":
        caller = every
    else:
        top, caller, players = plan["Plans"]  # the UNION ALL's three branches, in order
        assert [(r, i) for _t, r, i in scans(top) if r == table] == [(table, RANK[table])], (
            f"{name} top rows: {scans(top)}"
        )
        assert {r for _t, r, _i in scans(players)} == {"board_points"}, f"{name}: {scans(players)}"
        caller = scans(caller)
    mine = [(r, i) for _t, r, i in caller if r == table]
    assert mine == [(table, PKEY[table])], f"{name} caller: {caller}"
    # Ranks and the player count are sums over board_points, by its primary key.
    for n in nodes(plan):
        if n.get("Relation Name") == "board_points":
            assert n.get("Index Name") == "board_points_pkey", f"{name}: {every}"


async def test_generic_plans_read_the_caller_by_primary_key(pg: Database) -> None:
    statements = board_statements(BIG, CALLER, BUCKETS)
    async with pg.engine.connect() as conn:
        conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
        for name, (statement, params) in statements.items():
            # The plan the cached statement has after RUNS executions, then a generic one.
            chosen, counts = await explain_prepared(conn, statement, params, generic=False)
            assert counts["generic_plans"] + counts["custom_plans"] >= RUNS, (name, counts)
            _check(name, chosen)
            generic, _ = await explain_prepared(conn, statement, params, generic=True, runs=1)
            _check(name, generic)
            # And it still answers right: the caller is found, with the rank the totals give.
            rows = (await conn.execute(statement, params)).all()
            assert rows, name


async def test_rank_indexes_cannot_serve_a_caller_lookup(pg: Database) -> None:
    """Without the primary key, the caller's row is not read through a rank index at all.

    In a transaction that is rolled back, the primary keys are dropped; a generic plan of
    the caller's lookup then has no index left for it (a full index scan of a rank index
    without a usable bound would be the old fault, and is what this rules out).
    """
    lookups = {
        "scores": "SELECT points FROM scores WHERE chat_id = $1 AND user_id = $2",
        "board_totals": "SELECT points FROM board_totals WHERE chat_id = $1 "
        "AND period = $3 AND bucket = $4 AND user_id = $2",
    }
    async with pg.engine.connect() as conn:
        raw = (await conn.get_raw_connection()).driver_connection
        assert raw is not None
        for table, sql in lookups.items():
            tr = raw.transaction()
            await tr.start()
            try:
                await raw.execute(f"ALTER TABLE {table} DROP CONSTRAINT {PKEY[table]} CASCADE")
                await raw.execute("SET LOCAL plan_cache_mode = force_generic_plan")
                await raw.execute("SET LOCAL enable_seqscan = off")
                types = "int, int" if table == "scores" else "int, int, text, int"
                await raw.execute(f"PREPARE caller_lookup ({types}) AS {sql}")
                args = f"{BIG}, {CALLER}" + ("" if table == "scores" else f", 'w', {DAY0}")
                plan = await raw.fetchval(f"EXPLAIN (FORMAT JSON) EXECUTE caller_lookup({args})")
                await raw.execute("DEALLOCATE caller_lookup")
            finally:
                await tr.rollback()
            used = scans(as_plan(plan))
            assert RANK[table] not in {i for _t, _r, i in used}, f"{table}: {used}"
