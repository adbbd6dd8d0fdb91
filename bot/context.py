"""What a handler knows about the event it is answering, and what it may drive."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.commands import spell, style_for
from bot.features.announcements import AnnouncementRunner
from bot.features.contests import ContestRunner
from bot.features.daily import DailyRunner
from bot.features.exams import ExamRunner
from bot.features.quiz import QuizRunner
from bot.features.rescore import RescoreRunner
from bot.features.review import ReviewRunner
from bot.i18n import t
from bot.places import Place
from bot.runtime import Runtime, Services
from bot.types import ChatRef, Event, UserRef


@dataclass(frozen=True, slots=True)
class Runners:
    """The features that run on timers; handlers start and stop their work."""

    quiz: QuizRunner
    daily: DailyRunner
    announcements: AnnouncementRunner
    contests: ContestRunner
    review: ReviewRunner
    exams: ExamRunner
    rescore: RescoreRunner  # re-score jobs, and the notices of reports and re-scores


@dataclass(frozen=True, slots=True)
class Ctx:
    rt: Runtime
    runners: Runners
    event: Event
    chat_id: int
    user_id: int
    place: Place
    now: datetime

    @property
    def services(self) -> Services:
        return self.rt.services

    @property
    def chat(self) -> ChatRef:
        return self.event.chat

    @property
    def user(self) -> UserRef:
        return self.event.user

    @property
    def locale(self) -> str:
        return self.place.locale

    @property
    def zone(self) -> ZoneInfo:
        return self.place.zone

    @property
    def command_style(self) -> str:
        """How this user's client spells commands: the event says, else the chat's language."""
        style = getattr(self.event, "command_style", None)
        return style or style_for(self.locale)

    def cmd(self, command: str) -> str:
        """'/강사 추가' or '/instructor add': a command as the user's client shows it."""
        return spell(command, self.command_style)

    def t(self, key: str, **values: object) -> str:
        return t(self.locale, key, style=self.command_style, **values)

    def local_time(self, when: datetime) -> str:
        """A time as the chat's own clock shows it."""
        return self.place.hhmm(when)
