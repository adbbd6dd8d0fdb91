"""/instructor: list a chat's instructors; admins add and remove them."""

from __future__ import annotations

from bot.context import Ctx
from bot.handlers.permissions import is_admin, is_instructor
from bot.markup import esc
from bot.services.instructors import ROLE_ADMIN
from bot.types import CommandReceived, Content, Text

ADD = {"add", "추가"}
REMOVE = {"remove", "삭제", "빼기", "해제"}
QUOTES = "\"'“”‘’「」"


def typed_name(rest: str) -> str:
    """'@김 지영', '"김 지영"' and '@"김 지영"' all name 김 지영: the whole rest, unquoted."""
    name = rest.strip().lstrip("@").strip().strip(QUOTES).strip()
    return " ".join(name.split())


async def instructor(ctx: Ctx, args: str) -> list[Content]:
    action, _, rest = args.strip().partition(" ")
    action = action.lower()
    # An admin is an instructor by being an admin: listed as one from their first word here.
    await is_instructor(ctx)
    if action in ("", "list", "목록"):
        return await _listing(ctx)
    if action not in ADD | REMOVE:
        return [Text(ctx.t("instructor_usage"), ephemeral=True)]
    if not is_admin(ctx):
        return [Text(ctx.t("instructor_admin_only"), ephemeral=True)]
    adding = action in ADD
    target = await _target(ctx, typed_name(rest), adding)
    if isinstance(target, Text):
        return [target]
    target_id, shown = target
    name = esc(shown)
    if adding:
        added = await ctx.services.instructors.add(ctx.chat_id, target_id, ctx.user_id, ctx.now)
        key = "instructor_added" if added else "instructor_already"
    elif await ctx.services.instructors.role(ctx.chat_id, target_id) == ROLE_ADMIN:
        key = "instructor_remove_admin"
    else:
        removed = await ctx.services.instructors.remove(ctx.chat_id, target_id)
        key = "instructor_removed" if removed else "instructor_not_one"
    return [Text(ctx.t(key, name=name))]


async def _listing(ctx: Ctx) -> list[Content]:
    people = await ctx.services.instructors.listing(ctx.chat_id)
    if not people:
        return [Text(ctx.t("instructor_none"))]
    names = [
        esc(p.name) + (f" ({ctx.t('instructor_admin')})" if p.role == ROLE_ADMIN else "")
        for p in people
    ]
    return [Text(ctx.t("instructor_list", names=", ".join(names)))]


async def _target(ctx: Ctx, name: str, adding: bool) -> tuple[int, str] | Text:
    """Whom the command means: a whole display name typed out, else the platform's mention.

    A reply or a mention points at a real person the platform vouches for (the console
    only makes mentions of people who have spoken there). A typed name without one must be
    someone the bot has seen.
    """
    mentions = ctx.event.mentions if isinstance(ctx.event, CommandReceived) else ()
    service = ctx.services.instructors
    if not name:
        if not mentions:
            key = "instructor_who" if adding else "instructor_who_remove"
            return Text(ctx.t(key), ephemeral=True)
        return await ctx.services.registry.user_id(mentions[0]), mentions[0].display_name
    found = await service.people_named(ctx.chat_id, ctx.chat.platform, name)
    if len(found) == 1:
        return found[0]
    if len(found) > 1:
        return Text(ctx.t("instructor_ambiguous", name=esc(name)), ephemeral=True)
    for mention in mentions:
        if name.startswith(mention.display_name + " "):
            continue  # '@김 지영' read as '@김': only part of the name that was typed
        return await ctx.services.registry.user_id(mention), mention.display_name
    return Text(ctx.t("instructor_unknown", name=esc(name[:40])), ephemeral=True)
