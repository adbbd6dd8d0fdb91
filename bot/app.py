"""Assemble storage, content, scheduler and core, and run the configured adapters."""

from __future__ import annotations

import asyncio
import importlib
import logging
import signal
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass

from bot.adapter import Adapter
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


SWEEP_SECONDS = 60


async def start_core(app: App) -> None:
    app.timers.start()
    await app.core.start()
    # A safety net for timers lost with a dead process and for deliveries left half-done.
    app.timers.every(SWEEP_SECONDS, "sweep", app.core.sweep)


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
        await start_core(app)
        try:
            await console.run()
        finally:
            await console.stop()


# Each platform module exposes create(settings, core) -> Adapter; imported only when its
# token is set, so a console user never loads Telegram or Discord code.
ADAPTER_FACTORIES = {
    "telegram": "adapters.telegram",
    "discord": "adapters.discord",
}


def _factory(platform: str) -> Callable[[Settings, Core], Adapter]:
    try:
        module = importlib.import_module(ADAPTER_FACTORIES[platform])
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.startswith("adapters"):
            raise StartupError(
                f"the {platform} adapter is not part of this version yet; "
                "unset its token to use the console"
            ) from None
        raise
    return module.create  # type: ignore[no-any-return]


async def run(settings: Settings) -> None:
    platforms = configured_platforms(settings)
    if not platforms:
        log.info("no platform token configured; starting the console")
        await run_console(settings)
        return
    factories = {p: _factory(p) for p in platforms}
    async with open_app(settings) as app:
        adapters = [factories[p](settings, app.core) for p in platforms]
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        started: list[Adapter] = []
        try:
            for adapter in adapters:
                app.core.attach(adapter)
                await adapter.start(app.core.handle)
                started.append(adapter)
                log.info("%s adapter started", adapter.name)
            await start_core(app)
            await stop.wait()
            log.info("stopping")
        finally:
            for adapter in reversed(started):
                await adapter.stop()


async def discord_sync(settings: Settings, guild_id: int | None) -> None:
    if not settings.discord_token:
        raise StartupError("STUDYBOT_DISCORD_TOKEN is not set")
    try:
        sync = importlib.import_module("adapters.discord.sync")
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.startswith("adapters"):
            raise StartupError("the discord adapter is not part of this version yet") from None
        raise
    await sync.sync_commands(settings, guild_id)
