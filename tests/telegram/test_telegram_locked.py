"""A poll answer that meets a database another process holds is retried, never lost silently."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

import adapters.telegram.intake as intake
import bot.core as core
import bot.storage.db as storage
from bot.content.loader import Library
from bot.i18n import t
from bot.storage.db import Database
from bot.storage.migrate import upgrade
from tests.telegram.conftest import People, World
from tests.telegram.fake_bot_api import FakeBotApi
from tests.telegram.test_telegram_quiz import ask_quiz


@pytest.fixture
async def locked_world(
    api: FakeBotApi, library: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[World]:
    # A short busy timeout, so a writer gives up after 0.2 s instead of 10 s.
    monkeypatch.setattr(storage, "BUSY_TIMEOUT_MS", 200)
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'studybot.db'}")
    await upgrade(db)
    world = World(api, db, library, tmp_path)
    await world.boot()
    try:
        yield world
    finally:
        await world.shutdown()
        await db.dispose()


def hold_database(path: Path, seconds: float) -> threading.Thread:
    """Another process's write transaction on the file, for that long."""
    ready = threading.Event()

    def hold() -> None:
        conn = sqlite3.connect(path, isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        ready.set()
        threading.Event().wait(seconds)
        conn.execute("COMMIT")
        conn.close()

    thread = threading.Thread(target=hold, daemon=True)
    thread.start()
    ready.wait()
    return thread


async def test_a_poll_answer_waits_out_a_held_database(
    locked_world: World, api: FakeBotApi, people: People, tmp_path: Path
) -> None:
    world = locked_world
    sent = await ask_quiz(world, api, people.group, people.minsu)
    assert sent.poll is not None
    await world.settled()
    before = len(api.sent(people.group))
    holder = hold_database(tmp_path / "studybot.db", 1.0)

    api.vote(sent.poll["id"], people.jiyoung, sent.poll["correct_option_ids"][0])
    await world.settled(within=10)
    holder.join()

    assert await world.answer_count() == 1
    assert len(api.sent(people.group)) == before  # nothing to apologise for


async def test_a_poll_answer_is_tried_again_in_hand_until_it_is_stored(
    locked_world: World, api: FakeBotApi, people: People, tmp_path: Path
) -> None:
    world = locked_world
    sent = await ask_quiz(world, api, people.group, people.minsu)
    assert sent.poll is not None
    await world.settled()
    before = len(api.sent(people.group))
    holder = hold_database(tmp_path / "studybot.db", 6.0)  # longer than the core's retries

    update_id = api.vote(sent.poll["id"], people.jiyoung, sent.poll["correct_option_ids"][0])
    await api.wait_for(lambda: api.delivered[update_id] >= 1, within=5)
    await asyncio.sleep(4.5)  # the core gave up once; the adapter holds it and tries again
    assert update_id not in api.confirmed
    holder.join()
    await world.settled(within=15)
    assert await world.answer_count() == 1
    await api.wait_for(lambda: update_id in api.confirmed, within=15)
    assert len(api.sent(people.group)) == before  # stored after all: nothing to apologise for


async def test_a_poll_answer_that_cannot_be_saved_is_reported(
    locked_world: World,
    api: FakeBotApi,
    people: People,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(core, "LOCKED_RETRIES", ())
    monkeypatch.setattr(intake, "RETRY_DELAYS", (0.3,))
    world = locked_world
    sent = await ask_quiz(world, api, people.group, people.minsu)
    assert sent.poll is not None
    await world.settled()
    holder = hold_database(tmp_path / "studybot.db", 3.0)  # longer than every retry

    api.vote(sent.poll["id"], people.jiyoung, sent.poll["correct_option_ids"][0])
    notice = t("ko", "answer_not_recorded", name="지영")
    await api.wait_for(lambda: notice in api.texts(people.group), within=10)
    holder.join()

    assert await world.answer_count() == 0
    assert api.texts(people.group).count(notice) == 1  # told once, on the last try
