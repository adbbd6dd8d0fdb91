"""Assemble storage, content, scheduler and core, and run the configured adapters."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from bot.clock import Clock
from bot.config import Settings
from bot.content.loader import load_library
from bot.core import Core
from bot.scheduler import SchedulerTimers
from bot.storage.db import Database
from bot.storage.migrate import upgrade

log = logging.getLogger(__name__)


class StartupError(Exception):
    """Something a user must fix before the bot can run; the message says what."""


@dataclass
class App:
    settings: Settings
    db: Database
    core: Core
    timers: SchedulerTimers


@asynccontextmanager
async def open_app(settings: Settings, clock: Clock | None = None) -> AsyncIterator[App]:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    library = load_library(settings.content_dir)
    db = Database(settings.db_url)
    timers = SchedulerTimers(settings.tz)
    try:
        await upgrade(db)
        core = Core(settings, db, library, clock=clock, timers=timers)
        yield App(settings, db, core, timers)
    finally:
        timers.shutdown()
        await db.dispose()


def configured_platforms(settings: Settings) -> list[str]:
    platforms = []
    if settings.telegram_token:
        platforms.append("telegram")
    if settings.discord_token:
        platforms.append("discord")
    return platforms


async def run_console(settings: Settings) -> None:
    from adapters.console import ConsoleAdapter

    async with open_app(settings) as app:
        console = ConsoleAdapter(locale=settings.locale)
        app.core.attach(console)
        await console.start(app.core.handle)
        app.timers.start()
        await app.core.start()
        try:
            await console.run()
        finally:
            await console.stop()


async def run(settings: Settings) -> None:
    platforms = configured_platforms(settings)
    if not platforms:
        log.info("no platform token configured; starting the console")
        await run_console(settings)
        return
    raise StartupError(
        f"the {' and '.join(platforms)} adapter is not part of this version yet; "
        "unset its token to use the console"
    )


def run_sync(coro: object) -> None:
    asyncio.run(coro)  # type: ignore[arg-type]
