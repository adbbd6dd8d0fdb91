"""The built wheel, installed into a fresh virtual environment, runs against PostgreSQL.

This is what an operator does (deploy/README.md, way A): build the wheel, install it with
its dependencies from the package registry, migrate, run the doctor, start the bot. The
fresh environment sees nothing of this checkout, so a module or data file the wheel
forgot shows up here.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.config import Secret
from bot.storage.db import make_engine

ROOT = Path(__file__).resolve().parents[2]
PG_ENV = "STUDYBOT_TEST_POSTGRES_URL"
DATABASE = "studybot_wheel_test"
REGISTRY_DOWN = (
    "Could not find a version",
    "No matching distribution",
    "NewConnectionError",
    "Temporary failure in name resolution",
    "Network is unreachable",
    "ConnectTimeoutError",
    "ReadTimeoutError",
)


def run(
    cmd: list[str],
    *,
    timeout: float = 600,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    stdin: str | None = None,
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        cmd,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        env=env,
        cwd=cwd,
        input=stdin,
    )


@pytest.fixture
async def wheel_database() -> AsyncIterator[str]:
    url = os.environ.get(PG_ENV)
    if not url:
        pytest.skip(f"{PG_ENV} is not set, so the installed wheel has no PostgreSQL to run on")
    admin = make_engine(url, isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        await conn.execute(text(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)'))
        await conn.execute(text(f'CREATE DATABASE "{DATABASE}"'))
    try:
        yield url.rsplit("/", 1)[0] + f"/{DATABASE}"
    finally:
        async with admin.connect() as conn:
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)'))
        await admin.dispose()


def test_installed_wheel_runs_doctor_and_the_bot_on_postgres(
    tmp_path: Path, wheel_database: str
) -> None:
    built = run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(tmp_path / "dist"),
            str(ROOT),
        ]
    )
    assert built.returncode == 0, built.stderr
    wheel = next((tmp_path / "dist").glob("studybot-*.whl"))

    venv = tmp_path / "venv"
    made = run([sys.executable, "-m", "venv", str(venv)])
    assert made.returncode == 0, made.stderr
    installed = run([str(venv / "bin" / "python"), "-m", "pip", "install", str(wheel)], timeout=900)
    if installed.returncode != 0:
        if any(sign in installed.stderr for sign in REGISTRY_DOWN):
            pytest.skip(f"the package registry is unreachable: {installed.stderr.strip()[-300:]}")
        pytest.fail(installed.stderr)
    studybot = str(venv / "bin" / "studybot")

    # Nothing of this checkout may leak in: no PYTHONPATH, another working directory.
    env = {
        k: v for k, v in os.environ.items() if not k.startswith("STUDYBOT_") and k != "PYTHONPATH"
    }
    env.update(
        STUDYBOT_DATABASE_URL=wheel_database,
        STUDYBOT_DATA_DIR=str(tmp_path / "data"),
        STUDYBOT_LOCALE="ko",
        PYTHONUTF8="1",
    )

    def bot(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        return run([studybot, *args], env=env, cwd=tmp_path, stdin=stdin, timeout=180)

    before = bot("doctor")
    assert before.returncode == 1
    assert "FAIL database:" in before.stdout and "is not migrated" in before.stdout

    upgraded = bot("db", "upgrade")
    assert upgraded.returncode == 0, upgraded.stderr
    doctor = bot("doctor")
    assert doctor.returncode == 0, doctor.stdout + doctor.stderr
    lines = doctor.stdout.splitlines()
    assert all(line.startswith("OK ") for line in lines), doctor.stdout
    content = next(line for line in lines if line.startswith("OK content:"))
    assert str(venv) in content and "_content" in content  # the copy inside the wheel

    started = bot("run", stdin="/start\n")
    assert started.returncode == 0, started.stderr
    assert "안녕하세요! 공무원 컴퓨터일반" in started.stdout, started.stdout
    # On the console the log goes to the data folder, not into the conversation.
    logged = (tmp_path / "data" / "studybot.log").read_text(encoding="utf-8")
    assert "no platform token configured; starting the console" in logged
    # The console's chat and its member went into PostgreSQL.
    exported = bot("db", "export", str(tmp_path / "after.jsonl"))
    assert exported.returncode == 0, exported.stderr
    assert re.search(r"\b1 chats\b", exported.stdout), exported.stdout
    assert re.search(r"\b1 users\b", exported.stdout), exported.stdout

    # A token that Telegram would refuse never shows, whole, in what the doctor prints.
    token = "123456789:AAHnotarealtokennotarealtokennotreal"
    env.update(STUDYBOT_TELEGRAM_TOKEN=token, STUDYBOT_TELEGRAM_API_URL="http://127.0.0.1:9/bot")
    refused = bot("doctor")
    assert refused.returncode == 1
    assert f"FAIL telegram: token {Secret(token).masked()}" in refused.stdout
    assert token not in refused.stdout + refused.stderr
