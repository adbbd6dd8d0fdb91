"""/top and /me."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.context import Ctx
from bot.handlers.stats import me_extras
from bot.markup import bold, esc
from bot.render import board_content, percent
from bot.types import Content, Text

BOARD_SIZE = 10


PERIODS = {
    "today": "today",
    "오늘": "today",
    "week": "week",
    "이번주": "week",
    "주간": "week",
    "month": "month",
    "이번달": "month",
    "월간": "month",
    "all": "all",
    "전체": "all",
    "": "all",
}


def period_bounds(period: str, now: datetime, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """Local-calendar periods; weeks start on Monday."""
    local = now.astimezone(zone)
    start = datetime.combine(local.date(), time(0), zone)
    if period == "today":
        end = start + timedelta(days=1)
    elif period == "week":
        start -= timedelta(days=local.weekday())
        end = start + timedelta(days=7)
    else:
        start = start.replace(day=1)
        end = (start + timedelta(days=32)).replace(day=1)
    return start.astimezone(UTC), end.astimezone(UTC)


async def top(ctx: Ctx, args: str) -> list[Content]:
    period = PERIODS.get(args.strip().lower())
    if period is None:
        return [Text(ctx.t("top_usage"), ephemeral=True)]
    scores = ctx.services.scores
    if period == "all":
        board = await scores.board(ctx.chat_id, ctx.user_id, limit=BOARD_SIZE)
    else:
        start, end = period_bounds(period, ctx.now, ctx.zone)
        board = await scores.period_board(ctx.chat_id, ctx.user_id, start, end, BOARD_SIZE)
    if not board.top:
        return [Text(ctx.t("top_empty"))]
    ids = [s.user_id for s in board.top]
    if board.caller is not None:
        ids.append(board.caller.user_id)
    streaks = await scores.streaks(ctx.chat_id, ids)
    title = ctx.t("top_title_" + period)
    return [board_content(board, ctx.user_id, ctx.locale, title=title, streaks=streaks)]


async def me(ctx: Ctx, _args: str) -> list[Content]:
    name = esc(ctx.user.display_name)
    mine = await ctx.services.scores.record(ctx.chat_id, ctx.user_id)
    if mine is None:
        # A private chat has no board, but the picture shows progress from every chat.
        note, extra = await me_extras(ctx, 0)
        return [Text(_with(ctx.t("me_none", name=name), note)), *extra]
    body = ctx.t(
        "me_body" if mine.rank is not None else "me_body_unranked",
        points=mine.points,
        rank=mine.rank or 0,
        players=mine.players,
        answered=mine.answered,
        correct=mine.correct,
        rate=percent(mine.correct, mine.answered),
        streak=mine.streak,
    )
    # The picture (points over 30 days, topics, the deck, the streak) goes to the person only.
    note, extra = await me_extras(ctx, mine.streak)
    return [Text(_with(f"{bold(ctx.t('me_title', name=name))}\n{body}", note)), *extra]


def _with(text: str, note: str | None) -> str:
    return f"{text}\n{note}" if note else text
