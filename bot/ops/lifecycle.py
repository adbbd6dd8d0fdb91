"""Pieces of a graceful stop: events in hand, scheduled jobs in flight, a stdin that lets go."""

from __future__ import annotations

import asyncio
import logging
import os
import queue
import sys
import threading
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.adapter import Sink
from bot.pacer import PacerClosed
from bot.scheduler import SchedulerTimers
from bot.timers import Job
from bot.types import Content, Event

log = logging.getLogger(__name__)


class InFlight:
    """The sink handed to adapters: the core's handler, counting the calls still running.

    A stop waits on idle() so an answer that is being recorded when SIGTERM arrives is
    committed and acknowledged rather than cut off.
    """

    def __init__(self, sink: Sink) -> None:
        self._sink = sink
        self.running = 0
        self._idle = asyncio.Event()
        self._idle.set()

    async def __call__(self, event: Event) -> list[Content]:
        self.running += 1
        self._idle.clear()
        try:
            return await self._sink(event)
        finally:
            self.running -= 1
            if self.running == 0:
                self._idle.set()

    async def idle(self) -> None:
        await self._idle.wait()


class TrackedTimers(SchedulerTimers):
    """APScheduler timers whose running jobs a stop can wait for.

    A job that meets the closed pacer ends quietly: its outbox claim is still unsent, so the
    next process (or this one's sweep, had it lived) takes it over.
    """

    def __init__(self, tz: ZoneInfo) -> None:
        super().__init__(tz)
        self.running: set[asyncio.Task[Any]] = set()

    def _tracked(self, key: str, job: Job) -> Callable[[], Awaitable[None]]:
        async def run() -> None:
            task = asyncio.current_task()
            assert task is not None
            self.running.add(task)
            try:
                await job()
            except PacerClosed:
                log.info("job %s stopped for shutdown; it resumes on the next start", key)
            except asyncio.CancelledError:
                # The stop ran out of time (or was asked twice) and the scheduler cancels
                # what is left: an expected end, not an error for APScheduler to log with
                # a traceback per job. The job's outbox claim is picked up on the next start.
                log.info("job %s cancelled for shutdown; it resumes on the next start", key)
            finally:
                self.running.discard(task)

        return run

    def at(self, when: datetime, key: str, job: Job) -> None:
        super().at(when, key, self._tracked(key, job))

    def every(self, seconds: float, key: str, job: Job) -> None:
        super().every(seconds, key, self._tracked(key, job))

    async def idle(self) -> None:
        while self.running:
            await asyncio.wait(set(self.running))


class StdinRelay:
    """Lines from standard input, read by a daemon thread straight from the descriptor.

    The console reads stdin on a worker thread; a thread blocked in readline() cannot be
    interrupted, and the interpreter waits for it at exit, so a SIGTERM to an idle console
    would hang until someone typed. Here the blocking read happens on a daemon thread with
    no Python file object (whose lock would abort the interpreter at exit), and close()
    hands the console an end of input at once.
    """

    def __init__(self, fd: int | None = None, encoding: str | None = None) -> None:
        self._fd = sys.stdin.fileno() if fd is None else fd
        self._encoding = encoding or sys.stdin.encoding or "utf-8"
        self._lines: queue.SimpleQueue[str] = queue.SimpleQueue()
        self._closed = False
        self._thread = threading.Thread(target=self._pump, name="studybot-stdin", daemon=True)
        self._thread.start()

    def _pump(self) -> None:
        pending = b""
        while True:
            try:
                chunk = os.read(self._fd, 65536)
            except OSError:
                chunk = b""
            if not chunk:
                break
            pending += chunk
            *lines, pending = pending.split(b"\n")
            for line in lines:
                self._lines.put(line.decode(self._encoding, errors="replace") + "\n")
        if pending:
            self._lines.put(pending.decode(self._encoding, errors="replace"))
        self._lines.put("")

    def readline(self) -> str:
        if self._closed:
            return ""
        line = self._lines.get()
        if line == "" or self._closed:
            # A line that raced with close() was never acknowledged; dropping it loses nothing.
            self._closed = True
            return ""
        return line

    def isatty(self) -> bool:
        return os.isatty(self._fd)

    def close(self) -> None:
        """End of input for the reader, now, whatever the terminal or pipe still holds."""
        self._closed = True
        self._lines.put("")
