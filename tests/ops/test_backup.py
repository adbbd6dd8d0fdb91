"""`studybot db backup` copies a live SQLite database consistently; `db restore` puts one back.

The console is the writer here: a real bot process recording a stream of answers, exactly
as tests/test_durability.py drives it. Every copy taken meanwhile must be one committed
state (each answer with its score), and a restore must wait until that process is gone.
"""

from __future__ import annotations

import asyncio
import os
import queue
import re
import sqlite3
import subprocess
import sys
import threading
import time
from collections import deque
from datetime import timedelta
from pathlib import Path

import pytest

from bot.ops.backup import BackupError, backup_sqlite, inspect_copy
from bot.services.quiz import QuizService
from bot.services.registry import Registry
from bot.storage.db import Database
from bot.storage.migrate import head_revision, upgrade
from bot.types import ChatRef, UserRef

REPO = Path(__file__).resolve().parents[2]
ACK = re.compile(r"^\s+(u\d+) 님의 답을 받았어요\.$")
ANSWERS = 300
DEADLINE_S = 90.0
CIRCLED = "①②③④⑤"


def env_for(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("STUDYBOT_")}
    env.update(
        STUDYBOT_DATA_DIR=str(data_dir),
        STUDYBOT_QUIZ_OPEN_SECONDS="3600",
        STUDYBOT_LOCALE="ko",
        PYTHONUTF8="1",
        LOGNAME="root",  # the console's admin is then named 관리자
    )
    return env


def cli(data_dir: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        cwd=REPO,
        env=env_for(data_dir),
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=DEADLINE_S,
        check=False,
    )


def consistent_answers(path: Path) -> dict[str, int]:
    """display name -> option answered; fails if an answer and its score came apart."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        # Scores count the answers of closed posts other than contests (issue 11.4).
        total = conn.execute(
            "SELECT count(*) FROM answers a JOIN posts p ON p.id = a.post_id "
            "WHERE p.closed_at IS NOT NULL AND p.kind != 'contest'"
        ).fetchone()[0]
        scored = conn.execute("SELECT coalesce(sum(answered), 0) FROM scores").fetchone()[0]
        assert total == scored, f"{path.name}: {total} answers but scores count {scored}"
        rows = conn.execute(
            "SELECT u.display_name, a.option FROM answers a JOIN users u ON u.id = a.user_id"
        ).fetchall()
        return dict(rows)
    finally:
        conn.close()


def feed_slowly(stdin: object, lines: list[str], stop: threading.Event) -> None:
    """A few lines at a time, so the copies below land while answers are still arriving."""
    for i in range(0, len(lines), 6):
        if stop.is_set():
            return
        try:
            stdin.write("".join(f"{line}\n" for line in lines[i : i + 6]))  # type: ignore[attr-defined]
            stdin.flush()  # type: ignore[attr-defined]
        except (BrokenPipeError, ValueError):
            return
        time.sleep(0.02)


def pump(stream: object, out: queue.Queue[str | None]) -> None:
    for line in stream:  # type: ignore[attr-defined]
        out.put(line)
    out.put(None)


def read_option_count(proc: subprocess.Popen[str], lines: queue.Queue[str | None]) -> int:
    """Asks for a question and counts the options the console prints for it."""
    assert proc.stdin is not None
    proc.stdin.write("/quiz\n")
    proc.stdin.flush()
    seen: list[str] = []
    deadline = time.monotonic() + DEADLINE_S
    while True:
        line = lines.get(timeout=max(0.0, deadline - time.monotonic()))
        assert line is not None, "console ended before showing the question:\n" + "".join(seen)
        seen.append(line)
        if line.strip().startswith("답:"):
            break
    # A stem may quote numbered lines of its own; the options are the distinct marks shown.
    marks = {line.strip()[:1] for line in seen}
    count = len(marks & set(CIRCLED))
    assert count >= 2, "".join(seen)
    return count


def test_backups_of_a_live_database_are_consistent_and_restore_round_trips(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    db_file = data / "studybot.db"
    err_file = tmp_path / "console.err"
    with err_file.open("w") as err_out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "console"],
            cwd=REPO,
            env=env_for(data),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=err_out,
            text=True,
            encoding="utf-8",
            bufsize=1,
        )
    lines: queue.Queue[str | None] = queue.Queue()
    threading.Thread(target=pump, args=(proc.stdout, lines), daemon=True).start()
    stop = threading.Event()
    # The question is drawn at random: answers cycle through all of its options, so some
    # are right whatever the key is and the restored board below has someone on it.
    options = read_option_count(proc, lines)
    script = [x for i in range(ANSWERS) for x in (f"/as u{i}", str(1 + i % options))]
    feeder = threading.Thread(target=feed_slowly, args=(proc.stdin, script, stop), daemon=True)
    feeder.start()

    copies: list[tuple[int, Path]] = []  # (acknowledged so far, copy)
    acked = 0
    recent: deque[str] = deque(maxlen=12)
    deadline = time.monotonic() + DEADLINE_S
    try:
        while acked < ANSWERS:
            try:
                line = lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                err = err_file.read_text(encoding="utf-8")
                said = "".join(recent)
                pytest.fail(f"console stalled after {acked} acknowledgements:\n{said}\n{err}")
            if line is None:
                err = err_file.read_text(encoding="utf-8")
                pytest.fail(f"console ended after {acked} acknowledgements:\n{err}")
            recent.append(line)
            if not ACK.match(line):
                continue
            acked += 1
            if acked % 40 == 0:
                target = tmp_path / f"copy-{acked}.db"
                backup_sqlite(db_file, target)
                copies.append((acked, target))
            if acked == 150:
                # The command line too, while the writer is busy.
                made = cli(data, "db", "backup", str(tmp_path / "cli.db"))
                assert made.returncode == 0, made.stderr
                assert "backed up" in made.stdout and "answers" in made.stdout
                copies.append((150, tmp_path / "cli.db"))
                # A restore must refuse while this bot has the database open.
                refused = cli(data, "db", "restore", str(tmp_path / "cli.db"))
                assert refused.returncode == 1
                assert "in use by a running studybot" in refused.stderr
        assert len(copies) >= 5
        previous: dict[str, int] = {}
        for seen, copy in copies:
            held = consistent_answers(copy)
            # Whatever had been acknowledged when the copy started is in it.
            assert len(held) >= seen, (copy.name, len(held), seen)
            assert previous.items() <= held.items(), "a later copy lost answers"
            previous = held
            # A copy stands alone: no WAL beside it, and it is not in WAL mode itself.
            assert not copy.with_name(copy.name + "-wal").exists()
    finally:
        stop.set()
        if proc.stdin:
            proc.stdin.close()
        proc.wait(timeout=DEADLINE_S)
    assert proc.returncode == 0

    final = consistent_answers(db_file)
    assert len(final) == ANSWERS
    _, chosen = copies[1]
    expected = consistent_answers(chosen)
    assert len(expected) < ANSWERS

    restored = cli(data, "db", "restore", str(chosen))
    assert restored.returncode == 0, restored.stderr
    assert "restored" in restored.stdout and "before-restore-" in restored.stdout
    assert consistent_answers(db_file) == expected
    kept = next(data.glob("studybot.db.before-restore-*"))
    assert consistent_answers(kept) == final
    assert not list(data.glob(".*partial*"))

    # The restored database serves a bot again: the board shows the answers it holds.
    # Points count once a question closes: the admin reveals the restored copy's question.
    after = cli(data, "console", stdin="/reveal\n/top all\n")
    assert after.returncode == 0, after.stderr
    assert "1위" in after.stdout
    assert consistent_answers(db_file) == expected


async def test_a_backup_taken_while_another_task_writes_is_one_committed_state(
    tmp_path: Path,
) -> None:
    db_file = tmp_path / "live.db"
    db = Database(f"sqlite+aiosqlite:///{db_file}")
    await upgrade(db)
    registry, quiz = Registry(db), QuizService(db)
    from tests.conftest import START

    chat_id = await registry.chat_id(ChatRef("memory", "group-1"), START)
    post_id = await quiz.open_post(
        chat_id=chat_id,
        question_id="q-1",
        options_count=4,
        correct=(2,),
        kind="quiz",
        now=START,
        closes_at=START + timedelta(hours=1),
    )
    done = asyncio.Event()

    async def writer() -> int:
        n = 0
        while not done.is_set():
            user_id = await registry.user_id(UserRef("memory", f"u{n}", f"u{n}"))
            await quiz.record_answer(
                chat_id=chat_id, user_id=user_id, post_id=post_id, option=2, now=START
            )
            n += 1
        return n

    task = asyncio.create_task(writer())
    try:
        sizes = []
        for i in range(5):
            await asyncio.sleep(0.05)
            copy = await asyncio.to_thread(backup_sqlite, db_file, tmp_path / f"b{i}.db")
            sizes.append(len(consistent_answers(copy.path)))
            assert copy.revision == head_revision()
    finally:
        done.set()
        written = await task
        await db.dispose()
    assert sizes == sorted(sizes) and sizes[-1] > 0
    assert written >= sizes[-1]


def test_backup_refusals(tmp_path: Path) -> None:
    data = tmp_path / "data"
    missing = cli(data, "db", "backup", str(tmp_path / "b.db"))
    assert missing.returncode == 1 and "nothing to back up yet" in missing.stderr

    assert cli(data, "db", "upgrade").returncode == 0
    (tmp_path / "taken.db").write_text("x")
    exists = cli(data, "db", "backup", str(tmp_path / "taken.db"))
    assert exists.returncode == 1 and "already exists" in exists.stderr
    assert (tmp_path / "taken.db").read_text() == "x"

    into_folder = cli(data, "db", "backup", str(tmp_path))
    assert into_folder.returncode == 0, into_folder.stderr
    made = list(tmp_path.glob("studybot-*.db"))
    assert len(made) == 1 and inspect_copy(made[0]).revision == head_revision()

    env = env_for(data)
    env["STUDYBOT_DATABASE_URL"] = "postgresql+asyncpg://studybot@127.0.0.1/studybot"
    pg = subprocess.run(
        [sys.executable, "-m", "bot.cli", "db", "backup", str(tmp_path / "pg.db")],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=DEADLINE_S,
        check=False,
    )
    assert pg.returncode == 2
    assert pg.stderr.strip().count("\n") == 0, "one line"
    assert "pg_dump" in pg.stderr


def test_restore_checks_the_backup_first(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert cli(data, "console", stdin="/quiz\n1\n").returncode == 0
    before = consistent_answers(data / "studybot.db")

    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"not a database at all" * 100)
    bad = cli(data, "db", "restore", str(garbage))
    assert bad.returncode == 1 and "not a SQLite database" in bad.stderr

    foreign = tmp_path / "foreign.db"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    other = cli(data, "db", "restore", str(foreign))
    assert other.returncode == 1 and "not a studybot database" in other.stderr

    absent = cli(data, "db", "restore", str(tmp_path / "absent.db"))
    assert absent.returncode == 1 and "does not exist" in absent.stderr

    assert consistent_answers(data / "studybot.db") == before
    assert not list(data.glob("studybot.db.before-restore-*"))


def test_inspect_copy_names_the_problem(tmp_path: Path) -> None:
    with pytest.raises(BackupError, match="not a SQLite database"):
        bogus = tmp_path / "bogus.db"
        bogus.write_bytes(b"\0" * 10 + b"garbage" * 200)
        inspect_copy(bogus)


def test_a_bot_does_not_start_while_a_restore_holds_the_database(tmp_path: Path) -> None:
    from bot.ops.backup import database_lock

    data = tmp_path / "data"
    url = f"sqlite+aiosqlite:///{data / 'studybot.db'}"
    with database_lock(url, exclusive=True):
        refused = cli(data, "console", stdin="/start\n")
    assert refused.returncode == 2
    assert "is being restored" in refused.stderr and "Traceback" not in refused.stderr
    assert cli(data, "console", stdin="/start\n").returncode == 0


def test_restore_on_postgres_points_to_pg_restore(tmp_path: Path) -> None:
    env = env_for(tmp_path)
    env["STUDYBOT_DATABASE_URL"] = "postgresql+asyncpg://studybot@127.0.0.1/studybot"
    (tmp_path / "b.db").write_bytes(b"")
    pg = subprocess.run(
        [sys.executable, "-m", "bot.cli", "db", "restore", str(tmp_path / "b.db")],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=DEADLINE_S,
        check=False,
    )
    assert pg.returncode == 2 and "pg_restore" in pg.stderr
