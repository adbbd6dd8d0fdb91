"""One-shot timers keyed by a stable id: APScheduler in production, a manual one in tests."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Protocol

Job = Callable[[], Awaitable[None]]


class Timers(Protocol):
    def at(self, when: datetime, key: str, job: Job) -> None:
        """Run job at when; a later call with the same key replaces the earlier one."""

    def cancel(self, key: str) -> None: ...


class ManualTimers:
    """Holds jobs until a test (or a fake clock) says time has come; nothing sleeps."""

    def __init__(self) -> None:
        self.jobs: dict[str, tuple[datetime, Job]] = {}

    def at(self, when: datetime, key: str, job: Job) -> None:
        self.jobs[key] = (when, job)

    def cancel(self, key: str) -> None:
        self.jobs.pop(key, None)

    async def run_due(self, now: datetime) -> int:
        due = sorted((when, key) for key, (when, _) in self.jobs.items() if when <= now)
        for _, key in due:
            _, job = self.jobs.pop(key)
            await job()
        return len(due)


def arm(
    timers: Timers, when: datetime, key: str, fn: Callable[..., Awaitable[object]], *args: object
) -> None:
    """Run fn(*args) at when under key; its result is not wanted, only that it ran."""

    async def job() -> None:
        await fn(*args)

    timers.at(when, key, job)
