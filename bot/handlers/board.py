"""/top and /me."""

from __future__ import annotations

from bot.context import Ctx
from bot.handlers.render import board_content, percent
from bot.markup import bold, esc
from bot.types import Content, Text

BOARD_SIZE = 10


async def top(ctx: Ctx, _args: str) -> list[Content]:
    board = await ctx.core.scores.board(ctx.chat_id, ctx.user_id, limit=BOARD_SIZE)
    if not board.top:
        return [Text(ctx.t("top_empty"))]
    return [board_content(board, ctx.user_id, ctx.locale)]


async def me(ctx: Ctx, _args: str) -> list[Content]:
    name = esc(ctx.user.display_name)
    mine = await ctx.core.scores.standing(ctx.chat_id, ctx.user_id)
    if mine is None:
        return [Text(ctx.t("me_none", name=name))]
    board = await ctx.core.scores.board(ctx.chat_id, None, limit=0)
    body = ctx.t(
        "me_body",
        points=mine.points,
        rank=mine.rank,
        players=board.players,
        answered=mine.answered,
        correct=mine.correct,
        rate=percent(mine.correct, mine.answered),
    )
    return [Text(f"{bold(ctx.t('me_title', name=name))}\n{body}")]
