"""Latency of recording answers and reading every board on SQLite and PostgreSQL.

Run from the repository root:
    python tests/bench/bench_storage.py [--answers N] [--chats N] [--members N]
        [--huge-members N] [--engines sqlite,postgres] [--pg-url URL]
        [--pg-copy-totals] [--check] [--explain]

Builds a SQLite database with the project's migrations, bulk-loads N answers (executemany)
across the chats, with one chat of 10,000 members whose newest closed posts are daily
questions (so streaks are real), plus a chat of 100,000 members (--huge-members, answers on
top of N), and builds the totals with the migration's builder. PostgreSQL gets the same
rows by COPY and builds its totals with the same builder (or, with --pg-copy-totals,
copies SQLite's). Then it times the bot's own code paths: QuizService.record_answer
as the bot's answer handler calls it (review=True: the review-card write is queued with
the answer, and the time to apply that backlog afterwards is printed) and without it,
the all-time, today, week and month boards, /me and the streaks /top reads, for callers
ranked below the top 20, and the all-time board of the 100,000-member chat.
Targets (p99): record <= 2 ms, boards and /me <= 5 ms, streaks <= 2 ms. Exits 1 when one
is missed. Beside the wall-clock table it prints the load average over each engine's run
and each path's CPU time per call, which separates cost from waiting on a busy machine;
for recording, the statements and commits per answer, checkpoints meanwhile, and where the
slowest 1% of write transactions spent their time. --check times `studybot db check`;
--explain prints EXPLAIN (ANALYZE, BUFFERS) of each board read on PostgreSQL, as asyncpg's
prepared statement after six runs and with a generic plan forced.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import sqlite3
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import event

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


from bot.services.quiz import POINTS_CORRECT, QuizService
from bot.services.review import drain_backlog
from bot.services.scores import ScoreService, rebuild_totals
from bot.storage.db import Database
from bot.storage.migrate import upgrade

T = TypeVar("T")

SEED = 20261126
TARGET_RECORD_P99_MS = 2.0
TARGET_BOARD_P99_MS = 5.0
TARGET_STREAK_P99_MS = 2.0
PLATFORM = "bench"
BASE = datetime(2026, 1, 1, tzinfo=UTC)
OPENED = BASE + timedelta(hours=1)  # when the benchmark's answers arrive; open posts are open
WARMUP = 200

SMALL_CHAT_MEMBERS = 40
SMALL_CHAT_TURNOUT = 0.5  # share of a small chat's members that answers a given post
BIG_CHAT_POSTS = 200
BIG_CHAT_SHARE = 0.2  # share of all answers that land in the big chat
# The big chat's newest closed posts are daily questions answered by a cohort of regulars,
# so streaks run up to DAILY_POSTS long and the streak reads find current rows.
DAILY_POSTS = 30
DAILY_REGULARS = 2_000
# A second large chat for the all-time board at 100,000 members: each answers this many
# of its posts (answers on top of --answers).
HUGE_ROUNDS = 2


# A timed path: (name, sorted wall times in ns, p99 target in ms, sorted CPU times in ns).
Result = tuple[str, list[int], float, list[int]]
LAST_CPU: list[int] = []  # the CPU times of the last warm_then_time, sorted


def sql_time(value: datetime) -> str:
    # The text SQLAlchemy's SQLite DateTime writes, so the bulk rows read back like the bot's.
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def percentile(sorted_ns: list[int], p: float) -> float:
    index = min(len(sorted_ns) - 1, round(p / 100 * (len(sorted_ns) - 1)))
    return sorted_ns[index] / 1e6


@dataclass
class Chat:
    id: int
    members: list[int]
    open_post: int = 0
    # Members who have not yet answered the open post, for the record benchmark.
    fresh: list[int] = field(default_factory=list)


@dataclass
class Fixture:
    path: Path
    big: Chat
    chats: list[Chat]
    counts: dict[str, int]
    callers: list[int]  # big-chat members ranked 21st or lower, last place last
    huge: Chat | None
    huge_callers: list[int]
    build_s: float
    steps: list[tuple[str, float]]


class Loader:
    """Bulk rows straight through sqlite3; ids are handed out here so rows can refer to them."""

    def __init__(self, conn: sqlite3.Connection, rng: random.Random) -> None:
        self.conn = conn
        self.rng = rng
        self.next_post = 1
        self.next_answer = 1

    def chats(self, n: int) -> None:
        self.chats_from(1, n)

    def chats_from(self, first: int, n: int = 1) -> None:
        created = sql_time(BASE)
        self.conn.executemany(
            "INSERT INTO chats (id, platform, chat_key, is_group, created_at) "
            "VALUES (?, ?, ?, 1, ?)",
            ((i, PLATFORM, f"chat-{i}", created) for i in range(first, first + n)),
        )

    def users(self, n: int) -> None:
        self.conn.executemany(
            "INSERT INTO users (id, platform, user_key, display_name) VALUES (?, ?, ?, ?)",
            ((i, PLATFORM, f"user-{i}", f"학생{i}") for i in range(1, n + 1)),
        )

    def posts(self, chat_id: int, n: int, *, open_last: bool, kind: str = "quiz") -> list[int]:
        ids = list(range(self.next_post, self.next_post + n))
        self.next_post += n
        rows = []
        for k, post_id in enumerate(ids):
            is_open = open_last and k == n - 1
            # Open posts opened before OPENED, so the timed answers arrive while they run.
            opened = BASE if is_open else BASE + timedelta(hours=post_id % 5000, minutes=k)
            closes = opened + timedelta(days=3650 if is_open else 0, minutes=10)
            rows.append(
                (
                    post_id,
                    chat_id,
                    f"q-{post_id % 997}",
                    kind,
                    4,
                    str(1 + post_id % 4),
                    sql_time(opened),
                    sql_time(closes),
                    None if is_open else sql_time(closes),
                    str(post_id),
                )
            )
        self.conn.executemany(
            "INSERT INTO posts (id, chat_id, question_id, kind, options_count, correct, "
            "opened_at, closes_at, closed_at, message_ref) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        return ids

    def answer_rows(
        self, chat_id: int, pairs: Iterator[tuple[int, int]], skill: dict[int, float]
    ) -> Iterator[tuple[object, ...]]:
        rng = self.rng
        for post_id, user_id in pairs:
            correct = rng.random() < skill[user_id]
            elapsed = rng.randrange(1_000, 600_000)
            answered = BASE + timedelta(hours=post_id % 5000, milliseconds=elapsed)
            yield (
                self.next_answer,
                post_id,
                chat_id,
                user_id,
                rng.randint(1, 4),
                int(correct),
                POINTS_CORRECT if correct else 0,
                elapsed,
                sql_time(answered),
            )
            self.next_answer += 1

    def answers(
        self, chat_id: int, pairs: Iterator[tuple[int, int]], skill: dict[int, float]
    ) -> None:
        self.conn.executemany(
            "INSERT INTO answers (id, post_id, chat_id, user_id, option, correct, points, "
            "elapsed_ms, answered_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            self.answer_rows(chat_id, pairs, skill),
        )


def big_chat_pairs(
    rng: random.Random, posts: list[int], members: list[int], total: int
) -> Iterator[tuple[int, int]]:
    """Every member answers at least once; each member's rounds hit distinct posts."""
    order = members[:]
    rng.shuffle(order)
    offset = {m: rng.randrange(len(posts)) for m in order}
    for i in range(total):
        member = order[i % len(order)]
        round_ = i // len(order)
        yield posts[(offset[member] + round_) % len(posts)], member


def small_chat_pairs(
    rng: random.Random, posts: list[int], members: list[int], total: int
) -> Iterator[tuple[int, int]]:
    per_post, extra = divmod(total, len(posts))
    for k, post_id in enumerate(posts):
        for member in rng.sample(members, per_post + (k < extra)):
            yield post_id, member


def daily_pairs(
    rng: random.Random, posts: list[int], regulars: list[int]
) -> Iterator[tuple[int, int]]:
    """Regulars answer most daily posts (nine in ten), so streaks of many lengths end now."""
    for post_id in posts:
        for member in regulars:
            if rng.random() < 0.9:
                yield post_id, member


def ranked_below_20(conn: sqlite3.Connection, chat_id: int) -> list[int]:
    return [
        row[0]
        for row in conn.execute(
            "SELECT user_id FROM scores WHERE chat_id = ? AND points > 0 "
            "ORDER BY points DESC, user_id LIMIT -1 OFFSET 20",
            (chat_id,),
        )
    ]


def build(
    path: Path, n_answers: int, n_chats: int, big_members: int, huge_members: int, seed: int
) -> Fixture:
    rng = random.Random(seed)
    steps: list[tuple[str, float]] = []
    started = time.perf_counter()

    async def migrate() -> None:
        db = Database(f"sqlite+aiosqlite:///{path}")
        try:
            await upgrade(db)
        finally:
            await db.dispose()

    asyncio.run(migrate())
    steps.append(("schema (alembic upgrade)", time.perf_counter() - started))

    # A one-off load may skip the journal; the bot's own settings come back for the timings.
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("PRAGMA cache_size=-262144")
    loader = Loader(conn, rng)
    mark = time.perf_counter()

    small_chats = n_chats - 1
    small_total = n_answers - max(big_members, int(n_answers * BIG_CHAT_SHARE))
    per_small = small_total // small_chats if small_chats else 0
    big_total = n_answers - per_small * small_chats
    big_total = min(big_total, big_members * BIG_CHAT_POSTS)
    # Small chats draw members from a pool that overlaps the big chat, as real people
    # join several study groups.
    n_users = big_members + max(SMALL_CHAT_MEMBERS, small_chats * SMALL_CHAT_MEMBERS // 2)
    pool = range(1, n_users + 1)
    skill = {u: rng.uniform(0.2, 0.95) for u in range(1, n_users + huge_members + 1)}
    regulars = min(DAILY_REGULARS, big_members, max(1, (big_total - big_members) // DAILY_POSTS))
    daily_total = 0

    conn.execute("BEGIN")
    loader.chats(n_chats)
    loader.users(n_users + huge_members)
    big = Chat(1, list(range(1, big_members + 1)))
    big_posts = loader.posts(big.id, BIG_CHAT_POSTS, open_last=False)
    daily = loader.posts(big.id, DAILY_POSTS, open_last=False, kind="daily")
    big.open_post = loader.posts(big.id, 1, open_last=True)[0]
    before = loader.next_answer
    loader.answers(big.id, daily_pairs(rng, daily, big.members[:regulars]), skill)
    daily_total = loader.next_answer - before
    loader.answers(
        big.id, big_chat_pairs(rng, big_posts, big.members, big_total - daily_total), skill
    )
    conn.execute("COMMIT")

    chats = [big]
    per_post = max(1, int(SMALL_CHAT_MEMBERS * SMALL_CHAT_TURNOUT))
    conn.execute("BEGIN")
    for chat_id in range(2, n_chats + 1):
        chat = Chat(chat_id, rng.sample(pool, SMALL_CHAT_MEMBERS))
        n_posts = max(1, -(-per_small // per_post))
        posts = loader.posts(chat_id, n_posts + 1, open_last=True)
        chat.open_post = posts[-1]
        loader.answers(chat_id, small_chat_pairs(rng, posts[:-1], chat.members, per_small), skill)
        chats.append(chat)
        if chat_id % 100 == 0:
            conn.execute("COMMIT")
            conn.execute("BEGIN")
    conn.execute("COMMIT")
    huge: Chat | None = None
    if huge_members:
        conn.execute("BEGIN")
        huge = Chat(n_chats + 1, list(range(n_users + 1, n_users + huge_members + 1)))
        loader.chats_from(huge.id)
        huge_posts = loader.posts(huge.id, BIG_CHAT_POSTS + 1, open_last=True)
        huge.open_post = huge_posts[-1]
        pairs = big_chat_pairs(rng, huge_posts[:-1], huge.members, huge_members * HUGE_ROUNDS)
        loader.answers(huge.id, pairs, skill)
        conn.execute("COMMIT")
    steps.append(("chats, users, posts, answers", time.perf_counter() - mark))

    conn.close()
    mark = time.perf_counter()
    asyncio.run(build_totals(f"sqlite+aiosqlite:///{path}"))
    steps.append(("totals (migration builder)", time.perf_counter() - mark))
    conn = sqlite3.connect(path, isolation_level=None)
    mark = time.perf_counter()
    conn.execute("PRAGMA journal_mode=WAL")
    counts = {
        table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        for table in ("chats", "users", "posts", "answers", "scores", "board_totals", "streaks")
    }

    def count(sql: str, *args: object) -> int:
        return int(conn.execute(sql, args).fetchone()[0])

    counts["big chat answers"] = count("SELECT count(*) FROM answers WHERE chat_id = ?", big.id)
    counts["big chat scores"] = count("SELECT count(*) FROM scores WHERE chat_id = ?", big.id)
    counts["big chat daily answers"] = daily_total
    counts["big chat current streaks"] = count(
        "SELECT count(*) FROM streaks s JOIN streak_heads h ON h.chat_id = s.chat_id "
        "AND h.post_id = s.last_post_id WHERE s.chat_id = ?",
        big.id,
    )
    callers = ranked_below_20(conn, big.id)
    huge_callers: list[int] = []
    if huge is not None:
        counts["100k chat answers"] = count(
            "SELECT count(*) FROM answers WHERE chat_id = ?", huge.id
        )
        counts["100k chat scores"] = count("SELECT count(*) FROM scores WHERE chat_id = ?", huge.id)
        huge_callers = ranked_below_20(conn, huge.id)
    conn.close()
    # The load skipped fsync; flush it now, or the first checkpoint of the timed run pays
    # for writing back the whole file and shows up as a record-latency spike.
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    steps.append(("back to WAL, counts, fsync", time.perf_counter() - mark))

    for chat in chats:
        chat.fresh = chat.members[:]
        rng.shuffle(chat.fresh)
    return Fixture(
        path,
        big,
        chats,
        counts,
        callers,
        huge,
        huge_callers,
        time.perf_counter() - started,
        steps,
    )


async def timed_check(db: Database, label: str) -> None:
    started = time.perf_counter()
    problems = await ScoreService(db).check("Asia/Seoul", BASE + timedelta(days=400))
    print(f"{label}: db check {time.perf_counter() - started:.1f} s, {len(problems)} problems")
    assert problems == [], problems[:5]


async def build_totals(url: str, **kwargs: object) -> None:
    db = Database(url, **kwargs)
    try:
        await db.run_write(rebuild_totals, "Asia/Seoul")
    finally:
        await db.dispose()


# The stored rows are copied from SQLite; the totals are built on PostgreSQL by the
# migration's own builder (timed), then every table is vacuumed and analyzed.
PG_ROWS = ("chats", "users", "posts", "answers")
PG_TABLES = (
    *PG_ROWS,
    "scores",
    "board_totals",
    "board_points",
    "streaks",
    "streak_heads",
)
PG_SERIAL = {"chats", "users", "posts", "answers"}
PG_TIMES = {"created_at", "opened_at", "closes_at", "closed_at", "answered_at"}
PG_BOOLS = {("chats", "is_group"), ("answers", "correct")}


async def copy_tables(
    url: str, schema: str, path: Path, tables: tuple[str, ...], answers: int | None = None
) -> None:
    """COPY tables from the SQLite file; answers, when given, copies only the fixture's
    first answers, not those the SQLite run recorded (they would make every timed record
    on PostgreSQL a duplicate)."""
    import asyncpg  # type: ignore[import-untyped]

    raw = await asyncpg.connect(
        url.replace("postgresql+asyncpg", "postgresql"), server_settings={"search_path": schema}
    )
    src = sqlite3.connect(path)
    try:
        for table in tables:
            only = f" WHERE id <= {int(answers)}" if table == "answers" and answers else ""
            cur = src.execute(f"SELECT * FROM {table}{only}")
            names = [d[0] for d in cur.description]
            conv: list[Callable[[Any], object]] = []
            for n in names:
                if n in PG_TIMES:
                    conv.append(
                        lambda v: (
                            None if v is None else datetime.fromisoformat(v).replace(tzinfo=UTC)
                        )
                    )
                elif (table, n) in PG_BOOLS:
                    conv.append(lambda v: None if v is None else bool(v))
                else:
                    conv.append(lambda v: v)
            while rows := cur.fetchmany(50_000):
                records = [tuple(f(v) for f, v in zip(conv, r, strict=True)) for r in rows]
                await raw.copy_records_to_table(table, records=records, columns=names)
            if table in PG_SERIAL:
                await raw.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT max(id) FROM {table}))"
                )
    finally:
        src.close()
        await raw.close()


async def copy_to_postgres(fx: Fixture, url: str, schema: str, copy_totals: bool) -> float:
    """Copy the built SQLite rows into a fresh schema, migrate, build totals; seconds."""
    mark = time.perf_counter()
    import asyncpg
    from sqlalchemy import text

    started = time.perf_counter()
    admin = Database(url)
    async with admin.engine.begin() as c:
        await c.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        await c.execute(text(f'CREATE SCHEMA "{schema}"'))
    await admin.dispose()
    kwargs = {"connect_args": {"server_settings": {"search_path": schema}}}
    db = Database(url, **kwargs)
    await upgrade(db)
    await db.dispose()
    await copy_tables(url, schema, fx.path, PG_ROWS, fx.counts["answers"])
    print(f"PostgreSQL: migrate and COPY rows {time.perf_counter() - mark:.1f} s")
    mark = time.perf_counter()
    if copy_totals:
        await copy_tables(url, schema, fx.path, PG_TABLES[len(PG_ROWS) :])
        print(f"PostgreSQL: totals copied as built on SQLite {time.perf_counter() - mark:.1f} s")
    else:
        await build_totals(url, **kwargs)
        print(f"PostgreSQL: totals (migration builder) {time.perf_counter() - mark:.1f} s")
    mark = time.perf_counter()
    raw = await asyncpg.connect(
        url.replace("postgresql+asyncpg", "postgresql"), server_settings={"search_path": schema}
    )
    try:
        for table in PG_TABLES:  # this schema's tables, not every schema in the database
            await raw.execute(f"VACUUM ANALYZE {table}")
    finally:
        await raw.close()
    print(f"PostgreSQL: VACUUM ANALYZE {time.perf_counter() - mark:.1f} s")
    return time.perf_counter() - started


@dataclass(frozen=True, slots=True)
class NewAnswer:
    chat_id: int
    post_id: int
    user_id: int
    option: int
    now: datetime


def new_answers(fx: Fixture, rng: random.Random, n: int) -> list[NewAnswer]:
    """Answers from members who have not yet answered their chat's open post."""
    left = [chat for chat in fx.chats if chat.fresh]
    out: list[NewAnswer] = []
    while len(out) < n:
        chat = rng.choice(left)
        if not chat.fresh:
            continue
        now = OPENED + timedelta(milliseconds=len(out))
        out.append(NewAnswer(chat.id, chat.open_post, chat.fresh.pop(), rng.randint(1, 4), now))
    return out


async def timed(
    call: Callable[[T], Awaitable[object]], inputs: list[T], cpu: list[int] | None = None
) -> list[int]:
    """Sorted wall times in ns, one call at a time as a single chat's traffic would come.

    cpu, when given, gets each call's process CPU time (every thread of this process, the
    database threads included; not PostgreSQL's server processes), sorted.
    """
    timings: list[int] = []
    for item in inputs:
        start = time.perf_counter_ns()
        cpu_start = time.process_time_ns()
        await call(item)
        if cpu is not None:
            cpu.append(time.process_time_ns() - cpu_start)
        timings.append(time.perf_counter_ns() - start)
    timings.sort()
    if cpu is not None:
        cpu.sort()
    return timings


async def warm_then_time(call: Callable[[T], Awaitable[object]], inputs: list[T]) -> list[int]:
    # The first calls fill SQLAlchemy's statement cache, the pool and SQLite's page cache.
    await timed(call, inputs[:WARMUP])
    LAST_CPU.clear()
    return await timed(call, inputs[WARMUP:], LAST_CPU)


def result(name: str, timings: list[int], target: float) -> Result:
    return (name, timings, target, LAST_CPU[:])


def report(label: str, timings: list[int], target: float) -> bool:
    p99 = percentile(timings, 99)
    ok = p99 <= target
    print(
        f"{label:<10} n={len(timings):<5} p50={percentile(timings, 50):.3f} ms  "
        f"p99={p99:.3f} ms  max={timings[-1] / 1e6:.3f} ms  "
        f"target p99<={target:.0f} ms: {'OK' if ok else 'OVER TARGET'}"
    )
    return ok


BOARD_NOW = BASE + timedelta(hours=100)  # inside the big chat's busiest week and month


def period_range(period: str) -> tuple[datetime, datetime]:
    from zoneinfo import ZoneInfo

    local = BOARD_NOW.astimezone(ZoneInfo("Asia/Seoul"))
    start = datetime.combine(local.date(), datetime.min.time(), local.tzinfo)
    if period == "today":
        end = start + timedelta(days=1)
    elif period == "week":
        start -= timedelta(days=local.weekday())
        end = start + timedelta(days=7)
    else:
        start = start.replace(day=1)
        end = (start + timedelta(days=32)).replace(day=1)
    return start.astimezone(UTC), end.astimezone(UTC)


async def measure(
    fx: Fixture, db: Database, n_records: int, n_boards: int, rng: random.Random, label: str
) -> list[Result]:
    quiz = QuizService(db)
    scores = ScoreService(db)
    results: list[Result] = []

    async def record(a: NewAnswer) -> None:
        # As the bot's answer handler calls it (bot.handlers.quiz): the answer's transaction
        # also queues the person's review-card write, applied after the burst.
        await quiz.record_answer(
            chat_id=a.chat_id,
            user_id=a.user_id,
            post_id=a.post_id,
            option=a.option,
            now=a.now,
            review=True,
        )

    async def answer_only(a: NewAnswer) -> None:
        await quiz.record_answer(
            chat_id=a.chat_id, user_id=a.user_id, post_id=a.post_id, option=a.option, now=a.now
        )

    async def board(user_id: int) -> None:
        await scores.board(fx.big.id, user_id, limit=10)

    last = await scores.board(fx.big.id, fx.callers[-1], limit=10)
    assert last.caller is not None and last.caller.rank > 10, last.caller
    callers = [rng.choice(fx.callers) for _ in range(WARMUP + n_boards)]
    with RecordProfile(db) as prof:
        record_times = await warm_then_time(record, new_answers(fx, rng, WARMUP + n_records))
    results.append(result("record", record_times, TARGET_RECORD_P99_MS))
    prof.print(label, n_records + WARMUP)
    # The card writes those answers queued, as the backlog worker applies them once the
    # burst is over (off the answers' path, but work the bot does all the same).
    started = time.perf_counter()
    applied = await drain_backlog(db)
    spent = time.perf_counter() - started
    print(
        f"{label} review backlog after the burst: {applied:,} card writes in {spent * 1e3:.0f} ms"
        f" ({spent * 1e6 / max(applied, 1):.0f} µs each, off the answers' path)"
    )
    # The answer's own writes without the card, the figure earlier runs reported as record.
    bare_times = await warm_then_time(answer_only, new_answers(fx, rng, WARMUP + n_records))
    results.append(result("answer only", bare_times, TARGET_RECORD_P99_MS))
    results.append(result("all-time", await warm_then_time(board, callers), TARGET_BOARD_P99_MS))
    for period in ("today", "week", "month"):
        start, end = period_range(period)
        sample = await scores.period_board(fx.big.id, fx.callers[-1], start, end)
        assert sample.players > 0, period

        async def period_board(user_id: int, start: datetime = start, end: datetime = end) -> None:
            await scores.period_board(fx.big.id, user_id, start, end, 10)

        results.append(
            result(period, await warm_then_time(period_board, callers), TARGET_BOARD_P99_MS)
        )

    async def me(user_id: int) -> None:
        await scores.record(fx.big.id, user_id)

    # As /top reads them: the streaks of the board's top ten and of the caller.
    top_ids = [s.user_id for s in last.top]
    current = await scores.streaks(fx.big.id, top_ids)
    assert any(current.values()), current

    async def streaks(user_id: int) -> None:
        await scores.streaks(fx.big.id, [*top_ids, user_id])

    results.append(result("/me", await warm_then_time(me, callers), TARGET_BOARD_P99_MS))
    results.append(result("streaks", await warm_then_time(streaks, callers), TARGET_STREAK_P99_MS))
    print()
    print(f"{label}: big chat {last.players:,} players; callers ranked 21 to {last.caller.rank:,}")
    print(f"{label}: streaks of the top ten {sorted(current.values(), reverse=True)}")
    if fx.huge is not None:
        huge_id = fx.huge.id
        big_last = await scores.board(huge_id, fx.huge_callers[-1], limit=10)
        assert big_last.caller is not None and big_last.caller.rank > 10

        async def huge_board(user_id: int) -> None:
            await scores.board(huge_id, user_id, limit=10)

        huge_callers = [rng.choice(fx.huge_callers) for _ in range(WARMUP + n_boards)]
        results.append(
            result(
                "all-time 100k",
                await warm_then_time(huge_board, huge_callers),
                TARGET_BOARD_P99_MS,
            )
        )
        print(f"{label}: 100k chat {big_last.players:,} players, last {big_last.caller.rank:,}")
    return results


def table(rows: list[tuple[str, str, str, list[Result]]]) -> bool:
    """One line per engine and size: wall p50 / p99 (target) per timed path, then CPU."""
    ok = True
    names = [r[0] for r in rows[0][3]]
    print()
    print("Wall clock, ms: p50 / p99 (target p99)")
    print("| engine, answers | load | " + " | ".join(names) + " |")
    print("|---|---|" + "---|" * len(names))
    for engine, size, load, results in rows:
        cells = []
        for _name, timings, target, _cpu in results:
            p99 = percentile(timings, 99)
            ok = ok and p99 <= target
            mark = "" if p99 <= target else " OVER"
            cells.append(f"{percentile(timings, 50):.2f} / {p99:.2f} (≤{target:.0f}){mark}")
        print(f"| {engine} {size} | {load} | " + " | ".join(cells) + " |")
    print()
    print("CPU time of this process per call, ms: p50 / p99 (SQLite: all of the work;")
    print("PostgreSQL: the client side only, the server's share is not in it)")
    print("| engine, answers | " + " | ".join(names) + " |")
    print("|---|" + "---|" * len(names))
    for engine, size, _load, results in rows:
        cells = [
            f"{percentile(cpu, 50):.2f} / {percentile(cpu, 99):.2f}" if cpu else "-"
            for _n, _t, _target, cpu in results
        ]
        print(f"| {engine} {size} | " + " | ".join(cells) + " |")
    return ok


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


class RecordProfile:
    """Where a record's time goes: statements and commits per call, checkpoints meanwhile,
    and for the slowest calls, the time inside the write transaction's statements and its
    commit."""

    def __init__(self, db: Database) -> None:
        self.db = db
        sync = getattr(db, "_sync", None)
        self.engine = sync if sync is not None else db.engine.sync_engine
        self.statements = 0
        self.commits = 0
        self.stmt_ns = 0
        self.commit_at = 0
        self.checkpoints = 0
        self.calls: list[tuple[int, int, int]] = []  # (wall, statements ns, commit ns)
        self.kinds: dict[str, int] = {}  # statements by their first words
        self._exec_start = 0

    def _before(self, *_: object) -> None:
        self._exec_start = time.perf_counter_ns()

    def _after(self, _conn: object, _cursor: object, statement: str, *_: object) -> None:
        head = " ".join(statement.split()[:3])
        self.kinds[head] = self.kinds.get(head, 0) + 1
        self.statements += 1
        self.stmt_ns += time.perf_counter_ns() - self._exec_start

    def _commit(self, *_: object) -> None:
        self.commits += 1
        self.commit_at = time.perf_counter_ns()

    def __enter__(self) -> RecordProfile:
        event.listen(self.engine, "before_cursor_execute", self._before)
        event.listen(self.engine, "after_cursor_execute", self._after)
        event.listen(self.engine, "commit", self._commit)
        cp = self.db.checkpointer
        self.checkpoints = -(cp.runs if cp is not None else 0)
        self._write = self.db.run_write
        prof = self

        async def run_write(fn: Callable[..., T], *args: Any) -> T:
            stmt_ns, start = prof.stmt_ns, time.perf_counter_ns()
            out = await prof._write(fn, *args)
            end = time.perf_counter_ns()
            prof.calls.append((end - start, prof.stmt_ns - stmt_ns, end - prof.commit_at))
            return out

        self.db.run_write = run_write  # type: ignore[method-assign]
        return self

    def __exit__(self, *_: object) -> None:
        event.remove(self.engine, "before_cursor_execute", self._before)
        event.remove(self.engine, "after_cursor_execute", self._after)
        event.remove(self.engine, "commit", self._commit)
        self.db.run_write = self._write  # type: ignore[method-assign]
        cp = self.db.checkpointer
        self.checkpoints += cp.runs if cp is not None else 0

    def print(self, label: str, n: int) -> None:
        calls = sorted(self.calls)
        slow = calls[int(len(calls) * 0.99) :]
        mid = calls[len(calls) // 2]

        def ms(values: list[int]) -> str:
            return f"{sum(values) / len(values) / 1e6:.2f}" if values else "-"

        print(
            f"{label} record: {self.statements / n:.2f} statements and {self.commits / n:.2f} "
            f"commits per answer ({', '.join(f'{k}: {v}' for k, v in self.kinds.items())}), "
            f"{len(calls) / n:.2f} write transactions per answer, "
            f"{self.checkpoints} checkpoints meanwhile"
        )
        print(
            f"{label} record, slowest 1% of write transactions: wall {ms([c[0] for c in slow])} "
            f"ms, in statements {ms([c[1] for c in slow])} ms, commit and return "
            f"{ms([c[2] for c in slow])} ms (median transaction: wall "
            f"{mid[0] / 1e6:.2f}, statements {mid[1] / 1e6:.2f}, commit {mid[2] / 1e6:.2f} ms)"
        )


async def explain_boards(fx: Fixture, db: Database) -> None:
    """EXPLAIN (ANALYZE, BUFFERS) of every board read, as asyncpg's prepared statement
    after six runs, with the generic plan forced (what a long-lived connection ends up with)."""
    from bot.services.scores import DAY, MONTH, WEEK, minutes
    from tests.pg_plans import board_statements, explain_prepared, plan_summary

    buckets = {
        DAY: minutes(period_range("today")[0]),
        WEEK: minutes(period_range("week")[0]),
        MONTH: minutes(period_range("month")[0]),
    }
    statements = board_statements(fx.big.id, fx.callers[-1], buckets)
    if fx.huge is not None:
        huge = board_statements(fx.huge.id, fx.huge_callers[-1], buckets)
        statements["all-time board, 100k chat"] = huge["all-time board"]
    async with db.engine.connect() as conn:
        conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
        for name, (statement, params) in statements.items():
            for generic in (False, True):
                plan, counts = await explain_prepared(
                    conn, statement, params, generic=generic, analyze=True
                )
                kind = "forced generic plan" if generic else "plan chosen after 6 runs"
                print(f"--- EXPLAIN (ANALYZE, BUFFERS) {name}: {kind} {counts}")
                print(plan_summary(plan))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=1_000_000)
    parser.add_argument("--chats", type=int, default=1_000)
    parser.add_argument("--members", type=int, default=10_000, help="members of the big chat")
    parser.add_argument(
        "--huge-members",
        type=int,
        default=100_000,
        help=f"members of a second chat for the all-time board ({HUGE_ROUNDS} answers each, "
        "on top of --answers; 0: none)",
    )
    parser.add_argument("--records", type=int, default=5_000, help="record_answer calls")
    parser.add_argument("--boards", type=int, default=2_000, help="board calls")
    parser.add_argument("--dir", type=Path, help="build here and keep the database")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument(
        "--engines", default="sqlite,postgres", help="comma-separated: sqlite, postgres"
    )
    parser.add_argument("--pg-url", help="PostgreSQL URL (default STUDYBOT_TEST_POSTGRES_URL)")
    parser.add_argument(
        "--pg-copy-totals",
        action="store_true",
        help="copy the totals built on SQLite to PostgreSQL instead of building them there",
    )
    parser.add_argument(
        "--check", action="store_true", help="time `studybot db check` (ScoreService.check)"
    )
    parser.add_argument(
        "--explain",
        action="store_true",
        help="print EXPLAIN (ANALYZE, BUFFERS) of each board read on PostgreSQL",
    )
    args = parser.parse_args()
    if args.chats < 2 or args.answers < args.members + args.chats:
        parser.error("need at least 2 chats and more answers than big-chat members plus chats")

    workdir = args.dir or Path(tempfile.mkdtemp(prefix="studybot-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    path = workdir / "bench.db"
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    rows: list[tuple[str, str, str, list[Result]]] = []
    try:
        fx = build(path, args.answers, args.chats, args.members, args.huge_members, args.seed)
        print(f"database: {path} ({path.stat().st_size / 2**20:.0f} MiB)")
        print("rows: " + ", ".join(f"{k} {v:,}" for k, v in fx.counts.items()))
        for step, seconds in fx.steps:
            print(f"  {step:<30} {seconds:6.1f} s")
        print(f"build time {fx.build_s:.1f} s")
        fresh = sum(len(chat.fresh) for chat in fx.chats)
        if fresh < 2 * (WARMUP + args.records):
            parser.error(f"only {fresh:,} new (post, member) pairs to answer; lower --records")
        size = f"{args.answers:,}"
        pristine = [c.fresh[:] for c in fx.chats]
        if "sqlite" in args.engines:

            async def on_sqlite() -> list[Result]:
                db = Database(f"sqlite+aiosqlite:///{fx.path}")
                try:
                    if args.check:
                        await timed_check(db, "SQLite")
                    return await measure(
                        fx, db, args.records, args.boards, random.Random(args.seed + 1), "SQLite"
                    )
                finally:
                    await db.dispose()

            before = load_average()
            measured = asyncio.run(on_sqlite())
            rows.append(("SQLite", size, f"{before} → {load_average()}", measured))
        if "postgres" in args.engines:
            url = args.pg_url or os.environ.get("STUDYBOT_TEST_POSTGRES_URL", "")
            if not url:
                parser.error("--pg-url or STUDYBOT_TEST_POSTGRES_URL is needed for postgres")
            for chat, fresh_ in zip(fx.chats, pristine, strict=True):
                chat.fresh = fresh_
            schema = f"bench_{args.answers}"

            async def on_postgres() -> list[Result]:
                seconds = await copy_to_postgres(fx, url, schema, args.pg_copy_totals)
                print(f"PostgreSQL build time {seconds:.1f} s")
                db = Database(url, connect_args={"server_settings": {"search_path": schema}})
                try:
                    if args.check:
                        await timed_check(db, "PostgreSQL")
                    measured = await measure(
                        fx,
                        db,
                        args.records,
                        args.boards,
                        random.Random(args.seed + 1),
                        "PostgreSQL",
                    )
                    if args.explain:
                        await explain_boards(fx, db)
                    return measured
                finally:
                    await db.dispose()

            before = load_average()
            measured = asyncio.run(on_postgres())
            rows.append(("PostgreSQL", size, f"{before} → {load_average()}", measured))
        ok = table(rows)
    finally:
        if args.dir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
