"""Turn the core's neutral replies into Discord messages: text, embeds and answer buttons."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import discord

from bot.i18n import circled
from bot.markup import _split, split_text
from bot.types import Content, Document, Image, Leaderboard, QuestionCard, Text

from .components import AnswerButton, buttons_view
from .i18n import ui

MAX_CONTENT = 2000
MAX_TITLE = 256
MAX_DESCRIPTION = 4096
MAX_FOOTER = 2048
MAX_EMBED_TOTAL = 6000
MAX_BUTTONS = 25
MAX_BUTTON_LABEL = 80
# Buttons carry the option text only when every option is short, so a row of ①②③④ stays tidy
# and O/X questions still read as O and X.
SHORT_OPTION = 12

CARD_COLOUR = discord.Colour.blurple()
BOARD_COLOUR = discord.Colour.gold()
CLOSED_COLOUR = discord.Colour.dark_grey()


@dataclass
class Message:
    """One Discord message ready to send: keyword arguments for send, followup or edit."""

    content: str | None = None
    embed: discord.Embed | None = None
    view: discord.ui.View | None = None
    ephemeral: bool = False
    file: discord.File | None = None  # a picture the embed shows (attachment://name)

    def kwargs(self) -> dict[str, Any]:
        # Any, because discord.py's send overloads cannot be matched by a narrower mapping.
        out: dict[str, Any] = {}
        if self.content is not None:
            out["content"] = self.content
        if self.embed is not None:
            out["embed"] = self.embed
        if self.view is not None:
            out["view"] = self.view
        if self.file is not None:
            out["file"] = self.file
        return out

    def edit_kwargs(self) -> dict[str, Any]:
        """The same for an edit (of a deferred response), which takes files as attachments."""
        out = self.kwargs()
        file = out.pop("file", None)
        if file is not None:
            out["attachments"] = [file]
        return out


@dataclass
class CardContext:
    """What a card needs besides the card: the chat's language and the time it goes out."""

    locale: str
    now: datetime
    answered: int | None = None


def markup(body: str) -> str:
    """Render core markup for Discord: **bold** stays bold, every other character is literal.

    Bold is closed at each line break so that splitting a long message on lines never leaves
    a span open in one part and dangling in the next.
    """
    out: list[str] = []
    for text, is_bold in _split(body):
        escaped = discord.utils.escape_markdown(text)
        if is_bold:
            escaped = "\n".join(
                f"**{line}**" if line.strip() else line for line in escaped.split("\n")
            )
        out.append(escaped)
    return "".join(out)


def fit(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def fit_lines(text: str, limit: int) -> str:
    """Cut at a line break where possible, so a truncated list loses whole rows."""
    if len(text) <= limit:
        return text
    cut = text.rfind("\n", 0, limit - 2)
    if cut <= 0:
        return fit(text, limit)
    return text[:cut] + "\n⋯"


def timestamp(when: datetime) -> str:
    # Discord renders <t:…:R> in each reader's own language and time zone ("in 10 minutes").
    return f"<t:{int(when.timestamp())}:R>"


def closes_at(card: QuestionCard, now: datetime) -> datetime | None:
    if card.closes_at is not None:
        return card.closes_at
    if card.open_seconds:
        return datetime.fromtimestamp(now.timestamp() + card.open_seconds, tz=now.tzinfo)
    return None


def card_embed(card: QuestionCard, ctx: CardContext) -> discord.Embed:
    options = "\n".join(
        f"{circled(i)} {discord.utils.escape_markdown(opt)}"
        for i, opt in enumerate(card.options, 1)
    )
    tail = ""
    deadline = closes_at(card, ctx.now)
    if deadline is not None:
        tail = "\n\n" + ui(ctx.locale, "closes", when=timestamp(deadline))
    room = MAX_DESCRIPTION - len(options) - len(tail) - 2
    stem = fit(discord.utils.escape_markdown(card.stem), max(room, 1))
    description = fit(f"{stem}\n\n{options}{tail}", MAX_DESCRIPTION)
    embed = discord.Embed(
        title=fit(card.header, MAX_TITLE), description=description, colour=CARD_COLOUR
    )
    if ctx.answered:
        embed.set_footer(text=ui(ctx.locale, "answered", count=ctx.answered))
    return within_total(embed)


def answer_view(card: QuestionCard) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    show_text = all(len(opt) <= SHORT_OPTION for opt in card.options)
    for i, opt in enumerate(card.options[:MAX_BUTTONS], 1):
        label = f"{circled(i)} {opt}" if show_text else circled(i)
        view.add_item(AnswerButton(card.post_id, i, label=fit(label, MAX_BUTTON_LABEL)))
    # The buttons are answered by the registered DynamicItem, for this process and the next;
    # a stopped view is not stored per message, so thousands of cards do not pile up in memory
    # and a tap is not dispatched twice.
    view.stop()
    return view


def closed_embed(embed: discord.Embed, locale: str) -> discord.Embed:
    """The card as it reads once closed: its deadline line says so, in a muted colour."""
    closed = embed.copy()
    body, sep, last = (closed.description or "").rpartition("\n\n")
    deadline = ui(locale, "closes", when="")
    if sep and last.startswith(deadline.strip()):
        closed.description = f"{body}\n\n{ui(locale, 'closed')}"
    else:
        closed.description = f"{closed.description or ''}\n\n{ui(locale, 'closed')}"
    closed.colour = CLOSED_COLOUR
    return within_total(closed)


def closed_view(message: discord.Message) -> discord.ui.View:
    """The message's buttons again, every one disabled (their labels keep the options)."""
    view = discord.ui.View(timeout=None)
    for row in message.components:
        for child in getattr(row, "children", ()):
            if isinstance(child, discord.components.Button):
                view.add_item(
                    discord.ui.Button(
                        label=child.label,
                        style=child.style,
                        custom_id=child.custom_id,
                        disabled=True,
                    )
                )
    view.stop()
    return view


def board_embed(board: Leaderboard) -> discord.Embed:
    # The fallback already holds the localized rows; its first line is the title.
    _, _, rows = board.fallback.partition("\n")
    description = fit_lines(markup(rows), MAX_DESCRIPTION)
    embed = discord.Embed(
        title=fit(board.title, MAX_TITLE), description=description, colour=BOARD_COLOUR
    )
    return within_total(embed)


def image_message(image: Image) -> Message:
    """A picture attached to an embed that shows it, its words as the description."""
    name = image.name if image.name.endswith(".png") else "picture.png"
    embed = discord.Embed(description=fit(image.alt, MAX_DESCRIPTION), colour=CARD_COLOUR)
    embed.set_image(url=f"attachment://{name}")
    file = discord.File(io.BytesIO(image.png), filename=name, description=fit(image.alt, 1024))
    return Message(embed=embed, file=file, ephemeral=image.ephemeral)


def safe_name(name: str, default: str) -> str:
    """A file name Discord's attachment:// URL can point at (letters, digits, . _ -)."""
    cleaned = "".join(c if c.isascii() and (c.isalnum() or c in "._-") else "_" for c in name)
    return cleaned.strip("._") or default


def within_total(embed: discord.Embed) -> discord.Embed:
    """Keep the whole embed under Discord's 6000-character ceiling by trimming the body."""
    excess = len(embed) - MAX_EMBED_TOTAL
    if excess > 0 and embed.description:
        embed.description = fit_lines(embed.description, max(len(embed.description) - excess, 1))
    return embed


def messages(content: Content, ctx: CardContext) -> list[Message]:
    """Every Discord message a reply becomes, in order (long text is split)."""
    if isinstance(content, Text):
        parts = [part for part in split_text(markup(content.body), MAX_CONTENT) if part]
        out = [Message(content=part, ephemeral=content.ephemeral) for part in parts]
        if out and content.buttons:  # under the last part, as a card's buttons are
            out[-1].view = buttons_view(content.buttons, MAX_BUTTON_LABEL)
        return out
    if isinstance(content, QuestionCard):
        embed, file = card_embed(content, ctx), None
        if content.image is not None:
            # The picture sits in the card's own embed, above nothing else to scroll past.
            name = safe_name(content.image.name, "question.png")
            embed.set_image(url=f"attachment://{name}")
            file = discord.File(io.BytesIO(content.image.png), filename=name)
        return [Message(embed=embed, view=answer_view(content), file=file)]
    if isinstance(content, Document):
        file = discord.File(io.BytesIO(content.data), filename=safe_name(content.name, "file"))
        return [Message(content=fit(content.caption, MAX_CONTENT) or None, file=file,
                        ephemeral=content.ephemeral)]  # fmt: skip
    if isinstance(content, Leaderboard):
        return [Message(embed=board_embed(content))]
    if isinstance(content, Image):
        return [image_message(content)]
    raise TypeError(f"cannot render {type(content).__name__} on Discord")
