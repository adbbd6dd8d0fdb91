"""Who may do what: chat admins and added instructors."""

from __future__ import annotations

from bot.context import Ctx
from bot.types import CommandReceived, Content, FileReceived, QuestionSubmitted, Text


def is_admin(ctx: Ctx) -> bool:
    return (
        isinstance(ctx.event, CommandReceived | QuestionSubmitted | FileReceived)
        and ctx.event.is_admin
    )


async def is_instructor(ctx: Ctx) -> bool:
    return await ctx.services.instructors.check(
        ctx.chat_id, ctx.user_id, is_admin=is_admin(ctx), now=ctx.now
    )


def refuse(ctx: Ctx, action_key: str) -> list[Content]:
    """A refusal that says why and what to do instead."""
    return [Text(ctx.t("need_instructor", action=ctx.t(action_key)), ephemeral=True)]
