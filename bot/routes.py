"""The shape of the command table the core routes events through."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass

from bot.context import Ctx
from bot.types import Content

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
