"""Poll answers taken per second by studybot's Telegram adapter and by a bare
python-telegram-bot application, against the same in-repo fake Bot API over real HTTP.

Run from the repository root:

    python tests/bench/bench_telegram.py [--sizes 3000,10000] [--rounds 2]
        [--postgres postgresql+asyncpg://...] [--memory 20000]

Each round, on a fresh fake server with rate limits off (and a fresh database):
  bare     a PTB Application whose one PollAnswerHandler does nothing, run as PTB runs by
           default (one update at a time) and with PTB's concurrent updates; the faster is
           the yardstick: the cost of taking an answer from Telegram at all
  poll     studybot: N people vote in the open quiz poll of one group (poll_answer updates);
           every answer is stored (and acknowledged to Telegram only then) before the
           clock stops
The best round is reported, with studybot's rate as a share of the bare application's.
Target: >= 0.8 at 10,000 answers on SQLite. With --postgres the same run on PostgreSQL
prints its figure. With --memory M, `studybot run` as a subprocess takes M answers from
M people and its resident memory is printed (idle, and after), beside the bound of the
registry's cache of people. Timings include the fake server, which runs in the same
process and loop.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import logging
import os
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from sqlalchemy import event, func, select, text
from telegram import Update
from telegram.ext import Application, ContextTypes, PollAnswerHandler

from adapters.telegram import create
from bot.app import settle_heap
from bot.clock import SystemClock
from bot.config import Secret, Settings
from bot.content.loader import load_library
from bot.services.registry import USER_CACHE
from bot.storage.db import Database, make_engine
from bot.storage.migrate import upgrade
from bot.storage.tables import answers
from bot.timers import ManualTimers
from bot.types import ChoiceSelected, Content, Event
from bot.wiring import build_core
from tests.telegram.fake_bot_api import FakeBotApi, poll_answer

REPO = Path(__file__).resolve().parents[2]
TARGET = 0.8
LONG = 3600.0  # seconds; a burst that takes longer has a bug, not a slow machine


@dataclass
class Result:
    name: str
    updates: int
    seconds: float
    transactions: int = 0
    registry_cached: int = 0

    @property
    def rate(self) -> float:
        return self.updates / self.seconds


async def run_bare(n: int, concurrent: bool) -> Result:
    api = FakeBotApi(limits=None)
    await api.start()
    people = [api.user(10_000 + i, f"학생{i}") for i in range(n)]
    seen = 0
    done = asyncio.Event()

    async def nothing(_update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
        nonlocal seen
        seen += 1
        if seen >= n:
            done.set()

    builder = Application.builder().token(api.token).base_url(api.base_url).job_queue(None)
    app = builder.concurrent_updates(concurrent).build()
    app.add_handler(PollAnswerHandler(nothing))
    await app.initialize()
    await app.start()
    assert app.updater is not None
    await app.updater.start_polling(timeout=10, allowed_updates=["poll_answer"])
    try:
        started = time.perf_counter()
        for person in people:
            api.push("poll_answer", poll_answer("5000000000000000001", person, [0]))
        await asyncio.wait_for(done.wait(), LONG)
        elapsed = time.perf_counter() - started
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()
        await api.close()
    mode = "concurrent" if concurrent else "in order"
    return Result(f"bare PTB, poll answers ({mode})", n, elapsed)


async def open_db(url: str | None, folder: Path) -> tuple[Database, str | None]:
    if url is None:
        db = Database(f"sqlite+aiosqlite:///{folder / f'bench-{uuid.uuid4().hex[:6]}.db'}")
        await upgrade(db)
        return db, None
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = make_engine(url)
    async with admin.begin() as conn:
        await conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    await admin.dispose()
    db = Database(url, connect_args={"server_settings": {"search_path": schema}})
    await upgrade(db)
    return db, schema


async def drop(url: str, schema: str) -> None:
    admin = make_engine(url)
    async with admin.begin() as conn:
        await conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    await admin.dispose()


async def run_studybot(n: int, folder: Path, url: str | None) -> Result:
    api = FakeBotApi(limits=None)
    await api.start()
    group = api.group(-100, "벤치 방")
    people = [api.user(10_000 + i, f"학생{i}") for i in range(n)]
    asker = api.user(1, "출제자")
    db, schema = await open_db(url, folder)
    settings = Settings(
        data_dir=folder,
        quiz_open_seconds=86_400,
        telegram_token=Secret(api.token),
        telegram_api_url=api.base_url,
    )
    core = build_core(settings, db, load_library(), clock=SystemClock(), timers=ManualTimers())
    adapter = create(settings, core)
    core.attach(adapter)
    handled, target = 0, n
    reached = asyncio.Event()
    tx = {"n": 0}

    def on_begin(*_args: object) -> None:
        tx["n"] += 1

    for engine in filter(None, [db.engine.sync_engine, getattr(db, "_sync", None)]):
        event.listen(engine, "begin", on_begin)

    async def counting_sink(update: Event) -> list[Content]:
        nonlocal handled
        replies = await core.handle(update)
        if isinstance(update, ChoiceSelected):
            handled += 1
            if handled >= target:
                reached.set()
        return replies

    await adapter.start(counting_sink)
    await core.start()
    settle_heap()  # as `studybot run` does once started
    try:
        api.say(group, asker, "/quiz")
        await api.wait_for(lambda: any(s.poll for s in api.sent(group)), LONG)
        poll_id = next(s.poll["id"] for s in api.sent(group) if s.poll)
        tx["n"] = 0
        started = time.perf_counter()
        for person in people:
            api.push("poll_answer", poll_answer(poll_id, person, [0]))
        await asyncio.wait_for(reached.wait(), LONG)
        elapsed = time.perf_counter() - started
        transactions = tx["n"]
        async with db.read() as conn:
            recorded = (await conn.execute(select(func.count()).select_from(answers))).scalar_one()
        assert recorded == n, f"{recorded} answers recorded, expected {n}"
        cached = len(core.rt.services.registry._users)
    finally:
        gc.unfreeze()  # this bench process goes on to other runs
        await adapter.stop()
        await db.dispose()
        await api.close()
        if url is not None and schema is not None:
            await drop(url, schema)
    engine = "PostgreSQL" if url else "SQLite"
    return Result(f"studybot, poll answers ({engine})", n, elapsed, transactions, cached)


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def run_memory(n: int, folder: Path) -> tuple[float, float]:
    """`studybot run` as a subprocess: resident memory idle, and after n answers from n people."""
    api = FakeBotApi(limits=None)
    await api.start()
    group = api.group(-100, "벤치 방")
    asker = api.user(1, "출제자")
    env = {k: v for k, v in os.environ.items() if not k.startswith("STUDYBOT_")}
    env.update(
        STUDYBOT_DATA_DIR=str(folder / "memory"),
        STUDYBOT_TELEGRAM_TOKEN=api.token,
        STUDYBOT_TELEGRAM_API_URL=api.base_url,
        STUDYBOT_QUIZ_OPEN_SECONDS="86400",
        STUDYBOT_LOG_LEVEL="WARNING",
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.cli", "run", cwd=REPO, env=env,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
    )  # fmt: skip
    try:
        await api.wait_for(lambda: api.arrived["getUpdates"] > 0, LONG)
        api.say(group, asker, "/quiz")
        await api.wait_for(lambda: any(s.poll for s in api.sent(group)), LONG)
        poll = next(s.poll for s in api.sent(group) if s.poll)
        await asyncio.sleep(1.0)
        idle = _rss_mb(process.pid)
        ids = [api.vote(poll["id"], api.user(10_000 + i, f"학생{i}"), 0) for i in range(n)]
        await api.wait_for(lambda: all(u in api.confirmed for u in ids), LONG)
        await asyncio.sleep(0.5)
        after = _rss_mb(process.pid)
        process.terminate()
        await asyncio.wait_for(process.wait(), 60)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
        await api.close()
    return idle, after


async def bench(sizes: list[int], rounds: int, url: str | None, memory: int) -> None:
    lines: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            best: dict[str, Result] = {}
            for r in range(rounds):
                folder = Path(tmp) / f"n{n}-r{r}"
                folder.mkdir()
                runs: list[tuple[str, Result]] = [
                    ("bare-seq", await run_bare(n, concurrent=False)),
                    ("bare-concurrent", await run_bare(n, concurrent=True)),
                    ("sqlite", await run_studybot(n, folder, None)),
                ]
                if url:
                    runs.append(("postgres", await run_studybot(n, folder, url)))
                for key, result in runs:
                    print(f"{n} answers, round {r + 1}: {result.name:<44} {result.rate:7.0f}/s")
                    if key not in best or result.rate > best[key].rate:
                        best[key] = result
            bare = max(best["bare-seq"], best["bare-concurrent"], key=lambda b: b.rate)
            lines.append(f"\n{n} poll answers from {n} people into one group, best of {rounds}:")
            lines.append(f"  {bare.name:<44} {bare.rate:7.0f} answers/s ({bare.seconds:.2f} s)")
            for key in ("sqlite", "postgres"):
                if key not in best:
                    continue
                result = best[key]
                share = result.rate / bare.rate
                verdict = "meets" if share >= TARGET else "below"
                lines.append(
                    f"  {result.name:<44} {result.rate:7.0f} answers/s ({result.seconds:.2f} s)"
                    f"  {share:.2f} of bare PTB ({verdict} the {TARGET} target);"
                    f" {result.transactions} transactions;"
                    f" registry caches {result.registry_cached} people (bound {USER_CACHE})"
                )
        if memory:
            idle, after = await run_memory(memory, Path(tmp))
            verdict = "meets" if after <= 120 else "above"
            lines.append(
                f"\nstudybot run (Telegram, SQLite), resident memory: {idle:.0f} MB idle, "
                f"{after:.0f} MB after {memory} poll answers from {memory} people "
                f"({verdict} the 120 MB target); registry cache bound: {USER_CACHE} people"
            )
    print("\n".join(lines))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="3000,10000")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument(
        "--postgres", default=os.environ.get("STUDYBOT_TEST_POSTGRES_URL"), help="also on PG"
    )
    parser.add_argument("--memory", type=int, default=20_000, help="0: skip")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    sizes = [int(x) for x in args.sizes.split(",") if x]
    asyncio.run(bench(sizes, args.rounds, args.postgres, args.memory))


if __name__ == "__main__":
    main()
