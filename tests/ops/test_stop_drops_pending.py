"""A graceful stop drops the sends still waiting at once, and cancellation is no error."""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.clock import SystemClock
from bot.errors import TransientError
from bot.ops.lifecycle import TrackedTimers
from bot.pacer import Limits, Pacer, PacerClosed
from bot.types import ChatRef, Content, SentRef, Text


async def _gone(chat: ChatRef, reason: str) -> None:
    return None


async def test_close_ends_every_send_waiting_for_its_turn_at_once() -> None:
    sent: list[str] = []

    async def send(chat: ChatRef, content: Content) -> SentRef:
        sent.append(chat.chat_id)
        return SentRef(chat, str(len(sent)))

    # Two a second: 200 chats would take 100 s to drain.
    pacer = Pacer(send, SystemClock(), _gone, {"t": Limits(2.0)})
    chats = [ChatRef("t", str(i), True) for i in range(200)]
    tasks = [asyncio.ensure_future(pacer.send(chat, Text("q"))) for chat in chats]
    await asyncio.sleep(0.3)
    started = time.monotonic()
    pacer.close()
    results = await asyncio.gather(*tasks, return_exceptions=True)
    assert time.monotonic() - started < 1.0
    closed = [r for r in results if isinstance(r, PacerClosed)]
    assert len(closed) == 200 - len(sent) and len(closed) >= 190
    assert not [r for r in results if isinstance(r, BaseException) and r not in closed]


async def test_close_ends_a_send_waiting_to_retry_a_5xx() -> None:
    async def failing(chat: ChatRef, content: Content) -> SentRef:
        raise TransientError("502")

    pacer = Pacer(failing, SystemClock(), _gone, {"t": Limits(30.0)})
    task = asyncio.ensure_future(pacer.send(ChatRef("t", "c", True), Text("q")))
    await asyncio.sleep(0.2)  # in its first 1 s backoff
    pacer.close()
    with pytest.raises(PacerClosed):
        await asyncio.wait_for(task, 0.5)


async def test_a_job_cancelled_by_the_stop_is_not_logged_as_an_error(
    caplog: pytest.LogCaptureFixture,
) -> None:
    timers = TrackedTimers(ZoneInfo("UTC"))
    timers.start()
    began = asyncio.Event()

    async def job() -> None:
        began.set()
        await asyncio.sleep(60)

    timers.at(datetime.now(ZoneInfo("UTC")) + timedelta(milliseconds=10), "fanout", job)
    await asyncio.wait_for(began.wait(), 5)
    with caplog.at_level(logging.INFO):
        for task in set(timers.running):
            task.cancel()
        await asyncio.sleep(0.1)
        timers.shutdown()
        await asyncio.sleep(0.1)
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors == [], [r.getMessage() for r in errors]
    assert any("cancelled for shutdown" in r.getMessage() for r in caplog.records)
