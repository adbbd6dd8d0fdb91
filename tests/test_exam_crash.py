"""Grading a paper and filling the review deck are one transaction: kill -9 in between
leaves neither, and the next start grades the paper with its wrong questions in the deck.

The child process below sits a paper on a SQLite file and submits it; a cursor hook kills
the process with SIGKILL the moment grading writes its first review-log row (after the
paper was marked graded in that transaction, before anything committed). Before the two
were one transaction, that point was after the grade had committed, and the deck never got
the paper's wrong questions.
"""

from __future__ import annotations

import asyncio
import os
import random
import signal
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.engine import Engine

from adapters.memory import MemoryAdapter
from bot.adapter import Capabilities
from bot.clock import FakeClock
from bot.config import Settings
from bot.content.loader import load_library
from bot.core import Core
from bot.services.exams import GRADED
from bot.storage.db import Database
from bot.storage.migrate import upgrade
from bot.storage.tables import exam_papers
from bot.timers import ManualTimers
from bot.types import ChatRef, CommandReceived, UserRef
from bot.wiring import build_core
from tests.conftest import START

REPO = Path(__file__).resolve().parents[1]
DM = ChatRef("memory", "dm-민수", is_group=False)
ME = UserRef("memory", "u-민수", "민수")
MINUTES = 10


def build(db: Database, data: Path, clock: FakeClock) -> tuple[Core, MemoryAdapter]:
    settings = Settings(data_dir=data, quiz_open_seconds=600)
    core = build_core(
        settings, db, load_library(), clock=clock, timers=ManualTimers(), rng=random.Random(7)
    )
    adapter = MemoryAdapter("memory", Capabilities(buttons=True))
    core.attach(adapter)
    return core, adapter


async def command(adapter: MemoryAdapter, name: str, args: str = "") -> None:
    await adapter.deliver(CommandReceived(DM, ME, name, args))


async def child(path: Path) -> None:
    db = Database(f"sqlite+aiosqlite:///{path}")
    await upgrade(db)
    core, adapter = build(db, path.parent, FakeClock(START))
    await adapter.start(core.handle)
    await core.start()
    await command(adapter, "start")
    await command(adapter, "exam", f"2 {MINUTES}분")
    user_id = await core.rt.services.registry.user_id(ME)
    paper = await core.rt.services.exams.open_paper(user_id)
    assert paper is not None
    for item in await core.rt.services.exams.items(paper.id):
        question = core.rt.library.questions[item.question_id]
        wrong = next(n for n in range(1, len(question.options) + 1) if n not in question.answers)
        await core.rt.services.exams.answer(paper.id, item.slot, wrong, core.rt.clock.now())

    def die(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        # Core writes INSERT INTO review_logs; the set-based writer quotes the name.
        if statement.lstrip().upper().replace('"', "").startswith("INSERT INTO REVIEW_LOGS"):
            os.kill(os.getpid(), signal.SIGKILL)

    event.listen(Engine, "before_cursor_execute", die)
    print(f"submitting paper={paper.id}", flush=True)
    await command(adapter, "exam", "submit")
    print("graded without being killed", flush=True)  # the hook never fired: a failure


async def paper_state(db: Database, paper_id: int) -> str:
    async with db.read() as conn:
        return str(
            (
                await conn.execute(select(exam_papers.c.state).where(exam_papers.c.id == paper_id))
            ).scalar_one()
        )


def test_a_kill_between_grading_and_the_deck_loses_nothing(tmp_path: Path) -> None:
    path = tmp_path / "studybot.db"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.run(
        [sys.executable, "-m", "tests.test_exam_crash", str(path)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == -signal.SIGKILL, (proc.returncode, proc.stdout, proc.stderr)
    assert "submitting paper=" in proc.stdout and "without being killed" not in proc.stdout
    paper_id = int(proc.stdout.split("submitting paper=")[1].split()[0])
    asyncio.run(after_the_kill(path, paper_id))


async def after_the_kill(path: Path, paper_id: int) -> None:
    tmp_path = path.parent
    db = Database(f"sqlite+aiosqlite:///{path}")
    try:
        # The grade died with its transaction: the paper is still open, answers kept.
        assert await paper_state(db, paper_id) == "open"
        # The next start, after the deadline: the paper is graded and its wrong answers
        # are in the deck, in one go.
        clock = FakeClock(START + timedelta(minutes=MINUTES + 1))
        core, adapter = build(db, tmp_path, clock)
        await adapter.start(core.handle)
        await core.start()
        assert await paper_state(db, paper_id) == GRADED
        user_id = await core.rt.services.registry.user_id(ME)
        items = await core.rt.services.exams.items(paper_id)
        assert len(items) == 2 and not any(i.correct for i in items)
        cards, total = await core.rt.services.review.deck(user_id)
        assert total == 2
        assert {c.question_id for c in cards} == {i.question_id for i in items}
        for item in items:
            logs = await core.rt.services.review.logs(user_id, item.question_id)
            assert len(logs) == 1  # one FSRS review per answer, not two
        result = "\n".join(adapter_texts(adapter))
        assert "틀린 문제 2개를 오답노트에 담았어요 (새로 들어간 문제 2개)" in result
    finally:
        await db.dispose()


def adapter_texts(adapter: MemoryAdapter) -> list[str]:
    from tests.conftest import bodies

    return bodies(adapter, DM)


if __name__ == "__main__":
    asyncio.run(child(Path(sys.argv[1])))
