"""The quiz's own lifecycle: post a card, close it on time or on /reveal, reveal once."""

from __future__ import annotations

import logging
from datetime import datetime

from bot.render import reveal_text
from bot.runtime import Runtime
from bot.timers import arm
from bot.types import ChatRef, QuestionCard, SentRef, Text

log = logging.getLogger(__name__)


def timer_key(post_id: int) -> str:
    return f"close-post-{post_id}"


class QuizRunner:
    def __init__(self, rt: Runtime) -> None:
        self.rt = rt

    def arm_close(self, post_id: int, when: datetime) -> None:
        arm(self.rt.timers, when, timer_key(post_id), self.close_post, post_id)

    async def post_question(self, chat: ChatRef, card: QuestionCard) -> SentRef | None:
        """Send a question card and remember how answers will refer to it."""
        sent = await self.rt.platforms.send(chat, card)
        if sent is not None:
            quiz = self.rt.services.quiz
            await quiz.set_message_ref(card.post_id, sent.message_id, sent.native_id)
            log.debug(
                "question sent chat=%s:%s post=%d message=%s",
                chat.platform,
                chat.chat_id,
                card.post_id,
                sent.message_id,
            )
        return sent

    async def close_post(self, post_id: int) -> bool:
        """Close a quiz or daily post and reveal it; False when it was already closed."""
        rt = self.rt
        reveal = await rt.services.quiz.close(post_id, rt.clock.now())
        if reveal is None:
            return False
        rt.timers.cancel(timer_key(post_id))
        if reveal.message_ref:
            await rt.platforms.close_question(
                SentRef(reveal.chat, reveal.message_ref, reveal.native_ref)
            )
        place = await rt.places.of(reveal.chat_id)
        question = await rt.services.bank.get(reveal.question_id)
        text = reveal_text(rt.library, reveal, place.locale, question=question)
        await rt.pacer.send(reveal.chat, Text(text))
        return True

    async def close_due(self) -> int:
        closed = 0
        for post_id, kind in await self.rt.services.quiz.due_posts(self.rt.clock.now()):
            if kind == "contest":
                continue  # the contest runner closes its own questions and moves on
            closed += await self.close_post(post_id)
        return closed

    async def start(self) -> None:
        """Reveal what fell due while the bot was down, and give open posts their timers back."""
        await self.close_due()
        for post in await self.rt.services.quiz.open_posts():
            if post.closes_at is not None and post.kind != "contest":
                self.arm_close(post.post_id, post.closes_at)

    async def sweep(self) -> None:
        """Close what is due, and give every open post a timer in this process too.

        The timer of a post opened through another replica lives in that replica; arming
        it here as well closes the post on time if that one dies (the close is
        conditional, so only one process reveals it).
        """
        await self.close_due()
        for post in await self.rt.services.quiz.open_posts():
            if post.closes_at is not None and post.kind != "contest":
                self.arm_close(post.post_id, post.closes_at)
