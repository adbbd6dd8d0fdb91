"""/exam (/모의고사): a timed mock exam in a private chat, its navigation, submit, history.

Answers to a paper's cards come here from bot/handlers/quiz.py: a button tap on a card
(its post takes no answer itself) and a bare number or /answer while a paper is open.
"""

from __future__ import annotations

import re

from bot.context import Ctx
from bot.features.exams import duration_text, left_text, subject_name
from bot.i18n import circled
from bot.markup import bold, esc
from bot.services.exams import (
    DEFAULT_MINUTES,
    DEFAULT_QUESTIONS,
    MAX_MINUTES,
    MAX_QUESTIONS,
    MIN_MINUTES,
    MIN_QUESTIONS,
    PASS_MARK,
    SUBMIT,
    TIMEOUT,
    Paper,
    Planned,
    draw,
    find_subject,
    next_unanswered,
    subjects,
    topic_of,
)
from bot.types import Content, Text

SUBCOMMANDS = {
    "skip": "skip",
    "건너뛰기": "skip",
    "패스": "skip",
    "next": "next",
    "다음": "next",
    "submit": "submit",
    "제출": "submit",
    "history": "history",
    "기록": "history",
    "status": "status",
    "답안지": "status",
    "help": "help",
    "도움말": "help",
}
HISTORY_SHOWN = 10
_SLOT = re.compile(r"^#?(\d{1,3})(?:번)?$")
_MINUTES = re.compile(r"^(\d{1,4})\s*(?:분|min|mins|minutes|m)$", re.I)
_COUNT = re.compile(r"^(\d{1,4})\s*(?:문제|문항|개|q)?$", re.I)


async def exam(ctx: Ctx, args: str) -> list[Content]:
    if ctx.chat.is_group:
        return [Text(ctx.t("exam_private_only", name=esc(ctx.user.display_name)), ephemeral=True)]
    words = args.split()
    sub = SUBCOMMANDS.get(words[0].lower()) if words else None
    if sub == "history":
        return await _history(ctx)
    if sub == "help":
        return [Text(_help(ctx))]
    paper = await ctx.services.exams.open_paper(ctx.user_id)
    if paper is not None and paper.deadline <= ctx.now:
        # Out of time while nobody was looking (the timer is on its way): grade it now.
        return await _timed_out(ctx, paper)
    if sub is not None:
        if paper is None:
            return [Text(ctx.t("exam_none_open"), ephemeral=True)]
        if sub == "submit":
            return await _submit(ctx, paper)
        if sub == "status":
            return await _status(ctx, paper)
        return await _move(ctx, paper, sub)
    if paper is not None:
        slot = _slot(args)
        if slot is not None:
            return await _go(ctx, paper, slot)
        return await _resume(ctx, paper, asked_new=bool(words))
    return await _start(ctx, words)


# Moves a person sitting a paper types without the command, as the card's hint words them.
BARE_MOVES = frozenset({"skip", "next", "status", "submit"})


async def bare_move(ctx: Ctx, text: str) -> list[Content] | None:
    """A private "건너뛰기", "다음", "답안지" or "제출" during a paper, as /exam with it; None
    for anything else, or when no paper is open in this chat (chatter stays free)."""
    sub = SUBCOMMANDS.get(text.strip().lower())
    if sub not in BARE_MOVES or ctx.chat.is_group:
        return None
    paper = await ctx.services.exams.open_paper(ctx.user_id)
    if paper is None or paper.chat_id != ctx.chat_id:
        return None
    return await exam(ctx, text.strip())


def _help(ctx: Ctx) -> str:
    return ctx.t(
        "exam_help",
        count=DEFAULT_QUESTIONS,
        minutes=DEFAULT_MINUTES,
        max_count=MAX_QUESTIONS,
        min_minutes=MIN_MINUTES,
        max_minutes=MAX_MINUTES,
        mark=PASS_MARK,
    )


def _slot(args: str) -> int | None:
    match = _SLOT.match(args.strip())
    return int(match.group(1)) if match else None


# ------------------------------------------------------------------ starting


async def _start(ctx: Ctx, words: list[str]) -> list[Content]:
    library = ctx.rt.library
    known = subjects(library)
    if not known:
        return [Text(ctx.t("quiz_empty"), ephemeral=True)]
    numbers: list[int] = []
    minutes: int | None = None
    names: list[str] = []
    for word in words:
        if (match := _MINUTES.match(word)) is not None:
            if minutes is not None:
                return [Text(ctx.t("exam_usage"), ephemeral=True)]
            minutes = int(match.group(1))
        elif (match := _COUNT.match(word)) is not None:
            numbers.append(int(match.group(1)))
        else:
            names.append(word)
    if len(numbers) > (2 if minutes is None else 1):
        return [Text(ctx.t("exam_usage"), ephemeral=True)]
    count = numbers[0] if numbers else DEFAULT_QUESTIONS
    if minutes is None:
        minutes = numbers[1] if len(numbers) > 1 else DEFAULT_MINUTES
    subject = known[0]
    if names:
        found = find_subject(library, " ".join(names))
        if found is None:
            return [
                Text(
                    ctx.t(
                        "exam_unknown_subject",
                        subject=esc(" ".join(names)),
                        subjects=", ".join(s.name for s in known),
                    ),
                    ephemeral=True,
                )
            ]
        subject = found
    if not MIN_QUESTIONS <= count <= MAX_QUESTIONS:
        return [
            Text(
                ctx.t("exam_bad_count", count=count, low=MIN_QUESTIONS, high=MAX_QUESTIONS),
                ephemeral=True,
            )
        ]
    if not MIN_MINUTES <= minutes <= MAX_MINUTES:
        return [
            Text(
                ctx.t("exam_bad_minutes", minutes=minutes, low=MIN_MINUTES, high=MAX_MINUTES),
                ephemeral=True,
            )
        ]
    questions = draw(library, subject.key, count, ctx.rt.rng)
    if not questions:
        return [Text(ctx.t("quiz_empty"), ephemeral=True)]
    topics = topic_of(library)
    planned = [Planned(q.id, topics.get(q.chapter, q.chapter), q.answers) for q in questions]
    paper, made = await ctx.services.exams.create(
        user_id=ctx.user_id,
        chat_id=ctx.chat_id,
        subject=subject.key,
        minutes=minutes,
        questions=planned,
        now=ctx.now,
    )
    if not made:
        return await _resume(ctx, paper, asked_new=True)
    ctx.runners.exams.arm(paper)
    lines = [
        ctx.t(
            "exam_started",
            subject=subject.name,
            total=paper.total,
            minutes=minutes,
            until=ctx.local_time(paper.deadline),
        )
    ]
    if paper.total < count:
        lines.append(ctx.t("exam_fewer", count=paper.total))
    lines.append(ctx.t("exam_rules"))
    await ctx.rt.platforms.send(ctx.chat, Text("\n".join(lines)))
    await ctx.runners.exams.show(ctx.chat, paper, 1, ctx.place)
    return []


async def _resume(ctx: Ctx, paper: Paper, *, asked_new: bool) -> list[Content]:
    items = await ctx.services.exams.items(paper.id)
    answered = sum(1 for i in items if i.option is not None)
    key = "exam_already_open" if asked_new else "exam_resumed"
    body = ctx.t(
        key,
        subject=subject_name(ctx.rt, paper.subject),
        answered=answered,
        total=paper.total,
        left=left_text(ctx.locale, ctx.now, paper.deadline),
    )
    await ctx.rt.platforms.send(ctx.chat, Text(body))
    await ctx.runners.exams.show(ctx.chat, paper, paper.at_slot, ctx.place)
    return []


# ------------------------------------------------------------------ moving about


async def _go(ctx: Ctx, paper: Paper, slot: int) -> list[Content]:
    if not 1 <= slot <= paper.total:
        return [Text(ctx.t("exam_bad_slot", total=paper.total), ephemeral=True)]
    await ctx.runners.exams.show(ctx.chat, paper, slot, ctx.place)
    return []


async def _move(ctx: Ctx, paper: Paper, sub: str) -> list[Content]:
    items = await ctx.services.exams.items(paper.id)
    if sub == "next":
        slot = paper.at_slot % paper.total + 1
        return await _go(ctx, paper, slot)
    target = next_unanswered(items, paper.at_slot)
    if target is None:
        return [Text(ctx.t("exam_nothing_to_skip"), ephemeral=True)]
    return await _go(ctx, paper, target.slot)


async def _status(ctx: Ctx, paper: Paper) -> list[Content]:
    items = await ctx.services.exams.items(paper.id)
    marks = [f"{i.slot}.{circled(i.option) if i.option is not None else '—'}" for i in items]
    rows = [" ".join(marks[n : n + 5]) for n in range(0, len(marks), 5)]
    answered = sum(1 for i in items if i.option is not None)
    title = ctx.t(
        "exam_status_title",
        answered=answered,
        total=paper.total,
        left=left_text(ctx.locale, ctx.now, paper.deadline),
    )
    return [Text("\n".join([bold(esc(title)), *rows, "", ctx.t("exam_status_hint")]))]


async def _submit(ctx: Ctx, paper: Paper) -> list[Content]:
    result = await ctx.runners.exams.finish(paper.id, SUBMIT)
    if result is None:
        return [Text(ctx.t("exam_already_graded"), ephemeral=True)]
    return result


async def _timed_out(ctx: Ctx, paper: Paper) -> list[Content]:
    result = await ctx.runners.exams.finish(paper.id, TIMEOUT)
    refusal: list[Content] = [Text(ctx.t("exam_time_up"))]
    return refusal + (result or [])


# ------------------------------------------------------------------ history


async def _history(ctx: Ctx) -> list[Content]:
    papers, total = await ctx.services.exams.history(ctx.user_id, HISTORY_SHOWN)
    if not papers:
        return [Text(ctx.t("exam_history_empty"))]
    lines = [bold(esc(ctx.t("exam_history_title", total=total)))]
    for paper in papers:
        when = ctx.place.stamp(paper.started_at, "%m-%d %H:%M")
        name = subject_name(ctx.rt, paper.subject)
        if paper.is_open:
            lines.append(
                ctx.t("exam_history_open", id=paper.id, when=when, subject=name, total=paper.total)
            )
            continue
        row = ctx.t(
            "exam_history_row",
            id=paper.id,
            when=when,
            subject=name,
            total=paper.total,
            score=paper.score or 0,
            right=paper.right or 0,
            used=duration_text(ctx.locale, paper.time_used()),
        )
        if (paper.score or 0) < PASS_MARK:
            row += " · " + ctx.t("exam_history_fail")
        lines.append(row)
    if total > len(papers):
        lines.append(ctx.t("exam_history_more", more=total - len(papers)))
    return [Text("\n".join(lines))]


# ------------------------------------------------------------------ answers


async def answered(ctx: Ctx, post_id: int | None, option: int) -> list[Content]:
    """An answer to a paper: a tap on a card (post_id), or a bare number for the question
    the person has in front of them (post_id None)."""
    exams = ctx.services.exams
    if post_id is not None:
        found = await exams.by_post(post_id)
        if found is None:
            return [Text(ctx.t("answer_unknown"), ephemeral=True)]
        paper, item = found
        slot = item.slot
    else:
        open_paper = await exams.open_paper(ctx.user_id)
        if open_paper is None or open_paper.chat_id != ctx.chat_id:
            return [Text(ctx.t("answer_no_open"), ephemeral=True)]
        paper, slot = open_paper, open_paper.at_slot
    if paper.user_id != ctx.user_id:
        return [Text(ctx.t("exam_not_yours"), ephemeral=True)]
    if not paper.is_open:
        return [Text(ctx.t("exam_already_graded"), ephemeral=True)]
    if paper.deadline <= ctx.now:
        return await _timed_out(ctx, paper)
    items = await exams.items(paper.id)
    before = next(i for i in items if i.slot == slot)
    question = ctx.rt.library.questions.get(before.question_id)
    count = len(question.options) if question else 0
    if not 1 <= option <= count:
        return [Text(ctx.t("answer_out_of_range", count=count), ephemeral=True)]
    if not await exams.answer(paper.id, slot, option, ctx.now):
        # Graded or out of time between our read and this write.
        current = await exams.paper(paper.id)
        if current is not None and current.is_open:
            return await _timed_out(ctx, current)
        return [Text(ctx.t("exam_already_graded"), ephemeral=True)]
    if before.option is None:
        said = ctx.t("exam_answered", slot=slot, option=circled(option))
    elif before.option == option:
        said = ctx.t("exam_answer_same", slot=slot, option=circled(option))
    else:
        said = ctx.t("exam_answer_changed", slot=slot, option=circled(option))
    items = await exams.items(paper.id)
    target = next_unanswered(items, slot)
    if target is None:
        return [Text(said + "\n" + ctx.t("exam_all_answered"))]
    await ctx.rt.platforms.send(ctx.chat, Text(said))
    await ctx.runners.exams.show(ctx.chat, paper, target.slot, ctx.place)
    return []
