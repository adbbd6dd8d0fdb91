"""Interactive pieces: the persistent answer buttons and the announcement form."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, Protocol
from zoneinfo import ZoneInfo

import discord

from bot.types import Text

from .i18n import ui

ANSWER_ID = "sb:a:{post}:{option}"
ANSWER_TEMPLATE = r"sb:a:(?P<post>\d+):(?P<opt>\d+)"

TITLE_MAX = 100
# The core refuses command arguments over 1000 characters; leave room for the title and
# the schedule in front of the text.
TEXT_MAX = 850
MODAL_TIMEOUT = 900.0


class Handler(Protocol):
    """The part of the adapter the components call back into."""

    async def on_choice(
        self, interaction: discord.Interaction, post_id: int, option: int
    ) -> None: ...

    async def on_announce(self, interaction: discord.Interaction, args: str) -> None: ...

    async def reply_text(self, interaction: discord.Interaction, text: Text) -> None: ...

    async def apologize(self, interaction: discord.Interaction) -> None: ...


def handler_of(interaction: discord.Interaction) -> Handler:
    handler = getattr(interaction.client, "handler", None)
    if handler is None:
        raise RuntimeError("this client has no studybot adapter attached")
    return handler


class AnswerButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=ANSWER_TEMPLATE):
    """One option of a question; the custom_id carries post and option, so a tap is understood
    by whichever process is running, long after the message was sent."""

    def __init__(self, post_id: int, option: int, *, label: str | None = None) -> None:
        super().__init__(
            discord.ui.Button(
                label=label,
                style=discord.ButtonStyle.secondary,
                custom_id=ANSWER_ID.format(post=post_id, option=option),
            )
        )
        self.post_id = post_id
        self.option = option

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction,
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> AnswerButton:
        return cls(int(match["post"]), int(match["opt"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        await handler_of(interaction).on_choice(interaction, self.post_id, self.option)


class AnnounceModal(discord.ui.Modal):
    """Title, text and an optional schedule, folded into the core's /announce arguments."""

    def __init__(
        self,
        locale: str,
        tz: ZoneInfo,
        clock: Callable[[], datetime],
        *,
        to_all: bool = False,
    ) -> None:
        super().__init__(
            title=ui(locale, "modal_title_all" if to_all else "modal_title"), timeout=MODAL_TIMEOUT
        )
        self.locale = locale
        self.tz = tz
        # The form may stay open for minutes; "a time alone" is resolved when it is sent.
        self.clock = clock
        self.to_all = to_all
        self.heading: discord.ui.TextInput[AnnounceModal] = discord.ui.TextInput(
            label=ui(locale, "field_title"), custom_id="title", max_length=TITLE_MAX
        )
        self.body: discord.ui.TextInput[AnnounceModal] = discord.ui.TextInput(
            label=ui(locale, "field_text"),
            custom_id="text",
            style=discord.TextStyle.paragraph,
            max_length=TEXT_MAX,
        )
        self.date: discord.ui.TextInput[AnnounceModal] = discord.ui.TextInput(
            label=ui(locale, "field_date"),
            custom_id="date",
            required=False,
            max_length=10,
            placeholder=clock().astimezone(tz).strftime("%Y-%m-%d"),
        )
        self.time: discord.ui.TextInput[AnnounceModal] = discord.ui.TextInput(
            label=ui(locale, "field_time"),
            custom_id="time",
            required=False,
            max_length=5,
            placeholder="09:00",
        )
        for item in (self.heading, self.body, self.date, self.time):
            self.add_item(item)

    def args(self) -> str | None:
        """The /announce arguments, or None when a date came without a time."""
        date = self.date.value.strip()
        time = self.time.value.strip()
        text = f"{self.heading.value.strip()}\n{self.body.value.strip()}"
        if date and not time:
            return None
        if time and not date:
            date = next_date_for(time, self.clock(), self.tz)
        when = f"{date} {time} " if time else ""
        return f"{'all ' if self.to_all else ''}{when}{text}"

    async def on_submit(self, interaction: discord.Interaction) -> None:
        args = self.args()
        handler = handler_of(interaction)
        if args is None:
            await handler.reply_text(interaction, Text(ui(self.locale, "date_needs_time"), True))
            return
        await handler.on_announce(interaction, args)


def next_date_for(time: str, now: datetime, tz: ZoneInfo) -> str:
    """A time alone means its next occurrence: today if still ahead, otherwise tomorrow.

    An unreadable time is passed through with today's date so the core's own validation
    answers it in the chat's words.
    """
    local = now.astimezone(tz)
    try:
        hour, minute = (int(part) for part in time.split(":"))
        candidate = local.replace(hour=hour, minute=minute, second=0, microsecond=0)
    except ValueError:
        return local.strftime("%Y-%m-%d")
    if candidate <= local:
        candidate += timedelta(days=1)
    return candidate.strftime("%Y-%m-%d")
