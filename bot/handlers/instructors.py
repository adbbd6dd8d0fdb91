"""/instructor: list a chat's instructors; admins add and remove them."""

from __future__ import annotations

from bot.context import Ctx
from bot.handlers.permissions import is_admin, is_instructor
from bot.markup import esc
from bot.services.instructors import ROLE_ADMIN
from bot.types import CommandReceived, Content, Text

ADD = {"add", "추가"}
REMOVE = {"remove", "삭제", "빼기"}


async def instructor(ctx: Ctx, args: str) -> list[Content]:
    action = args.strip().split(" ", 1)[0].lower()
    if action in ("", "list", "목록"):
        people = await ctx.services.instructors.listing(ctx.chat_id)
        if not people:
            return [Text(ctx.t("instructor_none"))]
        names = [
            esc(p.name) + (f" ({ctx.t('instructor_admin')})" if p.role == ROLE_ADMIN else "")
            for p in people
        ]
        return [Text(ctx.t("instructor_list", names=", ".join(names)))]
    if action not in ADD | REMOVE:
        return [Text(ctx.t("instructor_usage"), ephemeral=True)]
    if not is_admin(ctx):
        return [Text(ctx.t("instructor_admin_only"), ephemeral=True)]
    await is_instructor(ctx)  # remembers the admin among the chat's instructors
    mentions = ctx.event.mentions if isinstance(ctx.event, CommandReceived) else ()
    if not mentions:
        return [Text(ctx.t("instructor_who"), ephemeral=True)]
    target = mentions[0]
    target_id = await ctx.services.registry.user_id(target)
    name = esc(target.display_name)
    if action in ADD:
        added = await ctx.services.instructors.add(ctx.chat_id, target_id, ctx.user_id, ctx.now)
        key = "instructor_added" if added else "instructor_already"
    else:
        removed = await ctx.services.instructors.remove(ctx.chat_id, target_id)
        key = "instructor_removed" if removed else "instructor_not_one"
    return [Text(ctx.t(key, name=name))]
