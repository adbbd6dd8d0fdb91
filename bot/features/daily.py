"""The daily question: one post per subscribed chat and local date, however often we restart."""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.content.loader import Library
from bot.content.schema import Question
from bot.errors import TransientError
from bot.render import question_card
from bot.services.daily import Subscription
from bot.types import ChatRef

if TYPE_CHECKING:
    from bot.core import Core

log = logging.getLogger(__name__)

# A slot missed by more than this (the bot was down) is skipped rather than posted late.
GRACE = timedelta(hours=1)


def question_pool(library: Library, topics: tuple[str, ...]) -> list[Question]:
    wanted = set(topics)
    return [q for q in library.questions.values() if not wanted or wanted & set(q.topics)]


def daily_picker(
    library: Library, topics: tuple[str, ...], rng: random.Random
) -> Callable[[dict[str, int]], Question | None]:
    """No repeats in a chat until its pool is used up; 기출 first within each round."""

    def pick(used: dict[str, int]) -> Question | None:
        pool = question_pool(library, topics)
        if not pool:
            return None
        least = min(used.get(q.id, 0) for q in pool)
        fresh = [q for q in pool if used.get(q.id, 0) == least]
        past = [q for q in fresh if q.past_exam]
        return rng.choice(past or fresh)

    return pick


class DailyRunner:
    def __init__(self, core: Core) -> None:
        self.core = core

    def tz(self, sub: Subscription) -> ZoneInfo:
        return ZoneInfo(sub.timezone) if sub.timezone else self.core.settings.tz

    def slot(self, sub: Subscription, local_date: date) -> datetime:
        return datetime.combine(local_date, sub.at_time, self.tz(sub)).astimezone(UTC)

    def closes_at(self, sub: Subscription, opened: datetime) -> datetime:
        """The first close time after the post opens, in the chat's zone."""
        local = opened.astimezone(self.tz(sub))
        close = datetime.combine(local.date(), sub.close_time, self.tz(sub))
        if close <= local:
            close += timedelta(days=1)
        return close.astimezone(UTC)

    def next_slot(self, sub: Subscription, now: datetime) -> tuple[date, datetime]:
        today = now.astimezone(self.tz(sub)).date()
        for local_date in (today, today + timedelta(days=1)):
            slot = self.slot(sub, local_date)
            if slot > now:
                return local_date, slot
        return today + timedelta(days=2), self.slot(sub, today + timedelta(days=2))

    def arm(self, sub: Subscription, chat: ChatRef) -> None:
        local_date, slot = self.next_slot(sub, self.core.clock.now())

        async def job() -> None:
            await self.deliver(sub.chat_id, chat, local_date, slot)
            fresh = await self.core.daily.get(sub.chat_id)
            if fresh.enabled:
                self.arm(fresh, chat)

        self.core.timers.at(slot, f"daily-{sub.chat_id}", job)

    def disarm(self, chat_id: int) -> None:
        self.core.timers.cancel(f"daily-{chat_id}")

    async def start(self) -> None:
        """Finish interrupted deliveries, post what fell due within the grace, arm the rest."""
        await self.recover()
        now = self.core.clock.now()
        for sub, chat in await self.core.daily.active():
            today = now.astimezone(self.tz(sub)).date()
            for local_date in (today - timedelta(days=1), today):
                slot = self.slot(sub, local_date)
                if slot <= now <= slot + GRACE:
                    await self.deliver(sub.chat_id, chat, local_date, slot)
            self.arm(sub, chat)

    async def deliver(self, chat_id: int, chat: ChatRef, local_date: date, slot: datetime) -> bool:
        core = self.core
        now = core.clock.now()
        if now > slot + GRACE:
            log.warning("daily %s for chat %s missed its grace; skipped", local_date, chat_id)
            return False
        sub = await core.daily.get(chat_id)
        if not sub.enabled:
            return False
        delivery = await core.daily.claim(
            chat_id=chat_id,
            local_date=local_date,
            due_at=slot,
            closes_at=self.closes_at(sub, now),
            now=now,
            instance=core.instance,
            pick=daily_picker(core.library, sub.topics, core.rng),
        )
        if delivery is None:
            return False
        return await self._send(delivery.claim_id, delivery.post_id, delivery.question, chat, slot)

    async def _send(
        self, claim_id: int, post_id: int, question: Question, chat: ChatRef, slot: datetime
    ) -> bool:
        core = self.core
        post = await core.quiz.post_info(post_id)
        if post is None:
            return False
        chat_id, closes_at = post
        locale = await core.locale_for(chat_id)
        when = closes_at.astimezone(core.settings.tz).strftime("%H:%M") if closes_at else "-"
        card = question_card(question, post_id, closes_at, locale, when, kind="daily")
        try:
            sent = await core.pacer.send(chat, card)
        except TransientError as exc:
            await core.outbox.mark_failed(claim_id, str(exc))
            return False
        now = core.clock.now()
        if sent is None:  # the chat is gone; the pacer has unsubscribed it
            await core.outbox.cancel(claim_id, now, "chat gone")
            await core.quiz.close(post_id, now)
            return False
        await core.quiz.set_message_ref(post_id, sent.message_id, sent.native_id)
        await core.outbox.mark_sent(claim_id, now)
        lag = (now - slot).total_seconds()
        core.metrics.daily_sent(lag)
        log.info(
            "daily sent chat=%s:%s post=%d message=%s lag_s=%.1f",
            chat.platform,
            chat.chat_id,
            post_id,
            sent.message_id,
            lag,
        )
        if closes_at is not None:
            core.arm_close(post_id, closes_at)
        return True

    async def recover(self) -> None:
        """Re-send deliveries whose process died between claiming and sending."""
        core = self.core
        now = core.clock.now()
        for claim in await core.outbox.claim_due(now, "daily"):
            if claim.post_id is None:
                continue
            question_id = await core.quiz.question_of(claim.post_id)
            question = core.library.questions.get(question_id or "")
            chat = await core.registry.chat_ref(claim.chat_id)
            if now > claim.due_at + GRACE or question is None or chat is None:
                await core.outbox.cancel(claim.id, now, "missed")
                await core.quiz.close(claim.post_id, now)
                continue
            await self._send(claim.id, claim.post_id, question, chat, claim.due_at)
