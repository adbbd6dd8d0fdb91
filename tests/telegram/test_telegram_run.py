"""`studybot run` with a Telegram token: the whole program, as a subprocess, against the fake."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

from tests.telegram.conftest import People
from tests.telegram.fake_bot_api import FakeBotApi

ROOT = Path(__file__).resolve().parents[2]


async def test_studybot_run_serves_telegram_and_stops_cleanly(
    api: FakeBotApi, people: People, tmp_path: Path
) -> None:
    env = {
        **os.environ,
        "STUDYBOT_DATA_DIR": str(tmp_path),
        "STUDYBOT_TELEGRAM_TOKEN": api.token,
        "STUDYBOT_TELEGRAM_API_URL": api.base_url,
        "STUDYBOT_LOG_LEVEL": "INFO",
    }
    env.pop("STUDYBOT_DISCORD_TOKEN", None)
    env.pop("STUDYBOT_CONFIG", None)
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.cli",
        "run",
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        await api.wait_for(lambda: api.arrived["getUpdates"] > 0, within=30)
        api.say(people.group, people.minsu, "/quiz")
        api.say(people.group, people.jiyoung, "/term 하이퍼바이저")
        await api.wait_for(lambda: len(api.sent(people.group)) == 2, within=10)
        poll, term = api.sent(people.group)
        assert poll.poll is not None and term.html.startswith("<b>하이퍼바이저</b>")
        process.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(process.communicate(), 30)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert process.returncode == 0, stderr.decode()
    log = stderr.decode()
    assert "telegram: running as @studybot_test_bot" in log and "telegram: stopped" in log
    assert api.token not in log and api.token.split(":")[1] not in log
