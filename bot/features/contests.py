"""Live contests: N questions in a row on a timer, standings after each, a podium at the end."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from bot.i18n import t
from bot.markup import bold, esc
from bot.render import answer_label, question_card
from bot.services.contests import FINISHED, STOPPED, Contest, Placing
from bot.storage.db import as_utc
from bot.types import ChatRef, Text

if TYPE_CHECKING:
    from bot.core import Core

log = logging.getLogger(__name__)

MIN_QUESTIONS, MAX_QUESTIONS = 1, 50
MIN_SECONDS, MAX_SECONDS, DEFAULT_SECONDS = 5, 120, 20
MEDALS = {1: "🥇", 2: "🥈", 3: "🥉"}


def timer_key(contest_id: int) -> str:
    return f"contest-{contest_id}"


class ContestRunner:
    def __init__(self, core: Core) -> None:
        self.core = core

    async def _chat(self, contest: Contest) -> ChatRef | None:
        return await self.core.registry.chat_ref(contest.chat_id)

    async def begin(self, contest: Contest, chat: ChatRef, locale: str) -> None:
        intro = t(locale, "contest_started", total=contest.total, seconds=contest.seconds)
        await self.core.send(chat, Text(intro))
        await self.ask_next(contest, chat)

    async def ask_next(self, contest: Contest, chat: ChatRef) -> None:
        core = self.core
        asked = await core.contests.asked_questions(contest.id)
        pool = [q for q in core.library.questions.values() if q.id not in asked]
        if not pool:
            await self.finish(contest, FINISHED)
            return
        question = core.rng.choice(pool)
        now = core.clock.now()
        closes_at = now + timedelta(seconds=contest.seconds)
        post_id = await core.quiz.open_post(
            chat_id=contest.chat_id,
            question_id=question.id,
            options_count=len(question.options),
            correct=question.answers,
            kind="contest",
            now=now,
            closes_at=closes_at,
            opened_by=contest.started_by,
            contest_id=contest.id,
        )
        await core.contests.bump(contest.id)
        locale = await core.locale_for(contest.chat_id)
        card = question_card(
            question,
            post_id,
            closes_at,
            locale,
            f"{contest.seconds}s",
            kind="contest",
            progress=(contest.asked + 1, contest.total),
            open_seconds=contest.seconds,
        )
        self.arm(contest.id, post_id, closes_at)
        await core.post_question(chat, card)

    def arm(self, contest_id: int, post_id: int, when: datetime) -> None:
        async def job() -> None:
            await self.on_deadline(contest_id, post_id)

        self.core.timers.at(when, timer_key(contest_id), job)

    async def on_deadline(self, contest_id: int, post_id: int) -> None:
        core = self.core
        reveal = await core.quiz.close(post_id, core.clock.now())
        contest = await core.contests.get(contest_id)
        if reveal is None or contest is None or contest.state != "running":
            return
        locale = await core.locale_for(contest.chat_id)
        question = core.library.questions.get(reveal.question_id)
        standings = await core.contests.standings(contest_id)
        line = t(locale, "contest_round", answer=esc(answer_label(question, reveal.correct)))
        top = " · ".join(
            t(locale, "contest_standing", rank=p.rank, name=esc(p.name), points=p.points)
            for p in standings[:3]
        )
        await core.pacer.send(reveal.chat, Text(f"{line}\n{top}" if top else line))
        if contest.asked >= contest.total:
            await self.finish(contest, FINISHED)
        else:
            await self.ask_next(contest, reveal.chat)

    async def finish(self, contest: Contest, state: str) -> None:
        core = self.core
        if not await core.contests.end(contest.id, state, core.clock.now()):
            return
        core.timers.cancel(timer_key(contest.id))
        chat = await self._chat(contest)
        if chat is None:
            return
        locale = await core.locale_for(contest.chat_id)
        await core.pacer.send(chat, Text(podium(await core.contests.standings(contest.id), locale)))

    async def stop(self, contest: Contest) -> None:
        core = self.core
        core.timers.cancel(timer_key(contest.id))
        current = await core.contests.open_post(contest.id)
        if current is not None:
            await core.quiz.close(current[0], core.clock.now())
        await self.finish(contest, STOPPED)

    async def start(self) -> None:
        """Resume contests a restart interrupted: re-arm the open question or move on."""
        core = self.core
        for contest in await core.contests.running():
            chat = await self._chat(contest)
            if chat is None:
                await core.contests.end(contest.id, STOPPED, core.clock.now())
                continue
            current = await core.contests.open_post(contest.id)
            if current is not None:
                post_id, closes_at = current
                closes_at = as_utc(closes_at)
                if closes_at is not None and closes_at > core.clock.now():
                    self.arm(contest.id, post_id, closes_at)
                else:
                    await self.on_deadline(contest.id, post_id)
            elif contest.asked >= contest.total:
                await self.finish(contest, FINISHED)
            else:
                await self.ask_next(contest, chat)


def podium(standings: list[Placing], locale: str) -> str:
    lines = [bold(t(locale, "contest_podium_title"))]
    top = [p for p in standings if p.rank <= 3]
    if not top:
        lines.append(t(locale, "contest_nobody"))
    for p in top:
        lines.append(
            t(
                locale,
                "contest_podium_row",
                medal=MEDALS[p.rank],
                name=esc(p.name),
                points=p.points,
                correct=p.correct,
            )
        )
    return "\n".join(lines)
