"""/daily: turn the daily question on or off and set its time, close time, topics and zone."""

from __future__ import annotations

from collections import Counter
from datetime import time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from rapidfuzz import fuzz, process

from bot.content.loader import fold
from bot.context import Ctx
from bot.handlers.permissions import is_instructor, refuse
from bot.markup import esc
from bot.services.daily import Subscription, parse_hhmm
from bot.types import Content, Text

ON = {"on", "켜기", "켬"}
OFF = {"off", "끄기", "끔"}
ALL_TOPICS = {"all", "전체", "모두"}
TIME = {"time", "시간"}
CLOSE = {"close", "마감"}


def describe(ctx: Ctx, sub: Subscription) -> str:
    zone = sub.timezone or ctx.rt.places.default_zone.key
    topics = ", ".join(sub.topics) if sub.topics else ctx.t("daily_all_topics")
    state = ctx.t("daily_on" if sub.enabled else "daily_off")
    return ctx.t(
        "daily_status",
        state=state,
        time=sub.at_time.strftime("%H:%M"),
        close=sub.close_time.strftime("%H:%M"),
        zone=zone,
        topics=esc(topics),
    )


# How many close names a mistyped topic is offered, and how close they must be (0-100).
NEAR_SHOWN = 5
NEAR_SCORE = 60


def topic_choices(ctx: Ctx, unknown: list[str], own: list[str]) -> str:
    """The names to offer: subjects, chapters and the chat's own topics, then the detailed
    topics nearest to what was typed. All of them (over 180) would bury the answer."""
    library = ctx.rt.library
    broad = list(dict.fromkeys([*library.chapter_names, *own]))
    detailed = [t for t in library.topics if t not in broad]
    near: list[str] = []
    for word in unknown:
        found = process.extract(
            fold(word),
            [fold(t) for t in detailed],
            scorer=fuzz.WRatio,
            limit=NEAR_SHOWN,
            score_cutoff=NEAR_SCORE,
        )
        near += [detailed[index] for _name, _score, index in found]
    near = list(dict.fromkeys(near))[:NEAR_SHOWN]
    known = esc(", ".join(broad))
    if near:
        return known + "\n" + ctx.t("daily_near_topics", near=esc(", ".join(near)))
    if not detailed:
        return known
    # The example is the term-named topic with the most questions (say 하이퍼바이저): one
    # worth choosing, where the most common topic of all may be a catch-all like 용어.
    names = {term.name for term in library.terms.values()}
    counts = Counter(
        t for q in library.questions.values() for t in q.topics if t in detailed and t in names
    )
    example = counts.most_common(1)[0][0] if counts else detailed[0]
    return known + "\n" + ctx.t("daily_more_topics", example=esc(example))


def _missing_value(ctx: Ctx, action: str) -> str:
    """'/daily time' with nothing after it: say what to add, not that '' is wrong."""
    if action in TIME | CLOSE:
        example = "08:30" if action in TIME else "22:00"
        return ctx.t("daily_need_time", action=action, example=example)
    if action == "tz":
        return ctx.t("daily_need_zone")
    return ctx.t("daily_need_topics", known=topic_choices(ctx, [], []))


def _close_before_start(ctx: Ctx, start: time, close: time) -> str:
    return ctx.t(
        "daily_close_before_start", start=start.strftime("%H:%M"), close=close.strftime("%H:%M")
    )


def parse_topics(raw: str, known: list[str]) -> tuple[list[str], list[str]]:
    """Topics are separated by commas; a piece that is not a topic is tried word by word."""
    by_fold = {k.casefold().replace(" ", ""): k for k in known}
    chosen: list[str] = []
    unknown: list[str] = []
    for piece in (p.strip() for p in raw.split(",")):
        if not piece:
            continue
        hit = by_fold.get(piece.casefold().replace(" ", ""))
        if hit:
            chosen.append(hit)
            continue
        for word in piece.split():
            hit = by_fold.get(word.casefold())
            (chosen if hit else unknown).append(hit or word)
    return list(dict.fromkeys(chosen)), unknown


async def daily(ctx: Ctx, args: str) -> list[Content]:
    action, _, rest = args.strip().partition(" ")
    action, rest = action.lower(), rest.strip()
    sub = await ctx.services.daily.get(ctx.chat_id)
    if not action:
        return [Text(describe(ctx, sub) + "\n\n" + ctx.t("daily_usage"))]
    if action not in ON | OFF | TIME | CLOSE | {"topics", "주제", "tz"}:
        return [Text(ctx.t("daily_usage"), ephemeral=True)]
    if not await is_instructor(ctx):
        return refuse(ctx, "action_daily")
    now = ctx.now
    if action in ON:
        sub = await ctx.services.daily.update(ctx.chat_id, now, enabled=True)
        ctx.runners.daily.arm(sub, ctx.chat)
        return [Text(ctx.t("daily_enabled") + "\n" + describe(ctx, sub))]
    if action in OFF:
        await ctx.services.daily.disable(ctx.chat_id, now)
        ctx.runners.daily.disarm(ctx.chat_id)
        return [Text(ctx.t("daily_disabled"))]
    if not rest:
        return [Text(_missing_value(ctx, action), ephemeral=True)]
    if action in ("time", "시간", "close", "마감"):
        when = parse_hhmm(rest)
        example = "08:30" if action in TIME else "22:00"
        if when is None:
            return [
                Text(
                    ctx.t("daily_bad_time", value=esc(rest[:20]), example=example, action=action),
                    ephemeral=True,
                )
            ]
        start, close = (when, sub.close_time) if action in TIME else (sub.at_time, when)
        if close <= start:
            # The question must close on the day it is posted; refused, not moved to tomorrow.
            return [Text(_close_before_start(ctx, start, close), ephemeral=True)]
        field = "at_time" if action in TIME else "close_time"
        sub = await ctx.services.daily.update(ctx.chat_id, now, **{field: when})
    elif action == "tz":
        try:
            ZoneInfo(rest)
        except (ZoneInfoNotFoundError, ValueError):
            return [Text(ctx.t("daily_bad_zone", value=esc(rest[:40])), ephemeral=True)]
        await ctx.services.registry.set_timezone(ctx.chat_id, rest)
        sub = await ctx.services.daily.get(ctx.chat_id)
    else:
        if rest.lower() in ALL_TOPICS:
            sub = await ctx.services.daily.update(ctx.chat_id, now, topics=())
        else:
            # The chat's own questions' topics too (bot.services.bank).
            own = await ctx.services.bank.own_topics(ctx.chat_id)
            known = list(dict.fromkeys([*ctx.rt.library.scope_names, *own]))
            chosen, unknown = parse_topics(rest, known)
            if unknown or not chosen:
                return [
                    Text(
                        ctx.t(
                            "daily_bad_topics",
                            unknown=esc(", ".join(unknown) or "-"),
                            known=topic_choices(ctx, unknown, own),
                        ),
                        ephemeral=True,
                    )
                ]
            sub = await ctx.services.daily.update(ctx.chat_id, now, topics=tuple(chosen))
    if sub.enabled:
        ctx.runners.daily.arm(sub, ctx.chat)
    return [Text(ctx.t("daily_saved") + "\n" + describe(ctx, sub))]
