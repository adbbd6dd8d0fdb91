"""Mock exams on a timer: question cards that show the time left, the deadline that grades
a paper, and the result (score, time, topics, 과락, every wrong question with 정답 and 해설).

The deadline lives in the paper's row; the timer is only a wake-up. At start every open
paper is re-armed with the time it has left, and one whose deadline passed while the bot
was down is graded then; the sweep grades any a lost timer left behind.
"""

from __future__ import annotations

import logging
import math
from datetime import datetime, timedelta

from bot.content.schema import Question
from bot.features.quiz import QuizRunner
from bot.i18n import circled, t
from bot.markup import bold, esc
from bot.places import Place
from bot.render import answer_label
from bot.runtime import Runtime
from bot.services.exams import (
    PASS_MARK,
    TIMEOUT,
    Graded,
    Item,
    Paper,
    find_subject,
)
from bot.timers import arm
from bot.types import ChatRef, Content, QuestionCard, SentRef, Text

log = logging.getLogger(__name__)

WARN_BEFORE = timedelta(minutes=5)  # "5분 남았어요", when the paper is longer than this
# A result part is cut below the smallest platform limit, leaving room for a header.
PART_LIMIT = 1800


def timer_key(paper_id: int) -> str:
    return f"exam-{paper_id}"


def warn_key(paper_id: int) -> str:
    return f"exam-warn-{paper_id}"


def left_text(locale: str, now: datetime, deadline: datetime) -> str:
    """'14분', '45초': the time a paper has left, rounded up so it never reads 0 too early."""
    seconds = max(0, math.ceil((deadline - now).total_seconds()))
    if seconds >= 60:
        return t(locale, "exam_minutes", minutes=math.ceil(seconds / 60))
    return t(locale, "exam_seconds", seconds=seconds)


def duration_text(locale: str, used: timedelta) -> str:
    seconds = max(0, int(used.total_seconds()))
    minutes, rest = divmod(seconds, 60)
    if minutes and rest:
        return t(locale, "exam_duration", minutes=minutes, seconds=rest)
    if minutes:
        return t(locale, "exam_minutes", minutes=minutes)
    return t(locale, "exam_seconds", seconds=rest)


def subject_name(rt: Runtime, key: str) -> str:
    found = find_subject(rt.library, key)
    return found.name if found else key


def exam_card(
    question: Question, paper: Paper, item: Item, now: datetime, locale: str
) -> QuestionCard:
    """A paper's question: its place in the paper and the time left; no key, no 해설."""
    header = t(
        locale,
        "exam_card_header",
        slot=item.slot,
        total=paper.total,
        left=left_text(locale, now, paper.deadline),
    )
    if question.past_exam and question.source:
        header += " · " + t(locale, "past_exam_source", source=question.source)
    if item.option is not None:
        header += " · " + t(locale, "exam_card_answered", option=circled(item.option))
    lines = [bold(esc(header)), esc(question.stem), ""]
    lines += [f"{circled(i)} {esc(opt)}" for i, opt in enumerate(question.options, 1)]
    lines += ["", t(locale, "exam_how_to_answer")]
    return QuestionCard(
        post_id=item.post_id,
        stem=question.stem,
        options=question.options,
        correct=(),  # nothing to reveal: a platform's quiz mode is never used for a paper
        explanation="",
        header=header,
        closes_at=paper.deadline,
        fallback="\n".join(lines),
    )


class ExamRunner:
    def __init__(self, rt: Runtime, quiz: QuizRunner) -> None:
        self.rt = rt
        self.quiz = quiz

    # ------------------------------------------------------------------ the paper

    async def show(self, chat: ChatRef, paper: Paper, slot: int, place: Place) -> bool:
        """Put a question in front of the person; False when its question left the bank."""
        rt = self.rt
        now = rt.clock.now()
        items = await rt.services.exams.items(paper.id)
        item = next((i for i in items if i.slot == slot), None)
        if item is None:
            return False
        question = rt.library.questions.get(item.question_id)
        if question is None:
            await rt.platforms.send(chat, Text(t(place.locale, "exam_question_gone", slot=slot)))
            return False
        await rt.services.exams.show(paper.id, slot, now)
        await self.quiz.post_question(chat, exam_card(question, paper, item, now, place.locale))
        return True

    def arm(self, paper: Paper) -> None:
        rt = self.rt
        arm(rt.timers, paper.deadline, timer_key(paper.id), self.expire, paper.id)
        warn_at = paper.deadline - WARN_BEFORE
        if paper.minutes * 60 > WARN_BEFORE.total_seconds() and warn_at > rt.clock.now():
            arm(rt.timers, warn_at, warn_key(paper.id), self.warn, paper.id)

    def disarm(self, paper_id: int) -> None:
        self.rt.timers.cancel(timer_key(paper_id))
        self.rt.timers.cancel(warn_key(paper_id))

    async def warn(self, paper_id: int) -> None:
        rt = self.rt
        paper = await rt.services.exams.paper(paper_id)
        if paper is None or not paper.is_open:
            return
        chat = await rt.services.registry.chat_ref(paper.chat_id)
        if chat is None:
            return
        place = await rt.places.of(paper.chat_id)
        items = await rt.services.exams.items(paper_id)
        left = sum(1 for i in items if i.option is None)
        body = t(
            place.locale,
            "exam_warning",
            left=left_text(place.locale, rt.clock.now(), paper.deadline),
            unanswered=left,
        )
        await rt.pacer.send(chat, Text(body))

    # ------------------------------------------------------------------ grading

    async def finish(self, paper_id: int, ended_by: str) -> list[Content] | None:
        """Grade the paper and give its result; None when it was graded already."""
        rt = self.rt
        now = rt.clock.now()
        graded = await rt.services.exams.grade(paper_id, now, ended_by, rt.library.questions)
        if graded is None:
            return None
        self.disarm(paper_id)
        paper = graded.paper
        log.info(
            "exam graded paper=%d user=%d score=%s by=%s",
            paper.id,
            paper.user_id,
            paper.score,
            ended_by,
        )
        chat = await rt.services.registry.chat_ref(paper.chat_id)
        if chat is not None:
            for _chat_id, message_ref, native_ref in graded.cards:
                await rt.platforms.close_question(SentRef(chat, message_ref, native_ref))
        added = graded.added
        place = await rt.places.of(paper.chat_id)
        limit = PART_LIMIT
        if chat is not None:
            limit = min(limit, rt.platforms.capabilities(chat).max_text_len - 100)
        return result_texts(rt, graded, added, place, max(limit, 200))

    async def expire(self, paper_id: int) -> None:
        """The deadline: grade the paper and send the result to its chat."""
        rt = self.rt
        contents = await self.finish(paper_id, TIMEOUT)
        if contents is None:
            return
        paper = await rt.services.exams.paper(paper_id)
        chat = await rt.services.registry.chat_ref(paper.chat_id) if paper else None
        if chat is None:
            return
        for content in contents:
            await rt.pacer.send(chat, content)

    async def start(self) -> None:
        """Grade what ran out while the bot was down; give the rest their timers back."""
        now = self.rt.clock.now()
        for paper in await self.rt.services.exams.open_papers():
            if paper.deadline <= now:
                await self.expire(paper.id)
            else:
                self.arm(paper)

    async def sweep(self) -> None:
        for paper in await self.rt.services.exams.due(self.rt.clock.now()):
            await self.expire(paper.id)


# ------------------------------------------------------------------ the result


def result_texts(
    rt: Runtime, graded: Graded, added: int, place: Place, limit: int
) -> list[Content]:
    locale = place.locale
    paper, items = graded.paper, graded.items
    right = paper.right or 0
    score = paper.score or 0
    lines = [
        bold(esc(t(locale, "exam_result_title", subject=subject_name(rt, paper.subject)))),
        t(locale, "exam_result_score", score=score, right=right, total=paper.total),
    ]
    used = duration_text(locale, paper.time_used())
    key = "exam_result_time_out" if paper.ended_by == TIMEOUT else "exam_result_time"
    lines.append(t(locale, key, used=used, minutes=paper.minutes))
    if score < PASS_MARK:
        lines.append(t(locale, "exam_result_fail", mark=PASS_MARK))
    lines += ["", bold(t(locale, "exam_result_topics"))]
    topics: dict[str, list[int]] = {}
    for item in items:
        tally = topics.setdefault(item.topic, [0, 0])
        tally[0 if item.correct else 1] += 1
    for topic, (good, bad) in topics.items():
        lines.append(t(locale, "exam_result_topic", topic=esc(topic), right=good, wrong=bad))
    wrong = [i for i in items if not i.correct]
    lines.append("")
    if not wrong:
        lines.append(t(locale, "exam_result_perfect"))
    elif added:
        lines.append(t(locale, "exam_result_deck", count=len(wrong), added=added))
    else:
        lines.append(t(locale, "exam_result_deck_had", count=len(wrong)))
    out: list[Content] = [Text("\n".join(lines))]
    blocks = [_wrong_block(rt, item, locale) for item in wrong]
    parts: list[list[str]] = []
    size = 0
    for block in blocks:
        if parts and size + len(block) + 2 <= limit:
            parts[-1].append(block)
            size += len(block) + 2
        else:
            parts.append([block])
            size = len(block)
    for n, part in enumerate(parts, 1):
        title = t(locale, "exam_wrong_title", part=n, parts=len(parts))
        out.append(Text(bold(esc(title)) + "\n\n" + "\n\n".join(part)))
    return out


def _wrong_block(rt: Runtime, item: Item, locale: str) -> str:
    question = rt.library.questions.get(item.question_id)
    head = t(locale, "exam_wrong_head", slot=item.slot, topic=item.topic)
    if question is not None and question.past_exam and question.source:
        head += " · " + t(locale, "past_exam_source", source=question.source)
    lines = [bold(esc(head))]
    if question is not None:
        lines.append(esc(question.stem))
    if item.option is None:
        lines.append(t(locale, "exam_wrong_blank"))
    else:
        mine = answer_label(question, (item.option,))
        lines.append(esc(t(locale, "exam_wrong_mine", answer=mine)))
    lines.append(esc(t(locale, "exam_wrong_answer", answer=answer_label(question, item.key))))
    if question is not None and question.explanation:
        lines.append(esc(t(locale, "answer_explanation", explanation=question.explanation)))
    return "\n".join(lines)
