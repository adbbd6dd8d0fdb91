"""The core: routes every adapter's events to the handlers and answers what adapters ask.

It is built by the composition root (bot/wiring.py), which hands it the runtime, the
runners and the command table; it imports none of them itself.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TypeVar

from sqlalchemy.exc import OperationalError

from bot.adapter import Adapter, Failure
from bot.context import Ctx, Runners
from bot.handlers.permissions import is_instructor, refuse
from bot.i18n import t
from bot.ops.diskfull import DiskFullLog, disk_full
from bot.places import Place
from bot.render import term_text
from bot.routes import Routes
from bot.runtime import Runtime
from bot.types import (
    ChatRef,
    ChoiceSelected,
    CommandReceived,
    Content,
    Event,
    FileReceived,
    QuestionForm,
    QuestionSubmitted,
    TermEntry,
    Text,
    TextReceived,
    UserRef,
)

log = logging.getLogger(__name__)
T = TypeVar("T")

MAX_INPUT = 1000
LONG_INPUT = 3000  # a whole question typed in one message (bot.content.draft.TEXT_MAX)
EVENT_KINDS = {
    CommandReceived: "command",
    TextReceived: "text",
    ChoiceSelected: "choice",
    QuestionSubmitted: "form",
    FileReceived: "file",
}
# Seconds between tries of an answer whose write waited past SQLite's busy timeout (another
# process held the database). An answer is safe to try again: it is stored once per user.
LOCKED_RETRIES = (0.5, 1.0, 2.0)


def is_locked(exc: BaseException) -> bool:
    return isinstance(exc, OperationalError) and "database is locked" in str(exc)


class Core:
    """Implements the adapters' port (bot.adapter.CorePort) and the sink they call."""

    def __init__(self, rt: Runtime, runners: Runners, routes: Routes) -> None:
        self.rt = rt
        self.runners = runners
        self.routes = routes
        self._disk_full = DiskFullLog(log)

    def attach(self, adapter: Adapter) -> None:
        self.rt.platforms.attach(adapter)

    async def start(self) -> None:
        """Pick up where a previous process stopped: reveals, contests, daily posts, notices."""
        await self.runners.quiz.start()
        await self.runners.contests.start()
        await self.runners.daily.start()
        await self.runners.announcements.start()
        await self.runners.review.start()
        await self.runners.exams.start()
        await self.runners.rescore.start()
        await self.rt.services.quiz.backlog.sweep()  # reviews a stopped process left

    async def sweep(self) -> None:
        """The periodic safety net: anything due that a lost timer or a dead process left."""
        await self.runners.quiz.sweep()
        await self.runners.contests.sweep()
        await self.runners.daily.sweep()
        await self.runners.announcements.sweep()
        await self.runners.review.sweep()
        await self.runners.exams.sweep()
        await self.runners.rescore.sweep()
        await self.rt.services.quiz.backlog.sweep()
        await self.rt.services.outbox.presence.check()

    async def context(self, event: Event) -> Ctx:
        now = self.rt.clock.now()
        registry = self.rt.services.registry
        chat_id = await registry.chat_id(event.chat, now)
        user_id = await registry.user_id(event.user)
        place = await self.rt.places.of(chat_id)
        return Ctx(self.rt, self.runners, event, chat_id, user_id, place, now)

    async def handle(self, event: Event) -> list[Content]:
        """The sink every adapter calls; returns the replies to render in order."""
        started = time.perf_counter()
        failed = False
        try:
            return await self._handle_retrying(event)
        except Exception as exc:
            failed = True
            full = disk_full(exc)
            if full is not None:
                self._disk_full.report(full)  # one line a minute, not a traceback per answer
            else:
                log.exception("handling %s in %s failed", type(event).__name__, event.chat.chat_id)
            return [Failure(t(self.rt.settings.locale, "error"), ephemeral=True)]
        finally:
            kind = EVENT_KINDS.get(type(event), "other")
            elapsed = time.perf_counter() - started
            self.rt.metrics.handled(event.chat.platform, kind, elapsed, failed=failed)

    async def _handle_retrying(self, event: Event) -> list[Content]:
        """An answer that met a locked database is tried again, a few times."""
        retries = LOCKED_RETRIES if not isinstance(event, CommandReceived) else ()
        for delay in retries:
            try:
                return await self._handle(event)
            except OperationalError as exc:
                if not is_locked(exc):
                    raise
                log.warning("the database is locked; answer in %s retried", event.chat.chat_id)
                await asyncio.sleep(delay)  # real time: another process holds the file
        return await self._handle(event)

    async def _handle(self, event: Event) -> list[Content]:
        routes = self.routes
        if isinstance(event, CommandReceived):
            ctx = await self.context(event)
            limit = LONG_INPUT if event.name in routes.long_input else MAX_INPUT
            if len(event.args) > limit:
                return [Text(ctx.t("too_long", max=limit), ephemeral=True)]
            handler = routes.commands.get(event.name)
            if handler is None:
                return routes.unknown(ctx, event.name)
            return await handler(ctx, event.args)
        if isinstance(event, ChoiceSelected):
            return await routes.choice(await self.context(event), event.post_id, event.option)
        if isinstance(event, QuestionSubmitted):
            if routes.submitted is None:
                return []
            return await routes.submitted(await self.context(event), event.form)
        if isinstance(event, FileReceived):
            if routes.file is None:
                return []
            return await routes.file(await self.context(event), event)
        if isinstance(event, TextReceived):
            if not event.chat.is_group and routes.converse is not None:
                # A private chat may be in the middle of a conversation (a question's 해설).
                said = await routes.converse(await self.context(event), event.text)
                if said is not None:
                    return said
            option = routes.read_answer(event.text)
            if option is None:
                return []  # chatter: no database work for it
            return await routes.text_answer(await self.context(event), option)
        return []

    # ------------------------------------------------------------ the adapters' port

    def now(self) -> datetime:
        return self.rt.clock.now()

    async def paced(self, chat: ChatRef, attempt: Callable[[], Awaitable[T]]) -> T | None:
        return await self.rt.pacer.run(chat, attempt)

    async def place(self, chat: ChatRef) -> Place:
        chat_id = await self.rt.services.registry.chat_id(chat, self.rt.clock.now())
        return await self.rt.places.of(chat_id)

    async def announce_refusal(
        self, chat: ChatRef, user: UserRef, is_admin: bool, command_style: str | None = None
    ) -> Text | None:
        event = CommandReceived(
            chat, user, "announce", "", is_admin=is_admin, command_style=command_style
        )
        ctx = await self.context(event)
        if await is_instructor(ctx):
            return None
        refusal = refuse(ctx, "action_announce")[0]
        assert isinstance(refusal, Text)
        return refusal

    async def question_form(
        self,
        chat: ChatRef,
        user: UserRef,
        is_admin: bool,
        purpose: str,
        number: int | None = None,
        command_style: str | None = None,
    ) -> QuestionForm | Text:
        event = QuestionSubmitted(
            chat, user, QuestionForm(purpose, number=number), is_admin, command_style
        )
        if self.routes.form is None:
            return Text(t(self.rt.settings.locale, "error"), ephemeral=True)
        return await self.routes.form(await self.context(event), purpose, number)

    async def answer_count(self, post_id: int) -> int:
        return await self.rt.services.quiz.answer_count(post_id)

    def complete_terms(self, query: str, limit: int, locale: str) -> list[TermEntry]:
        library = self.rt.library
        return [
            TermEntry(
                id=term.id,
                name=term.name,
                name_en=term.name_en,
                definition=term.definition,
                text=term_text(library, term, locale),
            )
            for term in self.rt.services.lookup.complete(query, limit)
        ]

    async def resolve_native(self, platform: str, native_id: str) -> tuple[int, ChatRef] | None:
        return await self.rt.services.quiz.post_for_native(platform, native_id)

    async def migrate_chat(self, chat: ChatRef, new_chat_id: str) -> None:
        await self.rt.services.registry.migrate(chat, new_chat_id)

    async def chat_gone(self, chat: ChatRef, reason: str) -> None:
        log.info("chat %s:%s is gone (%s); unsubscribing", chat.platform, chat.chat_id, reason)
        chat_id = await self.rt.services.registry.mark_gone(chat, self.rt.clock.now())
        if chat_id is not None:
            await self.runners.daily.unsubscribe(chat_id)
