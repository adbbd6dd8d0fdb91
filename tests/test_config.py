"""Settings: defaults, environment, TOML, and one clear line for each wrong value."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import ConfigError, load_settings
from bot.storage.migrate import head_revision

AT_HEAD = f"database at revision {head_revision()} (head {head_revision()})"


def test_defaults_and_env(tmp_path: Path) -> None:
    s = load_settings(environ={"STUDYBOT_DATA_DIR": str(tmp_path)})
    assert s.locale == "ko" and s.timezone == "Asia/Seoul"
    assert s.db_url == f"sqlite+aiosqlite:///{tmp_path / 'studybot.db'}"
    assert not s.telegram_token and not s.discord_token


def test_toml_then_env_wins(tmp_path: Path) -> None:
    cfg = tmp_path / "studybot.toml"
    cfg.write_text('locale = "en"\ntimezone = "UTC"\nquiz_open_seconds = 60\n', encoding="utf-8")
    s = load_settings(cfg, environ={"STUDYBOT_TIMEZONE": "Asia/Tokyo"})
    assert (s.locale, s.timezone, s.quiz_open_seconds) == ("en", "Asia/Tokyo", 60)


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"STUDYBOT_LOCALE": "jp"}, "STUDYBOT_LOCALE"),
        ({"STUDYBOT_TIMEZONE": "Mars/Base"}, "STUDYBOT_TIMEZONE"),
        ({"STUDYBOT_DATABASE_URL": "mysql://u:hunter2@h/db"}, "STUDYBOT_DATABASE_URL"),
        ({"STUDYBOT_TELEGRAM_API_URL": "not a url"}, "STUDYBOT_TELEGRAM_API_URL"),
        ({"STUDYBOT_QUIZ_OPEN_SECONDS": "soon"}, "STUDYBOT_QUIZ_OPEN_SECONDS"),
        ({"STUDYBOT_QUIZ_OPEN_SECONDS": "1"}, "STUDYBOT_QUIZ_OPEN_SECONDS"),
        ({"STUDYBOT_LOG_LEVEL": "LOUD"}, "STUDYBOT_LOG_LEVEL"),
        ({"STUDYBOT_OUTBOX_LEASE_SECONDS": "2"}, "STUDYBOT_OUTBOX_LEASE_SECONDS"),
        ({"STUDYBOT_OUTBOX_LEASE_SECONDS": "long"}, "STUDYBOT_OUTBOX_LEASE_SECONDS"),
        ({"STUDYBOT_SWEEP_SECONDS": "1"}, "STUDYBOT_SWEEP_SECONDS"),
        ({"STUDYBOT_SWEEP_SECONDS": "often"}, "STUDYBOT_SWEEP_SECONDS"),
    ],
)
def test_wrong_values_name_the_setting(env: dict[str, str], named: str) -> None:
    with pytest.raises(ConfigError) as info:
        load_settings(environ=env)
    assert str(info.value).startswith(named)
    assert "hunter2" not in str(info.value)


def test_the_outbox_lease_is_two_minutes_unless_set() -> None:
    assert load_settings(environ={}).outbox_lease_seconds == 120
    env = {"STUDYBOT_OUTBOX_LEASE_SECONDS": "10"}
    assert load_settings(environ=env).outbox_lease_seconds == 10


def test_the_sweep_runs_every_twenty_seconds_unless_set() -> None:
    assert load_settings(environ={}).sweep_seconds == 20
    assert load_settings(environ={"STUDYBOT_SWEEP_SECONDS": "60"}).sweep_seconds == 60


def test_bad_toml(tmp_path: Path) -> None:
    cfg = tmp_path / "bad.toml"
    cfg.write_text("locale = \n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_settings(cfg, environ={})
    cfg.write_text('colour = "blue"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown setting 'colour'"):
        load_settings(cfg, environ={})
    with pytest.raises(ConfigError, match="does not exist"):
        load_settings(tmp_path / "missing.toml", environ={})


def test_tokens_never_show() -> None:
    token = "123456:ABC-secret-token-value"
    s = load_settings(environ={"STUDYBOT_TELEGRAM_TOKEN": token})
    assert s.telegram_token.reveal() == token
    assert token not in repr(s) and token not in str(s.telegram_token)
    assert token not in s.telegram_token.masked()


def test_cli_prints_one_line_for_a_wrong_setting(tmp_path: Path) -> None:
    env = {"STUDYBOT_LOCALE": "xx", "STUDYBOT_DATA_DIR": str(tmp_path), "PATH": ""}
    proc = subprocess.run(
        [sys.executable, "-m", "bot.cli", "db", "current"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert lines == ["studybot: STUDYBOT_LOCALE: 'xx' is not a supported locale (use ko or en)"]


def test_db_upgrade_and_current_from_the_cli(tmp_path: Path) -> None:
    env = {"STUDYBOT_DATA_DIR": str(tmp_path / "fresh"), "PATH": ""}
    up = subprocess.run(
        [sys.executable, "-m", "bot.cli", "db", "upgrade"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert up.returncode == 0, up.stderr
    assert up.stdout.strip() == AT_HEAD
    assert (tmp_path / "fresh" / "studybot.db").exists()
    current = subprocess.run(
        [sys.executable, "-m", "bot.cli", "db", "current"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert current.stdout.strip() == AT_HEAD
