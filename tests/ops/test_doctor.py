"""`studybot doctor`: one OK or FAIL line per check, tokens masked, non-zero on any FAIL."""

from __future__ import annotations

import asyncio
import os
import socket
import sqlite3
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import discord.http
import pytest

from bot.config import Secret
from bot.ops.doctor import Finding, diagnose
from bot.storage.db import Database
from bot.storage.migrate import head_revision, upgrade

from .fake_platforms import GOOD_DISCORD, GOOD_TELEGRAM, FakePlatforms, fake_platforms

REPO = Path(__file__).resolve().parents[2]


def base_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {"STUDYBOT_DATA_DIR": str(tmp_path / "data")}
    env.update(extra)
    return env


async def findings(env: dict[str, str], *, quick: bool = False) -> list[Finding]:
    return [f async for f in diagnose(environ=env, quick=quick)]


def by_name(found: list[Finding]) -> dict[str, Finding]:
    return {f.what: f for f in found}


async def migrated_sqlite(tmp_path: Path) -> None:
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'data' / 'studybot.db'}")
    await upgrade(db)
    await db.dispose()


@pytest.fixture
async def fake() -> AsyncIterator[FakePlatforms]:
    async with fake_platforms() as platforms:
        yield platforms


async def run_cli(env: dict[str, str], *args: str) -> tuple[int, str, str]:
    """The real command line, as a child, while this loop keeps serving the fakes."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith("STUDYBOT_")}
    environ.update(env)
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.cli",
        "doctor",
        *args,
        cwd=REPO,
        env=environ,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(proc.communicate(), timeout=120)
    assert proc.returncode is not None
    return proc.returncode, out.decode(), err.decode()


async def test_a_wrong_setting_is_one_fail_line_and_exit_1(tmp_path: Path) -> None:
    code, out, err = await run_cli(base_env(tmp_path, STUDYBOT_LOCALE="fr"))
    assert code == 1
    lines = out.splitlines()
    assert lines[0] == "FAIL config: STUDYBOT_LOCALE: 'fr' is not a supported locale (use ko or en)"
    assert "Traceback" not in out + err
    # Nothing else can be checked without settings, and the doctor creates nothing.
    assert not any(line.startswith(("OK", "FAIL database")) for line in lines[1:])
    assert not (tmp_path / "data").exists()


async def test_a_missing_config_file_fails_config(tmp_path: Path) -> None:
    found = await findings(base_env(tmp_path, STUDYBOT_CONFIG=str(tmp_path / "nope.toml")))
    assert [f.line() for f in found] == [
        f"FAIL config: config file {tmp_path / 'nope.toml'} does not exist"
    ]


async def test_unmigrated_then_migrated_sqlite(tmp_path: Path) -> None:
    env = base_env(tmp_path)
    missing = by_name(await findings(env))["database"]
    # A fresh install is not a fault: the first start creates the database.
    assert missing.ok and "does not exist yet" in missing.detail
    assert "creates it on the first start" in missing.detail
    assert not (tmp_path / "data" / "studybot.db").exists(), "the doctor must not create it"

    (tmp_path / "data").mkdir()
    sqlite3.connect(tmp_path / "data" / "studybot.db").close()  # a file with no schema
    bare = by_name(await findings(env))["database"]
    assert bare.line().startswith("FAIL database: ")
    assert "is not migrated" in bare.detail and "studybot db upgrade" in bare.detail

    await migrated_sqlite(tmp_path)
    found = await findings(env)
    assert all(f.ok for f in found), [f.line() for f in found]
    assert by_name(found)["database"].detail.endswith(f"at migration {head_revision()} (head)")
    assert [f.what for f in found] == ["config", "data dir", "database", "content", "platforms"]


async def test_a_database_behind_head_says_upgrade(tmp_path: Path) -> None:
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'data' / 'studybot.db'}")
    await upgrade(db, "0001")
    await db.dispose()
    found = by_name(await findings(base_env(tmp_path)))["database"]
    assert not found.ok
    needs = f"at migration 0001, this version needs {head_revision()}; run 'studybot db upgrade'"
    assert needs in found.detail


async def test_unmigrated_then_migrated_postgres(tmp_path: Path, pg_database: str) -> None:
    env = base_env(tmp_path, STUDYBOT_DATABASE_URL=pg_database)
    bare = by_name(await findings(env))["database"]
    assert not bare.ok and "is not migrated" in bare.detail
    db = Database(pg_database)
    await upgrade(db)
    await db.dispose()
    found = by_name(await findings(env))["database"]
    assert found.ok, found.line()


async def test_an_unreachable_postgres_fails_without_showing_the_password(tmp_path: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again before the doctor dials it
    url = f"postgresql+asyncpg://studybot:hunter2secret@127.0.0.1:{port}/studybot"
    found = by_name(await findings(base_env(tmp_path, STUDYBOT_DATABASE_URL=url)))
    assert found["config"].ok and "hunter2secret" not in found["config"].detail
    assert not found["database"].ok
    assert found["database"].detail.startswith(
        f"cannot use postgresql+asyncpg://studybot:***@127.0.0.1:{port}"
    )
    assert "hunter2secret" not in found["database"].detail


async def test_broken_content_fails(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    (content / "bad.yaml").write_text("chapter: [unclosed\n", encoding="utf-8")
    found = by_name(await findings(base_env(tmp_path, STUDYBOT_CONTENT_DIR=str(content))))
    assert not found["content"].ok
    assert "problem(s) in" in found["content"].detail and "bad.yaml" in found["content"].detail


async def test_telegram_token_accepted_and_refused(tmp_path: Path, fake: FakePlatforms) -> None:
    await migrated_sqlite(tmp_path)
    good = base_env(
        tmp_path, STUDYBOT_TELEGRAM_TOKEN=GOOD_TELEGRAM, STUDYBOT_TELEGRAM_API_URL=fake.telegram_url
    )
    found = await findings(good)
    telegram = by_name(found)["telegram"]
    masked = Secret(GOOD_TELEGRAM).masked()
    assert telegram.line() == (
        f"OK telegram: token {masked} accepted by getMe: @studybot_test_bot (id 123456789)"
    )
    assert "telegram getMe" in fake.calls
    assert all(f.ok for f in found)

    bad_token = "987654321:AAHrefusedrefusedrefusedrefusedref"
    code, out, err = await run_cli({**good, "STUDYBOT_TELEGRAM_TOKEN": bad_token})
    assert code == 1
    assert f"FAIL telegram: token {Secret(bad_token).masked()} refused by the Bot API" in out
    assert bad_token not in out + err
    assert "Traceback" not in out + err
    assert "OK database:" in out  # one bad check does not hide the others


async def test_quick_skips_the_platforms(tmp_path: Path, fake: FakePlatforms) -> None:
    await migrated_sqlite(tmp_path)
    env = base_env(
        tmp_path, STUDYBOT_TELEGRAM_TOKEN=GOOD_TELEGRAM, STUDYBOT_TELEGRAM_API_URL=fake.telegram_url
    )
    code, out, _ = await run_cli(env, "--quick")
    assert code == 0, out
    assert not any(line.split(":")[0].endswith("telegram") for line in out.splitlines())
    assert fake.calls == []


async def test_discord_token_accepted_and_refused(
    tmp_path: Path, fake: FakePlatforms, monkeypatch: pytest.MonkeyPatch
) -> None:
    await migrated_sqlite(tmp_path)
    monkeypatch.setattr(discord.http.Route, "BASE", fake.discord_base)
    found = by_name(await findings(base_env(tmp_path, STUDYBOT_DISCORD_TOKEN=GOOD_DISCORD)))
    masked = Secret(GOOD_DISCORD).masked()
    assert (
        found["discord"].line() == f"OK discord: token {masked} accepted: studybot (id 123456789)"
    )

    bad = "MTIzNDU2Nzg5MDEyMzQ1Njc4.Refused.refusedrefusedrefusedrefusedre"
    found = by_name(await findings(base_env(tmp_path, STUDYBOT_DISCORD_TOKEN=bad)))
    assert found["discord"].line() == (
        f"FAIL discord: token {Secret(bad).masked()} refused by Discord (401 Unauthorized)"
    )


async def test_discord_unreachable_is_a_fail_line_not_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    await migrated_sqlite(tmp_path)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setattr(discord.http.Route, "BASE", f"http://127.0.0.1:{port}/api/v10")
    token = "not-a-real-discord-token-but-long-enough"
    found = await findings(base_env(tmp_path, STUDYBOT_DISCORD_TOKEN=token))
    line = by_name(found)["discord"].line()
    assert line.startswith(
        f"FAIL discord: token {Secret(token).masked()} not checked: cannot reach Discord: "
    ), line
    assert token not in line
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err


async def test_metrics_port_is_checked(tmp_path: Path) -> None:
    await migrated_sqlite(tmp_path)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        free = sock.getsockname()[1]
    found = by_name(await findings(base_env(tmp_path, STUDYBOT_METRICS_PORT=str(free))))
    assert found["metrics"].ok and "is free" in found["metrics"].detail

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        found = by_name(await findings(base_env(tmp_path, STUDYBOT_METRICS_PORT=str(port))))
    assert not found["metrics"].ok, found["metrics"].line()
