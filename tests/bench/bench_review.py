"""Latency of a person's next due review card and due count, with a large deck table.

Run from the repository root:  python tests/bench/bench_review.py [--people N] [--cards N]

Builds a migrated SQLite database with 10,000 people and 1,000,000 cards (100 each, half
of them in the deck, due times spread over two weeks around now, some questions open in
a chat), then times ReviewService.next_due and ReviewService.due_count for random people:
once through the service as a handler calls it (the one-hop read thread included) and
once as the bare transaction function on a connection. Target: p99 <= 2 ms on SQLite.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bot.services.review import ReviewService, _due_count, _pick
from bot.storage.db import Database
from bot.storage.migrate import upgrade

SEED = 20261208
TARGET_P99_MS = 2.0
NOW = datetime(2026, 12, 8, 12, 0, tzinfo=UTC)
QUESTIONS = 2_000


def _stamp(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def fill(path: Path, people: int, cards: int, rng: random.Random) -> float:
    started = time.perf_counter()
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=OFF")
    con.executemany(
        "INSERT INTO users (id, platform, user_key, display_name) VALUES (?, 'memory', ?, ?)",
        ((i, f"u{i}", f"user {i}") for i in range(1, people + 1)),
    )
    con.execute(
        "INSERT INTO chats (id, platform, chat_key, is_group, created_at) "
        "VALUES (1, 'memory', 'g', 1, ?)",
        (_stamp(NOW),),
    )
    # A few questions are open in a chat right now: the pick skips them.
    con.executemany(
        "INSERT INTO posts (chat_id, question_id, kind, options_count, correct, opened_at) "
        "VALUES (1, ?, 'daily', 4, '1', ?)",
        ((f"q{q}", _stamp(NOW)) for q in range(0, QUESTIONS, 400)),
    )
    per_person = max(1, cards // people)

    def rows():  # type: ignore[no-untyped-def]
        for user in range(1, people + 1):
            number = 0
            for q in rng.sample(range(QUESTIONS), per_person):
                due = NOW + timedelta(minutes=rng.randint(-7 * 1440, 7 * 1440))
                in_deck = rng.random() < 0.5
                number += in_deck  # deck numbers in order, as the service hands them out
                yield (
                    user,
                    f"q{q}",
                    in_deck,
                    number if in_deck else None,
                    2,
                    None,
                    3.0,
                    5.0,
                    _stamp(due),
                    _stamp(due - timedelta(days=3)),
                    3,
                    0,
                    _stamp(NOW),
                )

    con.executemany(
        "INSERT INTO review_cards (user_id, question_id, in_deck, deck_no, state, step, "
        "stability, difficulty, due, last_review, reps, lapses, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows(),
    )
    con.commit()
    con.execute("ANALYZE")
    con.close()
    return time.perf_counter() - started


def percentiles(samples: list[float]) -> tuple[float, float, float]:
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return statistics.median(ordered), p99, ordered[-1]


async def timed(fn: Callable[[int], Awaitable[object]], users: list[int]) -> list[float]:
    out = []
    for user in users:
        started = time.perf_counter()
        await fn(user)
        out.append((time.perf_counter() - started) * 1000)
    return out


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--cards", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=3_000)
    args = parser.parse_args()
    rng = random.Random(SEED)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        db = Database(f"sqlite+aiosqlite:///{path}")
        await upgrade(db)
        await db.dispose()
        seconds = fill(path, args.people, args.cards, rng)
        print(f"filled {args.people:,} people and {args.cards:,} cards in {seconds:.1f} s")
        db = Database(f"sqlite+aiosqlite:///{path}")
        service = ReviewService(db)
        users = [rng.randint(1, args.people) for _ in range(args.queries)]
        # Warm the pools and the page cache the way a running bot has them.
        await timed(lambda u: service.next_due(u, NOW), users[:200])
        results = {
            "next_due (service)": await timed(lambda u: service.next_due(u, NOW), users),
            "due_count (service)": await timed(lambda u: service.due_count(u, NOW), users),
        }
        assert db._sync is not None
        with db._sync.connect() as conn:
            for name, fn in (("next_due (bare)", _pick), ("due_count (bare)", _due_count)):
                samples, cpu = [], []
                for user in users:
                    started, started_cpu = time.perf_counter(), time.thread_time()
                    with conn.begin():
                        fn(conn, user, NOW)
                    samples.append((time.perf_counter() - started) * 1000)
                    cpu.append((time.thread_time() - started_cpu) * 1000)
                results[name] = samples
                # CPU time of this thread only: on a shared machine the wall-clock tail is
                # mostly time spent preempted, which this leaves out.
                results[name.replace("bare", "bare, cpu")] = cpu
        due = [await service.due_count(u, NOW) for u in users[:200]]
        print(f"due cards per person: mean {statistics.mean(due):.1f} (of ~50 in the deck)")
        ok = True
        for name, samples in results.items():
            p50, p99, worst = percentiles(samples)
            ok &= p99 <= TARGET_P99_MS
            print(f"{name:25} p50 {p50:.3f} ms  p99 {p99:.3f} ms  max {worst:.3f} ms")
        print(f"target p99 <= {TARGET_P99_MS} ms: {'met' if ok else 'NOT met'}")
        await db.dispose()


if __name__ == "__main__":
    asyncio.run(main())
