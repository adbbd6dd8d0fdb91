"""How long re-scoring a question's stored answers takes, on SQLite and PostgreSQL.

Run from the repository root:
    python tests/bench/bench_rescore.py [--answers N] [--chats N] [--engines sqlite,postgres]
        [--pg-url URL]

Loads, per chat, a run of closed daily posts (members answer each; one question is asked in
every chat as the middle daily post, with a wrong key) so the question holds N answers
across the chats, builds every total with the migration's builder, then times one re-score
job (RescoreService.apply: answers, posts, all-time and period totals with their per-score
counts, replayed streaks, 정답률 counts, one outbox notice per chat). It checks the totals
against the answers before and after (`studybot db check`'s comparison) and prints how the
board and the streaks moved. No review cards are loaded: decks are not part of the figure.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from sqlalchemy import func, select, text

from bot.services.question_stats import QuestionStatsService, rebuild_question_stats
from bot.services.rescore import RescoreService
from bot.services.scores import ScoreService, rebuild_totals
from bot.storage.db import Database, make_engine
from bot.storage.migrate import upgrade
from bot.storage.tables import answers, chats, posts, streaks, users

BASE = datetime(2026, 3, 2, tzinfo=UTC)
QUESTION = "bench-q"
DAILY_BEFORE = 3  # daily posts before and after the re-scored one, so streaks span it


async def load(db: Database, total: int, chat_count: int, rng: random.Random) -> None:
    members = max(1, total // chat_count)
    async with db.write() as conn:
        await conn.execute(
            users.insert(),
            [
                {"platform": "bench", "user_key": f"u{i}", "display_name": f"u{i}"}
                for i in range(members)
            ],
        )
        user_ids = list((await conn.execute(select(users.c.id).order_by(users.c.id))).scalars())
        for c in range(chat_count):
            chat_id = (
                await conn.execute(
                    chats.insert()
                    .values(platform="bench", chat_key=f"c{c}", is_group=True, created_at=BASE)
                    .returning(chats.c.id)
                )
            ).scalar_one()
            for day in range(2 * DAILY_BEFORE + 1):
                opened = BASE + timedelta(days=day)
                middle = day == DAILY_BEFORE
                post_id = (
                    await conn.execute(
                        posts.insert()
                        .values(
                            chat_id=chat_id,
                            question_id=QUESTION if middle else f"other-{day}",
                            kind="daily",
                            options_count=4,
                            correct="1",  # the re-scored question's key is wrong: 2 is right
                            opened_at=opened,
                            closes_at=opened + timedelta(hours=10),
                            closed_at=opened + timedelta(hours=10),
                        )
                        .returning(posts.c.id)
                    )
                ).scalar_one()
                rows = []
                for uid in user_ids:
                    option = rng.choice((1, 2, 2, 3)) if middle else rng.choice((1, 1, 1, 4))
                    rows.append(
                        {
                            "post_id": post_id,
                            "chat_id": chat_id,
                            "user_id": uid,
                            "option": option,
                            "correct": option == 1,
                            "points": 10 if option == 1 else 0,
                            "elapsed_ms": rng.randrange(1000, 60000),
                            "answered_at": opened + timedelta(minutes=5),
                        }
                    )
                for start in range(0, len(rows), 2000):
                    await conn.execute(answers.insert(), rows[start : start + 2000])
        await conn.run_sync(rebuild_totals)
        await conn.run_sync(rebuild_question_stats)


async def longest_streaks(db: Database) -> int:
    async with db.read() as conn:
        return int((await conn.execute(select(func.max(streaks.c.streak)))).scalar_one() or 0)


async def run(
    engine: str, url: str, total: int, chat_count: int, schema: str | None = None
) -> None:
    db = (
        Database(url, connect_args={"server_settings": {"search_path": schema}})
        if schema
        else Database(url)
    )
    await upgrade(db)
    await load(db, total, chat_count, random.Random(7))
    scores, stats = ScoreService(db), QuestionStatsService(db)
    now = BASE + timedelta(days=10)
    assert await scores.check(now=now) == [], "totals disagree before"
    assert await stats.check() == []
    async with db.read() as conn:
        counted = (
            await conn.execute(
                select(func.count())
                .select_from(answers.join(posts, posts.c.id == answers.c.post_id))
                .where(posts.c.question_id == QUESTION)
            )
        ).scalar_one()
    chat_one = 1
    before = await scores.board(chat_one, None, limit=1)
    streak_before = await longest_streaks(db)
    service = RescoreService(db)
    job = await service.request(QUESTION, (2,), "fix", None, now)
    started = time.perf_counter()
    applied = await service.apply(job, now, "bench")
    elapsed = time.perf_counter() - started
    assert applied is not None
    assert await scores.check(now=now) == [], "totals disagree after"
    assert await stats.check() == []
    after = await scores.board(chat_one, None, limit=1)
    again = time.perf_counter()
    rerun = await service.apply(
        await service.request(QUESTION, (2,), "fix", None, now), now, "bench"
    )
    rerun_s = time.perf_counter() - again
    assert rerun is not None and rerun.answers_changed == 0
    print(
        f"{engine}: re-scored {counted} answers ({applied.answers_changed} changed) in "
        f"{chat_count} chats in {elapsed:.2f} s; rerun {rerun_s * 1000:.0f} ms; totals agree "
        f"before and after; chat 1 leader {before.top[0].points if before.top else 0} -> "
        f"{after.top[0].points if after.top else 0} points, players {before.players} -> "
        f"{after.players}; longest streak {streak_before} -> {await longest_streaks(db)}"
    )
    await db.dispose()


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--answers", type=int, default=10_000)
    parser.add_argument("--chats", type=int, default=4)
    parser.add_argument("--engines", default="sqlite,postgres")
    parser.add_argument("--pg-url", default=os.environ.get("STUDYBOT_TEST_POSTGRES_URL"))
    args = parser.parse_args()
    for engine in args.engines.split(","):
        if engine == "sqlite":
            with tempfile.TemporaryDirectory() as tmp:
                await run("sqlite", f"sqlite+aiosqlite:///{tmp}/bench.db", args.answers, args.chats)
        elif engine == "postgres":
            if not args.pg_url:
                print("postgres: skipped (no --pg-url or STUDYBOT_TEST_POSTGRES_URL)")
                continue
            schema = f"bench_rescore_{os.getpid()}"
            admin = make_engine(args.pg_url)
            async with admin.begin() as conn:
                await conn.execute(text(f'CREATE SCHEMA "{schema}"'))
            try:
                await run("postgres", args.pg_url, args.answers, args.chats, schema)
            finally:
                async with admin.begin() as conn:
                    await conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
                await admin.dispose()


if __name__ == "__main__":
    asyncio.run(main())
