"""An answer the bot has acknowledged to its author survives kill -9 of the process.

The console prints "<name> 님의 답을 받았어요." only after record_answer's transaction has
committed, so that line is the promise under test: whatever was acknowledged must be in the
database after SIGKILL and after the next start, whatever was in flight may or may not be.
"""

from __future__ import annotations

import asyncio
import os
import queue
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.services.quiz import AnswerStatus, QuizService
from bot.services.registry import Registry
from bot.storage.db import Database
from bot.storage.tables import answers, scores
from bot.types import ChatRef, UserRef
from tests.conftest import START

REPO = Path(__file__).resolve().parents[1]
BURST = 400  # answers queued on stdin before the kill
KILL_AFTER = 150  # acknowledgements seen before SIGKILL is sent
DEADLINE_S = 60.0  # nothing in here may hang the suite for longer

ACK = re.compile(r"^\s+(u\d+) 님의 답을 받았어요\.$")


def console_env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("STUDYBOT_")}
    env.update(
        STUDYBOT_DATA_DIR=str(data_dir),
        STUDYBOT_QUIZ_OPEN_SECONDS="3600",  # the post must stay open through the burst
        STUDYBOT_LOCALE="ko",  # ACK matches the Korean acknowledgement
        PYTHONUTF8="1",
    )
    return env


def start_console(data_dir: Path, stderr: Path) -> subprocess.Popen[str]:
    with stderr.open("w") as err:
        return subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "console"],
            cwd=REPO,
            env=console_env(data_dir),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=err,
            text=True,
            encoding="utf-8",
            bufsize=1,
        )


def pump_lines(stream: object, out: queue.Queue[str | None]) -> None:
    """Move the child's stdout into a queue so the test can wait on it with a timeout."""
    for line in stream:  # type: ignore[attr-defined]
        out.put(line)
    out.put(None)


def feed(stdin: object, text: str) -> None:
    # stdin stays open on purpose: at end of input the console exits by itself, and then a
    # SIGKILL that arrives late would prove nothing.
    try:
        stdin.write(text)  # type: ignore[attr-defined]
        stdin.flush()  # type: ignore[attr-defined]
    except (BrokenPipeError, ValueError):
        pass  # the child is already dead; what it never read was never acknowledged


def burst_script(n: int) -> str:
    lines = ["/quiz"]
    for i in range(n):
        lines += [f"/as u{i}", "1"]
    return "\n".join(lines) + "\n"


def stored_answers(db_file: Path, *, read_only: bool) -> dict[str, int]:
    """display name -> answers rows; read-only leaves the WAL for the restart to recover."""
    uri = f"file:{db_file}?mode=ro" if read_only else f"file:{db_file}"
    conn = sqlite3.connect(uri, uri=True)
    try:
        rows = conn.execute(
            "SELECT u.display_name, count(*) FROM answers a JOIN users u ON u.id = a.user_id "
            "GROUP BY u.display_name"
        ).fetchall()
        dupes = conn.execute(
            "SELECT post_id, user_id FROM answers GROUP BY post_id, user_id HAVING count(*) > 1"
        ).fetchall()
        assert dupes == [], f"duplicate answers: {dupes[:5]}"
        # Scores count the answers of closed posts (not contests), applied in the transaction
        # that closes a post: an answer of a closed post and its score never come apart.
        closed = (
            "SELECT a.chat_id, a.user_id, count(*) AS n FROM answers a "
            "JOIN posts p ON p.id = a.post_id "
            "WHERE p.closed_at IS NOT NULL AND p.kind != 'contest' GROUP BY a.chat_id, a.user_id"
        )
        torn = conn.execute(
            f"SELECT c.user_id, coalesce(s.answered, 0), c.n FROM ({closed}) c "
            "LEFT JOIN scores s ON s.chat_id = c.chat_id AND s.user_id = c.user_id "
            "WHERE coalesce(s.answered, 0) != c.n "
            "UNION ALL "
            f"SELECT s.user_id, s.answered, 0 FROM scores s LEFT JOIN ({closed}) c "
            "ON c.chat_id = s.chat_id AND c.user_id = s.user_id "
            "WHERE c.user_id IS NULL AND s.answered != 0"
        ).fetchall()
        assert torn == [], f"answers and scores disagree: {torn[:5]}"
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        return dict(rows)
    finally:
        conn.close()


def test_acknowledged_answers_survive_sigkill(tmp_path: Path) -> None:
    db_file = tmp_path / "studybot.db"
    proc = start_console(tmp_path, tmp_path / "console-1.err")
    lines: queue.Queue[str | None] = queue.Queue()
    reader = threading.Thread(target=pump_lines, args=(proc.stdout, lines), daemon=True)
    reader.start()
    writer = threading.Thread(target=feed, args=(proc.stdin, burst_script(BURST)), daemon=True)
    writer.start()

    acked: list[str] = []
    killed = False
    deadline = time.monotonic() + DEADLINE_S
    try:
        while True:
            try:
                line = lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                pytest.fail(f"console stalled after {len(acked)} acknowledgements")
            if line is None:
                break
            match = ACK.match(line)
            if match:
                acked.append(match.group(1))
                if len(acked) == KILL_AFTER and not killed:
                    os.kill(proc.pid, signal.SIGKILL)
                    killed = True
            # Lines already in the pipe when the kill lands were acknowledged all the same,
            # so keep reading to EOF and hold the database to those too.
        returncode = proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)
    reader.join(timeout=10)
    err = (tmp_path / "console-1.err").read_text(encoding="utf-8")

    assert killed, f"only {len(acked)} acknowledgements before the console stopped:\n{err}"
    assert returncode == -signal.SIGKILL
    assert len(acked) == len(set(acked))
    # The kill must land mid-burst; if this fails the machine is fast enough to need a
    # bigger BURST.
    assert len(acked) < BURST, "every answer was processed before the kill landed"

    stored = stored_answers(db_file, read_only=True)
    missing = [name for name in acked if stored.get(name) != 1]
    assert missing == [], f"acknowledged but not stored: {missing[:10]}"
    # Committed-but-not-yet-printed answers may be stored too; nothing else may be.
    assert set(stored) <= {f"u{i}" for i in range(BURST)}

    restarted = subprocess.run(
        [sys.executable, "-m", "bot.cli", "console"],
        cwd=REPO,
        env=console_env(tmp_path),
        input="/reveal\n/top\n",  # points count once the admin closes the question
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=DEADLINE_S,
    )
    assert restarted.returncode == 0, restarted.stderr
    # The reveal counts every answer that survived: the restarted bot serves what was
    # stored, and the scores it applies on closing agree with the answers (checked below).
    assert f"참여 {len(stored)}명" in restarted.stdout, restarted.stdout

    after = stored_answers(db_file, read_only=False)
    assert after == stored, "the restart changed what was stored"


async def test_redelivered_answer_is_harmless(db: Database) -> None:
    registry = Registry(db)
    quiz = QuizService(db)
    chat_id = await registry.chat_id(ChatRef("memory", "group-1"), START)
    user_id = await registry.user_id(UserRef("memory", "u-1", "민수"))
    post_id = await quiz.open_post(
        chat_id=chat_id,
        question_id="q-1",
        options_count=4,
        correct=(2,),
        kind="quiz",
        now=START,
        closes_at=START + timedelta(minutes=10),
    )

    # A platform that retries a webhook delivers the same tap twice, possibly at once.
    outcomes = await asyncio.gather(
        *(
            quiz.record_answer(
                chat_id=chat_id,
                user_id=user_id,
                post_id=post_id,
                option=2,
                now=START + timedelta(seconds=5),
            )
            for _ in range(2)
        )
    )

    statuses = sorted(o.status.value for o in outcomes)
    assert statuses == sorted([AnswerStatus.ACCEPTED.value, AnswerStatus.DUPLICATE.value])
    duplicate = next(o for o in outcomes if o.status is AnswerStatus.DUPLICATE)
    assert duplicate.previous_option == 2
    async with db.read() as conn:
        count = (
            await conn.execute(
                select(func.count())
                .select_from(answers)
                .where(answers.c.post_id == post_id, answers.c.user_id == user_id)
            )
        ).scalar_one()
    # The answer scores once, when the post closes.
    assert await quiz.close(post_id, START + timedelta(minutes=1)) is not None
    async with db.read() as conn:
        score = (
            await conn.execute(
                select(scores.c.points, scores.c.answered, scores.c.correct).where(
                    scores.c.chat_id == chat_id, scores.c.user_id == user_id
                )
            )
        ).one()
    assert count == 1
    assert tuple(score) == (10, 1, 1)
