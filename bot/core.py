"""The core: owns storage, content and services, and answers every adapter's events."""

from __future__ import annotations

import logging
import random
import time
import uuid
from datetime import timedelta

from bot.adapter import Adapter
from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.content.loader import Library
from bot.context import Ctx
from bot.errors import DeliveryError
from bot.features.announcements import AnnouncementRunner
from bot.features.contests import ContestRunner
from bot.features.daily import DailyRunner
from bot.handlers import COMMANDS, answer_choice, answer_text, unknown_command
from bot.i18n import DEFAULT_LOCALE
from bot.ops.metrics import Metrics
from bot.pacer import Pacer
from bot.render import reveal_text
from bot.services.announcements import AnnouncementService
from bot.services.contests import ContestService
from bot.services.daily import DailyService
from bot.services.instructors import InstructorService
from bot.services.lookup import TermLookup
from bot.services.outbox import OutboxService
from bot.services.quiz import QuizService
from bot.services.registry import Registry
from bot.services.scores import ScoreService
from bot.storage.db import Database
from bot.timers import ManualTimers, Timers
from bot.types import (
    ChatRef,
    ChoiceSelected,
    CommandReceived,
    Content,
    Event,
    QuestionCard,
    SentRef,
    Text,
    TextReceived,
)

log = logging.getLogger(__name__)

MAX_INPUT = 1000
EVENT_KINDS = {CommandReceived: "command", TextReceived: "text", ChoiceSelected: "choice"}


class Core:
    def __init__(
        self,
        settings: Settings,
        db: Database,
        library: Library,
        *,
        clock: Clock | None = None,
        timers: Timers | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self.settings = settings
        self.db = db
        self.library = library
        self.clock = clock or SystemClock()
        self.timers: Timers = timers or ManualTimers()
        self.rng = rng or random.Random()
        self.instance = uuid.uuid4().hex[:12]
        self.metrics = Metrics()
        self.registry = Registry(db)
        self.quiz = QuizService(db, on_accepted=self.metrics.answer_recorded)
        self.scores = ScoreService(db)
        self.lookup = TermLookup(library)
        self.instructors = InstructorService(db)
        self.outbox = OutboxService(db, self.instance)
        self.daily = DailyService(db)
        self.announcements = AnnouncementService(db)
        self.contests = ContestService(db)
        self.adapters: dict[str, Adapter] = {}
        self.pacer = Pacer(self.send, self.clock, self.chat_gone)
        self.daily_runner = DailyRunner(self)
        self.announcement_runner = AnnouncementRunner(self)
        self.contest_runner = ContestRunner(self)

    def attach(self, adapter: Adapter) -> None:
        self.adapters[adapter.name] = adapter

    async def start(self) -> None:
        """Pick up where a previous process stopped: reveals, contests, daily posts, notices."""
        await self.close_due()
        for post in await self.quiz.open_posts():
            if post.closes_at is not None and post.kind != "contest":
                self.arm_close(post.post_id, post.closes_at)
        await self.contest_runner.start()
        await self.daily_runner.start()
        await self.announcement_runner.start()

    async def sweep(self) -> None:
        """The periodic safety net: anything due that a lost timer or a dead process left."""
        await self.close_due()
        await self.daily_runner.recover()
        await self.announcement_runner.deliver_due()

    def arm_close(self, post_id: int, when: object) -> None:
        async def job() -> None:
            await self.close_post(post_id)

        self.timers.at(when, f"close-post-{post_id}", job)  # type: ignore[arg-type]

    async def locale_for(self, chat_id: int) -> str:
        return self.registry.chat_locale(chat_id) or self.settings.locale or DEFAULT_LOCALE

    async def context(self, event: Event) -> Ctx:
        now = self.clock.now()
        chat_id = await self.registry.chat_id(event.chat, now)
        user_id = await self.registry.user_id(event.user)
        return Ctx(self, event, chat_id, user_id, await self.locale_for(chat_id), now)

    async def handle(self, event: Event) -> list[Content]:
        """The sink every adapter calls; returns the replies to render in order."""
        started = time.perf_counter()
        failed = False
        try:
            return await self._handle(event)
        except Exception:
            failed = True
            log.exception("handling %s in %s failed", type(event).__name__, event.chat.chat_id)
            locale = self.settings.locale
            from bot.i18n import t

            return [Text(t(locale, "error"), ephemeral=True)]
        finally:
            kind = EVENT_KINDS.get(type(event), "other")
            elapsed = time.perf_counter() - started
            self.metrics.handled(event.chat.platform, kind, elapsed, failed=failed)

    async def _handle(self, event: Event) -> list[Content]:
        if isinstance(event, CommandReceived):
            if len(event.args) > MAX_INPUT:
                ctx = await self.context(event)
                return [Text(ctx.t("too_long", max=MAX_INPUT), ephemeral=True)]
            handler = COMMANDS.get(event.name)
            ctx = await self.context(event)
            if handler is None:
                return unknown_command(ctx, event.name)
            return await handler(ctx, event.args)
        if isinstance(event, ChoiceSelected):
            return await answer_choice(await self.context(event), event.post_id, event.option)
        if isinstance(event, TextReceived):
            return await answer_text(self, event)
        return []

    async def send(self, chat: ChatRef, content: Content) -> SentRef | None:
        adapter = self.adapters.get(chat.platform)
        if adapter is None:
            log.warning(
                "no adapter for platform %s; message to %s dropped", chat.platform, chat.chat_id
            )
            return None
        return await adapter.send(chat, content)

    async def close_post(self, post_id: int) -> bool:
        now = self.clock.now()
        reveal = await self.quiz.close(post_id, now)
        if reveal is None:
            return False
        self.timers.cancel(f"close-post-{post_id}")
        await self.stop_answers(reveal.chat, reveal.message_ref, reveal.native_ref)
        locale = await self.locale_for(reveal.chat_id)
        await self.pacer.send(reveal.chat, Text(reveal_text(self, reveal, locale)))
        return True

    async def stop_answers(
        self, chat: ChatRef, message_ref: str | None, native: str | None
    ) -> None:
        """Close the question on the platform too (a Telegram poll), where the adapter can."""
        adapter = self.adapters.get(chat.platform)
        close = getattr(adapter, "close_question", None)
        if close is None or not message_ref:
            return
        try:
            await close(SentRef(chat, message_ref, native))
        except DeliveryError as exc:
            log.warning("could not close question %s in %s: %s", message_ref, chat.chat_id, exc)

    async def close_due(self) -> int:
        closed = 0
        for post_id, kind in await self.quiz.due_posts(self.clock.now()):
            if kind == "contest":
                continue  # the contest runner closes its own questions and moves on
            closed += await self.close_post(post_id)
        return closed

    async def post_question(self, chat: ChatRef, card: QuestionCard) -> SentRef | None:
        """Send a question card and remember how answers will refer to it."""
        sent = await self.send(chat, card)
        if sent is not None:
            await self.quiz.set_message_ref(card.post_id, sent.message_id, sent.native_id)
            log.debug(
                "question sent chat=%s:%s post=%d message=%s",
                chat.platform,
                chat.chat_id,
                card.post_id,
                sent.message_id,
            )
        return sent

    async def resolve_native(self, platform: str, native_id: str) -> tuple[int, ChatRef] | None:
        """Map a platform object (a Telegram poll) back to its post and chat."""
        return await self.quiz.post_for_native(platform, native_id)

    async def migrate_chat(self, chat: ChatRef, new_chat_id: str) -> None:
        """A chat changed its id (a Telegram group became a supergroup): keep its history."""
        await self.registry.migrate(chat, new_chat_id)

    async def chat_gone(self, chat: ChatRef, reason: str) -> None:
        """The bot can no longer post there: stop every scheduled delivery to it."""
        log.info("chat %s:%s is gone (%s); unsubscribing", chat.platform, chat.chat_id, reason)
        chat_id = await self.registry.mark_gone(chat, self.clock.now())
        if chat_id is not None:
            await self.daily.disable(chat_id, self.clock.now())
            self.daily_runner.disarm(chat_id)

    def quiz_window(self) -> timedelta:
        return timedelta(seconds=self.settings.quiz_open_seconds)
