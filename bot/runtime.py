"""What runners and handlers work with: the services and the machinery around them.

Built once by the composition root (bot/wiring.py); nothing here knows about handlers,
runners or the Core that routes events.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta

from bot.clock import Clock
from bot.config import Settings
from bot.content.loader import Library
from bot.ops.metrics import Metrics
from bot.pacer import Pacer
from bot.places import Places
from bot.platforms import Platforms
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
from bot.timers import Timers


@dataclass(frozen=True, slots=True)
class Services:
    """The storage-backed services; each owns its tables' SQL."""

    registry: Registry
    quiz: QuizService
    scores: ScoreService
    lookup: TermLookup
    instructors: InstructorService
    outbox: OutboxService
    daily: DailyService
    announcements: AnnouncementService
    contests: ContestService
    review: ReviewService
    question_stats: QuestionStatsService
    progress: ProgressService
    bank: QuestionBank  # the bundled questions and each chat's own
    suggestions: SuggestionService
    exams: ExamService
    reports: ReportService  # 오류신고 and /fix of a chat's own questions
    rescore: RescoreService


@dataclass(frozen=True, slots=True)
class Runtime:
    settings: Settings
    db: Database
    library: Library
    services: Services
    places: Places
    platforms: Platforms
    pacer: Pacer
    clock: Clock
    timers: Timers
    rng: random.Random
    metrics: Metrics
    # Which process claimed a delivery, so a dead one's claims can be told apart.
    instance: str

    def quiz_window(self) -> timedelta:
        return timedelta(seconds=self.settings.quiz_open_seconds)
