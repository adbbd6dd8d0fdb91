"""/addq and /qset: instructors write a chat's own questions, in the chat or privately.

In a group, /addq saves the question there. In a private chat (and for a Telegram quiz poll
sent to the bot) a short conversation asks which group it is for, then a 해설 and a topic
when they are missing; its state is stored per person (bot.services.bank.Session), so a
restart does not lose it.
"""

from __future__ import annotations

from dataclasses import replace

from bot.content.draft import TEXT_MAX, Draft, parse_text, parse_topics
from bot.content.export import export_yaml
from bot.content.schema import POLL_EXPLANATION_MAX
from bot.context import Ctx
from bot.handlers import suggestions
from bot.handlers.drafts import checked, draft_of_form, issue_lines, problems_reply
from bot.handlers.permissions import is_instructor, refuse
from bot.markup import esc
from bot.services.bank import DRAFT, LIVE, Session
from bot.types import Content, Document, QuestionForm, Text

CANCEL = {"취소", "cancel", "/cancel", "그만"}
NO_TOPIC = {"없음", "none", "-", "no", "skip", "건너뛰기"}
STEM_PREVIEW = 40


async def save_live(ctx: Ctx, chat_id: int, draft: Draft, typed: str) -> list[Content]:
    issues = checked(ctx, draft)
    if issues:
        return problems_reply(ctx, issues, typed)
    number = await ctx.services.bank.add(chat_id, ctx.user_id, draft, LIVE, ctx.now)
    qid = f"chat-{number}"
    return [Text(ctx.t("addq_saved", id=qid), ephemeral=True)]


async def addq(ctx: Ctx, args: str) -> list[Content]:
    text = args.strip()
    if not text:
        return [Text(esc(ctx.t("addq_usage")), ephemeral=True)]
    if len(text) > TEXT_MAX:
        return [Text(ctx.t("too_long", max=TEXT_MAX), ephemeral=True)]
    return await add_draft(ctx, parse_text(text), text)


async def add_draft(ctx: Ctx, draft: Draft, typed: str) -> list[Content]:
    if ctx.chat.is_group:
        if not await is_instructor(ctx):
            return refuse(ctx, "action_addq")
        return await save_live(ctx, ctx.chat_id, draft, typed)
    return await _start_private(ctx, draft, typed)


# ------------------------------------------------------------------ the conversation


async def _start_private(ctx: Ctx, draft: Draft, typed: str) -> list[Content]:
    """A question sent privately: check what is there, then ask for the group and the rest."""
    later = {"no_explanation"}  # asked for in the conversation
    issues = [i for i in checked(ctx, draft) if i.code not in later]
    if issues:
        return problems_reply(ctx, issues, typed)
    groups = await ctx.services.instructors.chats_of(ctx.user_id, ctx.chat.platform)
    groups = [g for g in groups if g != ctx.chat_id]
    if not groups:
        return [Text(ctx.t("author_no_groups"), ephemeral=True)]
    session = Session(step="group", draft=draft, purpose="addq", groups=tuple(groups))
    if len(groups) == 1:
        names = await ctx.services.bank.chat_names(groups)
        said = ctx.t("author_for_group", name=esc(names.get(groups[0], "?")))
        return await _next(ctx, replace(session, chat_id=groups[0]), [said])
    await ctx.services.bank.save_session(ctx.user_id, session, ctx.now)
    return [Text(await group_menu(ctx, groups))]


async def group_menu(ctx: Ctx, groups: tuple[int, ...] | list[int]) -> str:
    names = await ctx.services.bank.chat_names(list(groups))
    lines = [ctx.t("author_pick_group")]
    lines += [
        ctx.t("author_group_line", n=n, name=esc(names.get(g, "?")))
        for n, g in enumerate(groups, 1)
    ]
    return "\n".join(lines)


async def _next(ctx: Ctx, session: Session, said: list[str]) -> list[Content]:
    """Ask for what is still missing, or save when nothing is."""
    if session.chat_id is None:
        await ctx.services.bank.save_session(ctx.user_id, session, ctx.now)
        return [Text("\n".join([*said, await group_menu(ctx, session.groups)]))]
    if not session.draft.explanation:
        step = replace(session, step="explanation")
        await ctx.services.bank.save_session(ctx.user_id, step, ctx.now)
        return [Text("\n".join([*said, ctx.t("author_ask_explanation", max=POLL_EXPLANATION_MAX)]))]
    if session.step != "topic" and not session.draft.topics:
        step = replace(session, step="topic")
        await ctx.services.bank.save_session(ctx.user_id, step, ctx.now)
        return [Text("\n".join([*said, ctx.t("author_ask_topic")]))]
    await ctx.services.bank.end_session(ctx.user_id)
    if await ctx.services.instructors.role(session.chat_id, ctx.user_id) is None:
        return [Text(ctx.t("author_lost_group"))]
    saved = await save_live(ctx, session.chat_id, session.draft, session.draft.text_form())
    head = [Text("\n".join(said))] if said else []
    return [*head, *saved]


async def converse(ctx: Ctx, text: str) -> list[Content] | None:
    """Private text: the next answer of a conversation, or None when none is waiting."""
    session = await ctx.services.bank.session(ctx.user_id, ctx.now)
    if session is None:
        return None
    said = text.strip()
    if said.lower() in CANCEL:
        await ctx.services.bank.end_session(ctx.user_id)
        return [Text(ctx.t("author_cancelled"))]
    if session.step == "group":
        number = int(said) if said.isdigit() else 0
        if not 1 <= number <= len(session.groups):
            return [Text(ctx.t("author_group_bad", count=len(session.groups)))]
        return await _next(ctx, replace(session, chat_id=session.groups[number - 1]), [])
    if session.step == "explanation":
        draft = replace(session.draft, explanation=said[:TEXT_MAX])
        issues = [i for i in checked(ctx, draft) if i.code.startswith(("explanation", "no_expl"))]
        if issues:
            return [Text("\n".join(issue_lines(ctx, issues)))]
        return await _next(ctx, replace(session, draft=draft), [])
    if session.step == "topic":
        topics = () if said.lower() in NO_TOPIC else parse_topics(said)
        draft = replace(session.draft, topics=topics)
        issues = [i for i in checked(ctx, draft) if i.code.startswith("topic")]
        if issues:
            return [Text("\n".join(issue_lines(ctx, issues)))]
        return await _next(ctx, replace(session, draft=draft, step="topic"), [])
    await ctx.services.bank.end_session(ctx.user_id)
    return None


# ------------------------------------------------------------------ forms


async def submitted(ctx: Ctx, form: QuestionForm) -> list[Content]:
    """A question sent as a form: a Discord modal, a Telegram quiz poll sent to the bot."""
    draft = draft_of_form(form)
    typed = draft.text_form()
    if form.purpose == "suggest":
        return await suggestions.suggest_draft(ctx, draft, typed)
    if form.purpose == "queue" and form.number is not None:
        return await suggestions.edit_draft(ctx, form.number, draft, typed)
    return await add_draft(ctx, draft, typed)


async def form_for(ctx: Ctx, purpose: str, number: int | None) -> QuestionForm | Text:
    """What a platform's form opens with, or why it does not open (checked beforehand)."""
    if purpose == "suggest":
        if not ctx.chat.is_group:
            return Text(ctx.t("suggest_private"), ephemeral=True)
        return QuestionForm("suggest")
    if ctx.chat.is_group and not await is_instructor(ctx):
        refusal = refuse(ctx, "action_queue" if purpose == "queue" else "action_addq")[0]
        assert isinstance(refusal, Text)
        return refusal
    if purpose == "queue":
        item = await ctx.services.suggestions.pending(ctx.chat_id, number or 0)
        if item is None:
            return Text(ctx.t("queue_stale"), ephemeral=True)
        d = item.draft
        return QuestionForm(
            "queue",
            stem=d.stem,
            options=d.options,
            answer=", ".join(str(a) for a in d.answers),
            explanation=d.explanation,
            topic=", ".join(d.topics),
            number=item.number,
        )
    return QuestionForm("addq")


# ------------------------------------------------------------------ /qset


async def qset(ctx: Ctx, args: str) -> list[Content]:
    action = args.strip().lower()
    bank = ctx.services.bank
    if action in ("share", "공유"):
        if not await is_instructor(ctx):
            return refuse(ctx, "action_qset_share")
        others = [
            c
            for c in await ctx.services.instructors.chats_of(ctx.user_id, ctx.chat.platform)
            if c != ctx.chat_id
        ]
        groups = []
        for chat_id in others:
            ref = await ctx.services.registry.chat_ref(chat_id)
            if ref is not None and ref.is_group:
                groups.append(chat_id)
        if not groups:
            return [Text(ctx.t("qset_share_none"), ephemeral=True)]
        await bank.share(ctx.chat_id, groups, ctx.user_id, ctx.now)
        names = await bank.chat_names(groups)
        listed = ", ".join(esc(names.get(g, "?")) for g in groups)
        return [Text(ctx.t("qset_shared", count=len(groups)) + "\n" + listed)]
    verb, _, rest = action.partition(" ")
    if verb in DRAFT_ACTIONS:
        return await _drafts(ctx, DRAFT_ACTIONS[verb], rest)
    if verb in ("export", "내보내기"):
        return await _export(ctx)
    if action not in ("", "list", "목록"):
        return [Text(ctx.t("qset_usage"), ephemeral=True)]
    live = await bank.listing(ctx.chat_id, LIVE)
    pending = await bank.count(ctx.chat_id, "pending")
    lines = [ctx.t("qset_summary", live=await bank.count(ctx.chat_id, LIVE), pending=pending)]
    for item in live:
        stem = item.draft.stem.splitlines()[0] if item.draft.stem else ""
        if len(stem) > STEM_PREVIEW:
            stem = stem[: STEM_PREVIEW - 1] + "…"
        lines.append(ctx.t("qset_line", id=item.id, stem=esc(stem)))
    return [Text("\n".join(lines), ephemeral=True)]


DRAFT_ACTIONS = {
    "drafts": "list", "초안": "list",
    "publish": "publish", "공개": "publish",
    "drop": "drop", "버리기": "drop",
}  # fmt: skip


def _numbers(rest: str) -> list[int] | None:
    """'12 13', 'chat-12,chat-13': those drafts; '' or 'all': every one (None)."""
    words = [w for w in rest.replace(",", " ").split() if w]
    if not words or words == ["all"] or words == ["전체"]:
        return None
    out = []
    for word in words:
        digits = word.removeprefix("chat-")
        if not digits.isdigit() or len(digits) > 12:
            return []
        out.append(int(digits))
    return out


async def _drafts(ctx: Ctx, action: str, rest: str) -> list[Content]:
    """/qset drafts, /qset publish [N …], /qset drop [N …]: the chat's imported drafts."""
    if not await is_instructor(ctx):
        return refuse(ctx, "action_addq")
    bank = ctx.services.bank
    if action == "list":
        drafts = await bank.listing(ctx.chat_id, DRAFT, limit=None)
        if not drafts:
            return [Text(ctx.t("qset_drafts_none"), ephemeral=True)]
        lines = [ctx.t("qset_drafts", count=len(drafts))]
        for item in drafts[:30]:
            lines.append(ctx.t("qset_line", id=item.id, stem=esc(_preview(item.draft.stem))))
        lines.append(ctx.t("file_publish_how"))
        return [Text("\n".join(lines), ephemeral=True)]
    numbers = _numbers(rest)
    if numbers == []:
        return [Text(ctx.t("qset_usage"), ephemeral=True)]
    if action == "publish":
        count = await bank.publish(ctx.chat_id, numbers, ctx.user_id, ctx.now)
    else:
        count = await bank.drop_drafts(ctx.chat_id, numbers, ctx.now)
    if count == 0:
        # "0개를 공개했어요" reads as if something happened; say what there is instead.
        key = "qset_drafts_none" if numbers is None else "qset_no_such_drafts"
        return [Text(ctx.t(key), ephemeral=True)]
    if action == "publish":
        return [Text(ctx.t("qset_published", count=count))]
    return [Text(ctx.t("qset_dropped", count=count), ephemeral=True)]


def _preview(stem: str) -> str:
    first = stem.splitlines()[0] if stem else ""
    return first if len(first) <= STEM_PREVIEW else first[: STEM_PREVIEW - 1] + "…"


async def _export(ctx: Ctx) -> list[Content]:
    """The chat's live questions as a chapter file in the bundled format."""
    if not await is_instructor(ctx):
        return refuse(ctx, "action_qset_export")
    bank = ctx.services.bank
    live = await bank.listing(ctx.chat_id, LIVE, limit=None)
    if not live:
        return [Text(ctx.t("qset_export_none"), ephemeral=True)]
    names = await bank.chat_names([ctx.chat_id])
    title = names.get(ctx.chat_id, "")
    text = export_yaml(ctx.chat_id, title, [(item.number, item.draft) for item in live])
    name = f"studygroup-{ctx.chat_id}.yaml"
    said = Text(ctx.t("qset_exported", count=len(live), name=name), ephemeral=True)
    if not ctx.rt.platforms.capabilities(ctx.chat).files:
        return [said, Text(esc(text), ephemeral=True)]
    return [said, Document(text.encode("utf-8"), name, caption=name, ephemeral=True)]
