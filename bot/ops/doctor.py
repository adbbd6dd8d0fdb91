"""`studybot doctor`: is this installation ready to run? One line per check, OK or FAIL.

It changes nothing: it does not create the data folder or the database and applies no
migration, so it is safe to run beside a live bot, before the first start, or from a
container health check (--quick skips the calls to the platforms).
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

from bot.config import ConfigError, Settings, load_settings
from bot.content.loader import check_tree, default_content_dir
from bot.logsetup import setup_logging
from bot.ops.backup import known_revisions, sqlite_file
from bot.storage.db import CONNECT_TIMEOUT_S, Database, sqlite_quick_check
from bot.storage.migrate import current_revision, head_revision

DB_TIMEOUT_S = 15.0
HTTP_TIMEOUT_S = 3.0


@dataclass(frozen=True, slots=True)
class Finding:
    ok: bool
    what: str
    detail: str

    def line(self) -> str:
        return f"{'OK' if self.ok else 'FAIL'} {self.what}: {self.detail}"


def shown_url(url: str) -> str:
    """The database URL with its password starred, fit for a terminal or a log."""
    return make_url(url).render_as_string(hide_password=True)


def reason(exc: BaseException, url: str) -> str:
    # SQLAlchemy wraps the driver's error and appends SQL and a help link; the driver's
    # first line is the part that tells an operator what is wrong.
    orig = getattr(exc, "orig", None) or exc
    if isinstance(orig, TimeoutError) and not str(orig):
        return f"no answer within {CONNECT_TIMEOUT_S:.0f}s"
    text = str(orig).strip().splitlines()[0] if str(orig).strip() else ""
    password = make_url(url).password
    if password:
        text = text.replace(str(password), "***")
    return text or type(orig).__name__


def _platforms(settings: Settings) -> list[str]:
    return [
        name
        for name, token in (
            ("telegram", settings.telegram_token),
            ("discord", settings.discord_token),
        )
        if token
    ]


def check_config(
    config_file: str | Path | None, environ: Mapping[str, str] | None
) -> tuple[Settings | None, Finding]:
    try:
        settings = load_settings(config_file, environ)
    except ConfigError as exc:
        return None, Finding(False, "config", str(exc))
    platforms = ", ".join(_platforms(settings)) or "none (studybot run starts the console)"
    detail = (
        f"settings are valid; database {shown_url(settings.db_url)}; locale {settings.locale}; "
        f"time zone {settings.timezone}; platforms: {platforms}"
    )
    return settings, Finding(True, "config", detail)


def check_data_dir(settings: Settings) -> Finding:
    path = settings.data_dir
    if path.is_dir():
        if os.access(path, os.W_OK | os.X_OK):
            return Finding(True, "data dir", f"{path} is writable")
        return Finding(False, "data dir", f"{path} is not writable by this user")
    if path.exists():
        return Finding(False, "data dir", f"{path} exists but is not a folder")
    ancestor = path.parent
    while not ancestor.exists() and ancestor != ancestor.parent:
        ancestor = ancestor.parent
    if os.access(ancestor, os.W_OK | os.X_OK):
        return Finding(True, "data dir", f"{path} does not exist yet and will be created on start")
    return Finding(False, "data dir", f"{path} does not exist and {ancestor} is not writable")


async def check_database(settings: Settings) -> Finding:
    url = settings.db_url
    shown = shown_url(url)
    db_file = sqlite_file(url)
    if db_file is not None and not db_file.exists():
        # A fresh install: nothing is wrong, the first start makes the file.
        return Finding(
            True,
            "database",
            f"{db_file} does not exist yet; 'studybot run' creates it on the first start "
            "('studybot db upgrade' does too)",
        )
    if db_file is not None:
        problem = sqlite_quick_check(db_file)
        if problem is not None:
            return Finding(
                False,
                "database",
                f"{db_file} is damaged ({problem}); restore a backup with "
                "'studybot db restore BACKUP_FILE'",
            )
    db = Database(url)
    try:
        async with asyncio.timeout(DB_TIMEOUT_S):
            revision = await current_revision(db)
    except TimeoutError:
        return Finding(False, "database", f"{shown}: no answer within {DB_TIMEOUT_S:.0f}s")
    except Exception as exc:
        return Finding(False, "database", f"cannot use {shown}: {reason(exc, url)}")
    finally:
        await db.dispose()
    head = head_revision()
    if revision == head:
        return Finding(True, "database", f"{shown} is reachable and at migration {revision} (head)")
    if revision is None:
        return Finding(
            False, "database", f"{shown} is not migrated (no schema); run 'studybot db upgrade'"
        )
    if revision in known_revisions():
        return Finding(
            False,
            "database",
            f"{shown} is at migration {revision}, this version needs {head}; "
            "run 'studybot db upgrade'",
        )
    return Finding(
        False,
        "database",
        f"{shown} is at migration {revision}, which this version does not know "
        "(a newer studybot migrated it)",
    )


def check_content(settings: Settings) -> Finding:
    root = settings.content_dir or default_content_dir()
    chapters, problems = check_tree(root)
    if problems:
        return Finding(
            False,
            "content",
            f"{len(problems)} problem(s) in {root}, the first: {problems[0]}; "
            "run 'studybot content check' for all",
        )
    terms = sum(len(c.terms) for c in chapters)
    questions = sum(len(c.questions) for c in chapters)
    chapters_n = f"{len(chapters)} chapter{'' if len(chapters) == 1 else 's'}"
    return Finding(True, "content", f"{chapters_n}, {terms} terms, {questions} questions in {root}")


async def check_platforms(settings: Settings) -> AsyncIterator[Finding]:
    platforms = _platforms(settings)
    if not platforms:
        yield Finding(True, "platforms", "no token set; 'studybot run' starts the console")
        return
    # Imported by name, as the adapters are: the platform libraries stay out of the core.
    from adapters.probes import PROBES

    for platform in platforms:
        try:
            ok, detail = await PROBES[platform](settings)
        except Exception as exc:
            # A library surprise is still one FAIL line, never a traceback; the type is
            # enough to search for, and the message might quote what the platform sent.
            ok, detail = False, f"the check itself failed ({type(exc).__name__})"
        yield Finding(ok, platform, detail)


def _local_host(host: str) -> str:
    # A wildcard listener is reached on loopback from the same machine.
    return {"0.0.0.0": "127.0.0.1", "::": "::1"}.get(host, host)


async def check_metrics(settings: Settings) -> Finding | None:
    if settings.metrics_port is None:
        return None
    import aiohttp

    host, port = settings.metrics_host, settings.metrics_port
    target = _local_host(host)
    netloc = f"[{target}]:{port}" if ":" in target else f"{target}:{port}"
    url = f"http://{netloc}/healthz"
    timeout = aiohttp.ClientTimeout(total=HTTP_TIMEOUT_S)
    try:
        async with aiohttp.ClientSession(timeout=timeout) as session, session.get(url) as resp:
            body = (await resp.text()).strip()
        if resp.status == 200 and body == "ok":
            return Finding(True, "metrics", f"a running bot answers {url}")
        return Finding(
            False, "metrics", f"{url} answered {resp.status} {body[:40]!r}, not a live studybot"
        )
    except (aiohttp.ClientError, TimeoutError, OSError):
        pass
    # Nobody answers: make sure the bot will be able to listen there.
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        with socket.socket(infos[0][0], socket.SOCK_STREAM) as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind(infos[0][4])
    except OSError as exc:
        return Finding(False, "metrics", f"cannot listen on {host}:{port}: {exc.strerror or exc}")
    return Finding(True, "metrics", f"{host}:{port} is free; the bot will serve /healthz there")


async def check_board_totals(settings: Settings) -> Finding:
    """The maintained board totals, compared with the answers they came from (--full)."""
    from bot.services.scores import ScoreService

    db = Database(settings.db_url)
    try:
        problems = await ScoreService(db).check(settings.timezone)
    except Exception as exc:
        return Finding(False, "board totals", f"cannot check: {reason(exc, settings.db_url)}")
    finally:
        await db.dispose()
    if not problems:
        return Finding(True, "board totals", "every board total agrees with the answers")
    more = f" (and {len(problems) - 1} more; see 'studybot db check')" if len(problems) > 1 else ""
    return Finding(False, "board totals", problems[0] + more)


async def diagnose(
    config_file: str | Path | None = None,
    environ: Mapping[str, str] | None = None,
    *,
    quick: bool = False,
    configure_logging: bool = False,
    full: bool = False,
) -> AsyncIterator[Finding]:
    """Every check in order; a broken configuration ends the list, as nothing else can run."""
    settings, finding = check_config(config_file, environ)
    yield finding
    if settings is None:
        return
    if configure_logging:
        # Masks the tokens in anything a library logs while the probes run.
        setup_logging(settings)
        if settings.log_level != "DEBUG":
            # The platform libraries log at INFO as they log in; the checks say enough.
            logging.getLogger().setLevel(logging.WARNING)
    yield check_data_dir(settings)
    database = await check_database(settings)
    yield database
    if full and database.ok:
        yield await check_board_totals(settings)
    yield check_content(settings)
    if not quick:
        async for found in check_platforms(settings):
            yield found
    metrics = await check_metrics(settings)
    if metrics is not None:
        yield metrics


async def run_doctor(
    config_file: str | Path | None = None,
    environ: Mapping[str, str] | None = None,
    *,
    quick: bool = False,
    full: bool = False,
) -> int:
    """Print each finding as it comes; 1 when any failed."""
    failed = False
    found = diagnose(config_file, environ, quick=quick, configure_logging=True, full=full)
    async for finding in found:
        print(finding.line(), flush=True)
        failed = failed or not finding.ok
    if failed:
        print("studybot doctor: something needs fixing (see FAIL above)", flush=True)
    return 1 if failed else 0
