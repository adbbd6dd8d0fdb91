"""/announce: send now, schedule, list, cancel, or send to every chat one instructs."""

from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.context import Ctx
from bot.handlers.permissions import is_instructor, refuse
from bot.markup import esc
from bot.services.daily import parse_hhmm
from bot.types import Content, Text

MAX_BODY = 3500
LIST = {"list", "목록"}
CANCEL = {"cancel", "취소"}
EVERYWHERE = {"all", "전체"}
_WHEN = re.compile(r"^(\d{4}-\d{1,2}-\d{1,2})\s+(\S+)(?:\s+(.*))?$", re.S)


def preview(body: str, width: int = 30) -> str:
    flat = " ".join(body.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


async def announce(ctx: Ctx, args: str) -> list[Content]:
    if not await is_instructor(ctx):
        return refuse(ctx, "action_announce")
    first, _, rest = args.strip().partition(" ")
    keyword = first.lower()
    if keyword in LIST:
        return await _list(ctx)
    if keyword in CANCEL:
        return await _cancel(ctx, rest.strip())
    everywhere = keyword in EVERYWHERE
    text = rest.strip() if everywhere else args.strip()
    zone = ctx.zone
    due = ctx.now
    match = _WHEN.match(text)
    if match:
        day, clock, body = match.group(1), match.group(2), (match.group(3) or "").strip()
        when = _local_datetime(day, clock, zone)
        if when is None:
            return [
                Text(ctx.t("announce_bad_when", value=esc(f"{day} {clock}"[:30])), ephemeral=True)
            ]
        if when <= ctx.now:
            return [Text(ctx.t("announce_past"), ephemeral=True)]
        due, text = when, body
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


def _local_datetime(day: str, clock: str, zone: ZoneInfo) -> datetime | None:
    try:
        parsed = date.fromisoformat("-".join(p.zfill(2) for p in day.split("-")))
    except ValueError:
        return None
    at = parse_hhmm(clock)
    if at is None:
        return None
    return datetime.combine(parsed, at, zone)


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
