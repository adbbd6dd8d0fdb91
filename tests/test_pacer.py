"""The pacer under virtual time: limits kept, retry_after honoured, 5xx retried, gone reported."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.clock import FakeClock
from bot.errors import ChatGone, RateLimited, TransientError
from bot.pacer import Limits, Pacer
from bot.types import ChatRef, Content, SentRef, Text


class Platform:
    """Counts sends and checks them against a sliding window, as a strict server would."""

    def __init__(self, clock: FakeClock, script: list[BaseException] | None = None) -> None:
        self.clock = clock
        self.times: list[tuple[str, float]] = []
        self.script = list(script or [])

    async def send(self, chat: ChatRef, content: Content) -> SentRef:
        if self.script:
            raise self.script.pop(0)
        self.times.append((chat.chat_id, self.clock.now().timestamp()))
        return SentRef(chat, str(len(self.times)))

    def max_in_window(self, seconds: float, chat: str | None = None) -> int:
        stamps = sorted(t for c, t in self.times if chat is None or c == chat)
        best = 0
        j = 0
        for i, t in enumerate(stamps):
            while stamps[j] <= t - seconds:
                j += 1
            best = max(best, i - j + 1)
        return best


async def gone_sink(chat: ChatRef, reason: str) -> None:
    gone.append((chat.chat_id, reason))


gone: list[tuple[str, str]] = []


async def test_global_and_per_chat_limits() -> None:
    clock = FakeClock()
    platform = Platform(clock)
    pacer = Pacer(platform.send, clock, gone_sink, {"t": Limits(30, (20, 60))})
    chats = [ChatRef("t", f"c{i}", True) for i in range(100)]
    start = clock.now()
    for chat in chats:
        for _ in range(3):
            await pacer.send(chat, Text("x"))
    await pacer.send(chats[0], Text("x"))
    elapsed = (clock.now() - start).total_seconds()
    assert platform.max_in_window(1.0) <= 30
    assert len(platform.times) == 301
    assert 301 / elapsed >= 0.95 * 30
    for _ in range(30):
        await pacer.send(chats[1], Text("burst"))
    assert platform.max_in_window(60.0, "c1") <= 20


async def test_retry_after_is_honoured() -> None:
    clock = FakeClock()
    platform = Platform(clock, [RateLimited(12)])
    pacer = Pacer(platform.send, clock, gone_sink, {"t": Limits(30)})
    before = clock.now()
    assert await pacer.send(ChatRef("t", "c", True), Text("x")) is not None
    assert clock.now() - before >= timedelta(seconds=12)
    assert pacer.stats.rate_limited == 1 and pacer.stats.sent == 1


async def test_transient_errors_back_off_then_give_up() -> None:
    clock = FakeClock()
    platform = Platform(clock, [TransientError("502"), TransientError("timeout")])
    pacer = Pacer(platform.send, clock, gone_sink, {"t": Limits(30)})
    assert await pacer.send(ChatRef("t", "c", True), Text("x")) is not None
    assert pacer.stats.retried == 2 and clock.slept >= 3
    hopeless = Platform(clock, [TransientError("500")] * 10)
    pacer = Pacer(hopeless.send, clock, gone_sink, {"t": Limits(30)})
    with pytest.raises(TransientError):
        await pacer.send(ChatRef("t", "c", True), Text("x"))
    assert pacer.stats.failed == 1


async def test_gone_chat_reported_once_without_retry() -> None:
    clock = FakeClock()
    platform = Platform(clock, [ChatGone("403: bot was kicked")])
    pacer = Pacer(platform.send, clock, gone_sink, {"t": Limits(30)})
    gone.clear()
    assert await pacer.send(ChatRef("t", "kicked", True), Text("x")) is None
    assert gone == [("kicked", "403: bot was kicked")] and platform.times == []
