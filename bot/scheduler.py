"""APScheduler 3.11 behind the Timers protocol, with the job defaults the design asks for."""

from __future__ import annotations

import logging
from datetime import datetime
from zoneinfo import ZoneInfo

from apscheduler.jobstores.base import JobLookupError
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.timers import Job

log = logging.getLogger(__name__)

JOB_DEFAULTS = {
    # The default grace of one second silently drops a job that starts a little late.
    "misfire_grace_time": 3600,
    "coalesce": True,
    "max_instances": 1,
}


class SchedulerTimers:
    def __init__(self, tz: ZoneInfo) -> None:
        self.scheduler = AsyncIOScheduler(timezone=tz, job_defaults=JOB_DEFAULTS)

    def start(self) -> None:
        self.scheduler.start()

    def shutdown(self) -> None:
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)

    def at(self, when: datetime, key: str, job: Job) -> None:
        self.scheduler.add_job(job, "date", run_date=when, id=key, replace_existing=True)

    def every(self, seconds: float, key: str, job: Job) -> None:
        self.scheduler.add_job(job, "interval", seconds=seconds, id=key, replace_existing=True)

    def cancel(self, key: str) -> None:
        try:
            self.scheduler.remove_job(key)
        except JobLookupError:
            log.debug("timer %s was already gone", key)
