"""SIGKILL during a burst of poll answers loses none that Telegram handed over.

The real `studybot run` process takes quiz-poll answers from tests/telegram/fake_bot_api.py,
by long polling or by webhook, and is killed with SIGKILL at random moments of a burst of
1,000 answers, then started again, ten times per mode. The fake keeps offsets as Telegram
does: an update is confirmed only by a later getUpdates past it (or a 2xx to its webhook
POST), and handed out again until then. At every kill each confirmed answer must already
be stored; at the end every answer Telegram delivered is stored exactly once.
"""

from __future__ import annotations

import asyncio
import os
import random
import socket
import sqlite3
import sys
from pathlib import Path

import pytest

from tests.telegram.fake_bot_api import FakeBotApi

REPO = Path(__file__).resolve().parents[1]
KILLS = int(os.environ.get("STUDYBOT_TEST_KILLS", "10"))
BURST = int(os.environ.get("STUDYBOT_TEST_KILL_BURST", "1000"))
SECRET = "kill-test-secret_1"
HOOK_PATH = "/tg/hook"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _env(api: FakeBotApi, data_dir: Path, port: int | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("STUDYBOT_")}
    env.update(
        STUDYBOT_DATA_DIR=str(data_dir),
        STUDYBOT_TELEGRAM_TOKEN=api.token,
        STUDYBOT_TELEGRAM_API_URL=api.base_url,
        STUDYBOT_QUIZ_OPEN_SECONDS="86400",
        STUDYBOT_LOG_LEVEL=os.environ.get("STUDYBOT_TEST_KILL_LOG", "WARNING"),
        PYTHONUTF8="1",
    )
    if port is not None:
        env.update(
            STUDYBOT_TELEGRAM_WEBHOOK_URL=f"https://bot.example.org{HOOK_PATH}",
            STUDYBOT_TELEGRAM_WEBHOOK_SECRET=SECRET,
            STUDYBOT_TELEGRAM_WEBHOOK_LISTEN="127.0.0.1",
            STUDYBOT_TELEGRAM_WEBHOOK_PORT=str(port),
        )
    return env



async def _start(env: dict[str, str], log: Path) -> asyncio.subprocess.Process:
    with log.open("a") as err:
        return await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot.cli",
            "run",
            cwd=REPO,
            env=env,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=err,
        )


def _stored(db: Path) -> list[str]:
    """The user key of every stored answer (one post in this test), duplicates kept."""
    conn = sqlite3.connect(db)
    try:
        rows = conn.execute(
            "SELECT users.user_key FROM answers JOIN users ON users.id = answers.user_id"
        ).fetchall()
    finally:
        conn.close()
    return [str(r[0]) for r in rows]


@pytest.mark.parametrize("mode", ["polling", "webhook"])
async def test_sigkill_mid_burst_loses_no_delivered_answer(mode: str, tmp_path: Path) -> None:
    rng = random.Random(f"kill-{mode}")
    api = FakeBotApi(limits=None)
    await api.start()
    port = _free_port() if mode == "webhook" else None
    env = _env(api, tmp_path, port)
    log = tmp_path / "studybot.log.txt"
    db = tmp_path / "studybot.db"
    process = await _start(env, log)
    voters: dict[int, str] = {}  # update id -> the voter's user key
    try:
        group = api.group(-100, "킬 테스트")
        asker = api.user(1, "출제자")
        if port is not None:
            api.deliver_webhooks(f"http://127.0.0.1:{port}{HOOK_PATH}")
            await api.wait_for(lambda: bool(api.webhook.get("url")), within=60)
        else:
            await api.wait_for(lambda: api.arrived["getUpdates"] > 0, within=60)
        api.say(group, asker, "/quiz")
        await api.wait_for(lambda: any(s.poll for s in api.sent(group)), within=30)
        poll = next(s.poll for s in api.sent(group) if s.poll)
        next_user = 10_000
        calls_before_start = 0
        for kill in range(KILLS):
            first = None
            for _ in range(BURST):
                person = api.user(next_user, f"학생{next_user}")
                uid = api.vote(poll["id"], person, rng.randrange(len(poll["options"])))
                voters[uid] = str(next_user)
                first = uid if first is None else first
                next_user += 1
            assert first is not None
            # The kill lands while the burst is being taken: after its first update arrived.
            await api.wait_for(lambda f=first: api.delivered[f] > 0, within=60)  # type: ignore[misc]
            await asyncio.sleep(rng.uniform(0.0, 0.4))
            process.kill()
            await process.wait()
            stored = set(_stored(db))
            confirmed = {voters[u] for u in api.confirmed if u in voters}
            lost = confirmed - stored
            print(f"kill {kill + 1}: {len(stored)} stored, {len(confirmed)} confirmed", flush=True)
            assert not lost, f"kill {kill + 1}: {len(lost)} confirmed answers are not stored"
            calls_before_start = sum(api.arrived.values())
            process = await _start(env, log)
        # The last process takes what is left, then stops as an operator would stop it.
        try:
            await api.wait_for(lambda: all(u in api.confirmed for u in voters), within=120)
        except TimeoutError:
            left = [u for u in voters if u not in api.confirmed]
            raise AssertionError(
                f"{len(left)} never confirmed (first {left[:3]}, {api.pending_updates()} pending,"
                f" {len(_stored(db))} stored): {log.read_text()[-3000:]}"
            ) from None
        # A burst may all be confirmed before the last process is up; stopping it before it
        # has set its signal handlers would be a kill, not the graceful stop checked here.
        # It sets them before its first call to the Bot API.
        await api.wait_for(lambda: sum(api.arrived.values()) > calls_before_start, within=60)
        process.terminate()
        assert await asyncio.wait_for(process.wait(), 60) == 0, log.read_text()[-3000:]
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
        await api.close()
    stored_keys = _stored(db)
    assert len(stored_keys) == len(set(stored_keys)), "an answer was stored twice"
    delivered = {voters[u] for u in voters if api.delivered[u] > 0}
    assert set(stored_keys) == delivered == set(voters.values())
    assert len(stored_keys) == KILLS * BURST
