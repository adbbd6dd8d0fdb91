"""The daily question: one post per subscribed chat and local date, however often we restart."""

from __future__ import annotations

import logging
import random
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.content.loader import Library
from bot.content.schema import Question
from bot.features.delivery import Outcome, send_claimed
from bot.features.quiz import QuizRunner
from bot.render import question_card
from bot.runtime import Runtime
from bot.services.daily import Subscription, daily_key
from bot.timers import arm
from bot.types import ChatRef

log = logging.getLogger(__name__)

# A slot missed by more than this (the bot was down) is skipped rather than posted late.
GRACE = timedelta(hours=1)


def timer_key(chat_id: int) -> str:
    return f"daily-{chat_id}"


def question_pool(library: Library, topics: tuple[str, ...]) -> list[Question]:
    if not topics:
        return list(library.questions.values())
    return [q for q in library.questions.values() if any(library.in_scope(q, t) for t in topics)]


def own_pool(questions: Sequence[Question], topics: tuple[str, ...]) -> list[Question]:
    """A chat's own questions (bot.services.bank) on the chat's topics."""
    wanted = set(topics)
    return [q for q in questions if not wanted or wanted & set(q.topics)]


def daily_picker(
    library: Library,
    topics: tuple[str, ...],
    rng: random.Random,
    own: Sequence[Question] = (),
) -> Callable[[dict[str, int]], Question | None]:
    """No repeats in a chat until its pool is used up; 기출 first within each round.

    own: the chat's own live questions, drawn on beside the bundled ones."""

    def pick(used: dict[str, int]) -> Question | None:
        pool = question_pool(library, topics) + own_pool(own, topics)
        if not pool:
            return None
        least = min(used.get(q.id, 0) for q in pool)
        fresh = [q for q in pool if used.get(q.id, 0) == least]
        past = [q for q in fresh if q.past_exam]
        return rng.choice(past or fresh)

    return pick


class DailyRunner:
    def __init__(self, rt: Runtime, quiz: QuizRunner) -> None:
        self.rt = rt
        self.quiz = quiz
        # The slot this process's timer waits for, per chat: the sweep compares it with the
        # stored subscription, so a change made through another replica reaches this one.
        self.armed: dict[int, datetime] = {}

    def tz(self, sub: Subscription) -> ZoneInfo:
        return self.rt.places.zone_named(sub.timezone)

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
        local_date, slot = self.next_slot(sub, self.rt.clock.now())
        self.armed[sub.chat_id] = slot
        arm(
            self.rt.timers,
            slot,
            timer_key(sub.chat_id),
            self._slot_due,
            sub,
            chat,
            local_date,
            slot,
        )

    async def _slot_due(
        self, sub: Subscription, chat: ChatRef, local_date: date, slot: datetime
    ) -> None:
        if self.armed.get(sub.chat_id) == slot:
            del self.armed[sub.chat_id]
        await self.deliver(sub.chat_id, chat, local_date, slot)
        fresh = await self.rt.services.daily.get(sub.chat_id)
        if fresh.enabled:
            self.arm(fresh, chat)
        else:
            self.disarm(sub.chat_id)

    def disarm(self, chat_id: int) -> None:
        self.armed.pop(chat_id, None)
        self.rt.timers.cancel(timer_key(chat_id))

    async def unsubscribe(self, chat_id: int) -> None:
        """The chat is gone: no more daily posts there until someone turns them on again."""
        await self.rt.services.daily.disable(chat_id, self.rt.clock.now())
        self.disarm(chat_id)

    async def sweep(self) -> None:
        """Finish stale claims, then bring this process's timers in line with the table.

        Every replica arms a timer for every active subscription (the claim makes the post
        exactly-once), so a subscription made, moved or turned off through another replica
        is picked up here within one sweep. A slot that fell due within the grace, was
        scheduled before it came due, and that nobody claimed (its replica died) is sent now.
        """
        await self.recover()
        rt = self.rt
        now = rt.clock.now()
        active = await rt.services.daily.active()
        owed: list[tuple[Subscription, ChatRef, date, datetime]] = []
        for sub, chat in active:
            today = now.astimezone(self.tz(sub)).date()
            for local_date in (today - timedelta(days=1), today):
                slot = self.slot(sub, local_date)
                scheduled_before = sub.updated_at is None or sub.updated_at <= slot
                if slot <= now <= slot + GRACE and scheduled_before:
                    owed.append((sub, chat, local_date, slot))
        keys = [daily_key(sub.chat_id, local_date) for sub, _, local_date, _ in owed]
        claimed = await rt.services.daily.claimed_keys(keys)
        for sub, chat, local_date, slot in owed:
            if daily_key(sub.chat_id, local_date) not in claimed:
                await self.deliver(sub.chat_id, chat, local_date, slot)
        wanted = {sub.chat_id for sub, _ in active}
        for chat_id in [c for c in self.armed if c not in wanted]:
            self.disarm(chat_id)
        now = rt.clock.now()
        for sub, chat in active:
            if self.armed.get(sub.chat_id) != self.next_slot(sub, now)[1]:
                self.arm(sub, chat)

    async def start(self) -> None:
        """Finish interrupted deliveries, post what fell due within the grace, arm the rest."""
        await self.recover()
        now = self.rt.clock.now()
        for sub, chat in await self.rt.services.daily.active():
            today = now.astimezone(self.tz(sub)).date()
            for local_date in (today - timedelta(days=1), today):
                slot = self.slot(sub, local_date)
                if slot <= now <= slot + GRACE:
                    await self.deliver(sub.chat_id, chat, local_date, slot)
            self.arm(sub, chat)

    async def deliver(self, chat_id: int, chat: ChatRef, local_date: date, slot: datetime) -> bool:
        rt = self.rt
        now = rt.clock.now()
        if now > slot + GRACE:
            log.warning("daily %s for chat %s missed its grace; skipped", local_date, chat_id)
            return False
        sub = await rt.services.daily.get(chat_id)
        if not sub.enabled:
            return False
        if self.slot(sub, local_date) != slot:
            # The time changed (perhaps through another replica) after this timer was set;
            # the sweep arms the stored time's slot instead.
            log.info("daily %s for chat %s: the slot moved; not sent", local_date, chat_id)
            return False
        delivery = await rt.services.daily.claim(
            chat_id=chat_id,
            local_date=local_date,
            due_at=slot,
            closes_at=self.closes_at(sub, now),
            now=now,
            instance=rt.instance,
            pick=daily_picker(
                rt.library, sub.topics, rt.rng, await rt.services.bank.chat_questions(chat_id)
            ),
        )
        if delivery is None:
            return False
        return await self._send(delivery.claim_id, delivery.post_id, delivery.question, chat, slot)

    async def _send(
        self, claim_id: int, post_id: int, question: Question, chat: ChatRef, slot: datetime
    ) -> bool:
        rt = self.rt
        post = await rt.services.quiz.post_info(post_id)
        if post is None:
            return False
        chat_id, closes_at = post
        place = await rt.places.of(chat_id)
        when = place.hhmm(closes_at) if closes_at else "-"
        image = await rt.services.bank.image_of(question)
        card = question_card(
            question, post_id, closes_at, place.locale, when, kind="daily", image=image
        )

        done = await send_claimed(rt, claim_id, chat, card, post_id=post_id)
        if done.outcome is Outcome.GONE:
            await rt.services.quiz.close(post_id, rt.clock.now())
        if done.sent is None:
            return False
        lag = (rt.clock.now() - slot).total_seconds()
        rt.metrics.daily_sent(lag)
        log.info(
            "daily sent chat=%s:%s post=%d message=%s lag_s=%.1f",
            chat.platform,
            chat.chat_id,
            post_id,
            done.sent.message_id,
            lag,
        )
        if closes_at is not None:
            self.quiz.arm_close(post_id, closes_at)
        return True

    async def recover(self) -> None:
        """Re-send deliveries whose process died between claiming and sending."""
        rt = self.rt
        now = rt.clock.now()
        for claim in await rt.services.outbox.claim_due(now, "daily"):
            if claim.post_id is None:
                continue
            question_id = await rt.services.quiz.question_of(claim.post_id)
            question = await rt.services.bank.get(question_id or "")
            chat = await rt.services.registry.chat_ref(claim.chat_id)
            if now > claim.due_at + GRACE or question is None or chat is None:
                await rt.services.outbox.cancel(claim.id, now, "missed")
                await rt.services.quiz.close(claim.post_id, now)
                continue
            await self._send(claim.id, claim.post_id, question, chat, claim.due_at)
