"""A new user's first minutes: Ctrl+C, a quiet console, doctor on a fresh install, and every
broken setting or database file answered with one line instead of a traceback."""

from __future__ import annotations

import gzip
import os
import pty
import select
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.conftest import PG_ENV

TIMEOUT = 60


def _env(data_dir: Path, **extra: str) -> dict[str, str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("STUDYBOT_")}
    environ.update({"STUDYBOT_DATA_DIR": str(data_dir), "LOGNAME": "root", **extra})
    return environ


def studybot(
    data_dir: Path, *args: str, stdin: str = "", **extra: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=_env(data_dir, **extra),
        timeout=TIMEOUT,
        check=False,
    )


def one_line_error(proc: subprocess.CompletedProcess[str]) -> str:
    """The process failed with exactly one 'studybot: …' line on stderr."""
    assert proc.returncode != 0, proc.stdout
    assert "Traceback" not in proc.stderr, proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("studybot: "), proc.stderr
    return lines[0]


def _read_until(fd: int, wanted: str, seconds: float) -> str:
    seen = b""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
        if wanted in seen.decode("utf-8", errors="replace"):
            break
    return seen.decode("utf-8", errors="replace")


# ---------------------------------------------------------------- 22, 23: the console


def test_ctrl_c_in_the_interactive_console_stops_at_once_with_a_word(tmp_path: Path) -> None:
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "console"],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=_env(tmp_path),
        close_fds=True,
    )
    os.close(slave)
    try:
        shown = _read_until(master, "관리자> ", 30)
        assert "관리자> " in shown, shown
        started = time.monotonic()
        proc.send_signal(signal.SIGINT)  # what the terminal sends for Ctrl+C
        rc = proc.wait(timeout=10)
        took = time.monotonic() - started
        rest = _read_until(master, "만나요", 2)
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(master)
    assert rc == 0, rest
    assert took < 5, took
    assert "콘솔을 끝낼게요" in rest, rest
    assert "Traceback" not in rest


def test_console_logs_go_to_a_file_in_the_data_folder(tmp_path: Path) -> None:
    proc = studybot(tmp_path, "console", stdin="/start\n/quiz\n", STUDYBOT_LOG_LEVEL="DEBUG")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("  스터디봇 콘솔이에요"), proc.stdout[:200]
    assert proc.stderr == "", proc.stderr
    log = (tmp_path / "studybot.log").read_text(encoding="utf-8")
    assert " DEBUG " in log or " INFO " in log


def test_run_without_tokens_keeps_its_log_lines_out_of_the_console(tmp_path: Path) -> None:
    proc = studybot(tmp_path, "run", stdin="/start\n")
    assert proc.returncode == 0, proc.stderr
    assert "starting the console" not in proc.stderr + proc.stdout
    assert "starting the console" in (tmp_path / "studybot.log").read_text(encoding="utf-8")


def test_the_console_speaks_as_the_os_user_or_the_admin(tmp_path: Path) -> None:
    named = studybot(tmp_path, "console", stdin="/quiz\n1\n", LOGNAME="jiyoung")
    assert "jiyoung> /quiz" in named.stdout and "jiyoung 님의 답을 받았어요" in named.stdout
    anonymous = studybot(tmp_path / "b", "console", stdin="/quiz\n")
    assert "관리자> /quiz" in anonymous.stdout and "나>" not in anonymous.stdout


def test_the_console_answers_as_in_the_chats_language(tmp_path: Path) -> None:
    proc = studybot(tmp_path, "console", stdin="/lang en\n/as Minsu\n")
    assert "You are now speaking as Minsu." in proc.stdout, proc.stdout


# ---------------------------------------------------------------- 24: doctor, first run


def test_doctor_on_a_fresh_install_says_the_database_will_be_created(tmp_path: Path) -> None:
    proc = studybot(tmp_path / "new", "doctor", "--quick")
    assert proc.returncode == 0, proc.stdout
    assert "FAIL" not in proc.stdout
    assert "OK database: " in proc.stdout and "creates it on the first start" in proc.stdout


# ---------------------------------------------------------------- 26–28: one line each


def _corrupt_behind_a_valid_header(data_dir: Path) -> Path:
    made = studybot(data_dir, "db", "upgrade")
    assert made.returncode == 0, made.stderr
    db_file = data_dir / "studybot.db"
    conn = sqlite3.connect(db_file)
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.execute("CREATE TABLE filler (x TEXT)")
    conn.executemany("INSERT INTO filler VALUES (?)", [("x" * 500,) for _ in range(200)])
    conn.commit()
    conn.close()
    with db_file.open("r+b") as fh:
        for page in range(2, 70):
            fh.seek(4096 * page)
            fh.write(b"\x0d\xff\xff\xff\xff\x00\x00\x00")
    assert db_file.read_bytes()[:16] == b"SQLite format 3\x00"
    return db_file


def test_a_file_of_random_bytes_is_one_line_pointing_to_restore(tmp_path: Path) -> None:
    (tmp_path / "studybot.db").write_bytes(os.urandom(100_000))
    for command in ("run", "console"):
        line = one_line_error(studybot(tmp_path, command))
        assert "damaged" in line and "studybot db restore" in line


def test_a_corrupt_sqlite_file_with_a_valid_header_fails_doctor_and_run(tmp_path: Path) -> None:
    db_file = _corrupt_behind_a_valid_header(tmp_path)
    doctor = studybot(tmp_path, "doctor", "--quick")
    assert doctor.returncode == 1
    assert f"FAIL database: {db_file} is damaged" in doctor.stdout, doctor.stdout
    line = one_line_error(studybot(tmp_path, "run", stdin="/start\n"))
    assert "damaged" in line and "studybot db restore" in line


def test_a_foreign_sqlite_file_with_a_chats_table_is_refused(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "studybot.db")
    conn.execute("CREATE TABLE chats (id INTEGER PRIMARY KEY, title TEXT)")
    conn.commit()
    conn.close()
    line = one_line_error(studybot(tmp_path, "run"))
    assert "belongs to something else" in line and "chats" in line


def test_a_missing_postgres_database_is_one_line(tmp_path: Path) -> None:
    url = os.environ.get(PG_ENV)
    if not url:
        pytest.skip(f"{PG_ENV} is not set, so this PostgreSQL test is skipped")
    missing = url.rsplit("/", 1)[0] + "/studybot_no_such_db"
    line = one_line_error(studybot(tmp_path, "run", STUDYBOT_DATABASE_URL=missing))
    assert 'database "studybot_no_such_db" does not exist' in line


def test_a_host_that_never_answers_times_out_and_says_what_was_tried(tmp_path: Path) -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    port = listener.getsockname()[1]
    held: list[socket.socket] = []
    done = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not done.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                continue

    threading.Thread(target=accept, daemon=True).start()
    try:
        started = time.monotonic()
        url = f"postgresql+asyncpg://studybot@127.0.0.1:{port}/studybot"
        line = one_line_error(studybot(tmp_path, "run", STUDYBOT_DATABASE_URL=url))
        assert time.monotonic() - started < 30
    finally:
        done.set()
        for sock in held:
            sock.close()
        listener.close()
    assert f"127.0.0.1:{port}" in line and "no answer" in line


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"STUDYBOT_METRICS_PORT": "99999"}, "STUDYBOT_METRICS_PORT"),
        ({"STUDYBOT_DATABASE_URL": "sqlite+aiosqlite://"}, "needs the database file's path"),
        ({"STUDYBOT_DATABASE_URL": "postgresql+asyncpg://"}, "needs a database name"),
        ({"STUDYBOT_DATABASE_URL": "postgresql+asyncpg://h:99999/x"}, "port"),
    ],
)
def test_wrong_settings_are_one_line_for_run_and_doctor(
    tmp_path: Path, env: dict[str, str], named: str
) -> None:
    line = one_line_error(studybot(tmp_path, "run", **env))
    assert named in line
    doctor = studybot(tmp_path, "doctor", "--quick", **env)
    assert doctor.returncode == 1 and "Traceback" not in doctor.stdout + doctor.stderr
    assert "FAIL config: " in doctor.stdout and named in doctor.stdout


def test_a_gzip_export_cut_mid_stream_is_one_line(tmp_path: Path) -> None:
    source = tmp_path / "source"
    assert studybot(source, "console", stdin="/quiz\n1\n").returncode == 0
    export = tmp_path / "all.jsonl.gz"
    made = studybot(source, "db", "export", str(export))
    assert made.returncode == 0, made.stderr
    whole = gzip.decompress(export.read_bytes())
    big = gzip.compress(whole, compresslevel=0)
    cut = tmp_path / "cut.jsonl.gz"
    cut.write_bytes(big[: len(big) * 2 // 3])
    line = one_line_error(studybot(tmp_path / "target", "db", "import", str(cut)))
    assert "cut short" in line and "nothing was imported" in line


def test_a_data_folder_that_cannot_be_made_names_the_path(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    line = one_line_error(studybot(blocker / "data", "run"))
    assert str(blocker) in line
