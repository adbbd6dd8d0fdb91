"""Files sent to the bot: a question set (CSV, TSV, notes) becomes a chat's drafts, and a
picture joins a question (a photo under /addq, or sent while a question is being written).

What a file is comes from its bytes (bot.content.upload): a picture named .csv, or a .png
that is not one, is refused in one line and nothing is stored. A set goes in as drafts,
never live: the instructor reads the list (each question with its row) and publishes with
/qset publish, or drops them.
"""

from __future__ import annotations

from dataclasses import replace

from bot.content.draft import Draft, parse_text
from bot.content.upload import (
    FILE_MAX,
    IMAGE_MAX,
    IMAGE_SUFFIXES,
    ReadSet,
    image_type,
    read_set,
    suffix_of,
)
from bot.context import Ctx
from bot.dispatcher import parse_command
from bot.handlers import authoring
from bot.handlers.drafts import issue_lines
from bot.handlers.permissions import is_instructor, refuse
from bot.markup import esc
from bot.services.bank import DRAFT, Session
from bot.types import Content, FileReceived, Text

LISTED = 30  # drafts named one by one in a reply; the rest are counted
STEM_PREVIEW = 40


def _stem(draft: Draft) -> str:
    stem = draft.stem.splitlines()[0] if draft.stem else "—"
    return stem if len(stem) <= STEM_PREVIEW else stem[: STEM_PREVIEW - 1] + "…"


async def received(ctx: Ctx, event: FileReceived) -> list[Content]:
    name = event.name or "file"
    if not event.data and event.size > 0:  # the adapter did not fetch it: too big
        limit = IMAGE_MAX if suffix_of(name) in IMAGE_SUFFIXES else FILE_MAX
        return [Text(ctx.t("file_big", size=event.size // 1024, max=limit // 1024), ephemeral=True)]
    kind = image_type(event.data)
    if suffix_of(name) in IMAGE_SUFFIXES or (kind is not None and not suffix_of(name)):
        if kind is None:
            return [Text(ctx.t("file_forged_picture", name=esc(name[-40:])), ephemeral=True)]
        return await picture(ctx, event, kind)
    return await question_set(ctx, name, event.data)


# ------------------------------------------------------------------ pictures


async def picture(ctx: Ctx, event: FileReceived, kind: str) -> list[Content]:
    if len(event.data) > IMAGE_MAX:
        size, limit = len(event.data) // 1024, IMAGE_MAX // 1024
        return [Text(ctx.t("file_big", size=size, max=limit), ephemeral=True)]
    caption = event.caption.strip()
    parsed = parse_command(caption) if caption.startswith("/") else None
    if parsed is not None and parsed.name == "addq":
        if ctx.chat.is_group and not await is_instructor(ctx):
            return refuse(ctx, "action_addq")
        if not ctx.chat.is_group and not await _teaches(ctx):
            return [Text(ctx.t("author_no_groups"), ephemeral=True)]  # nothing stored
        text = parsed.args.strip()
        if not text:
            return [Text(esc(ctx.t("addq_usage")), ephemeral=True)]
        image_id = await ctx.services.bank.store_image(ctx.user_id, kind, event.data, ctx.now)
        draft = replace(parse_text(text), image_id=image_id)
        return await authoring.add_draft(ctx, draft, text)
    if parsed is not None and parsed.name == "qset":
        words = parsed.args.split()
        if len(words) == 2 and words[0].lower() in ("image", "그림") and words[1].isdigit():
            return await attach(ctx, int(words[1][:12]), kind, event.data)
        return [Text(ctx.t("picture_how"), ephemeral=True)]
    if not ctx.chat.is_group:
        session = await ctx.services.bank.session(ctx.user_id, ctx.now)
        if session is not None and session.purpose == "addq":
            image_id = await ctx.services.bank.store_image(ctx.user_id, kind, event.data, ctx.now)
            draft = replace(session.draft, image_id=image_id)
            await ctx.services.bank.save_session(
                ctx.user_id, replace(session, draft=draft), ctx.now
            )
            return [Text(ctx.t("picture_attached_session"))]
    return [Text(ctx.t("picture_how"), ephemeral=True)]


async def _teaches(ctx: Ctx) -> bool:
    groups = await ctx.services.instructors.chats_of(ctx.user_id, ctx.chat.platform)
    return any(g != ctx.chat_id for g in groups)


async def attach(ctx: Ctx, number: int, kind: str, data: bytes) -> list[Content]:
    """/qset image N: the picture joins question chat-N, if it is the instructor's."""
    bank = ctx.services.bank
    item = await bank.item(number)
    if item is None:
        return [Text(ctx.t("picture_no_question", id=f"chat-{number}"), ephemeral=True)]
    if ctx.chat.is_group and item.chat_id != ctx.chat_id:
        return [Text(ctx.t("picture_no_question", id=item.id), ephemeral=True)]
    if await ctx.services.instructors.role(item.chat_id, ctx.user_id) is None:
        return refuse(ctx, "action_addq")
    image_id = await bank.store_image(ctx.user_id, kind, data, ctx.now)
    if not await bank.set_image(number, item.chat_id, image_id, ctx.now):
        return [Text(ctx.t("picture_no_question", id=item.id), ephemeral=True)]
    return [Text(ctx.t("picture_attached", id=item.id), ephemeral=True)]


# ------------------------------------------------------------------ question sets


async def question_set(ctx: Ctx, name: str, data: bytes) -> list[Content]:
    if ctx.chat.is_group:
        return [Text(ctx.t("file_private_only"), ephemeral=True)]
    groups = await ctx.services.instructors.chats_of(ctx.user_id, ctx.chat.platform)
    groups = [g for g in groups if g != ctx.chat_id]
    if not groups:
        return [Text(ctx.t("author_no_groups"), ephemeral=True)]
    read = read_set(name, data, ctx.rt.library.terms)
    if read.problems:
        return [Text("\n".join([ctx.t("file_unreadable"), *issue_lines(ctx, read.problems)]))]
    report = _report(ctx, read)
    drafts = tuple(replace(r.draft, source=r.source) for r in read.good)
    if not drafts:
        return [Text("\n".join([*report, ctx.t("file_nothing_saved")]))]
    if len(groups) == 1:
        return await save_set(ctx, groups[0], drafts, report)
    session = Session(step="group", draft=Draft(), purpose="import", groups=tuple(groups))
    await ctx.services.bank.save_session(ctx.user_id, replace(session, drafts=drafts), ctx.now)
    menu = await authoring.group_menu(ctx, groups)
    return [Text("\n".join([*report, menu]))]


def _report(ctx: Ctx, read: ReadSet) -> list[str]:
    lines = [ctx.t("file_read", good=len(read.good), broken=len(read.broken))]
    for row in read.broken:
        problems = " ".join(i.lstrip("• ") for i in issue_lines(ctx, list(row.issues)))
        lines.append(
            ctx.t("file_row_bad", row=row.number, stem=esc(_stem(row.draft)), why=problems)
        )
    if read.skipped:
        lines.append(ctx.t("file_notes_skipped", count=read.skipped))
    return lines


async def save_set(
    ctx: Ctx, chat_id: int, drafts: tuple[Draft, ...], said: list[str]
) -> list[Content]:
    """Store a file's good questions as the group's drafts and list them for review."""
    if await ctx.services.instructors.role(chat_id, ctx.user_id) is None:
        return [Text(ctx.t("author_lost_group"))]
    numbers = await ctx.services.bank.add_many(chat_id, ctx.user_id, list(drafts), DRAFT, ctx.now)
    names = await ctx.services.bank.chat_names([chat_id])
    lines = [*said, ctx.t("file_saved", count=len(numbers), name=esc(names.get(chat_id, "?")))]
    for number, draft in list(zip(numbers, drafts, strict=True))[:LISTED]:
        lines.append(ctx.t("qset_line", id=f"chat-{number}", stem=esc(_stem(draft))))
    if len(numbers) > LISTED:
        lines.append(ctx.t("file_saved_more", count=len(numbers) - LISTED))
    lines.append(ctx.t("file_publish_how"))
    return [Text("\n".join(lines))]


async def converse(ctx: Ctx, text: str) -> list[Content] | None:
    """Private text: the group a file's drafts wait for, else the authoring conversation."""
    session = await ctx.services.bank.session(ctx.user_id, ctx.now)
    if session is None or session.purpose != "import":
        return await authoring.converse(ctx, text)
    said = text.strip()
    if said.lower() in authoring.CANCEL:
        await ctx.services.bank.end_session(ctx.user_id)
        return [Text(ctx.t("author_cancelled"))]
    number = int(said) if said.isdigit() and len(said) < 6 else 0
    if not 1 <= number <= len(session.groups):
        return [Text(ctx.t("author_group_bad", count=len(session.groups)))]
    await ctx.services.bank.end_session(ctx.user_id)
    return await save_set(ctx, session.groups[number - 1], session.drafts, [])
