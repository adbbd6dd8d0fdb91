"""Updates handled per second, end to end, by studybot's Telegram adapter and by a bare
python-telegram-bot echo bot, against the same in-repo fake Bot API over real HTTP.

Run from the repository root:

    python tests/bench/bench_telegram.py [--updates 10000] [--chats 1] [--rounds 2]

Each round, on a fresh fake server with rate limits off (and a fresh SQLite database):
  echo     a bare PTB Application with one MessageHandler that replies to each text, run
           once as PTB runs by default (one update at a time) and once with PTB's
           concurrent updates; the faster is the yardstick
  text     studybot: people answer the open question with a bare "1"; the core records
           the answer and the adapter sends the acknowledgement (one text in, one out,
           like the echo bot)
  poll     studybot: people vote in the open quiz poll (poll_answer updates); the core
           records the answers and nothing is sent back
A burst of N updates is queued at once and the clock runs until the last is handled (echo
and text: the Nth reply reached the server; poll: the Nth answer went through the core).
With --chats 1 (the default) every update goes to one group from N different people,
the worst case for studybot: one chat's updates are handled strictly in order, and every
person is new to the database. With --chats C the burst is spread over C groups with the
same N/C people in each, as a bot serving many study groups would see it.
The best round is reported, with studybot's rates as a share of the echo bot's. Target:
>= 0.8. Timings include the fake server, which runs in the same process and loop.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import random
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from sqlalchemy import event, func, select
from telegram import Update
from telegram.ext import Application, ContextTypes, MessageHandler, filters

from adapters.telegram import create
from bot.clock import SystemClock
from bot.config import Secret, Settings
from bot.content.loader import load_library
from bot.storage.db import Database
from bot.storage.migrate import upgrade
from bot.storage.tables import answers
from bot.timers import ManualTimers
from bot.types import ChoiceSelected, Content, Event
from bot.wiring import build_core
from tests.telegram.fake_bot_api import JSON, FakeBotApi, poll_answer

TARGET = 0.8
SEED = 20261126
LONG = 3600.0  # seconds; a burst that takes longer has a bug, not a slow machine


@dataclass
class Result:
    name: str
    updates: int
    seconds: float
    core_seconds: float = 0.0  # inside core.handle (the sink), summed over the burst
    statements: int = 0  # SQL statements the burst cost, BEGIN included
    transactions: int = 0

    @property
    def rate(self) -> float:
        return self.updates / self.seconds


@dataclass
class World:
    api: FakeBotApi
    groups: list[JSON]
    people: list[JSON]

    def burst(self) -> list[tuple[JSON, JSON]]:
        """(group, person) for every update, the groups' updates mixed as chance has it."""
        pairs = [(g, p) for p in self.people for g in self.groups]
        random.Random(SEED).shuffle(pairs)
        return pairs


async def _world(n: int, chats: int) -> World:
    api = FakeBotApi(limits=None)
    await api.start()
    groups = [api.group(-100 - i, f"벤치 방 {i}") for i in range(chats)]
    people = [api.user(10_000 + i, f"학생{i}") for i in range(n // chats)]
    return World(api, groups, people)


async def run_echo(n: int, chats: int, concurrent: bool) -> Result:
    world = await _world(n, chats)
    api = world.api

    async def echo(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_text(update.effective_message.text or "")

    builder = Application.builder().token(api.token).base_url(api.base_url).job_queue(None)
    app = builder.concurrent_updates(concurrent).build()
    app.add_handler(MessageHandler(filters.TEXT, echo))
    await app.initialize()
    await app.start()
    assert app.updater is not None
    await app.updater.start_polling(timeout=10)
    burst = world.burst()
    try:
        started = time.perf_counter()
        for group, person in burst:
            api.say(group, person, "1")
        await api.wait_for(lambda: api.count("sendMessage") >= len(burst), LONG)
        elapsed = time.perf_counter() - started
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()
        await api.close()
    mode = "concurrent" if concurrent else "in order"
    return Result(f"echo, bare PTB ({mode})", len(burst), elapsed)


async def run_studybot(n: int, chats: int, kind: str, folder: Path) -> Result:
    world = await _world(n, chats)
    api = world.api
    asker = api.user(1, "출제자")
    db = Database(f"sqlite+aiosqlite:///{folder / f'bench-{kind}.db'}")
    await upgrade(db)
    settings = Settings(
        data_dir=folder,
        quiz_open_seconds=86_400,
        telegram_token=Secret(api.token),
        telegram_api_url=api.base_url,
    )
    core = build_core(settings, db, load_library(), clock=SystemClock(), timers=ManualTimers())
    adapter = create(settings, core)
    core.attach(adapter)
    handled, in_core, target = 0, 0.0, 0
    reached = asyncio.Event()
    sql = {"statements": 0, "transactions": 0}

    def on_statement(*_args: object) -> None:
        sql["statements"] += 1

    def on_begin(*_args: object) -> None:
        sql["transactions"] += 1

    # The core's hot paths may run on a second, sync engine beside the async one.
    for engine in filter(None, [db.engine.sync_engine, getattr(db, "_sync", None)]):
        event.listen(engine, "before_cursor_execute", on_statement)
        event.listen(engine, "begin", on_begin)

    async def counting_sink(update: Event) -> list[Content]:
        nonlocal handled, in_core
        started = time.perf_counter()
        replies = await core.handle(update)
        in_core += time.perf_counter() - started
        if isinstance(update, ChoiceSelected):  # the burst's poll answers, nothing else
            handled += 1
            if handled >= target:
                reached.set()
        return replies

    await adapter.start(counting_sink)
    await core.start()
    burst = world.burst()
    try:
        for group in world.groups:
            api.say(group, asker, "/quiz")
        await api.wait_for(lambda: sum(1 for s in api.sent() if s.poll) == chats, LONG)
        poll_of = {s.chat_id: s.poll["id"] for s in api.sent() if s.poll}
        sends, target = api.count("sendMessage"), len(burst)
        in_core, sql["statements"], sql["transactions"] = 0.0, 0, 0
        started = time.perf_counter()
        for group, person in burst:
            if kind == "poll":
                api.push("poll_answer", poll_answer(poll_of[group["id"]], person, [0]))
            else:
                api.say(group, person, "1")
        if kind == "poll":
            await asyncio.wait_for(reached.wait(), LONG)
        else:
            await api.wait_for(lambda: api.count("sendMessage") - sends >= len(burst), LONG)
        elapsed = time.perf_counter() - started
        statements, transactions = sql["statements"], sql["transactions"]
        async with db.read() as conn:
            recorded = (await conn.execute(select(func.count()).select_from(answers))).scalar_one()
        assert recorded == len(burst), f"{recorded} answers recorded, expected {len(burst)}"
    finally:
        await adapter.stop()
        await db.dispose()
        await api.close()
    label = "poll answers" if kind == "poll" else "bare-number answers"
    return Result(f"studybot, {label}", len(burst), elapsed, in_core, statements, transactions)


async def bench(n: int, chats: int, rounds: int) -> None:
    best: dict[str, Result] = {}
    runs = ("echo-seq", "echo-concurrent", "text", "poll")
    with tempfile.TemporaryDirectory() as tmp:
        for r in range(rounds):
            folder = Path(tmp) / f"r{r}"
            folder.mkdir()
            for key in runs:
                if key.startswith("echo"):
                    result = await run_echo(n, chats, concurrent=key == "echo-concurrent")
                else:
                    result = await run_studybot(n, chats, key, folder)
                print(f"round {r + 1}: {result.name:<36} {result.rate:7.0f} updates/s", flush=True)
                if key not in best or result.rate > best[key].rate:
                    best[key] = result
    echo = max((best["echo-seq"], best["echo-concurrent"]), key=lambda e: e.rate)
    people = n // chats
    print(
        f"\n{people * chats} updates per burst into {chats} group(s), "
        f"{people} {'different people' if chats == 1 else 'people in each'}; "
        f"best of {rounds} round(s):"
    )
    for key in runs:
        result = best[key]
        line = f"  {result.name:<36} {result.rate:7.0f} updates/s  ({result.seconds:6.2f} s)"
        if key in ("text", "poll"):
            share = result.rate / echo.rate
            verdict = "meets" if share >= TARGET else "below"
            line += f"  {share:.2f} of the faster echo ({verdict} the {TARGET} target)"
        print(line)
    print("\nper update, on average:")
    for key in ("text", "poll"):
        result = best[key]
        line = f"  {result.name:<36} {1000 * result.seconds / result.updates:5.2f} ms wall, "
        if chats == 1:  # with several chats, handlers overlap and their times add up
            line += f"{1000 * result.core_seconds / result.updates:5.2f} ms inside core.handle, "
        line += (
            f"{result.statements / result.updates:4.1f} SQL statements in "
            f"{result.transactions / result.updates:3.1f} transactions"
        )
        print(line)
    print(f"  {echo.name:<36} {1000 * echo.seconds / echo.updates:5.2f} ms wall")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--updates", type=int, default=10_000)
    parser.add_argument("--chats", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    asyncio.run(bench(args.updates, args.chats, args.rounds))


if __name__ == "__main__":
    main()
