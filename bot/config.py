"""Settings from the environment and an optional TOML file, validated when loaded."""

from __future__ import annotations

import ipaddress
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

LOCALES = ("ko", "en")
ENV_PREFIX = "STUDYBOT_"
# A DNS name: dot-separated labels of letters, digits and inner hyphens.
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_HOSTNAME = re.compile(rf"^(?=.{{1,253}}$){_LABEL}(?:\.{_LABEL})*$")


class ConfigError(Exception):
    """A setting is wrong; the message names it in one line and never holds a secret."""


class Secret:
    """A token that refuses to show itself in logs, reprs and tracebacks."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def masked(self) -> str:
        if len(self._value) <= 8:
            return "****"
        return f"{self._value[:4]}…{self._value[-2:]}"

    def __bool__(self) -> bool:
        return bool(self._value)

    def __repr__(self) -> str:
        return "Secret('****')"

    __str__ = __repr__


def default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "studybot"


@dataclass(frozen=True, slots=True)
class Settings:
    data_dir: Path = field(default_factory=default_data_dir)
    database_url: str = ""
    locale: str = "ko"
    timezone: str = "Asia/Seoul"
    content_dir: Path | None = None
    quiz_open_seconds: int = 600
    # How long a claim on a scheduled send (daily post, announcement, ...) holds before
    # another replica may take it over from a process that died holding it.
    outbox_lease_seconds: int = 120
    # How often the safety net runs: due posts a lost timer left, another replica's daily
    # settings, claims a dead process left once their lease is out.
    sweep_seconds: int = 20
    telegram_token: Secret = field(default_factory=lambda: Secret(""))
    telegram_api_url: str = ""
    # Webhook mode replaces long polling when the public URL is set.
    telegram_webhook_url: str = ""
    telegram_webhook_secret: Secret = field(default_factory=lambda: Secret(""))
    telegram_webhook_listen: str = "0.0.0.0"
    telegram_webhook_port: int = 8443
    discord_token: Secret = field(default_factory=lambda: Secret(""))
    discord_instructor_role: str = ""  # a role name or id whose members are instructors
    # Replicas splitting Discord's gateway: this process runs these shards of shard_count
    # (e.g. "0,1" of 4). Empty: one process runs every shard Discord recommends.
    discord_shards: tuple[int, ...] = ()
    discord_shard_count: int = 0
    log_level: str = "INFO"
    # The health and metrics endpoint stays off unless a port is set; loopback by default
    # because the numbers describe the study groups and need no audience beyond a scraper.
    metrics_port: int | None = None
    metrics_host: str = "127.0.0.1"

    @property
    def db_url(self) -> str:
        return self.database_url or f"sqlite+aiosqlite:///{self.data_dir / 'studybot.db'}"

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


_SECRETS = {"telegram_token", "discord_token", "telegram_webhook_secret"}
_KNOWN = {f.name for f in fields(Settings)}


# Settings in whole seconds and the range each accepts. The lease's floor: shorter than a
# paced fan-out and a live process's claims could be taken over.
SECONDS_RANGES: dict[str, tuple[int, int]] = {
    "quiz_open_seconds": (10, 86_400),
    "outbox_lease_seconds": (5, 3600),
    "sweep_seconds": (5, 600),
}


def _check(name: str, raw: object) -> object:
    """Convert one raw value; raise ConfigError naming the setting when it is wrong."""
    env = ENV_PREFIX + name.upper()
    if name in _SECRETS:
        if not isinstance(raw, str):
            raise ConfigError(f"{env}: must be text")
        return Secret(raw.strip())
    if name == "discord_shards" and isinstance(raw, list | tuple):
        raw = ",".join(str(p) for p in raw)  # a TOML list, read as the environment's text
    if not isinstance(raw, str | int):
        raise ConfigError(f"{env}: must be text or a number")
    text = str(raw).strip()
    if name in ("data_dir", "content_dir"):
        if not text:
            raise ConfigError(f"{env}: must be a directory path")
        return Path(text).expanduser()
    if name == "locale":
        if text not in LOCALES:
            raise ConfigError(f"{env}: '{text}' is not a supported locale (use ko or en)")
        return text
    if name == "timezone":
        try:
            ZoneInfo(text)
        except (ZoneInfoNotFoundError, ValueError):
            raise ConfigError(
                f"{env}: '{text}' is not a known time zone (e.g. Asia/Seoul)"
            ) from None
        return text
    if name in SECONDS_RANGES:
        low, high = SECONDS_RANGES[name]
        try:
            value = int(text)
        except ValueError:
            raise ConfigError(f"{env}: '{text}' is not a whole number of seconds") from None
        if not low <= value <= high:
            raise ConfigError(f"{env}: must be between {low} and {high} seconds")
        return value
    if name == "database_url":
        return _database_url(env, text)
    if name in ("telegram_webhook_port", "metrics_port"):
        if not text.isdigit() or not 1 <= int(text) <= 65535:
            raise ConfigError(f"{env}: must be a port number between 1 and 65535")
        return int(text)
    if name == "metrics_host":
        if not _is_host(text):
            raise ConfigError(f"{env}: must be an IP address or host name such as 127.0.0.1")
        return text
    if name == "telegram_webhook_url":
        parts = urlsplit(text)
        if parts.scheme != "https" or not parts.netloc:
            raise ConfigError(f"{env}: must be a public https URL")
        return text
    if name == "telegram_api_url":
        parts = urlsplit(text)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ConfigError(f"{env}: must be an http(s) URL such as https://api.telegram.org/bot")
        return text.rstrip("/")
    if name == "discord_shards":
        shards = [p.strip() for p in text.split(",") if p.strip()]
        if not shards or not all(p.isdigit() for p in shards):
            raise ConfigError(f"{env}: must be shard numbers separated by commas, e.g. 0,1")
        if len(set(shards)) != len(shards):
            raise ConfigError(f"{env}: names a shard twice")
        return tuple(sorted(int(p) for p in shards))
    if name == "discord_shard_count":
        if not text.isdigit() or not 1 <= int(text) <= 4096:
            raise ConfigError(f"{env}: must be a whole number of shards between 1 and 4096")
        return int(text)
    if name == "log_level":
        level = text.upper()
        if level not in ("DEBUG", "INFO", "WARNING", "ERROR"):
            raise ConfigError(f"{env}: must be DEBUG, INFO, WARNING or ERROR")
        return level
    return text


def _database_url(env: str, text: str) -> str:
    # Never echo the URL itself: it may carry a password.
    scheme = urlsplit(text).scheme
    if scheme not in ("sqlite+aiosqlite", "postgresql+asyncpg"):
        raise ConfigError(
            f"{env}: the scheme must be sqlite+aiosqlite or postgresql+asyncpg, not '{scheme}'"
        )
    try:
        url = make_url(text)
        port = url.port
    except (ArgumentError, ValueError):
        raise ConfigError(f"{env}: not a valid database URL") from None
    if scheme == "sqlite+aiosqlite":
        if not url.database or url.database == ":memory:":
            raise ConfigError(
                f"{env}: needs the database file's path, e.g. "
                "sqlite+aiosqlite:////var/lib/studybot/studybot.db (an in-memory database "
                "would lose everything at each stop)"
            )
        return text
    if not url.database:
        # The server would pick a default database and the bot would make its tables there.
        raise ConfigError(
            f"{env}: needs a database name, e.g. postgresql+asyncpg://studybot:PASSWORD@"
            "localhost/studybot"
        )
    if port is not None and not 1 <= port <= 65535:
        raise ConfigError(f"{env}: the port must be between 1 and 65535")
    return text


def _is_host(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return bool(_HOSTNAME.match(text))
    return True


def _read_toml(path: Path) -> dict[str, object]:
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        raise ConfigError(f"config file {path} does not exist") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {path}: not valid TOML ({exc})") from None
    for key in data:
        if key not in _KNOWN:
            raise ConfigError(f"config file {path}: unknown setting '{key}'")
    return data


def load_settings(
    config_file: str | Path | None = None, environ: Mapping[str, str] | None = None
) -> Settings:
    env = os.environ if environ is None else environ
    raw: dict[str, object] = {}
    path = config_file or env.get(ENV_PREFIX + "CONFIG")
    if path:
        raw.update(_read_toml(Path(path).expanduser()))
    for name in _KNOWN:
        value = env.get(ENV_PREFIX + name.upper())
        if value is not None and value != "":
            raw[name] = value
    values = {name: _check(name, value) for name, value in raw.items()}
    settings = Settings(**values)  # type: ignore[arg-type]  # _check typed each value for its field
    if (
        settings.metrics_port is not None
        and settings.telegram_webhook_url
        and settings.metrics_port == settings.telegram_webhook_port
    ):
        raise ConfigError(
            f"{ENV_PREFIX}METRICS_PORT: {settings.metrics_port} is already the Telegram webhook "
            "port; pick another"
        )
    _check_shards(settings)
    return settings


def _check_shards(settings: Settings) -> None:
    shards, count = settings.discord_shards, settings.discord_shard_count
    if shards and not count:
        raise ConfigError(
            f"{ENV_PREFIX}DISCORD_SHARDS needs {ENV_PREFIX}DISCORD_SHARD_COUNT: the total number "
            "of shards every replica together runs"
        )
    if shards and shards[-1] >= count:
        raise ConfigError(
            f"{ENV_PREFIX}DISCORD_SHARDS: shard {shards[-1]} does not exist among "
            f"{count} (they are numbered 0 to {count - 1})"
        )
