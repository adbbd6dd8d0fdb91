"""Command handlers, one module per service they speak for; the table below is the whole set."""

from __future__ import annotations

from bot.context import Ctx
from bot.handlers import (
    announcements,
    authoring,
    basic,
    contests,
    daily,
    exams,
    files,
    instructors,
    lookup,
    quiz,
    reports,
    review,
    scores,
    stats,
)
from bot.handlers.suggestions import queue as queue_command
from bot.handlers.suggestions import suggest as suggest_command
from bot.routes import Handler, Routes
from bot.types import Content

COMMANDS: dict[str, Handler] = {
    # /start notes a private chat for review reminders; /help review explains the ratings.
    "start": review.start,
    "help": review.help_,
    "lang": basic.lang,
    "quiz": quiz.quiz,
    "answer": quiz.answer,
    "reveal": quiz.reveal,
    "term": lookup.term,
    "top": scores.top,
    "me": scores.me,
    "daily": daily.daily,
    "contest": contests.contest,
    "announce": announcements.announce,
    "instructor": instructors.instructor,
    "review": review.review,
    "hard": stats.hard,
    "stats": stats.stats,
    "addq": authoring.addq,
    "suggest": suggest_command,
    "queue": queue_command,
    "qset": authoring.qset,
    "exam": exams.exam,
    "report": reports.report,
    "reports": reports.reports,
    "fix": reports.fix,
}


def unknown_command(ctx: Ctx, name: str) -> list[Content]:
    return basic.unknown_command(ctx, name, sorted(COMMANDS))


async def converse(ctx: Ctx, text: str) -> list[Content] | None:
    """Private text that is not an answer: a conversation's next step, else a paper's move."""
    said = await files.converse(ctx, text)
    if said is not None:
        return said
    return await exams.bare_move(ctx, text)


ROUTES = Routes(
    commands=COMMANDS,
    choice=quiz.answer_choice,
    read_answer=quiz.parse_option,
    text_answer=quiz.answer_text,
    unknown=unknown_command,
    submitted=authoring.submitted,
    form=authoring.form_for,
    converse=converse,
    long_input=frozenset({"addq", "suggest", "queue"}),
    file=files.received,
)

__all__ = ["COMMANDS", "ROUTES", "unknown_command"]
