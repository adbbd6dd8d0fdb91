"""A daily fan-out through the core's pacer to a platform that allows 30 messages a second.

Run from the repository root:
    python tests/bench/bench_fanout.py [--chats N]

Subscribes N chats (10,000 by default) to the daily question on a fresh SQLite database,
then fires every chat's delivery at once, as the scheduler does at the shared slot. The
fake platform keeps a one-second sliding window and answers 429 (retry_after 1) to any
message beyond 30 in it. Reports achieved rate ÷ limit (target ≥ 0.95), 429s received
(target 0) and duplicates (must be 0). Real time: about N / 29 seconds.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from collections import Counter, deque
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bot.clock import SystemClock
from bot.config import Settings
from bot.content.loader import load_library
from bot.errors import RateLimited
from bot.storage.db import Database
from bot.storage.migrate import upgrade
from bot.storage.tables import chats, daily_subscriptions
from bot.timers import ManualTimers
from bot.types import Capabilities, ChatRef, Content, QuestionCard, SentRef
from bot.wiring import build_core

LIMIT = 30.0


class StrictPlatform:
    """Answers 429 to any message past LIMIT in the last second, as Telegram would."""

    name = "telegram"  # so the pacer applies Telegram's limits
    capabilities = Capabilities(native_quiz=True)

    def __init__(self) -> None:
        self.window: deque[float] = deque()
        self.delivered: Counter[str] = Counter()
        self.rejected = 0
        self.first: float | None = None
        self.last = 0.0

    async def start(self, sink: object) -> None:
        return None

    async def stop(self) -> None:
        return None

    async def send(self, chat: ChatRef, content: Content) -> SentRef:
        now = time.monotonic()
        while self.window and self.window[0] <= now - 1.0:
            self.window.popleft()
        if len(self.window) >= LIMIT:
            self.rejected += 1
            raise RateLimited(1.0)
        self.window.append(now)
        if isinstance(content, QuestionCard):
            self.delivered[chat.chat_id] += 1
        self.first = self.first if self.first is not None else now
        self.last = now
        return SentRef(chat, str(sum(self.delivered.values())))

    async def edit(self, ref: SentRef, content: Content) -> None:
        return None


async def main(n_chats: int) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(f"sqlite+aiosqlite:///{Path(tmp) / 'fanout.db'}")
        await upgrade(db)
        settings = Settings(data_dir=Path(tmp))
        core = build_core(settings, db, load_library(), clock=SystemClock(), timers=ManualTimers())
        platform = StrictPlatform()
        core.attach(platform)
        now = datetime.now(UTC)
        local = now.astimezone(settings.tz)
        at = local.strftime("%H:%M")
        async with db.write() as conn:
            await conn.execute(
                chats.insert(),
                [
                    {
                        "platform": "telegram",
                        "chat_key": f"-100{i}",
                        "is_group": True,
                        "created_at": now,
                    }
                    for i in range(n_chats)
                ],
            )
            await conn.execute(
                daily_subscriptions.insert(),
                [
                    {
                        "chat_id": i + 1,
                        "enabled": True,
                        "at_time": at,
                        "close_time": "23:59",
                        "topics": "",
                        "updated_at": now,
                    }
                    for i in range(n_chats)
                ],
            )
        subs = await core.rt.services.daily.active()
        slot = core.runners.daily.slot(subs[0][0], local.date())
        print(f"{n_chats:,} chats subscribed; firing every delivery at once (slot {at})")
        started = time.monotonic()
        await asyncio.gather(
            *(
                core.runners.daily.deliver(sub.chat_id, chat, local.date(), slot)
                for sub, chat in subs
            )
        )
        wall = time.monotonic() - started
        await db.dispose()
    sent = sum(platform.delivered.values())
    span = (platform.last - platform.first) if platform.first is not None else 0.0
    # n messages spaced evenly over a span occupy n - 1 gaps.
    rate = (sent - 1) / span if span > 0 else 0.0
    duplicates = sum(c - 1 for c in platform.delivered.values() if c > 1)
    missing = n_chats - len(platform.delivered)
    print(f"delivered {sent:,} in {span:.1f} s (wall {wall:.1f} s)")
    print(f"rate {rate:.2f}/s of {LIMIT:.0f}/s limit: ratio {rate / LIMIT:.3f} (target >= 0.95)")
    print(
        f"429s received {platform.rejected} (target 0); "
        f"pacer saw {core.rt.pacer.stats.rate_limited}"
    )
    print(f"duplicates {duplicates} (must be 0); chats without a question {missing}")
    ok = rate / LIMIT >= 0.95 and platform.rejected == 0 and duplicates == 0 and missing == 0
    return 0 if ok else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chats", type=int, default=10_000)
    sys.exit(asyncio.run(main(parser.parse_args().chats)))
