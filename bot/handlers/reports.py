"""/report (/신고), /reports and /fix: members report a wrong question, instructors fix it.

A report names the question by the number its card shows ("문제 #12"), or replies to the
card where the platform carries the reply. /fix takes the same number, or a chat question's
id ("chat-7", as /qset lists them): a new key re-scores every stored answer to it at once
(bot/features/rescore.py); text, 해설 and retiring change the question only.
"""

from __future__ import annotations

from dataclasses import replace

from bot.content.draft import TEXT_MAX, parse_answers
from bot.context import Ctx
from bot.features.rescore import key_particle, key_text
from bot.handlers.drafts import checked, issue_lines
from bot.handlers.permissions import is_instructor, refuse
from bot.markup import esc
from bot.services.bank import number_of
from bot.services.reports import REASON_MAX, Fixed, FixStatus, ReportStatus
from bot.types import CommandReceived, Content, Text

ANSWER = {"정답", "answer", "key", "답"}
STEM = {"문제", "지문", "stem", "question"}
OPTION = {"보기", "option"}
EXPLANATION = {"해설", "explanation"}
RETIRE = {"폐기", "retire", "삭제"}
DISMISS = {"확인", "dismiss", "기각"}
NUMBER_MAX = 12  # digits; longer is not a number anyone was shown


def _number(word: str) -> int | None:
    word = word.removeprefix("#")
    return int(word) if word.isdigit() and len(word) <= NUMBER_MAX else None


def _reply_to(ctx: Ctx) -> str | None:
    event = ctx.event
    return event.replied_to if isinstance(event, CommandReceived) else None


async def report(ctx: Ctx, args: str) -> list[Content]:
    text = args.strip()
    first, _, rest = text.partition(" ")
    number = _number(first) if first else None
    reports = ctx.services.reports
    if number is not None:
        post = await reports.post(ctx.chat_id, number)
        reason = rest.strip()
    else:
        ref = _reply_to(ctx)
        if ref is None:
            return [Text(esc(ctx.t("report_usage")), ephemeral=True)]
        post = await reports.post_of_message(ctx.chat_id, ref)
        reason = text
    if post is None:
        if number is None:
            return [Text(esc(ctx.t("report_reply_unknown")), ephemeral=True)]
        return [Text(ctx.t("report_unknown", post=f"#{number}"), ephemeral=True)]
    if not reason:
        return [Text(esc(ctx.t("report_no_reason", post_id=post.post_id)), ephemeral=True)]
    if len(reason) > REASON_MAX:
        return [Text(ctx.t("report_too_long", max=REASON_MAX), ephemeral=True)]
    done = await reports.report(ctx.chat_id, post.post_id, ctx.user_id, reason, ctx.now)
    if done.status is ReportStatus.TWICE:
        return [Text(ctx.t("report_twice", post_id=post.post_id), ephemeral=True)]
    if done.status is ReportStatus.UNKNOWN:
        return [Text(ctx.t("report_unknown", post=f"#{post.post_id}"), ephemeral=True)]
    if done.notified:
        await ctx.runners.rescore.deliver()
    return [Text(ctx.t("report_saved", post_id=post.post_id), ephemeral=True)]


async def reports(ctx: Ctx, args: str) -> list[Content]:
    if not await is_instructor(ctx):
        return refuse(ctx, "action_reports")
    listed, total = await ctx.services.reports.open_reports(ctx.chat_id)
    if not listed:
        return [Text(ctx.t("reports_empty"), ephemeral=True)]
    lines = [ctx.t("reports_header", count=total)]
    for r in listed:
        more = ctx.t("reports_more_people", count=r.others) if r.others else ""
        own = number_of(r.question_id) is not None
        hint = ctx.t("reports_hint_own" if own else "reports_hint_bundled", post_id=r.post_id)
        lines.append(
            esc(
                ctx.t(
                    "reports_row",
                    post_id=r.post_id,
                    id=r.question_id,
                    name=r.reporter,
                    reason=r.reason,
                    more=more,
                )
            )
        )
        lines.append(esc(hint))
    return [Text("\n".join(lines), ephemeral=True)]


async def _question_of(ctx: Ctx, word: str) -> str | None:
    """The question id for a post number ('12', '#12') in this chat, or an id ('chat-7')."""
    if number_of(word) is not None:
        return word
    number = _number(word)
    if number is None:
        return None
    post = await ctx.services.reports.post(ctx.chat_id, number)
    return post.question_id if post else None


async def fix(ctx: Ctx, args: str) -> list[Content]:
    if not await is_instructor(ctx):
        return refuse(ctx, "action_fix")
    text = args.strip()
    if len(text) > TEXT_MAX:
        return [Text(ctx.t("too_long", max=TEXT_MAX), ephemeral=True)]
    words = text.split(maxsplit=2)
    if len(words) < 2:
        return [Text(esc(ctx.t("fix_usage")), ephemeral=True)]
    target, action = words[0], words[1].lower()
    rest = words[2].strip() if len(words) > 2 else ""
    qid = await _question_of(ctx, target)
    if qid is None:
        return [Text(ctx.t("fix_unknown", target=esc(target)), ephemeral=True)]
    number = number_of(qid)
    reports = ctx.services.reports
    if action in DISMISS:
        resolved = await reports.resolve(ctx.chat_id, qid, ctx.user_id, ctx.now)
        return [Text(ctx.t("fix_dismissed", id=qid, count=resolved), ephemeral=True)]
    if number is None:
        return [Text(ctx.t("fix_bundled", id=qid), ephemeral=True)]
    item = await ctx.services.bank.item(number)
    if item is None:
        return [Text(ctx.t("fix_unknown", target=esc(target)), ephemeral=True)]
    if item.chat_id != ctx.chat_id:
        return [Text(ctx.t("fix_foreign", id=qid), ephemeral=True)]
    if action in ANSWER:
        key = parse_answers(rest) if rest else None
        if not key:
            return [Text(esc(ctx.t("fix_usage")), ephemeral=True)]
        done = await reports.fix(ctx.chat_id, number, ctx.user_id, ctx.now, key=key)
    elif action in RETIRE:
        done = await reports.fix(ctx.chat_id, number, ctx.user_id, ctx.now, retire=True)
    elif action in STEM | OPTION | EXPLANATION:
        draft = item.draft
        if action in OPTION:
            which, _, option_text = rest.partition(" ")
            index = _number(which)
            if index is None or not 1 <= index <= len(draft.options) or not option_text.strip():
                usage = ctx.t("fix_option_usage", count=len(draft.options))
                return [Text(esc(usage), ephemeral=True)]
            options = list(draft.options)
            options[index - 1] = option_text.strip()
            draft = replace(draft, options=tuple(options))
        elif not rest:
            return [Text(esc(ctx.t("fix_usage")), ephemeral=True)]
        elif action in STEM:
            draft = replace(draft, stem=rest)
        else:
            draft = replace(draft, explanation=rest)
        issues = checked(ctx, draft)
        if issues:
            lines = [ctx.t("draft_problems"), *issue_lines(ctx, issues)]
            return [Text("\n".join(lines), ephemeral=True)]
        done = await reports.fix(ctx.chat_id, number, ctx.user_id, ctx.now, draft=draft)
    else:
        return [Text(esc(ctx.t("fix_usage")), ephemeral=True)]
    return await _fixed_reply(ctx, done, qid, action)


async def _fixed_reply(ctx: Ctx, done: Fixed, qid: str, action: str) -> list[Content]:
    status = done.status
    if status is FixStatus.FOREIGN:
        return [Text(ctx.t("fix_foreign", id=qid), ephemeral=True)]
    if status is FixStatus.UNKNOWN:
        return [Text(ctx.t("fix_unknown", target=qid), ephemeral=True)]
    if status is FixStatus.RETIRED:
        return [Text(ctx.t("fix_already_retired", id=qid), ephemeral=True)]
    if status is FixStatus.SAME:
        return [
            Text(
                ctx.t(
                    "fix_same",
                    id=qid,
                    answer=key_text(done.old_key),
                    ro=key_particle(done.old_key) if ctx.locale == "ko" else "",
                ),
                ephemeral=True,
            )
        ]
    if status is FixStatus.OUT_OF_RANGE:
        return [Text(ctx.t("fix_out_of_range", id=qid, count=done.options), ephemeral=True)]
    if action in RETIRE:
        return [Text(ctx.t("fix_retired", id=qid), ephemeral=True)]
    if done.job_id is None:
        return [Text(ctx.t("fix_text_done", id=qid), ephemeral=True)]
    applied = await ctx.runners.rescore.run(done.job_id)
    changed = applied.answers_changed if applied is not None else 0
    return [
        Text(
            ctx.t(
                "fix_key_done",
                id=qid,
                old=key_text(done.old_key),
                new=key_text(done.new_key),
                ro=key_particle(done.new_key) if ctx.locale == "ko" else "",
                count=changed,
            ),
            ephemeral=True,
        )
    ]
