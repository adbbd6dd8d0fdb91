"""/quiz, /answer, /reveal, and answers given as bare numbers or button taps."""

from __future__ import annotations

import math
import re

from bot.content.schema import Question
from bot.context import Ctx
from bot.handlers import exams, review
from bot.handlers.permissions import is_instructor
from bot.i18n import CIRCLED
from bot.markup import esc
from bot.render import answer_label, question_card
from bot.services.lookup import MAX_QUERY
from bot.services.quiz import AnswerStatus, OpenPost
from bot.types import ChoiceSelected, Content, Text

_BARE_ANSWER = re.compile(r"^\s*(?:(\d{1,2})|([①-⑩])|([oOxX○×]))\s*(?:번)?\s*[.!]?\s*$")


def parse_option(text: str) -> int | None:
    """'3', '3번', '③' give 3; 'O'/'X' give 1/2 as OX questions list them."""
    match = _BARE_ANSWER.match(text)
    if match is None:
        return None
    digits, circled, ox = match.groups()
    if digits:
        return int(digits)
    if circled:
        return CIRCLED.index(circled) + 1
    return 1 if ox in "oO○" else 2


async def _own_question(ctx: Ctx, query: str) -> Question | None:
    """'/quiz chat-12', or '/quiz 가상화' naming a topic of the chat's own questions."""
    own = await ctx.services.bank.chat_questions(ctx.chat_id)
    wanted = query.lower()
    mine = [q for q in own if q.id == query] or [
        q for q in own if wanted in {t.lower() for t in q.topics}
    ]
    if not mine:
        return None
    asked = await ctx.services.quiz.asked_question_ids(ctx.chat_id)
    return ctx.rt.rng.choice([q for q in mine if q.id not in asked] or mine)


async def pick_question(ctx: Ctx, query: str) -> Question | None:
    library = ctx.rt.library
    if query:
        if query in library.questions:
            return library.questions[query]
        mine = await _own_question(ctx, query)
        if mine is not None:
            return mine
        # A subject or chapter (/quiz 정보보호론, /quiz 운영체제), a term, then a topic.
        pool = library.questions_in(query, topics=False)
        if not pool:
            found = ctx.services.lookup.find(query)
            if found.term is not None:
                pool = library.questions_for_term(found.term.id)
        pool = pool or library.questions_in(query)
        if not pool:
            return None
    else:
        pool = [*library.questions.values(), *await ctx.services.bank.chat_questions(ctx.chat_id)]
    if not pool:
        return None
    asked = await ctx.services.quiz.asked_question_ids(ctx.chat_id)
    fresh = [q for q in pool if q.id not in asked] or pool
    return ctx.rt.rng.choice(fresh)


async def quiz(ctx: Ctx, args: str) -> list[Content]:
    query = args.strip()
    if len(query) > MAX_QUERY:
        return [Text(ctx.t("too_long", max=MAX_QUERY), ephemeral=True)]
    if await ctx.services.contests.running(ctx.chat_id):
        return [Text(ctx.t("quiz_contest_running"), ephemeral=True)]
    current = await ctx.services.quiz.latest_open(ctx.chat_id, ctx.now)
    if current is not None and current.kind == "quiz":
        return [Text(ctx.t("quiz_open_exists", post_id=current.post_id), ephemeral=True)]
    question = await pick_question(ctx, query)
    if question is None:
        if query:
            return [Text(ctx.t("quiz_not_found", query=esc(query)), ephemeral=True)]
        return [Text(ctx.t("quiz_empty"), ephemeral=True)]
    closes_at = ctx.now + ctx.rt.quiz_window()
    post_id = await ctx.services.quiz.open_post(
        chat_id=ctx.chat_id,
        question_id=question.id,
        options_count=len(question.options),
        correct=question.answers,
        kind="quiz",
        now=ctx.now,
        closes_at=closes_at,
        opened_by=ctx.user_id,
    )
    ctx.runners.quiz.arm_close(post_id, closes_at)
    image = await ctx.services.bank.image_of(question)
    card = question_card(
        question, post_id, closes_at, ctx.locale, ctx.local_time(closes_at), image=image
    )
    await ctx.runners.quiz.post_question(ctx.chat, card)
    return []


async def answer(ctx: Ctx, args: str) -> list[Content]:
    option = parse_option(args)
    if option is None:
        return [Text(ctx.t("answer_usage"), ephemeral=True)]
    current = await ctx.services.quiz.latest_open(ctx.chat_id, ctx.now)
    if current is None:
        return [Text(ctx.t("answer_no_open"), ephemeral=True)]
    if current.kind == "exam":
        return await exams.answered(ctx, None, option)  # the question the person is on
    return await answer_choice(ctx, current.post_id, option)


async def answer_text(ctx: Ctx, option: int) -> list[Content]:
    """A bare '3' in the chat answers its newest open question; other chatter is ignored."""
    current = await ctx.services.quiz.latest_open(ctx.chat_id, ctx.now)
    if current is None:
        return []
    if current.kind == "exam":
        return await exams.answered(ctx, None, option)  # the question the person is on
    return await answer_choice(ctx, current.post_id, option)


async def answer_choice(ctx: Ctx, post_id: int, option: int) -> list[Content]:
    # review=True: an accepted answer's card write goes into the answer's own transaction.
    outcome = await ctx.services.quiz.record_answer(
        chat_id=ctx.chat_id,
        user_id=ctx.user_id,
        post_id=post_id,
        option=option,
        now=ctx.now,
        review=True,
    )
    name = esc(ctx.user.display_name)
    status = outcome.status
    if outcome.kind == "exam" and status in (AnswerStatus.OUT_OF_RANGE, AnswerStatus.CLOSED):
        # A paper's card takes no answer as a post; the paper keeps it (changeable, unseen).
        return await exams.answered(ctx, post_id, option)
    if status is AnswerStatus.DUPLICATE:
        return [
            Text(
                ctx.t("answer_duplicate", name=name, option=outcome.previous_option), ephemeral=True
            )
        ]
    if status is AnswerStatus.CLOSED:
        return [Text(ctx.t("answer_closed"), ephemeral=True)]
    if status is AnswerStatus.FOREIGN:
        return [Text(ctx.t("answer_foreign"), ephemeral=True)]
    if status is AnswerStatus.OUT_OF_RANGE:
        return [Text(ctx.t("answer_out_of_range", count=outcome.options_count), ephemeral=True)]
    if status is AnswerStatus.UNKNOWN:
        return [Text(ctx.t("answer_unknown"), ephemeral=True)]
    # Every accepted answer is a review of the person's card; a review card replies itself.
    reviewed = await review.answered(ctx, outcome)
    if reviewed is not None:
        return reviewed
    if isinstance(ctx.event, ChoiceSelected) and ctx.event.shown:
        return []
    if not ctx.rt.platforms.capabilities(ctx.chat).ephemeral:
        # Without private replies the result would spoil the question for the whole chat.
        return [Text(ctx.t("answer_received", name=name))]
    question = await ctx.services.bank.get(outcome.question_id)
    if outcome.correct:
        lines = [ctx.t("answer_correct", points=outcome.points)]
    else:
        correct = ", ".join(str(n) for n in (question.answers if question else ()))
        lines = [ctx.t("answer_wrong", correct=correct or "?")]
    if question is not None:
        lines.append(esc(ctx.t("answer_explanation", explanation=question.explanation)))
    return [Text("\n".join(lines), ephemeral=True)]


async def reveal(ctx: Ctx, _args: str) -> list[Content]:
    current = await ctx.services.quiz.latest_open(ctx.chat_id, ctx.now)
    if current is None:
        return [Text(ctx.t("reveal_none"), ephemeral=True)]
    if current.kind == "contest":
        # The contest's own timer reveals each round and asks the next; closing one here
        # would leave the contest waiting for a deadline that no longer comes.
        return [Text(ctx.t("reveal_contest", seconds=_seconds_left(ctx, current)), ephemeral=True)]
    if current.kind == "exam":
        return [Text(ctx.t("exam_no_reveal"), ephemeral=True)]  # 정답 comes with the result
    allowed = current.opened_by == ctx.user_id or await is_instructor(ctx)
    if not allowed:
        when = ctx.local_time(current.closes_at) if current.closes_at else "-"
        return [Text(ctx.t("reveal_not_allowed", time=when), ephemeral=True)]
    await ctx.runners.quiz.close_post(current.post_id)
    return []


def _seconds_left(ctx: Ctx, post: OpenPost) -> int:
    if post.closes_at is None:
        return 0
    return max(0, math.ceil((post.closes_at - ctx.now).total_seconds()))


__all__ = ["answer", "answer_choice", "answer_label", "answer_text", "quiz", "reveal"]
