"""The composition root: builds services, runners and the command table, and wires them.

Only this module (and bot/app.py above it) knows every part; each part is handed just the
runtime it works with.
"""

from __future__ import annotations

import random
import uuid
from datetime import timedelta

from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.content.loader import Library
from bot.context import Runners
from bot.core import Core
from bot.features.announcements import AnnouncementRunner
from bot.features.contests import ContestRunner
from bot.features.daily import DailyRunner
from bot.features.exams import ExamRunner
from bot.features.quiz import QuizRunner
from bot.features.rescore import RescoreRunner
from bot.features.review import ReviewRunner
from bot.handlers import ROUTES
from bot.i18n import DEFAULT_LOCALE
from bot.ops.metrics import Metrics
from bot.pacer import Pacer
from bot.places import Places
from bot.platforms import Platforms
from bot.ratebudget import SharedBudget
from bot.runtime import Runtime, Services
from bot.services.announcements import AnnouncementService
from bot.services.bank import QuestionBank
from bot.services.contests import ContestService
from bot.services.daily import DailyService
from bot.services.exams import ExamService
from bot.services.instructors import InstructorService
from bot.services.lookup import TermLookup
from bot.services.outbox import OutboxService
from bot.services.progress import ProgressService
from bot.services.question_stats import QuestionStatsService
from bot.services.quiz import QuizService
from bot.services.registry import Registry
from bot.services.reports import ReportService
from bot.services.rescore import RescoreService
from bot.services.review import ReviewService
from bot.services.scores import ScoreService
from bot.services.suggestions import SuggestionService
from bot.storage.db import Database
from bot.timers import ManualTimers, Timers
from bot.types import ChatRef


def build_services(
    settings: Settings, db: Database, library: Library, metrics: Metrics, instance: str
) -> Services:
    bank = QuestionBank(db, library)
    return Services(
        registry=Registry(db),
        # The zone that buckets a chat's board totals when the chat has none of its own.
        quiz=QuizService(db, on_accepted=metrics.answer_recorded, zone=settings.timezone),
        scores=ScoreService(db),
        lookup=TermLookup(library),
        instructors=InstructorService(db),
        outbox=OutboxService(
            db,
            instance,
            on_ambiguous=metrics.outbox_ambiguous_seen,
            lease=timedelta(seconds=settings.outbox_lease_seconds),
        ),
        daily=DailyService(db),
        announcements=AnnouncementService(db),
        contests=ContestService(db),
        review=ReviewService(db),
        question_stats=QuestionStatsService(db),
        progress=ProgressService(db),
        bank=bank,
        suggestions=SuggestionService(bank),
        exams=ExamService(db),
        reports=ReportService(db),
        rescore=RescoreService(db, zone=settings.timezone),
    )


def shared_budget(db: Database, clock: Clock) -> SharedBudget | None:
    """Replicas on PostgreSQL share one send budget per platform; SQLite has one process.

    The shared budget keeps the database's time, so it is only for the real clock (tests
    that drive a fake clock pace in memory, on either engine).
    """
    if db.is_sqlite or not isinstance(clock, SystemClock):
        return None
    return SharedBudget(db)


def build_core(
    settings: Settings,
    db: Database,
    library: Library,
    *,
    clock: Clock | None = None,
    timers: Timers | None = None,
    rng: random.Random | None = None,
) -> Core:
    clock = clock or SystemClock()
    metrics = Metrics()
    instance = uuid.uuid4().hex[:12]
    services = build_services(settings, db, library, metrics, instance)
    platforms = Platforms()
    core: Core | None = None

    async def gone(chat: ChatRef, reason: str) -> None:
        # The pacer learns of a gone chat before the core exists to be told; bound late.
        if core is not None:
            await core.chat_gone(chat, reason)

    rt = Runtime(
        settings=settings,
        db=db,
        library=library,
        services=services,
        places=Places(services.registry, settings.locale or DEFAULT_LOCALE, settings.tz),
        platforms=platforms,
        pacer=Pacer(platforms.send, clock, gone, budget=shared_budget(db, clock)),
        clock=clock,
        timers=timers or ManualTimers(),
        rng=rng or random.Random(),
        metrics=metrics,
        instance=instance,
    )
    quiz = QuizRunner(rt)
    runners = Runners(
        quiz=quiz,
        daily=DailyRunner(rt, quiz),
        announcements=AnnouncementRunner(rt),
        contests=ContestRunner(rt, quiz),
        review=ReviewRunner(rt, quiz),
        exams=ExamRunner(rt, quiz),
        rescore=RescoreRunner(rt),
    )
    core = Core(rt, runners, ROUTES)
    return core
