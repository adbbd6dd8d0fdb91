"""A re-score killed half-way (SIGKILL, after some answers were rewritten) leaves nothing
changed, and the next start applies it in full; on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

from sqlalchemy import func, select

from bot.content.loader import Library
from bot.storage.db import Database
from bot.storage.tables import answers, posts
from tests.conftest import Harness, make_harness
from tests.test_rescore import add_question, all_time, close, daily_post, totals_agree

REPO = Path(__file__).resolve().parents[1]
# The child applies the job with its own points rule: it marks the moment it reached the
# second post (the first post's answers are rewritten by then, uncommitted) and waits to be
# killed there. Posts go one at a time so the kill lands between two writes.
CHILD = """
import asyncio, sys, time
from datetime import datetime
from pathlib import Path
import bot.services.rescore as rescore
from bot.services.quiz import default_points
from bot.storage.db import Database

url, schema, job, flag, now = sys.argv[1:]
rescore.POST_BATCH = 1
calls = 0

def points(kind, correct, elapsed_ms, open_ms):
    global calls
    calls += 1
    if calls == 3:
        Path(flag).write_text("in")
        time.sleep(60)
    return default_points(kind, correct, elapsed_ms, open_ms)

async def main():
    args = {"connect_args": {"server_settings": {"search_path": schema}}} if schema else {}
    db = Database(url, **args)
    await rescore.RescoreService(db, points=points).apply(
        int(job), datetime.fromisoformat(now), "child"
    )

asyncio.run(main())
"""


async def right_answers(db: Database, question_id: str) -> int:
    async with db.read() as conn:
        return int(
            (
                await conn.execute(
                    select(func.count())
                    .select_from(answers.join(posts, posts.c.id == answers.c.post_id))
                    .where(posts.c.question_id == question_id, answers.c.correct.is_(True))
                )
            ).scalar_one()
        )


async def test_a_killed_rescore_changes_nothing_and_resumes(
    harness: Harness, db: Database, library: Library, tmp_path: Path
) -> None:
    h = harness
    await add_question(h)  # chat-1, its key ① wrong; ② is right
    for _ in range(2):
        post = await daily_post(h, "chat-1", (1,), 3)
        await h.choose(post, 2, who="민수")
        await h.choose(post, 1, who="지영")
        h.clock.advance(60)
        await close(h, post)
    assert await all_time(h) == {"지영": 20}
    job = await h.core.rt.services.rescore.request("chat-1", (2,), "fix", None, h.clock.now())

    schema = await current_schema(db)
    flag = tmp_path / "reached"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    child = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        CHILD,
        db.engine.url.render_as_string(hide_password=False),
        schema,
        str(job),
        str(flag),
        h.clock.now().isoformat(),
        env=env,
        cwd=REPO,
    )
    try:
        for _ in range(600):
            if flag.exists() or child.returncode is not None:
                break
            await asyncio.sleep(0.05)
        assert flag.exists(), "the child never reached the second post"
    finally:
        if child.returncode is None:
            child.send_signal(signal.SIGKILL)
        await child.wait()

    # Killed with one post rewritten and not committed: nothing changed.
    assert await right_answers(db, "chat-1") == 2
    assert await all_time(h) == {"지영": 20}
    assert await h.core.rt.services.rescore.pending() == [job]
    await totals_agree(h)

    again = make_harness(db, library, tmp_path, clock=h.clock, adapter=h.adapter)
    await again.core.start()
    assert await again.core.rt.services.rescore.pending() == []
    assert await right_answers(db, "chat-1") == 2  # 민수's two now, 지영's none
    assert await all_time(again) == {"민수": 20}
    await totals_agree(again)


async def current_schema(db: Database) -> str:
    if db.engine.dialect.name != "postgresql":
        return ""
    async with db.read() as conn:
        return str((await conn.execute(select(func.current_schema()))).scalar_one())
