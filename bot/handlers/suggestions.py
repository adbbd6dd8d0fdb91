"""/suggest and /queue: members suggest questions; a chat's instructors approve, edit or
reject them, with buttons or by number, and the suggester is told."""

from __future__ import annotations

from bot.content.draft import TEXT_MAX, Draft, parse_text
from bot.context import Ctx
from bot.handlers.drafts import checked, problems_reply
from bot.handlers.permissions import is_instructor, refuse
from bot.markup import bold, esc
from bot.services.bank import ChatQuestion, question_id
from bot.services.suggestions import Verdict
from bot.types import Button, Content, Text

APPROVE = {"approve", "승인", "ok"}
EDIT = {"edit", "수정"}
REJECT = {"reject", "거절"}


async def suggest(ctx: Ctx, args: str) -> list[Content]:
    text = args.strip()
    if not text:
        return [Text(esc(ctx.t("suggest_usage")), ephemeral=True)]
    if len(text) > TEXT_MAX:
        return [Text(ctx.t("too_long", max=TEXT_MAX), ephemeral=True)]
    return await suggest_draft(ctx, parse_text(text), text)


async def suggest_draft(ctx: Ctx, draft: Draft, typed: str) -> list[Content]:
    if not ctx.chat.is_group:
        return [Text(ctx.t("suggest_private"), ephemeral=True)]
    issues = checked(ctx, draft)
    if issues:
        return problems_reply(ctx, issues, typed)
    number = await ctx.services.suggestions.suggest(ctx.chat_id, ctx.user_id, draft, ctx.now)
    return [Text(ctx.t("suggest_saved", number=number), ephemeral=True)]


def item_text(ctx: Ctx, item: ChatQuestion) -> Text:
    head = ctx.t("queue_item", number=item.number, name=esc(item.author_name))
    args = str(item.number)
    buttons = (
        Button(ctx.t("button_approve"), "queue", f"approve {args}"),
        Button(ctx.t("button_edit"), "queue", f"edit {args}"),
        Button(ctx.t("button_reject"), "queue", f"reject {args}"),
    )
    return Text(f"{bold(head)}\n{esc(item.draft.text_form())}", buttons=buttons)


async def queue(ctx: Ctx, args: str) -> list[Content]:
    if not await is_instructor(ctx):
        return refuse(ctx, "action_queue")
    first, _, rest = args.strip().partition("\n")
    words = first.split()
    if not words:
        items, total = await ctx.services.suggestions.queue(ctx.chat_id)
        if not items:
            return [Text(ctx.t("queue_empty"), ephemeral=True)]
        replies: list[Content] = [Text(ctx.t("queue_header", total=total))]
        replies += [item_text(ctx, item) for item in items]
        if total > len(items):
            replies.append(Text(ctx.t("queue_more", count=total - len(items))))
        return replies
    action = words[0].lower()
    number = int(words[1]) if len(words) > 1 and words[1].isdigit() and len(words[1]) < 12 else 0
    if action not in APPROVE | EDIT | REJECT or number <= 0:
        return [Text(ctx.t("queue_usage"), ephemeral=True)]
    if action in EDIT:
        typed = "\n".join([" ".join(words[2:]), rest]).strip()
        if not typed:
            return await _edit_prompt(ctx, number)
        if len(typed) > TEXT_MAX:
            return [Text(ctx.t("too_long", max=TEXT_MAX), ephemeral=True)]
        return await edit_draft(ctx, number, parse_text(typed), typed)
    return await _decide(ctx, number, approve=action in APPROVE)


async def _edit_prompt(ctx: Ctx, number: int) -> list[Content]:
    item = await ctx.services.suggestions.pending(ctx.chat_id, number)
    if item is None:
        return [Text(ctx.t("queue_stale"), ephemeral=True)]
    form = f"{ctx.cmd('queue edit')} {number}\n{item.draft.text_form()}"
    return [Text(f"{ctx.t('queue_edit_prompt')}\n{esc(form)}", ephemeral=True)]


async def edit_draft(ctx: Ctx, number: int, draft: Draft, typed: str) -> list[Content]:
    if not await is_instructor(ctx):
        return refuse(ctx, "action_queue")
    if await ctx.services.suggestions.pending(ctx.chat_id, number) is None:
        return [Text(ctx.t("queue_stale"), ephemeral=True)]
    issues = checked(ctx, draft)
    if issues:
        return problems_reply(ctx, issues, typed)
    return await _decide(ctx, number, approve=True, draft=draft)


async def _decide(
    ctx: Ctx, number: int, *, approve: bool, draft: Draft | None = None
) -> list[Content]:
    decision = await ctx.services.suggestions.decide(
        ctx.chat_id, number, approve=approve, by=ctx.user_id, now=ctx.now, draft=draft
    )
    if decision.verdict is Verdict.GONE or decision.item is None:
        return [Text(ctx.t("queue_stale"), ephemeral=True)]
    qid = question_id(number)
    if not approve:
        done, told = "queue_rejected", "queue_told_rejected"
    elif draft is not None:
        done, told = "queue_edited", "queue_told_edited"
    else:
        done, told = "queue_approved", "queue_told_approved"
    name = esc(decision.item.author_name)
    return [
        Text(ctx.t(done, number=number, id=qid), ephemeral=True),
        # The suggester hears it in the chat they suggested in.
        Text(ctx.t(told, name=name, number=number)),
    ]
