"""/review (/복습): the personal deck, its sessions, retention and the daily reminder.

Also the answer hook: every accepted answer anywhere is one FSRS review of the person's
card (bot/services/review.py), and an answer to a review card moves the session on.
"""

from __future__ import annotations

import re

from bot.content.schema import Question
from bot.context import Ctx
from bot.handlers import basic
from bot.markup import bold, esc
from bot.render import answer_label
from bot.services import bank
from bot.services.daily import parse_hhmm
from bot.services.quiz import AnswerOutcome
from bot.services.review import MAX_RETENTION, MIN_RETENTION, AddStatus, Reviewed
from bot.types import Content, Text

SUBCOMMANDS = {
    "list": "list",
    "목록": "list",
    "add": "add",
    "추가": "add",
    "remove": "remove",
    "삭제": "remove",
    "빼기": "remove",
    "retention": "retention",
    "기억률": "retention",
    "time": "time",
    "알림": "time",
    "help": "help",
    "도움말": "help",
}
HELP_TOPICS = ("review", "복습")
DECK_SHOWN = 30
_NUMBER = re.compile(r"^#?(\d{1,9})$")


def _number(text: str) -> int | None:
    match = _NUMBER.match(text.strip())
    return int(match.group(1)) if match else None


def parse_retention(text: str) -> float | None:
    """'0.85', '85%' or '85'; None outside MIN_RETENTION..MAX_RETENTION."""
    raw = text.strip().rstrip("%")
    try:
        value = float(raw)
    except ValueError:
        return None
    if value > 1:
        value /= 100
    if not MIN_RETENTION <= value <= MAX_RETENTION:
        return None
    return round(value, 3)


async def _remember_dm(ctx: Ctx) -> None:
    """A private chat is where reminders can go; arm the reminder when it just became known."""
    if ctx.chat.is_group:
        return
    if await ctx.services.review.remember_dm(ctx.user_id, ctx.chat_id, ctx.now):
        await ctx.runners.review.rearm(ctx.user_id)


async def start(ctx: Ctx, args: str) -> list[Content]:
    """/start, noting the private chat so the bot may write first there (Telegram needs it)."""
    await _remember_dm(ctx)
    return await basic.start(ctx, args)


async def help_(ctx: Ctx, args: str) -> list[Content]:
    """/help, and /help review for how answers become FSRS ratings."""
    if args.strip().lower() in HELP_TOPICS:
        return [Text(_help_text(ctx))]
    return await basic.help_(ctx, args)


def _help_text(ctx: Ctx) -> str:
    return ctx.t(
        "help_review",
        low=round(MIN_RETENTION * 100),
        high=round(MAX_RETENTION * 100),
    )


async def review(ctx: Ctx, args: str) -> list[Content]:
    words = args.split()
    if not words:
        return await _session(ctx)
    sub = SUBCOMMANDS.get(words[0].lower())
    rest = " ".join(words[1:])
    if sub == "list":
        return await _list(ctx)
    if sub == "add":
        return await _add(ctx, rest)
    if sub == "remove":
        return await _remove(ctx, rest)
    if sub == "retention":
        return await _retention(ctx, rest)
    if sub == "time":
        return await _time(ctx, rest)
    if sub == "help":
        return [Text(_help_text(ctx))]
    return [Text(ctx.t("review_usage"), ephemeral=True)]


def _private_only(ctx: Ctx) -> list[Content]:
    return [Text(ctx.t("review_private_only", name=esc(ctx.user.display_name)), ephemeral=True)]


async def _session(ctx: Ctx) -> list[Content]:
    review = ctx.services.review
    if ctx.chat.is_group:
        count = await review.due_count(ctx.user_id, ctx.now)
        key = "review_group_due" if count else "review_group_none"
        return [Text(ctx.t(key, name=esc(ctx.user.display_name), count=count), ephemeral=True)]
    await _remember_dm(ctx)
    current = await ctx.services.quiz.latest_open(ctx.chat_id, ctx.now)
    if current is not None and current.kind == "review":
        # A card left unanswered: put it away (nothing recorded) and start from the top.
        await ctx.runners.review.finish(current.post_id)
    return await ctx.runners.review.serve(ctx.chat, ctx.chat_id, ctx.user_id, ctx.place, first=True)


async def _list(ctx: Ctx) -> list[Content]:
    if ctx.chat.is_group:
        return _private_only(ctx)
    await _remember_dm(ctx)
    cards, total = await ctx.services.review.deck(ctx.user_id, DECK_SHOWN)
    if total == 0:
        return [Text(ctx.t("review_empty"))]
    due = await ctx.services.review.due_count(ctx.user_id, ctx.now)
    lines = [bold(esc(ctx.t("review_list_title", total=total, due=due)))]
    for deck_card in cards:
        question = await ctx.services.bank.get(deck_card.question_id)
        stem = question.stem if question else deck_card.question_id
        if len(stem) > 40:
            stem = stem[:39] + "…"
        when = (
            ctx.t("review_list_due")
            if deck_card.card.due <= ctx.now
            else ctx.place.stamp(deck_card.card.due, "%m-%d %H:%M")
        )
        lines.append(ctx.t("review_list_row", number=deck_card.deck_no, stem=esc(stem), when=when))
    if total > len(cards):
        lines.append(ctx.t("review_list_more", more=total - len(cards)))
    lines += ["", ctx.t("review_list_hint")]
    return [Text("\n".join(lines))]


async def _add(ctx: Ctx, rest: str) -> list[Content]:
    """/review add N, or /review add as a reply to a question's post."""
    number = _number(rest)
    replied = getattr(ctx.event, "replied_to", None)
    if number is None and not rest.strip() and replied:
        number = await ctx.services.review.post_of_message(ctx.chat_id, replied)
        if number is None:
            return [Text(ctx.t("review_add_not_a_question"), ephemeral=True)]
    if number is None:
        return [Text(ctx.t("review_add_usage"), ephemeral=True)]
    post = await ctx.services.review.post_question(number)
    question = await ctx.services.bank.get(post[0]) if post else None
    if post is not None and question is not None and question.id.startswith(bank.PREFIX):
        # A chat's own question is for those who could see it, not for anyone with a number.
        if not await ctx.services.review.may_see_post(ctx.user_id, ctx.chat_id, number):
            question = None
    if post is None or question is None:
        return [Text(ctx.t("review_add_unknown", post_id=number), ephemeral=True)]
    if post[1]:
        return [Text(ctx.t("review_add_open", post_id=number), ephemeral=True)]
    await _remember_dm(ctx)
    status, deck_no = await ctx.services.review.add(ctx.user_id, question.id, ctx.now)
    key = "review_added" if status is AddStatus.ADDED else "review_add_already"
    return [Text(ctx.t(key, post_id=number, number=deck_no), ephemeral=True)]


async def _remove(ctx: Ctx, rest: str) -> list[Content]:
    number = _number(rest)
    if number is None:
        return [Text(ctx.t("review_remove_usage"), ephemeral=True)]
    removed = await ctx.services.review.remove(ctx.user_id, number, ctx.now)
    if removed is None:
        return [Text(ctx.t("review_remove_unknown", number=number), ephemeral=True)]
    return [Text(ctx.t("review_removed", number=number), ephemeral=True)]


async def _retention(ctx: Ctx, rest: str) -> list[Content]:
    low, high = round(MIN_RETENTION * 100), round(MAX_RETENTION * 100)
    if not rest.strip():
        settings = await ctx.services.review.settings(ctx.user_id)
        percent = round(settings.retention * 100)
        return [Text(ctx.t("review_retention_now", percent=percent, low=low, high=high))]
    value = parse_retention(rest)
    if value is None:
        return [Text(ctx.t("review_retention_usage", low=low, high=high), ephemeral=True)]
    await ctx.services.review.set_retention(ctx.user_id, value, ctx.now)
    return [Text(ctx.t("review_retention_set", percent=round(value * 100)), ephemeral=True)]


async def _time(ctx: Ctx, rest: str) -> list[Content]:
    choice = rest.strip().lower()
    review = ctx.services.review
    if choice in ("off", "끄기"):
        await review.set_reminder(ctx.user_id, None, None, ctx.now)
        ctx.runners.review.disarm(ctx.user_id)
        return [Text(ctx.t("review_time_off"), ephemeral=True)]
    at = parse_hhmm(choice)
    if at is None:
        return [Text(ctx.t("review_time_usage"), ephemeral=True)]
    await _remember_dm(ctx)
    zone = ctx.place.zone.key
    await review.set_reminder(ctx.user_id, at, zone, ctx.now)
    await ctx.runners.review.rearm(ctx.user_id)
    settings = await review.settings(ctx.user_id)
    values = {"time": at.strftime("%H:%M"), "zone": zone}
    if settings.dm_chat_id is None:
        # The bot may not write first to someone who never opened a private chat with it.
        return [Text(ctx.t("review_time_set_no_dm", **values), ephemeral=True)]
    return [Text(ctx.t("review_time_set", **values), ephemeral=True)]


# ------------------------------------------------------------------ the answer hook


async def answered(ctx: Ctx, outcome: AnswerOutcome) -> list[Content] | None:
    """Review the person's card for an accepted answer; for a review card, the whole reply.

    None means the caller replies as it would have (a daily, /quiz or contest answer).
    """
    if outcome.review_done:
        reviewed = outcome.reviewed  # written with the answer (record_answer(review=True))
    else:
        reviewed = await ctx.services.review.record(
            user_id=ctx.user_id,
            question_id=outcome.question_id,
            post_id=outcome.post_id,
            kind=outcome.kind or "quiz",
            correct=outcome.correct,
            elapsed_ms=outcome.elapsed_ms,
            now=ctx.now,
        )
    if outcome.kind != "review":
        return None
    runner = ctx.runners.review
    await runner.finish(outcome.post_id)
    question = await ctx.services.bank.get(outcome.question_id)
    await ctx.rt.platforms.send(ctx.chat, Text(_result_text(ctx, outcome, reviewed, question)))
    follow = await runner.serve(ctx.chat, ctx.chat_id, ctx.user_id, ctx.place, first=False)
    # Sent, not returned: an answer's replies may have no audience (Telegram shows a poll
    # vote nothing, a button tap only a toast), and the session's end must be seen.
    for content in follow:
        await ctx.rt.platforms.send(ctx.chat, content)
    return []


def _result_text(
    ctx: Ctx, outcome: AnswerOutcome, reviewed: Reviewed | None, question: Question | None
) -> str:
    if outcome.correct:
        lines = [ctx.t("review_right")]
    else:
        correct = answer_label(question, question.answers if question else ())
        lines = [ctx.t("review_wrong", answer=esc(correct))]
    if question is not None and question.explanation:
        lines.append(esc(ctx.t("answer_explanation", explanation=question.explanation)))
    if reviewed is not None:
        when = _again(ctx, reviewed)
        rating = ctx.t(f"review_rating_{reviewed.rating.name.lower()}")
        lines.append(ctx.t("review_next_card", when=when, rating=rating))
    return "\n".join(lines)


def _again(ctx: Ctx, reviewed: Reviewed) -> str:
    due = reviewed.card.due
    place = ctx.place
    days = (place.local(due).date() - place.local(ctx.now).date()).days
    if days <= 0:
        return ctx.t("review_again_today", time=place.hhmm(due))
    if days == 1:
        return ctx.t("review_again_tomorrow")
    if days < 7:
        return ctx.t("review_again_days", days=days)
    local = place.local(due)
    return ctx.t("review_again_date", month=local.month, day=local.day)
