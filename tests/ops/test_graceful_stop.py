"""SIGTERM: stop taking input, finish what is in hand, close cleanly, exit 0; twice: at once.

The promise is the durability test's, kept under a polite stop: an answer the bot has
acknowledged is stored, and here also the reverse, since nothing in hand is cut off: every
answer stored was acknowledged before the process left.
"""

from __future__ import annotations

import asyncio
import os
import queue
import signal
import sqlite3
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

import bot.app as app_module
from bot.app import StopCutShort, run
from bot.clock import FakeClock, SystemClock
from bot.config import Secret, Settings
from bot.content.loader import Library
from bot.core import Core
from bot.markup import to_plain
from bot.ops.lifecycle import TrackedTimers
from bot.pacer import Pacer, PacerClosed
from bot.storage.db import Database
from bot.types import (
    Capabilities,
    ChatRef,
    ChoiceSelected,
    CommandReceived,
    Content,
    Event,
    QuestionCard,
    SentRef,
    Text,
    UserRef,
)
from tests.conftest import FlakyAdapter, cards, make_harness
from tests.test_durability import ACK, burst_script, feed, pump_lines, start_console

REPO = Path(__file__).resolve().parents[2]
BURST = 400
STOP_AFTER = 100
DEADLINE_S = 60.0


def stored_answers(db_file: Path) -> dict[str, int]:
    conn = sqlite3.connect(db_file)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        rows = conn.execute(
            "SELECT u.display_name, count(*) FROM answers a JOIN users u ON u.id = a.user_id "
            "GROUP BY u.display_name"
        ).fetchall()
        return dict(rows)
    finally:
        conn.close()


def test_sigterm_during_a_burst_keeps_every_acknowledged_answer_and_exits_0(
    tmp_path: Path,
) -> None:
    proc = start_console(tmp_path, tmp_path / "console.err")
    lines: queue.Queue[str | None] = queue.Queue()
    threading.Thread(target=pump_lines, args=(proc.stdout, lines), daemon=True).start()
    # stdin stays open: the console must stop because of the signal, not the end of input.
    threading.Thread(target=feed, args=(proc.stdin, burst_script(BURST)), daemon=True).start()

    acked: list[str] = []
    signalled_at: float | None = None
    deadline = time.monotonic() + DEADLINE_S
    try:
        while True:
            try:
                line = lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                pytest.fail(f"console did not stop; {len(acked)} acknowledgements")
            if line is None:
                break
            match = ACK.match(line)
            if match:
                acked.append(match.group(1))
                if len(acked) == STOP_AFTER:
                    proc.send_signal(signal.SIGTERM)
                    signalled_at = time.monotonic()
        returncode = proc.wait(timeout=DEADLINE_S)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)
    stopped_in = time.monotonic() - (signalled_at or 0)
    err_text = (tmp_path / "console.err").read_text(encoding="utf-8")
    # On the console the log goes to a file in the data folder, not into the conversation.
    log_text = (tmp_path / "studybot.log").read_text(encoding="utf-8")

    assert signalled_at is not None, err_text
    assert returncode == 0, err_text
    assert "SIGTERM: stopping" in log_text and "stopped" in log_text
    assert "Traceback" not in err_text + log_text
    assert stopped_in < 15, f"took {stopped_in:.1f}s to stop"
    assert len(acked) < BURST, "the burst ended before the signal landed"
    stored = stored_answers(tmp_path / "studybot.db")
    # Every acknowledged answer is stored once, and nothing was stored unacknowledged:
    # the answer in hand was finished and acknowledged, none was cut off half-way.
    assert stored == dict.fromkeys(acked, 1)
    # A clean close folds the write-ahead log back into the database file.
    assert not (tmp_path / "studybot.db-wal").exists()


def test_sigterm_ends_an_idle_console_at_once(tmp_path: Path) -> None:
    # stdin is held open: no end of input, only the signal.
    proc = start_console(tmp_path, tmp_path / "console.err")
    try:
        assert proc.stdout
        proc.stdout.readline()  # the welcome: the console is up and waiting for a line
        started = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=DEADLINE_S)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)
    err = (tmp_path / "console.err").read_text(encoding="utf-8")
    assert proc.returncode == 0, err
    assert time.monotonic() - started < 10
    assert "stopped" in (tmp_path / "studybot.log").read_text(encoding="utf-8")


GROUP = ChatRef("telegram", "group-1", True)


class BurstAdapter:
    """A platform that keeps delivering answers, several at once, until it is stopped."""

    name = "telegram"
    capabilities = Capabilities()

    def __init__(self, settings: Settings, core: Core) -> None:
        self.core = core
        self.stopped = False
        self.begun = 0
        self.finished = 0
        self.acked: list[str] = []
        self.enough = asyncio.Event()
        self.post_id: int | None = None
        self._task: asyncio.Task[None] | None = None

    async def start(self, sink: object) -> None:
        self._sink = sink
        self._task = asyncio.create_task(self._burst())

    async def _deliver(self, event: object) -> list[Content]:
        self.begun += 1
        replies: list[Content] = await self._sink(event)  # type: ignore[operator]
        self.finished += 1
        return replies

    async def _answer(self, i: int) -> None:
        assert self.post_id is not None
        user = UserRef("telegram", f"u{i}", f"u{i}")
        replies = await self._deliver(ChoiceSelected(GROUP, user, self.post_id, 1))
        if any(isinstance(r, Text) and "받았어요" in to_plain(r.body) for r in replies):
            self.acked.append(user.display_name)
            if len(self.acked) >= 60:
                self.enough.set()

    async def _burst(self) -> None:
        admin = UserRef("telegram", "admin", "관리자")
        await self._deliver(CommandReceived(GROUP, admin, "quiz", "", is_admin=True))
        i = 0
        while not self.stopped:
            wave = []
            for _ in range(8):
                if self.stopped:
                    break
                wave.append(asyncio.create_task(self._answer(i)))
                i += 1
            await asyncio.gather(*wave)

    async def stop(self) -> None:
        self.stopped = True

    async def send(self, chat: ChatRef, content: Content) -> SentRef:
        if isinstance(content, QuestionCard):
            self.post_id = content.post_id
        return SentRef(chat, "1")

    async def edit(self, ref: SentRef, content: Content) -> None:
        pass


class StuckAdapter(BurstAdapter):
    """Never finishes stopping, like a platform call that hangs."""

    async def stop(self) -> None:
        self.stopped = True
        await asyncio.Event().wait()


def platform_settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path, telegram_token=Secret("123456:not-used-by-this-test"))


async def test_run_finishes_the_events_in_hand_on_sigterm(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made: list[BurstAdapter] = []
    created = asyncio.Event()

    def factory(settings: Settings, core: Core) -> BurstAdapter:
        made.append(BurstAdapter(settings, core))
        created.set()
        return made[-1]

    original = Core.handle

    async def slow_handle(self: Core, event: Event) -> list[Content]:
        # Handling that takes a while, as on a busy database: the stop must wait for it.
        await asyncio.sleep(0.02)
        return await original(self, event)

    monkeypatch.setattr(Core, "handle", slow_handle)
    monkeypatch.setattr(app_module, "_factory", lambda platform: factory)
    task = asyncio.create_task(run(platform_settings(tmp_path)))
    await asyncio.wait_for(created.wait(), DEADLINE_S)
    adapter = made[0]
    await asyncio.wait_for(adapter.enough.wait(), DEADLINE_S)

    async def a_wave_in_hand() -> None:
        # Answers of one wave commit together, so right after one is acknowledged the
        # whole wave may be done; the next wave is in hand a moment later.
        for _ in range(1_000_000):
            if adapter.begun > adapter.finished:
                return
            await asyncio.sleep(0)

    await asyncio.wait_for(a_wave_in_hand(), DEADLINE_S)
    os.kill(os.getpid(), signal.SIGTERM)
    in_hand = adapter.begun - adapter.finished
    await asyncio.wait_for(task, DEADLINE_S)

    assert in_hand > 0, "the signal should land while events are being handled"
    assert adapter.stopped
    assert adapter.begun == adapter.finished, "an event in hand was cut off"
    stored = stored_answers(tmp_path / "studybot.db")
    assert stored == dict.fromkeys(adapter.acked, 1)


async def test_a_second_sigterm_ends_a_stuck_stop_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made: list[StuckAdapter] = []
    created = asyncio.Event()

    def factory(settings: Settings, core: Core) -> StuckAdapter:
        made.append(StuckAdapter(settings, core))
        created.set()
        return made[-1]

    monkeypatch.setattr(app_module, "_factory", lambda platform: factory)
    task = asyncio.create_task(run(platform_settings(tmp_path)))
    await asyncio.wait_for(created.wait(), DEADLINE_S)
    await asyncio.wait_for(made[0].enough.wait(), DEADLINE_S)
    os.kill(os.getpid(), signal.SIGTERM)
    await asyncio.sleep(0.3)
    assert not task.done(), "the stuck adapter should hold the first stop"
    started = time.monotonic()
    os.kill(os.getpid(), signal.SIGTERM)
    with pytest.raises(StopCutShort, match="a second signal"):
        await asyncio.wait_for(task, DEADLINE_S)
    assert time.monotonic() - started < 5
    # What was acknowledged is stored all the same.
    stored = stored_answers(tmp_path / "studybot.db")
    assert set(made[0].acked) <= set(stored)


async def test_a_stop_that_overruns_the_timeout_ends(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made: list[StuckAdapter] = []
    created = asyncio.Event()

    def factory(settings: Settings, core: Core) -> StuckAdapter:
        made.append(StuckAdapter(settings, core))
        created.set()
        return made[-1]

    monkeypatch.setattr(app_module, "_factory", lambda platform: factory)
    monkeypatch.setattr(app_module, "STOP_TIMEOUT", 1.0)
    task = asyncio.create_task(run(platform_settings(tmp_path)))
    await asyncio.wait_for(created.wait(), DEADLINE_S)
    await asyncio.wait_for(made[0].enough.wait(), DEADLINE_S)
    os.kill(os.getpid(), signal.SIGTERM)
    with pytest.raises(StopCutShort, match="1s passed"):
        await asyncio.wait_for(task, DEADLINE_S)


class ClosingAdapter(FlakyAdapter):
    """Delivers one daily question, then the stop arrives: the pacer closes mid fan-out."""

    def __init__(self) -> None:
        super().__init__()
        self.pacer: Pacer | None = None

    async def send(self, chat: ChatRef, content: Content) -> SentRef:
        sent = await super().send(chat, content)
        if isinstance(content, QuestionCard) and self.pacer is not None:
            self.pacer.close()
        return sent


async def test_a_fan_out_cut_by_the_stop_resumes_on_the_next_start(
    db: Database, library: Library, tmp_path: Path
) -> None:
    clock = FakeClock(datetime(2026, 11, 25, 22, 59, tzinfo=UTC))  # 07:59 in Seoul
    groups = [ChatRef("memory", f"group-{i}", True) for i in range(1, 5)]
    closing = ClosingAdapter()
    first = make_harness(db, library, tmp_path, clock=clock, adapter=closing)
    await first.adapter.start(first.core.handle)
    await first.core.start()
    for chat in groups:
        await first.command("daily", "on", who="관리자", chat=chat, admin=True)
    closing.pacer = first.core.rt.pacer
    clock.advance(60)
    with pytest.raises(PacerClosed):
        await first.timers.run_due(clock.now())
    assert len(cards(closing)) == 1

    clock.advance(180)  # the next start, after the stopped claim's lease
    second = make_harness(db, library, tmp_path, clock=clock)
    await second.adapter.start(second.core.handle)
    await second.core.start()
    before = [s.chat.chat_id for s in closing.sent if s.content in cards(closing)]
    after = [s.chat.chat_id for s in second.adapter.sent if s.content in cards(second.adapter)]
    # Every chat got its daily question once: none lost to the stop, none sent twice.
    assert sorted(before + after) == [c.chat_id for c in groups]


async def test_scheduled_jobs_end_between_messages_when_the_pacer_closes() -> None:
    timers = TrackedTimers(ZoneInfo("UTC"))
    timers.start()
    sent: list[int] = []

    async def platform(chat: ChatRef, content: Content) -> SentRef:
        await asyncio.sleep(0.002)
        return SentRef(chat, "1")

    async def on_gone(chat: ChatRef, reason: str) -> None:
        pass

    pacer = Pacer(platform, SystemClock(), on_gone)
    five = asyncio.Event()

    async def fan_out() -> None:
        for i in range(200):
            await pacer.send(ChatRef("memory", f"c{i}", True), Text("x"))
            sent.append(i)
            if len(sent) == 5:
                five.set()

    try:
        timers.at(datetime.now(UTC), "fan-out", fan_out)
        await asyncio.wait_for(five.wait(), DEADLINE_S)
        pacer.close()
        await asyncio.wait_for(timers.idle(), DEADLINE_S)
        assert 5 <= len(sent) < 200
        assert timers.running == set()
    finally:
        timers.shutdown()
