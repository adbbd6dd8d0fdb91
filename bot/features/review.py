"""Review sessions (one due card at a time, in a private chat) and the daily reminder."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, time, timedelta

from bot.content.schema import Question
from bot.features.delivery import send_claimed
from bot.features.quiz import QuizRunner
from bot.i18n import circled, t
from bot.markup import bold, esc
from bot.places import Place
from bot.runtime import Runtime
from bot.services.review import DeckCard, Reminder
from bot.timers import arm
from bot.types import ChatRef, Content, QuestionCard, SentRef, Text

log = logging.getLogger(__name__)

# A reminder missed by more than this (the bot was down) waits for the next day.
GRACE = timedelta(hours=1)
KIND = "review"


def timer_key(user_id: int) -> str:
    return f"review-remind-{user_id}"


def review_card(question: Question, post_id: int, deck_no: int, locale: str) -> QuestionCard:
    """A due card as a native question; it has no deadline and answers only its owner."""
    header = t(locale, "review_header", number=deck_no)
    if question.past_exam and question.source:
        header += " · " + t(locale, "past_exam_source", source=question.source)
    lines = [bold(esc(header)), esc(question.stem), ""]
    lines += [f"{circled(i)} {esc(opt)}" for i, opt in enumerate(question.options, 1)]
    lines += ["", t(locale, "review_how_to_answer")]
    return QuestionCard(
        post_id=post_id,
        stem=question.stem,
        options=question.options,
        correct=question.answers,
        explanation=question.poll_explanation,
        header=header,
        closes_at=None,
        fallback="\n".join(lines),
    )


def when_text(place: Place, now: datetime, when: datetime, count: int) -> str:
    """'내일 3장', '오늘 21:10에 1장', '3일 뒤 2장': the next review as a person says it."""
    locale = place.locale
    days = (place.local(when).date() - place.local(now).date()).days
    if days <= 0:
        return t(locale, "review_when_today", time=place.hhmm(when), count=count)
    if days == 1:
        return t(locale, "review_when_tomorrow", count=count)
    if days < 7:
        return t(locale, "review_when_days", days=days, count=count)
    local = place.local(when)
    return t(locale, "review_when_date", month=local.month, day=local.day, count=count)


class ReviewRunner:
    def __init__(self, rt: Runtime, quiz: QuizRunner) -> None:
        self.rt = rt
        self.quiz = quiz

    # ------------------------------------------------------------------ sessions

    async def serve(
        self, chat: ChatRef, chat_id: int, user_id: int, place: Place, *, first: bool
    ) -> list[Content]:
        """Post the person's next due card, or say the session is over and when the next is."""
        rt = self.rt
        now = rt.clock.now()
        review = rt.services.review
        due = await review.next_due(user_id, now)
        question = await self._question(due)
        while due is not None and question is None:
            # The question left the bank: the card can never be served, so it leaves.
            await review.remove(user_id, due.deck_no, now)
            due = await review.next_due(user_id, now)
            question = await self._question(due)
        if due is None or question is None:
            return [Text(await self.done_text(user_id, place, now, first=first))]
        post_id = await rt.services.quiz.open_post(
            chat_id=chat_id,
            question_id=question.id,
            options_count=len(question.options),
            correct=question.answers,
            kind=KIND,
            now=now,
            closes_at=None,
            opened_by=user_id,
        )
        if first:
            count = await review.due_count(user_id, now)
            await rt.platforms.send(chat, Text(t(place.locale, "review_start", count=count)))
        card = review_card(question, post_id, due.deck_no, place.locale)
        await self.quiz.post_question(chat, card)
        return []

    async def _question(self, due: DeckCard | None) -> Question | None:
        # The bank: a chat's own questions (chat-<n>) are reviewed as the bundled ones are.
        if due is None:
            return None
        return await self.rt.services.bank.get(due.question_id)

    async def done_text(self, user_id: int, place: Place, now: datetime, *, first: bool) -> str:
        review = self.rt.services.review
        after = await review.first_due_after(user_id, now)
        key = "review_none_due" if first else "review_done"
        if after is None:
            _, size = await review.deck(user_id, limit=1)
            if size == 0:
                return t(place.locale, "review_empty")
            return t(place.locale, key, next=t(place.locale, "review_when_none"))
        local_end = datetime.combine(
            place.local(after).date() + timedelta(days=1), time(0), place.zone
        )
        count = await review.next_after(user_id, now, local_end.astimezone(UTC))
        return t(place.locale, key, next=when_text(place, now, after, count))

    async def finish(self, post_id: int) -> None:
        """Close an answered review post; nothing is revealed to anyone else."""
        rt = self.rt
        closed = await rt.services.quiz.close(post_id, rt.clock.now())
        if closed is not None and closed.message_ref:
            await rt.platforms.close_question(
                SentRef(closed.chat, closed.message_ref, closed.native_ref)
            )

    # ------------------------------------------------------------------ reminders

    def slot(self, reminder: Reminder, local_date: date) -> datetime:
        settings = reminder.settings
        assert settings.remind_at is not None
        zone = self.rt.places.zone_named(settings.remind_zone)
        return datetime.combine(local_date, settings.remind_at, zone).astimezone(UTC)

    def today(self, reminder: Reminder, now: datetime) -> date:
        return now.astimezone(self.rt.places.zone_named(reminder.settings.remind_zone)).date()

    def arm(self, reminder: Reminder) -> None:
        now = self.rt.clock.now()
        today = self.today(reminder, now)
        for local_date in (today, today + timedelta(days=1), today + timedelta(days=2)):
            slot = self.slot(reminder, local_date)
            if slot > now:
                break
        arm(
            self.rt.timers,
            slot,
            timer_key(reminder.settings.user_id),
            self._due,
            reminder.settings.user_id,
            local_date,
            slot,
        )

    def disarm(self, user_id: int) -> None:
        self.rt.timers.cancel(timer_key(user_id))

    async def rearm(self, user_id: int) -> None:
        """After a setting changed: arm the person's reminder as it now stands, or none."""
        self.disarm(user_id)
        for reminder in await self.rt.services.review.reminders(user_id):
            self.arm(reminder)

    async def _due(self, user_id: int, local_date: date, slot: datetime) -> None:
        await self.deliver(user_id, local_date, slot)
        await self.rearm(user_id)

    async def deliver(self, user_id: int, local_date: date, slot: datetime) -> bool:
        """Remind the person once for local_date when cards are due; False when not sent."""
        rt = self.rt
        now = rt.clock.now()
        if now > slot + GRACE:
            return False
        found = await rt.services.review.reminders(user_id)
        if not found:
            return False
        reminder = found[0]
        assert reminder.settings.dm_chat_id is not None
        count = await rt.services.review.due_count(user_id, now)
        if count == 0:
            return False
        claim_id = await rt.services.review.claim_reminder(
            user_id=user_id,
            chat_id=reminder.settings.dm_chat_id,
            local_date=local_date,
            due_at=slot,
            now=now,
            instance=rt.instance,
        )
        if claim_id is None:
            return False
        return await self._send(claim_id, user_id, reminder.settings.dm_chat_id, reminder.chat)

    async def _send(self, claim_id: int, user_id: int, chat_id: int, chat: ChatRef) -> bool:
        rt = self.rt
        place = await rt.places.of(chat_id)
        count = await rt.services.review.due_count(user_id, rt.clock.now())
        body = t(place.locale, "review_reminder", count=count)
        done = await send_claimed(rt, claim_id, chat, Text(body))
        if done.sent is not None:
            log.info(
                "review reminder sent user=%d chat=%s:%s", user_id, chat.platform, chat.chat_id
            )
        return done.sent is not None

    async def recover(self) -> None:
        """Re-send reminders whose process died between claiming and sending."""
        rt = self.rt
        now = rt.clock.now()
        for claim in await rt.services.outbox.claim_due(now, KIND):
            user_id = await rt.services.review.user_for_dm(claim.chat_id)
            chat = await rt.services.registry.chat_ref(claim.chat_id)
            if now > claim.due_at + GRACE or user_id is None or chat is None:
                await rt.services.outbox.cancel(claim.id, now, "missed")
                continue
            await self._send(claim.id, user_id, claim.chat_id, chat)

    async def start(self) -> None:
        """Finish interrupted reminders, send what fell due within the grace, arm the rest."""
        await self.recover()
        now = self.rt.clock.now()
        for reminder in await self.rt.services.review.reminders():
            today = self.today(reminder, now)
            for local_date in (today - timedelta(days=1), today):
                slot = self.slot(reminder, local_date)
                if slot <= now <= slot + GRACE:
                    await self.deliver(reminder.settings.user_id, local_date, slot)
            self.arm(reminder)

    async def sweep(self) -> None:
        await self.recover()
