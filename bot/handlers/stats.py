"""/hard (/많이틀린문제), an instructor's /stats (/통계), and /me's picture.

/hard and /stats read each question's installation-wide counts (bot/services/question_stats);
the pictures are drawn off the event loop (bot/pictures) and only for an adapter that shows
images. Where a picture goes:
- /me in a private chat, or on Discord (an ephemeral reply): to the person there;
- /me in a group without private replies (Telegram, the console): the text stays in the
  group as before and the picture goes to the person's private chat with the bot when one
  is known (they have used /start, /review or /me there); otherwise the group is told how
  to get it, and no picture is posted in the group;
- /stats: the group's picture goes to the group.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, time, timedelta

from bot.content.loader import Library
from bot.content.schema import Question
from bot.context import Ctx
from bot.handlers.permissions import is_instructor, refuse
from bot.i18n import CATALOGS, DEFAULT_LOCALE, circled
from bot.markup import bold, esc
from bot.pictures import GroupPicture, MePicture, TopicRate, render_group, render_me
from bot.render import percent
from bot.services.question_stats import FLAG_MIN, HARD_MIN, QuestionRate
from bot.types import Content, Image, Text

log = logging.getLogger(__name__)

HARD_SHOWN = 10
OWN_CHAPTER = "chat/"  # the chapter a chat's own question files under (bank.py)
STEM_SHOWN = 40
ME_DAYS = 30
STATS_PERIODS = {"": 7, "week": 7, "주간": 7, "이번주": 7, "month": 30, "월간": 30, "이번달": 30}
FLAGS_SHOWN = 5
TOPICS_LISTED = 3
PICTURE_WORDS = (
    "points_title",
    "points_axis",
    "topics_title",
    "deck_title",
    "deck_due",
    "deck_learning",
    "deck_learned",
    "streak",
    "empty",
    "rate_label",
    "people_title",
    "people_axis",
    "missed_title",
)


# --- the bank's topics -------------------------------------------------------------------


def topic_of(library: Library, question: Question, own: str = "") -> str:
    """The most specific topic a question names; its chapter's title when it names none
    (own names the topic of a chat's question that names none)."""
    if question.topics:
        return question.topics[-1]
    for chapter in library.chapters:
        if chapter.key == question.chapter:
            return chapter.title
    if own and question.chapter.startswith(OWN_CHAPTER):
        return own
    return question.chapter or question.id


def questions_matching(library: Library, query: str) -> set[str] | None:
    """The questions of a subject, chapter or topic the query names; None when none matches."""
    q = query.strip().lower()
    found: set[str] = set()
    for chapter in library.chapters:
        names = {chapter.subject, chapter.subject_name, chapter.title, chapter.title_en}
        if q in {n.lower() for n in names if n}:
            found |= {x.id for x in chapter.questions}
    found |= {x.id for x in library.questions.values() if q in {t.lower() for t in x.topics}}
    if found:
        return found
    # Generated questions belong to a chapter by key; a partial topic name also matches.
    partial = {x.id for x in library.questions.values() if any(q in t.lower() for t in x.topics)}
    return partial or None


def topic_rates(
    library: Library,
    questions: dict[str, tuple[int, int]],
    known: dict[str, Question] | None = None,
    own: str = "",
) -> tuple[TopicRate, ...]:
    """Per-question (right, answered) folded into topics, weakest first.

    known resolves ids beyond the library (a chat's own questions, from the bank)."""
    acc: dict[str, list[int]] = {}
    for qid, (right, answered) in questions.items():
        question = library.questions.get(qid) or (known or {}).get(qid)
        if question is None or not answered:
            continue
        got = acc.setdefault(topic_of(library, question, own), [0, 0])
        got[0] += right
        got[1] += answered
    rows = [TopicRate(name, r, a) for name, (r, a) in acc.items()]
    rows.sort(key=lambda r: (r.rate, -r.answered, r.name))
    return tuple(rows)


def _stem(question: Question | None, qid: str) -> str:
    text = " ".join((question.stem if question else qid).split())
    return text if len(text) <= STEM_SHOWN else text[: STEM_SHOWN - 1] + "…"


# --- /hard ---------------------------------------------------------------------------------


async def hard(ctx: Ctx, args: str) -> list[Content]:
    query = args.strip()
    library = ctx.rt.library
    # A group's own questions (and those shared with it) count beside the bundled ones;
    # another chat's never show here.
    own = {q.id: q for q in await ctx.services.bank.chat_questions(ctx.chat_id)}
    ids: set[str] | None = None
    if query:
        ids = questions_matching(library, query)
        q = query.lower()
        mine = {x.id for x in own.values() if any(q in t.lower() for t in x.topics)}
        if ids is None and not mine:
            return [Text(ctx.t("hard_not_found", query=esc(query)), ephemeral=True)]
        ids = (ids or set()) | mine
    rows = await ctx.services.question_stats.hardest(
        ids, minimum=HARD_MIN, limit=HARD_SHOWN, own=own
    )
    known = {**library.questions, **own}
    rows = [r for r in rows if r.question_id in known]
    if not rows:
        return [Text(ctx.t("hard_empty", min=HARD_MIN))]
    title = ctx.t("hard_title_of", query=query) if query else ctx.t("hard_title")
    lines = [bold(esc(title))]
    for i, r in enumerate(rows, 1):
        question = known[r.question_id]
        lines.append(
            esc(
                ctx.t(
                    "hard_row",
                    n=i,
                    rate=percent(r.right, r.answered),
                    answered=r.answered,
                    topic=topic_of(library, question, ctx.t("own_topic")),
                    stem=_stem(question, r.question_id),
                )
            )
        )
    lines.append(ctx.t("hard_footer", min=HARD_MIN))
    return [Text("\n".join(lines))]


# --- /stats ----------------------------------------------------------------------------------


def local_days(now: datetime, ctx: Ctx, days: int) -> tuple[list[datetime], datetime, datetime]:
    """The starts of the last `days` local days (oldest first), the first start and the end."""
    today = now.astimezone(ctx.zone).date()
    starts = [
        datetime.combine(today - timedelta(days=days - 1 - i), time(0), ctx.zone).astimezone(UTC)
        for i in range(days)
    ]
    end = datetime.combine(today + timedelta(days=1), time(0), ctx.zone).astimezone(UTC)
    return starts, starts[0], end


def _day_index(starts: list[datetime], when: datetime) -> int | None:
    for i in range(len(starts) - 1, -1, -1):
        if when >= starts[i]:
            return i
    return None


def _labels(starts: list[datetime], ctx: Ctx) -> tuple[str, ...]:
    return tuple(s.astimezone(ctx.zone).strftime("%m/%d") for s in starts)


def picture_words(locale: str) -> dict[str, str]:
    """The pictures' words as templates (the drawing fills in {days}, {rate} and {n})."""
    catalog = CATALOGS.get(locale, CATALOGS[DEFAULT_LOCALE])
    return {w: catalog["pic_" + w] for w in PICTURE_WORDS}


def _words(ctx: Ctx) -> dict[str, str]:
    return picture_words(ctx.locale)


def flag_line(ctx: Ctx, question: Question, rate: QuestionRate) -> str | None:
    kind = rate.suspicious(question.answers)
    if kind is None:
        return None
    key = ", ".join(circled(n) for n in question.answers)
    if kind == "pile":
        pile = rate.pile(question.answers)
        assert pile is not None
        return ctx.t(
            "stats_flag_pile",
            stem=_stem(question, question.id),
            option=circled(pile[0]),
            share=percent(pile[1], rate.answered),
            answer_key=key,
            answered=rate.answered,
        )
    return ctx.t(
        "stats_flag_low",
        stem=_stem(question, question.id),
        rate=percent(rate.right, rate.answered),
        answer_key=key,
        answered=rate.answered,
    )


async def stats(ctx: Ctx, args: str) -> list[Content]:
    days = STATS_PERIODS.get(args.strip().lower())
    if days is None:
        return [Text(ctx.t("stats_usage"), ephemeral=True)]
    if not await is_instructor(ctx):
        return refuse(ctx, "action_stats")
    library = ctx.rt.library
    starts, start, end = local_days(ctx.now, ctx, days)
    group = await ctx.services.progress.group(ctx.chat_id, start, end)
    period = ctx.t("stats_period_week" if days == 7 else "stats_period_month")
    if not group.answers:
        return [Text(ctx.t("stats_empty", period=period))]
    people_by_day: list[set[int]] = [set() for _ in starts]
    for when, user_id in group.answers:
        i = _day_index(starts, when)
        if i is not None:
            people_by_day[i].add(user_id)
    people = len({u for _, u in group.answers})
    right = sum(c for c, _ in group.questions.values())
    # Asked in this chat: the bundled questions and the chat's own (chat-<n>) alike.
    known = await ctx.services.bank.get_many(group.questions)
    topics = topic_rates(library, group.questions, known, ctx.t("own_topic"))
    missed = sorted(
        ((qid, c, a) for qid, (c, a) in group.questions.items() if qid in known and a > c),
        key=lambda x: (-(x[2] - x[1]), x[1] / x[2], x[0]),
    )
    rates = await ctx.services.question_stats.rates(list(group.questions))
    flags = []
    for qid in group.questions:
        question = known.get(qid)
        rate = rates.get(qid)
        if question is not None and rate is not None:
            line = flag_line(ctx, question, rate)
            if line is not None:
                flags.append((rate.rate, line))
    flags.sort()

    lines = [bold(esc(ctx.t("stats_title", period=period)))]
    lines.append(
        ctx.t(
            "stats_summary",
            people=people,
            answers=len(group.answers),
            rate=percent(right, len(group.answers)),
        )
    )
    if topics:
        weak = ", ".join(
            f"{esc(r.name)} {percent(r.right, r.answered)}%" for r in topics[:TOPICS_LISTED]
        )
        lines.append(ctx.t("stats_weak_topics", topics=weak))
    if missed:
        lines.append(ctx.t("stats_missed_head"))
        for qid, c, a in missed[:3]:
            lines.append(
                esc(
                    ctx.t(
                        "stats_missed_row",
                        stem=_stem(known[qid], qid),
                        wrong=a - c,
                        answered=a,
                    )
                )
            )
    if flags:
        lines.append(bold(esc(ctx.t("stats_flags_head", min=FLAG_MIN))))
        lines += [esc(line) for _, line in flags[:FLAGS_SHOWN]]
    replies: list[Content] = [Text("\n".join(lines))]
    if ctx.rt.platforms.capabilities(ctx.chat).images:
        picture = GroupPicture(
            title=ctx.t("pic_group_title", period=period),
            days=_labels(starts, ctx),
            people=tuple(len(s) for s in people_by_day),
            topics=topics,
            missed=tuple(TopicRate(_stem(known[qid], qid), c, a) for qid, c, a in missed),
            words=_words(ctx),
        )
        png = await render_group(picture)
        alt = ctx.t("pic_group_alt", period=period, people=people, answers=len(group.answers))
        replies.append(Image(png, alt, name="stats.png"))
    return replies


# --- /me's picture ------------------------------------------------------------------------


async def me_picture(ctx: Ctx, streak: int) -> Image | None:
    """The person's progress as a picture; None when there is nothing to draw."""
    starts, start, _end = local_days(ctx.now, ctx, ME_DAYS)
    progress = await ctx.services.progress.person(ctx.user_id, start, ctx.now)
    if not progress.questions and not (progress.due + progress.learning + progress.learned):
        return None
    points = [0] * len(starts)
    for when, pts in progress.points:
        i = _day_index(starts, when)
        if i is not None:
            points[i] += pts
    known = await ctx.services.bank.get_many(
        q for q in progress.questions if q not in ctx.rt.library.questions
    )
    topics = topic_rates(ctx.rt.library, progress.questions, known, ctx.t("own_topic"))
    picture = MePicture(
        title=ctx.t("pic_me_title", name=ctx.user.display_name),
        days=_labels(starts, ctx),
        points=tuple(points),
        topics=topics,
        due=progress.due,
        learning=progress.learning,
        learned=progress.learned,
        streak=streak,
        words=_words(ctx),
    )
    png = await render_me(picture)
    weakest = (
        ctx.t(
            "pic_me_alt_weakest",
            topic=topics[0].name,
            rate=percent(topics[0].right, topics[0].answered),
        )
        if topics
        else ""
    )
    alt = ctx.t(
        "pic_me_alt",
        points=sum(points),
        weakest=weakest,
        due=progress.due,
        streak=streak,
    )
    return Image(png, alt, name="me.png")


async def me_extras(ctx: Ctx, streak: int) -> tuple[str | None, list[Content]]:
    """What /me adds to its text: a line to append (where the picture went, or how to get
    it) and the replies that follow (the picture, where it may go)."""
    caps = ctx.rt.platforms.capabilities(ctx.chat)
    if not ctx.chat.is_group:
        # This private chat is where later pictures (and review reminders) can go.
        if await ctx.services.review.remember_dm(ctx.user_id, ctx.chat_id, ctx.now):
            await ctx.runners.review.rearm(ctx.user_id)
    if not caps.images:
        return None, []
    if ctx.chat.is_group and not caps.ephemeral:
        return await _to_private_chat(ctx, streak), []
    image = await me_picture(ctx, streak)
    if image is None:
        return None, []
    if ctx.chat.is_group:
        image = Image(image.png, image.alt, image.name, ephemeral=True)
    return None, [image]


async def _to_private_chat(ctx: Ctx, streak: int) -> str | None:
    """Send the picture to the person's private chat; the line the group's text gets."""
    settings = await ctx.services.review.settings(ctx.user_id)
    dm = await ctx.services.registry.chat_ref(settings.dm_chat_id) if settings.dm_chat_id else None
    if dm is None or dm.platform != ctx.chat.platform:
        return ctx.t("me_picture_how")
    image = await me_picture(ctx, streak)
    if image is None:
        return None
    platforms = ctx.rt.platforms
    try:
        sent = await ctx.rt.pacer.run(dm, lambda: platforms.send(dm, image))
    except Exception:
        log.warning("the /me picture could not go to %s", dm.chat_id, exc_info=True)
        sent = None
    return ctx.t("me_picture_sent" if sent is not None else "me_picture_how")
