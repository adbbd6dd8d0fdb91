"""The shape of the command table the core routes events through."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass

from bot.context import Ctx
from bot.types import Content, FileReceived, QuestionForm, Text

Handler = Callable[[Ctx, str], Awaitable[list[Content]]]


@dataclass(frozen=True, slots=True)
class Routes:
    commands: Mapping[str, Handler]
    # A button tap or poll vote: (ctx, post id, option).
    choice: Callable[[Ctx, int, int], Awaitable[list[Content]]]
    # Plain chat text that reads as an answer ('3', '③'); other chatter never reaches a handler.
    read_answer: Callable[[str], int | None]
    text_answer: Callable[[Ctx, int], Awaitable[list[Content]]]
    unknown: Callable[[Ctx, str], list[Content]]
    # A question sent as a form (a Discord modal, a Telegram quiz poll).
    submitted: Callable[[Ctx, QuestionForm], Awaitable[list[Content]]] | None = None
    # The form a platform opens for a question (filled in for an edit), or a refusal.
    form: Callable[[Ctx, str, int | None], Awaitable[QuestionForm | Text]] | None = None
    # Text in a private chat, for a conversation waiting on it (None: no conversation).
    converse: Callable[[Ctx, str], Awaitable[list[Content] | None]] | None = None
    # Commands whose arguments are a whole question and may run longer than other input.
    long_input: frozenset[str] = frozenset()
    # A file sent to the bot (a question set, a picture for a question).
    file: Callable[[Ctx, FileReceived], Awaitable[list[Content]]] | None = None
