"""Interactive pieces: the persistent answer and /queue buttons, the announcement and
question forms."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, Protocol
from zoneinfo import ZoneInfo

import discord

from bot.types import Button, QuestionForm, Text

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


# ---------------------------------------------------------------- questions (issue 14)

# A Text button (bot.types.Button) of /queue: "sb:q:<word>:<suggestion>", digits only.
COMMAND_ID = "sb:q:{word}:{number}"
COMMAND_TEMPLATE = r"sb:q:(?P<word>approve|edit|reject):(?P<number>[1-9][0-9]{0,11})"
_COMMAND_ARGS = re.compile(r"(approve|edit|reject) ([1-9][0-9]{0,11})")
STEM_MAX = 300  # a quiz poll's question (bot.content.draft checks the rest)
OPTIONS_MAX = 1100  # ten options of up to 100 characters, one per line
ANSWER_MAX = 20
EXPLANATION_MAX = 1000  # over 200 the core explains the limit, with the text kept
TOPIC_MAX = 100


# /term's "자세히": "sb:t:full:<term id>", the id as the content schema allows it.
TERM_ID = "sb:t:full:{term}"
TERM_TEMPLATE = r"sb:t:full:(?P<term>[a-z0-9][a-z0-9._-]{0,56})"
_TERM_ARGS = re.compile(r"full ([a-z0-9][a-z0-9._-]{0,56})")


class QuestionHandler(Protocol):
    async def on_question(self, interaction: discord.Interaction, form: QuestionForm) -> None: ...

    async def on_queue_button(
        self, interaction: discord.Interaction, word: str, number: int
    ) -> None: ...

    async def on_term_button(self, interaction: discord.Interaction, term_id: str) -> None: ...


def command_custom_id(button: Button) -> str | None:
    """A Text button's custom_id, or None for one a tap could not be read back from."""
    if button.command == "term" and (term := _TERM_ARGS.fullmatch(button.args)):
        return TERM_ID.format(term=term.group(1))
    match = _COMMAND_ARGS.fullmatch(button.args) if button.command == "queue" else None
    if match is None:
        return None
    return COMMAND_ID.format(word=match.group(1), number=match.group(2))


class CommandButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=COMMAND_TEMPLATE):
    """A /queue button (approve, edit, reject one suggestion): the custom_id names all a tap
    needs, so it is understood after a restart; anything else is not matched at all."""

    def __init__(self, word: str, number: int, *, label: str | None = None) -> None:
        style = {
            "approve": discord.ButtonStyle.success,
            "reject": discord.ButtonStyle.danger,
        }.get(word, discord.ButtonStyle.secondary)
        super().__init__(
            discord.ui.Button(
                label=label, style=style, custom_id=COMMAND_ID.format(word=word, number=number)
            )
        )
        self.word = word
        self.number = number

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction,
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> CommandButton:
        return cls(match["word"], int(match["number"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        handler: QuestionHandler = handler_of(interaction)  # type: ignore[assignment]
        await handler.on_queue_button(interaction, self.word, self.number)


class TermButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=TERM_TEMPLATE):
    """/term's "자세히": the custom_id names the term, so a tap is understood after a restart;
    the core checks the id (a term no longer there gets a polite word, nothing else)."""

    def __init__(self, term_id: str, *, label: str | None = None) -> None:
        super().__init__(
            discord.ui.Button(
                label=label,
                style=discord.ButtonStyle.secondary,
                custom_id=TERM_ID.format(term=term_id),
            )
        )
        self.term_id = term_id

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction,
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> TermButton:
        return cls(match["term"])

    async def callback(self, interaction: discord.Interaction) -> None:
        handler: QuestionHandler = handler_of(interaction)  # type: ignore[assignment]
        await handler.on_term_button(interaction, self.term_id)


def buttons_view(buttons: tuple[Button, ...], limit: int = 80) -> discord.ui.View | None:
    """Text.buttons as persistent buttons; those no tap could be read back from are left out."""
    view = discord.ui.View(timeout=None)
    for button in buttons[:25]:
        if not command_custom_id(button) or not button.label.strip():
            continue
        label = button.label[:limit]
        if term := _TERM_ARGS.fullmatch(button.args) if button.command == "term" else None:
            view.add_item(TermButton(term.group(1), label=label))
            continue
        match = _COMMAND_ARGS.fullmatch(button.args)
        if match is None:
            continue
        view.add_item(CommandButton(match.group(1), int(match.group(2)), label=label))
    view.stop()  # answered by the registered DynamicItem, as the answer buttons are
    return view if view.children else None


class QuestionModal(discord.ui.Modal):
    """A question as five fields (stem; options one per line; 정답; 해설; topic), filled in
    for an edit; the core reads and checks them (bot.content.draft.from_fields)."""

    def __init__(self, locale: str, form: QuestionForm) -> None:
        title = {"addq": "q_title_addq", "suggest": "q_title_suggest"}.get(
            form.purpose, "q_title_edit"
        )
        super().__init__(title=ui(locale, title, number=form.number or ""), timeout=MODAL_TIMEOUT)
        self.purpose = form.purpose
        self.number = form.number

        def field(
            key: str, value: str, limit: int, *, long: bool = False, required: bool = True
        ) -> discord.ui.TextInput[QuestionModal]:
            item: discord.ui.TextInput[QuestionModal] = discord.ui.TextInput(
                label=ui(locale, f"q_{key}"),
                custom_id=key,
                style=discord.TextStyle.paragraph if long else discord.TextStyle.short,
                default=value[:limit] or None,
                max_length=limit,
                required=required,
            )
            self.add_item(item)
            return item

        self.stem = field("stem", form.stem, STEM_MAX, long=True)
        self.options = field("options", "\n".join(form.options), OPTIONS_MAX, long=True)
        self.answer = field("answer", form.answer, ANSWER_MAX)
        self.explanation = field(
            "explanation", form.explanation, EXPLANATION_MAX, long=True, required=False
        )
        self.topic = field("topic", form.topic, TOPIC_MAX, required=False)

    def form(self) -> QuestionForm:
        return QuestionForm(
            self.purpose,
            stem=self.stem.value,
            options=tuple(line for line in self.options.value.splitlines() if line.strip()),
            answer=self.answer.value,
            explanation=self.explanation.value,
            topic=self.topic.value,
            number=self.number,
        )

    async def on_submit(self, interaction: discord.Interaction) -> None:
        handler: QuestionHandler = handler_of(interaction)  # type: ignore[assignment]
        await handler.on_question(interaction, self.form())
