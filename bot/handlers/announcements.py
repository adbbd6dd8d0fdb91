"""/announce: send now, schedule, list, cancel, or send to every chat one instructs."""

from __future__ import annotations

from bot.context import Ctx
from bot.handlers.permissions import is_instructor, refuse
from bot.handlers.when import When, read_schedule
from bot.markup import esc
from bot.types import Content, Text

MAX_BODY = 3500
LIST = {"list", "목록"}
CANCEL = {"cancel", "취소"}
EVERYWHERE = {"all", "전체"}


def preview(body: str, width: int = 30) -> str:
    flat = " ".join(body.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


async def announce(ctx: Ctx, args: str) -> list[Content]:
    first, _, rest = args.strip().partition(" ")
    keyword = first.lower()
    if keyword in LIST:
        if not await is_instructor(ctx):
            return refuse(ctx, "action_announce_list")
        return await _list(ctx)
    if keyword in CANCEL:
        if not await is_instructor(ctx):
            return refuse(ctx, "action_announce_cancel")
        return await _cancel(ctx, rest.strip())
    if not await is_instructor(ctx):
        return refuse(ctx, "action_announce")
    everywhere = keyword in EVERYWHERE
    schedule = read_schedule(rest if everywhere else args, ctx.now, ctx.place)
    if schedule.when is When.BAD:
        value = esc(schedule.typed[:30])
        return [Text(ctx.t("announce_bad_when", value=value), ephemeral=True)]
    if schedule.when is When.PAST_TODAY:
        clock = schedule.typed
        return [Text(ctx.t("announce_past_today", time=esc(clock)), ephemeral=True)]
    if schedule.when is When.PAST:
        return [Text(ctx.t("announce_past"), ephemeral=True)]
    text = schedule.body
    due = schedule.due or ctx.now
    if not text:
        return [Text(ctx.t("announce_usage"), ephemeral=True)]
    if len(text) > MAX_BODY:
        return [Text(ctx.t("too_long", max=MAX_BODY), ephemeral=True)]
    targets = [ctx.chat_id]
    if everywhere:
        targets = await ctx.services.instructors.chats_of(ctx.user_id, ctx.chat.platform) or targets
    aid = await ctx.services.announcements.create(
        author_id=ctx.user_id,
        origin_chat_id=ctx.chat_id,
        body=text,
        due_at=due,
        targets=targets,
        now=ctx.now,
    )
    if due <= ctx.now:
        await ctx.runners.announcements.deliver_due()
        return [Text(ctx.t("announce_sent", chats=len(targets)), ephemeral=True)]
    ctx.runners.announcements.arm(aid, due)
    shown = ctx.place.stamp(due)
    return [
        Text(ctx.t("announce_scheduled", id=aid, when=shown, chats=len(targets)), ephemeral=True)
    ]


async def _list(ctx: Ctx) -> list[Content]:
    items = await ctx.services.announcements.scheduled(ctx.chat_id, ctx.now)
    if not items:
        return [Text(ctx.t("announce_none"), ephemeral=True)]
    lines = [ctx.t("announce_list_title")]
    lines += [
        ctx.t(
            "announce_list_row",
            id=item.id,
            when=ctx.place.stamp(item.due_at, "%m-%d %H:%M"),
            chats=item.chats,
            preview=esc(preview(item.body)),
        )
        for item in items
    ]
    return [Text("\n".join(lines), ephemeral=True)]


async def _cancel(ctx: Ctx, raw: str) -> list[Content]:
    number = raw.lstrip("#")
    if not number.isdigit():
        return [Text(ctx.t("announce_cancel_usage"), ephemeral=True)]
    found = await ctx.services.announcements.get(int(number))
    # An instructor of this chat may cancel only what was made here.
    if found is None or found.origin_chat_id != ctx.chat_id:
        return [Text(ctx.t("announce_not_here", id=int(number)), ephemeral=True)]
    if await ctx.services.announcements.cancel(found.id, ctx.now) == 0:
        return [Text(ctx.t("announce_already_done", id=found.id), ephemeral=True)]
    return [Text(ctx.t("announce_cancelled", id=found.id), ephemeral=True)]
