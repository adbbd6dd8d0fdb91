"""Live contests: N questions in a row on a timer, standings after each, a podium at the end."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from bot.features.quiz import QuizRunner
from bot.i18n import t
from bot.markup import bold, esc
from bot.render import answer_label, question_card
from bot.runtime import Runtime
from bot.services.contests import FINISHED, STOPPED, Contest, Placing
from bot.services.quiz import encode_correct
from bot.storage.db import as_utc
from bot.timers import arm
from bot.types import ChatRef, SentRef, Text

log = logging.getLogger(__name__)

MEDALS = {1: "🥇", 2: "🥈", 3: "🥉"}
# A contest with no open question this long after its last one closed has lost the
# process that was moving it on; a sweep takes the next step.
STALLED = timedelta(seconds=30)


def timer_key(contest_id: int) -> str:
    return f"contest-{contest_id}"


class ContestRunner:
    def __init__(self, rt: Runtime, quiz: QuizRunner) -> None:
        self.rt = rt
        self.quiz = quiz

    async def _chat(self, contest: Contest) -> ChatRef | None:
        return await self.rt.services.registry.chat_ref(contest.chat_id)

    async def _locale(self, contest: Contest) -> str:
        return (await self.rt.places.of(contest.chat_id)).locale

    async def begin(self, contest: Contest, chat: ChatRef, locale: str) -> None:
        intro = t(locale, "contest_started", total=contest.total, seconds=contest.seconds)
        await self.rt.platforms.send(chat, Text(intro))
        await self.ask_next(contest, chat)

    async def ask_next(self, contest: Contest, chat: ChatRef) -> None:
        rt = self.rt
        asked = await rt.services.contests.asked_questions(contest.id)
        pool = [q for q in await rt.services.bank.for_chat(contest.chat_id) if q.id not in asked]
        if not pool:
            await self.finish(contest, FINISHED)
            return
        question = rt.rng.choice(pool)
        now = rt.clock.now()
        closes_at = now + timedelta(seconds=contest.seconds)
        post_id = await rt.services.contests.open_step(
            contest,
            question_id=question.id,
            options_count=len(question.options),
            correct=encode_correct(question.answers),
            now=now,
            closes_at=closes_at,
        )
        if post_id is None:
            log.info("contest %d: step %d taken by another process", contest.id, contest.asked + 1)
            return
        locale = await self._locale(contest)
        card = question_card(
            question,
            post_id,
            closes_at,
            locale,
            str(contest.seconds),
            kind="contest",
            progress=(contest.asked + 1, contest.total),
            open_seconds=contest.seconds,
            image=await self.rt.services.bank.image_of(question),
        )
        self.arm(contest.id, post_id, closes_at)
        await self.quiz.post_question(chat, card)

    def arm(self, contest_id: int, post_id: int, when: datetime) -> None:
        arm(self.rt.timers, when, timer_key(contest_id), self.on_deadline, contest_id, post_id)

    async def on_deadline(self, contest_id: int, post_id: int) -> None:
        rt = self.rt
        reveal = await rt.services.quiz.close(post_id, rt.clock.now())
        if reveal is not None and reveal.message_ref:
            # The card shows it is closed too (Discord buttons disabled, a poll stopped).
            ref = SentRef(reveal.chat, reveal.message_ref, reveal.native_ref)
            await rt.platforms.close_question(ref)
        contest = await rt.services.contests.get(contest_id)
        if reveal is None or contest is None or contest.state != "running":
            return
        locale = await self._locale(contest)
        question = await rt.services.bank.get(reveal.question_id)
        standings = await rt.services.contests.standings(contest_id)
        line = t(locale, "contest_round", answer=esc(answer_label(question, reveal.correct)))
        if question is not None and question.poll_explanation:
            # The short 해설 keeps a round's result to a few lines between questions.
            short = question.poll_explanation
            line += "\n" + esc(t(locale, "answer_explanation", explanation=short))
        top = " · ".join(
            t(locale, "contest_standing", rank=p.rank, name=esc(p.name), points=p.points)
            for p in standings[:3]
        )
        await rt.pacer.send(reveal.chat, Text(f"{line}\n{top}" if top else line))
        if contest.asked >= contest.total:
            await self.finish(contest, FINISHED)
        else:
            await self.ask_next(contest, reveal.chat)

    async def finish(self, contest: Contest, state: str) -> None:
        rt = self.rt
        contests = rt.services.contests
        if not await contests.end(contest.id, state, rt.clock.now()):
            return
        rt.timers.cancel(timer_key(contest.id))
        chat = await self._chat(contest)
        if chat is None:
            return
        locale = await self._locale(contest)
        await rt.pacer.send(chat, Text(podium(await contests.standings(contest.id), locale)))

    async def stop(self, contest: Contest) -> None:
        rt = self.rt
        rt.timers.cancel(timer_key(contest.id))
        current = await rt.services.contests.open_post(contest.id)
        if current is not None:
            reveal = await rt.services.quiz.close(current[0], rt.clock.now())
            if reveal is not None and reveal.message_ref:
                ref = SentRef(reveal.chat, reveal.message_ref, reveal.native_ref)
                await rt.platforms.close_question(ref)
        await self.finish(contest, STOPPED)

    async def sweep(self) -> None:
        """Move on every running contest whose step nobody took (its process died).

        A question past its deadline is closed here (the close is conditional, so only one
        process reveals it and asks the next); a contest whose last question closed a while
        ago with no next one open asks it now (the step claim keeps that to one process).
        An open question gets this process's timer too, so it closes on time.
        """
        rt = self.rt
        now = rt.clock.now()
        for contest in await rt.services.contests.running():
            current = await rt.services.contests.open_post(contest.id)
            if current is not None:
                post_id, closes_at = current
                closes_at = as_utc(closes_at)
                if closes_at is None or closes_at > now:
                    if closes_at is not None:
                        self.arm(contest.id, post_id, closes_at)
                    continue
                await self.on_deadline(contest.id, post_id)
                continue
            last = await rt.services.contests.last_closed_at(contest.id)
            if last is not None and now - last < STALLED:
                continue  # the process that closed it is still revealing, most likely
            chat = await self._chat(contest)
            if chat is None:
                await rt.services.contests.end(contest.id, STOPPED, now)
            elif contest.asked >= contest.total:
                await self.finish(contest, FINISHED)
            else:
                await self.ask_next(contest, chat)

    async def start(self) -> None:
        """Resume contests a restart interrupted: re-arm the open question or move on."""
        rt = self.rt
        for contest in await rt.services.contests.running():
            chat = await self._chat(contest)
            if chat is None:
                await rt.services.contests.end(contest.id, STOPPED, rt.clock.now())
                continue
            current = await rt.services.contests.open_post(contest.id)
            if current is not None:
                post_id, closes_at = current
                closes_at = as_utc(closes_at)
                if closes_at is not None and closes_at > rt.clock.now():
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
