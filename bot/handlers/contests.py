"""/contest N [seconds] starts a live contest; /contest stop ends it."""

from __future__ import annotations

from bot.context import Ctx
from bot.handlers.permissions import is_instructor, refuse
from bot.services.contests import (
    DEFAULT_SECONDS,
    MAX_QUESTIONS,
    MAX_SECONDS,
    MIN_QUESTIONS,
    MIN_SECONDS,
)
from bot.types import Content, Text

STOP = {"stop", "멈춤", "중지", "그만"}


async def contest(ctx: Ctx, args: str) -> list[Content]:
    words = args.split()
    running = await ctx.services.contests.running(ctx.chat_id)
    if words and words[0].lower() in STOP:
        if not running:
            return [Text(ctx.t("contest_none"), ephemeral=True)]
        current = running[0]
        if current.started_by != ctx.user_id and not await is_instructor(ctx):
            return refuse(ctx, "action_contest_stop")
        await ctx.runners.contests.stop(current)
        return []
    if not words or len(words) > 2 or not all(w.isdigit() for w in words):
        return [Text(ctx.t("contest_usage"), ephemeral=True)]
    total = int(words[0])
    seconds = int(words[1]) if len(words) == 2 else DEFAULT_SECONDS
    if not MIN_QUESTIONS <= total <= MAX_QUESTIONS:
        return [
            Text(ctx.t("contest_bad_count", low=MIN_QUESTIONS, high=MAX_QUESTIONS), ephemeral=True)
        ]
    if not MIN_SECONDS <= seconds <= MAX_SECONDS:
        return [
            Text(ctx.t("contest_bad_seconds", low=MIN_SECONDS, high=MAX_SECONDS), ephemeral=True)
        ]
    if running:
        return [Text(ctx.t("contest_running"), ephemeral=True)]
    # Bare numbers answer the newest question, so an open /quiz would lose its answers.
    open_quiz = await ctx.services.quiz.open_of_kind(ctx.chat_id, "quiz", ctx.now)
    if open_quiz is not None:
        return [Text(ctx.t("contest_quiz_open", post_id=open_quiz.post_id), ephemeral=True)]
    started = await ctx.services.contests.start(ctx.chat_id, ctx.user_id, total, seconds, ctx.now)
    if started is None:  # another process started one a moment ago
        return [Text(ctx.t("contest_running"), ephemeral=True)]
    await ctx.runners.contests.begin(started, ctx.chat, ctx.locale)
    return []
