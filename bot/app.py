"""Assemble storage, content, scheduler and core, and run the configured adapters."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import importlib
import logging
import os
import signal
import sys
from asyncio import FIRST_COMPLETED
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.adapter import Adapter, CorePort
from bot.clock import Clock
from bot.config import Settings
from bot.content.loader import load_library
from bot.core import Core
from bot.errors import StartupError
from bot.ops.backup import DatabaseBusy, database_lock, single_process
from bot.ops.lifecycle import InFlight, StdinRelay, TrackedTimers
from bot.ops.startup import prepare_database
from bot.storage.db import Database
from bot.wiring import build_core

if TYPE_CHECKING:
    from bot.ops.server import OpsServer

log = logging.getLogger(__name__)


@dataclass
class App:
    settings: Settings
    db: Database
    core: Core
    timers: TrackedTimers


@asynccontextmanager
async def open_app(settings: Settings, clock: Clock | None = None) -> AsyncIterator[App]:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    library = load_library(settings.content_dir)
    with contextlib.ExitStack() as held:
        try:
            # Held for the life of the process so `studybot db restore` cannot swap the file
            # from under a running bot (SQLite only).
            held.enter_context(database_lock(settings.db_url, exclusive=False))
            # And one bot per SQLite file: a second is refused here with one line.
            held.enter_context(single_process(settings.db_url))
        except DatabaseBusy as exc:
            raise StartupError(str(exc)) from None
        db = Database(settings.db_url)
        timers = TrackedTimers(settings.tz)
        try:
            await prepare_database(db)
            core = build_core(settings, db, library, clock=clock, timers=timers)
            yield App(settings, db, core, timers)
        finally:
            timers.shutdown()
            await db.dispose()


# How long a stop may take to finish what is in hand before it gives up and ends at once.
STOP_TIMEOUT = 20.0


class StopCutShort(Exception):
    """A second signal or the stop timeout ended the process before all work in hand ended."""


async def start_core(app: App) -> None:
    app.timers.start()
    # Before any claim is made: other replicas must see this one alive (PostgreSQL).
    await app.core.rt.services.outbox.presence.start()
    if app.db.is_sqlite:
        # open_app holds the file's single-process lock, so whoever claimed a row still out
        # has died (kill -9, power cut): its messages go now, not when the lease runs out.
        taken = await app.core.rt.services.outbox.release_orphans()
        if taken:
            log.info("took over %d outbox claims a stopped process left unsent", taken)
    await app.core.start()
    # A safety net for timers lost with a dead process and for deliveries left half-done.
    app.timers.every(app.settings.sweep_seconds, "sweep", app.core.sweep)


def settle_heap() -> None:
    """Once a long-running bot has started: its startup objects (the library, the search
    index, the wiring) live until it stops, so they leave the cyclic collector's view.
    Otherwise every full collection walks them again while a burst of updates makes
    garbage (about a tenth of a burst's time in tests/bench/bench_telegram.py)."""
    gc.collect()
    gc.freeze()


def configured_platforms(settings: Settings) -> list[str]:
    platforms = []
    if settings.telegram_token:
        platforms.append("telegram")
    if settings.discord_token:
        platforms.append("discord")
    return platforms


class Stopper:
    """The first SIGTERM (or SIGINT) asks for a graceful stop; a second one for an end now."""

    def __init__(self, signals: tuple[signal.Signals, ...]) -> None:
        self.signals = signals
        self.requested = asyncio.Event()
        self.forced = asyncio.Event()
        self._deadline: float | None = None  # loop time by which the whole stop must end

    def install(self) -> None:
        loop = asyncio.get_running_loop()
        try:
            for sig in self.signals:
                loop.add_signal_handler(sig, self._received, sig)
        except NotImplementedError:
            pass  # Windows' event loop has no signal handlers; Ctrl+C still interrupts

    def remove(self) -> None:
        loop = asyncio.get_running_loop()
        for sig in self.signals:
            with contextlib.suppress(NotImplementedError):
                loop.remove_signal_handler(sig)

    def _received(self, sig: signal.Signals) -> None:
        if not self.requested.is_set():
            log.info("%s: stopping; finishing what is in hand (again to stop at once)", sig.name)
            self._deadline = asyncio.get_running_loop().time() + STOP_TIMEOUT
            self.requested.set()
        else:
            log.warning("%s again: stopping at once", sig.name)
            self.forced.set()

    async def within_limit(self, work: Awaitable[None], what: str) -> None:
        """Await work until it ends, a second signal or the stop's deadline; raise if cut short.

        Every phase of one stop shares the same STOP_TIMEOUT, so a service manager that
        waits a little longer than that never has to kill the process.
        """
        loop = asyncio.get_running_loop()
        if self._deadline is None:
            self._deadline = loop.time() + STOP_TIMEOUT
        task = asyncio.ensure_future(work)
        forced = asyncio.ensure_future(self.forced.wait())
        left = max(0.0, self._deadline - loop.time())
        try:
            await asyncio.wait({task, forced}, timeout=left, return_when=FIRST_COMPLETED)
        finally:
            forced.cancel()
        if task.done():
            task.result()
            return
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        why = "a second signal" if self.forced.is_set() else f"{STOP_TIMEOUT:.0f}s passed"
        raise StopCutShort(f"stopped at once ({why}) while {what}")


async def _wind_down(app: App) -> None:
    """After intake has stopped: let scheduled jobs end at their next message boundary.

    A closed pacer starts no new send, so a fan-out stops between two messages and leaves
    the rest unsent in the outbox. Once nothing is sending, this process gives those claims
    back, so the next start sends them at once; only a process that died costs the lease.
    """
    app.core.rt.pacer.close()
    await app.timers.idle()
    released = await app.core.rt.services.outbox.release_held()
    if released:
        log.info("released %d unsent outbox claims for the next start", released)
    await app.core.rt.services.outbox.presence.stop()


@asynccontextmanager
async def _ops_server(app: App) -> AsyncIterator[OpsServer | None]:
    settings = app.settings
    if settings.metrics_port is None:
        yield None
        return
    from bot.ops.server import OpsServer

    rt = app.core.rt
    server = OpsServer(rt.db, rt.metrics, rt.pacer, settings.metrics_host, settings.metrics_port)
    try:
        await server.start()
    except OSError as exc:
        raise StartupError(
            f"STUDYBOT_METRICS_PORT: cannot listen on {settings.metrics_host}:"
            f"{settings.metrics_port} ({exc.strerror or exc})"
        ) from None
    try:
        yield server
    finally:
        await server.stop()


def _console_stdin() -> StdinRelay | None:
    if os.name != "posix":
        return None  # the relay reads raw bytes from fd 0, which a Windows console is not
    try:
        sys.stdin.fileno()
    except (AttributeError, OSError, ValueError):
        return None  # no real descriptor (an embedding host); keep the console's own reading
    return StdinRelay()


async def run_console(settings: Settings) -> None:
    from adapters.console import ConsoleAdapter

    async with open_app(settings) as app:
        console = ConsoleAdapter(
            locale=settings.locale, port=app.core, pictures_dir=settings.data_dir / "pictures"
        )
        relay = _console_stdin()
        if relay is not None:
            console.stdin = relay
            console.interactive = relay.isatty()
        sink = InFlight(app.core.handle)
        # Ctrl+C (SIGINT) and a service manager's SIGTERM both stop the console gracefully
        # and at once, even while it waits for a line; a second one ends it there and then.
        # Installed before the welcome, so whoever sees the console up can stop it politely.
        stopper = Stopper((signal.SIGINT, signal.SIGTERM))
        stopper.install()
        try:
            app.core.attach(console)
            await console.start(sink)
            await start_core(app)
            async with _ops_server(app) as server:
                reader = asyncio.ensure_future(console.run())
                asked = asyncio.ensure_future(stopper.requested.wait())
                try:
                    await asyncio.wait({reader, asked}, return_when=FIRST_COMPLETED)
                    if reader.done():
                        reader.result()  # the end of input, /quit, or the console's error
                        return
                    if server is not None:
                        server.stopping = True
                    # Stop reading, then let the line in hand finish: its answer is
                    # committed and acknowledged before the console leaves.
                    await console.stop()
                    if relay is not None:
                        relay.close()
                    await stopper.within_limit(_finish_console(reader, sink), "finishing input")
                    await stopper.within_limit(_wind_down(app), "sending scheduled messages")
                    await console.say_goodbye()
                    log.info("stopped")
                finally:
                    asked.cancel()
                    reader.cancel()
        finally:
            stopper.remove()
            await console.stop()


async def _finish_console(reader: asyncio.Future[None], sink: InFlight) -> None:
    await asyncio.wait({reader})
    await sink.idle()


# Each platform module exposes create(settings, port) -> Adapter; imported only when its
# token is set, so a console user never loads Telegram or Discord code.
ADAPTER_FACTORIES = {
    "telegram": "adapters.telegram",
    "discord": "adapters.discord",
}


def _factory(platform: str) -> Callable[[Settings, CorePort], Adapter]:
    try:
        module = importlib.import_module(ADAPTER_FACTORIES[platform])
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.startswith("adapters"):
            raise StartupError(
                f"the {platform} adapter is not part of this version yet; "
                "unset its token to use the console"
            ) from None
        raise
    return module.create


async def run(settings: Settings) -> None:
    platforms = configured_platforms(settings)
    if not platforms:
        log.info("no platform token configured; starting the console")
        await run_console(settings)
        return
    factories = {p: _factory(p) for p in platforms}
    async with open_app(settings) as app:
        adapters = [factories[p](settings, app.core) for p in platforms]
        stopper = Stopper((signal.SIGINT, signal.SIGTERM))
        stopper.install()
        sink = InFlight(app.core.handle)
        started: list[Adapter] = []
        stopping = False
        try:
            async with _ops_server(app) as server:
                for adapter in adapters:
                    app.core.attach(adapter)
                    await adapter.start(sink)
                    started.append(adapter)
                    log.info("%s adapter started", adapter.name)
                await start_core(app)
                settle_heap()
                await stopper.requested.wait()
                stopping = True
                if server is not None:
                    server.stopping = True
                await stopper.within_limit(
                    _stop_adapters(started, sink), "finishing the updates in hand"
                )
                await stopper.within_limit(_wind_down(app), "sending scheduled messages")
                log.info("stopped")
        finally:
            stopper.remove()
            if not stopping:
                # A start that failed half-way: close the adapters that did start.
                for adapter in reversed(started):
                    with contextlib.suppress(Exception):
                        await adapter.stop()


async def _stop_adapters(adapters: list[Adapter], sink: InFlight) -> None:
    """Stop taking updates, then wait for every event already being handled."""
    for adapter in reversed(adapters):
        await adapter.stop()
        log.info("%s adapter stopped", adapter.name)
    await sink.idle()


async def discord_sync(settings: Settings, guild_id: int | None, *, clear: bool = False) -> None:
    if not settings.discord_token:
        raise StartupError("STUDYBOT_DISCORD_TOKEN is not set")
    try:
        sync = importlib.import_module("adapters.discord.sync")
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.startswith("adapters"):
            raise StartupError("the discord adapter is not part of this version yet") from None
        raise
    await sync.sync_commands(settings, guild_id, clear=clear)
