"""Command handlers, one module per family; the table below is the whole command set."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot.context import Ctx
from bot.handlers import announce, basic, board, contest, daily, instructor, quiz, term
from bot.handlers.quiz import answer_choice, answer_text
from bot.types import Content

Handler = Callable[[Ctx, str], Awaitable[list[Content]]]

COMMANDS: dict[str, Handler] = {
    "start": basic.start,
    "help": basic.help_,
    "lang": basic.lang,
    "quiz": quiz.quiz,
    "answer": quiz.answer,
    "reveal": quiz.reveal,
    "term": term.term,
    "top": board.top,
    "me": board.me,
    "daily": daily.daily,
    "contest": contest.contest,
    "announce": announce.announce,
    "instructor": instructor.instructor,
}


def unknown_command(ctx: Ctx, name: str) -> list[Content]:
    return basic.unknown_command(ctx, name, sorted(COMMANDS))


__all__ = ["COMMANDS", "Handler", "answer_choice", "answer_text", "unknown_command"]
