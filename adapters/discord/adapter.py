"""The Discord adapter: interactions in, the core's replies out, fan-out sends for the pacer."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Coroutine, Iterator
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import discord
from discord.app_commands import Choice

from bot.adapter import CorePort, Sink
from bot.config import Settings
from bot.content.upload import FETCH_MAX
from bot.errors import ChatGone, DeliveryError, RateLimited, StartupError, TransientError
from bot.i18n import t
from bot.types import (
    Capabilities,
    ChatRef,
    ChoiceSelected,
    CommandReceived,
    Content,
    Event,
    FileReceived,
    QuestionCard,
    QuestionForm,
    QuestionSubmitted,
    SentRef,
    Text,
    UserRef,
)

from . import render
from .client import make_client
from .commands import Defer
from .components import AnnounceModal, CommandButton, QuestionModal, TermButton
from .i18n import command_style, ui

log = logging.getLogger(__name__)

PLATFORM = "discord"
AUTOCOMPLETE_LIMIT = 25  # Discord shows at most 25 choices
CHOICE_MAX = 100  # characters in a choice's name and value
COUNT_INTERVAL = 2.0  # seconds between edits of one question's answer counter
DEFAULT_RETRY_AFTER = 1.0
STOP_TIMEOUT = 10.0
UNKNOWN_MESSAGE = 10008  # Discord's JSON error code
# Commands whose answer is a message the bot posts into the channel itself.
POSTS_TO_CHANNEL = {"quiz", "contest", "reveal"}


@dataclass
class _Counter:
    """The answer counter under one question message, edited at most once per interval."""

    channel_id: int
    message_id: int
    post_id: int
    chat: ChatRef
    embed: discord.Embed
    last_edit: float = float("-inf")
    dirty: bool = False
    task: asyncio.Task[None] | None = field(default=None, repr=False)


@contextlib.contextmanager
def delivery_errors(chat: ChatRef) -> Iterator[None]:
    """Translate discord.py failures into the core's delivery errors."""
    where = f"discord channel {chat.chat_id}"
    try:
        yield
    except discord.RateLimited as exc:
        raise RateLimited(exc.retry_after) from exc
    except (discord.Forbidden, discord.NotFound) as exc:
        if exc.code == UNKNOWN_MESSAGE:
            # The message was deleted, not the channel: that chat still takes messages.
            raise DeliveryError(f"{where}: the message is gone") from exc
        # 403: the bot may no longer post there (kicked, permission taken away);
        # 404: the channel is gone. Either way the pacer should stop trying.
        raise ChatGone(f"{where}: {exc.status} {exc.code} {exc.text}") from exc
    except discord.HTTPException as exc:
        if exc.status == 429:
            raise RateLimited(retry_after(exc)) from exc
        if exc.status >= 500:
            raise TransientError(f"{where}: {exc.status} {exc.text}") from exc
        raise DeliveryError(f"{where}: {exc.status} {exc.code} {exc.text}") from exc
    except (TimeoutError, aiohttp.ClientError, OSError) as exc:
        raise TransientError(f"{where}: {type(exc).__name__}: {exc}") from exc


def retry_after(exc: discord.HTTPException) -> float:
    headers = getattr(exc.response, "headers", None) or {}
    for name in ("Retry-After", "X-RateLimit-Reset-After"):
        value = headers.get(name)
        if value:
            try:
                return max(float(value), 0.0)
            except ValueError:
                continue
    return DEFAULT_RETRY_AFTER


def channel_id(chat: ChatRef) -> int:
    try:
        return int(chat.chat_id)
    except ValueError:
        raise ChatGone(f"'{chat.chat_id}' is not a Discord channel id") from None


class DiscordAdapter:
    name = PLATFORM
    capabilities = Capabilities(
        buttons=True,
        edit=True,
        ephemeral=True,
        close_question=True,
        max_text_len=2000,
        images=True,  # attached to an embed (render.image_message)
        files=True,  # attached to a message (render.document_message)
    )

    def __init__(
        self, settings: Settings, port: CorePort, *, count_interval: float = COUNT_INTERVAL
    ) -> None:
        self.settings = settings
        self.port = port
        self.count_interval = count_interval
        self.client = make_client(self, settings.discord_shards, settings.discord_shard_count)
        # /queue and /term buttons, understood after a restart too.
        self.client.add_dynamic_items(CommandButton, TermButton)
        self._sink: Sink | None = None
        self._runner: asyncio.Task[None] | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._counters: dict[int, _Counter] = {}

    # ---------------------------------------------------------------- lifecycle

    def bind(self, sink: Sink) -> None:
        """Route interactions to the sink without connecting (a test harness connects)."""
        self._sink = sink

    async def start(self, sink: Sink) -> None:
        self.bind(sink)
        # Logging in is two quick REST calls; doing it here turns a wrong token into one
        # clear line at start-up instead of a background task failing later.
        try:
            await self.client.login(self.settings.discord_token.reveal())
        except discord.LoginFailure:
            await self.client.close()
            raise StartupError(
                "Discord refused STUDYBOT_DISCORD_TOKEN; copy the bot token again from the "
                "developer portal (Bot → Reset Token)"
            ) from None
        except (aiohttp.ClientError, OSError) as exc:
            await self.client.close()
            raise StartupError(f"cannot reach Discord: {exc}") from exc
        except BaseException:
            await self.client.close()  # no half-open HTTP session left behind
            raise
        self._runner = asyncio.create_task(self._connect(), name="discord-gateway")

    async def _connect(self) -> None:
        try:
            # reconnect=True: discord.py resumes or reconnects with backoff on its own and
            # returns only when the client is closed or Discord refuses us for good.
            await self.client.connect(reconnect=True)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("the Discord connection ended and will not come back by itself")

    async def stop(self) -> None:
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        if not self.client.is_closed():
            await self.client.close()
        if self._runner is not None:
            try:
                await asyncio.wait_for(self._runner, STOP_TIMEOUT)
            except (TimeoutError, asyncio.CancelledError):
                self._runner.cancel()
            self._runner = None
        self._sink = None

    def _spawn(self, coro: Coroutine[Any, Any, None], name: str) -> asyncio.Task[None]:
        task = asyncio.create_task(coro, name=name)
        # Keep a reference until it finishes (the loop holds tasks weakly) and cancel on stop.
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    # ------------------------------------------------------------ neutral refs

    @staticmethod
    def chat_ref(interaction: discord.Interaction) -> ChatRef:
        guild, channel = interaction.guild, interaction.channel
        title = None
        if guild is not None:
            name = getattr(channel, "name", None)
            title = f"{guild.name} #{name}" if name else guild.name
        return ChatRef(
            PLATFORM,
            str(interaction.channel_id),
            is_group=interaction.guild_id is not None,
            title=title,
        )

    @staticmethod
    def user_ref(user: discord.abc.User) -> UserRef:
        return UserRef(PLATFORM, str(user.id), user.display_name)

    def is_admin(self, interaction: discord.Interaction) -> bool:
        """Manage Server, or membership in the configured instructor role."""
        if interaction.guild_id is None:
            return False
        perms = interaction.permissions
        if perms.administrator or perms.manage_guild:
            return True
        wanted = self.settings.discord_instructor_role.strip()
        member = interaction.user
        if not wanted or not isinstance(member, discord.Member):
            return False
        return any(
            str(role.id) == wanted or role.name.casefold() == wanted.casefold()
            for role in member.roles
        )

    @staticmethod
    def can_post(interaction: discord.Interaction) -> bool:
        """Whether the bot may put a question card (an embed with buttons) in this channel."""
        if interaction.guild_id is None:
            return True
        perms = interaction.app_permissions
        if isinstance(interaction.channel, discord.Thread):
            writes = perms.send_messages_in_threads
        else:
            writes = perms.send_messages
        return perms.view_channel and writes and perms.embed_links

    async def locale(self, chat: ChatRef) -> str:
        return (await self.port.place(chat)).locale

    async def _context(self, chat: ChatRef, content: Content | None = None) -> render.CardContext:
        answered = None
        if isinstance(content, QuestionCard):
            # A card edited by the core keeps the counter the taps have built up.
            answered = await self.port.answer_count(content.post_id)
        return render.CardContext(await self.locale(chat), self.port.now(), answered)

    async def _deliver(self, event: Event) -> list[Content]:
        if self._sink is None:
            raise RuntimeError("the Discord adapter is not started")
        return await self._sink(event)

    # ------------------------------------------------------------- interactions

    async def on_command(
        self,
        interaction: discord.Interaction,
        name: str,
        args: str,
        *,
        defer: Defer,
        mentions: tuple[UserRef, ...] = (),
        replied_to: str | None = None,
    ) -> None:
        chat = self.chat_ref(interaction)
        if name in POSTS_TO_CHANNEL and not self.can_post(interaction):
            # Said here rather than after the core has opened a question nobody can see.
            text = Text(ui(await self.locale(chat), "cannot_post"), ephemeral=True)
            await self._answer(interaction, chat, [text], Defer.NO)
            return
        if defer is not Defer.NO:
            await interaction.response.defer(ephemeral=defer is Defer.PRIVATE, thinking=True)
        event = CommandReceived(
            chat,
            self.user_ref(interaction.user),
            name,
            args,
            is_admin=self.is_admin(interaction),
            mentions=mentions,
            command_style=command_style(interaction.locale),
            replied_to=replied_to,
        )
        replies = await self._deliver(event)
        await self._answer(interaction, chat, replies, defer)

    async def on_file(
        self, interaction: discord.Interaction, file: discord.Attachment, caption: str
    ) -> None:
        """An attachment given to a command: fetched only under the size cap, then handed
        to the core as the file it is (a question set, a question's picture)."""
        chat = self.chat_ref(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        data = await file.read() if file.size <= FETCH_MAX else b""
        event = FileReceived(
            chat,
            self.user_ref(interaction.user),
            file.filename,
            data,
            file.size,
            caption=caption,
            is_admin=self.is_admin(interaction),
            command_style=command_style(interaction.locale),
        )
        replies = await self._deliver(event)
        await self._answer(interaction, chat, replies, Defer.PRIVATE)

    async def on_choice(self, interaction: discord.Interaction, post_id: int, option: int) -> None:
        try:
            # Recording an answer is a write that may queue behind others in a busy contest.
            await interaction.response.defer(ephemeral=True, thinking=True)
            chat = self.chat_ref(interaction)
            event = ChoiceSelected(
                chat,
                self.user_ref(interaction.user),
                post_id,
                option,
                command_style=command_style(interaction.locale),
            )
            replies = await self._deliver(event)
            await self._answer(interaction, chat, replies, Defer.PRIVATE)
        except Exception:
            # discord.py logs it (the button's view); the user still deserves an answer.
            await self.apologize(interaction)
            raise
        if interaction.message is not None and interaction.message.embeds:
            self._count_later(interaction.message, post_id, chat)

    async def on_announce(self, interaction: discord.Interaction, args: str) -> None:
        await self.on_command(interaction, "announce", args, defer=Defer.PRIVATE)

    async def open_announce(self, interaction: discord.Interaction, *, to_all: bool) -> None:
        chat = self.chat_ref(interaction)
        # Refused before the form opens, not after someone has written the whole notice.
        refusal = await self.port.announce_refusal(
            chat,
            self.user_ref(interaction.user),
            self.is_admin(interaction),
            command_style(interaction.locale),
        )
        if refusal is not None:
            await self._answer(interaction, chat, [refusal], Defer.NO)
            return
        # The core reads a schedule in the chat's own zone (set with /daily tz).
        place = await self.port.place(chat)
        modal = AnnounceModal(place.locale, place.zone, self.port.now, to_all=to_all)
        await interaction.response.send_modal(modal)

    async def open_question_form(
        self, interaction: discord.Interaction, purpose: str, number: int | None = None
    ) -> None:
        """/문제추가, /문제제안, or a suggestion to edit: the core says whether this person may
        before the form opens (instructors only, but for a suggestion), and fills it in."""
        chat = self.chat_ref(interaction)
        opened = await self.port.question_form(
            chat,
            self.user_ref(interaction.user),
            self.is_admin(interaction),
            purpose,
            number,
            command_style(interaction.locale),
        )
        if isinstance(opened, Text):
            await self._answer(interaction, chat, [opened], Defer.NO)
            return
        modal = QuestionModal(await self.locale(chat), opened)
        await interaction.response.send_modal(modal)

    async def on_question(self, interaction: discord.Interaction, form: QuestionForm) -> None:
        """A question form sent: the core checks it and answers (its problems, the text kept)."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        chat = self.chat_ref(interaction)
        event = QuestionSubmitted(
            chat,
            self.user_ref(interaction.user),
            form,
            is_admin=self.is_admin(interaction),
            command_style=command_style(interaction.locale),
        )
        await self._answer(interaction, chat, await self._deliver(event), Defer.PRIVATE)

    async def on_queue_button(
        self, interaction: discord.Interaction, word: str, number: int
    ) -> None:
        """A /queue button: edit opens the filled-in form; approve and reject run as typed."""
        if word == "edit":
            await self.open_question_form(interaction, "queue", number)
            return
        await self.on_command(interaction, "queue", f"{word} {number}", defer=Defer.PRIVATE)

    async def on_term_button(self, interaction: discord.Interaction, term_id: str) -> None:
        """/term's "자세히": the whole card, as "/term full <id>" typed by the tapper."""
        await self.on_command(interaction, "term", f"full {term_id}", defer=Defer.NO)

    async def reply_text(self, interaction: discord.Interaction, text: Text) -> None:
        await self._answer(interaction, self.chat_ref(interaction), [text], Defer.NO)

    def complete(self, query: str, locale: str | None = None) -> list[Choice[str]]:
        choices = []
        terms = self.port.complete_terms(
            query.strip(), AUTOCOMPLETE_LIMIT, locale or self.settings.locale
        )
        for term in terms:
            value = render.fit(term.name, CHOICE_MAX)
            choices.append(Choice(name=render.fit(term.label, CHOICE_MAX), value=value))
        return choices[:AUTOCOMPLETE_LIMIT]

    async def apologize(self, interaction: discord.Interaction) -> None:
        """Tell the user something went wrong instead of leaving Discord's 'did not respond'."""
        try:
            text = t(await self.locale(self.chat_ref(interaction)), "error")
            if interaction.response.is_done():
                await interaction.followup.send(text, ephemeral=True)
            else:
                await interaction.response.send_message(text, ephemeral=True)
        except Exception:
            log.debug("could not tell the user about the failure", exc_info=True)

    async def _answer(
        self,
        interaction: discord.Interaction,
        chat: ChatRef,
        replies: list[Content],
        deferred: Defer,
    ) -> None:
        """Render the core's replies as this interaction's response and follow-ups.

        Discord fixes a deferred response's visibility when it is deferred, and the first
        follow-up completes it, so the reply that completes it is chosen to match: a private
        one for a private deferral, a public one for a public deferral.
        """
        ctx = await self._context(chat)
        out = [m for reply in replies for m in render.messages(reply, ctx)]
        if deferred is Defer.NO:
            if not out:
                # Nothing to say (the core posted to the channel itself); Discord still wants
                # an answer, so acknowledge and withdraw it.
                await interaction.response.defer(ephemeral=True, thinking=True)
                await interaction.delete_original_response()
                return
            first = out[0]
            await interaction.response.send_message(**first.kwargs(), ephemeral=first.ephemeral)
            for m in out[1:]:
                await interaction.followup.send(**m.kwargs(), ephemeral=m.ephemeral)
            return
        if not out:
            await interaction.delete_original_response()
            return
        if deferred is Defer.PUBLIC:
            # A private refusal here shows publicly: Discord cannot make it private any more.
            first = next((m for m in out if not m.ephemeral), out[0])
        else:
            found = next((m for m in out if m.ephemeral), None)
            if found is None:
                # Only public replies: post them to the channel, then withdraw the private
                # "thinking…" placeholder.
                if await self._post_public(interaction, chat, out):
                    await interaction.delete_original_response()
                    return
                found = out[0]  # the bot may not post here; better privately than not at all
            first = found
        await interaction.edit_original_response(**first.edit_kwargs())
        for m in out:
            if m is not first:
                await interaction.followup.send(**m.kwargs(), ephemeral=m.ephemeral)

    async def _post_public(
        self, interaction: discord.Interaction, chat: ChatRef, out: list[render.Message]
    ) -> bool:
        if not self.can_post(interaction):
            return False
        channel = self.client.get_partial_messageable(
            channel_id(chat), guild_id=interaction.guild_id
        )
        for index, m in enumerate(out):
            try:
                await channel.send(**m.kwargs())
            except (discord.Forbidden, discord.NotFound):
                if index == 0:
                    return False
                log.warning("could not post a reply in %s", chat.chat_id, exc_info=True)
        return True

    # ------------------------------------------------------------ answer counter

    def _count_later(self, message: discord.Message, post_id: int, chat: ChatRef) -> None:
        counter = self._counters.get(message.id)
        if counter is None:
            self._prune_counters()
            counter = _Counter(
                message.channel.id, message.id, post_id, chat, message.embeds[0].copy()
            )
            self._counters[message.id] = counter
        counter.dirty = True
        if counter.task is None or counter.task.done():
            counter.task = self._spawn(self._run_counter(counter), f"count-{message.id}")

    def _prune_counters(self) -> None:
        horizon = time.monotonic() - self.count_interval
        for key, counter in list(self._counters.items()):
            idle = counter.task is None or counter.task.done()
            if idle and counter.last_edit < horizon:
                del self._counters[key]

    async def _run_counter(self, counter: _Counter) -> None:
        # Taps that arrive while this runs only set `dirty`; the count is read after the
        # wait, so one edit covers all of them.
        while counter.dirty:
            wait = counter.last_edit + self.count_interval - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            counter.dirty = False
            count = await self.port.answer_count(counter.post_id)
            locale = await self.locale(counter.chat)
            counter.embed.set_footer(text=ui(locale, "answered", count=count))
            message = self.client.get_partial_messageable(counter.channel_id).get_partial_message(
                counter.message_id
            )
            try:
                await message.edit(embed=counter.embed)
            except discord.HTTPException as exc:
                # The counter is a nicety: a deleted message or a rate limit must not
                # disturb answering.
                log.info("could not update the answer count of %s: %s", counter.message_id, exc)
            counter.last_edit = time.monotonic()

    # --------------------------------------------------------- fan-out and edits

    async def send(self, chat: ChatRef, content: Content) -> SentRef:
        channel = self.client.get_partial_messageable(channel_id(chat))
        first: discord.Message | None = None
        ctx = await self._context(chat)
        with delivery_errors(chat):
            for m in render.messages(content, ctx):
                sent = await channel.send(**m.kwargs())
                first = first or sent
        if first is None:
            raise DeliveryError(f"nothing to send to {chat.chat_id}")
        return SentRef(chat, str(first.id))

    async def edit(self, ref: SentRef, content: Content) -> None:
        channel = self.client.get_partial_messageable(channel_id(ref.chat))
        message = channel.get_partial_message(int(ref.message_id))
        ctx = await self._context(ref.chat, content)
        # A split text keeps its first part's message; an edit replaces that part only.
        m = render.messages(content, ctx)[0]
        with delivery_errors(ref.chat):
            await message.edit(content=m.content, embed=m.embed, view=m.view)
        counter = self._counters.get(message.id)
        if counter is not None and m.embed is not None:
            # Later counter updates build on the card as the core last wrote it.
            counter.embed = m.embed.copy()

    async def close_question(self, ref: SentRef) -> None:
        """Show a closed question as closed: every button disabled, the deadline replaced."""
        channel = self.client.get_partial_messageable(channel_id(ref.chat))
        with delivery_errors(ref.chat):
            message = await channel.fetch_message(int(ref.message_id))
            if not message.embeds:
                return
            locale = await self.locale(ref.chat)
            embed = render.closed_embed(message.embeds[0], locale)
            await message.edit(embed=embed, view=render.closed_view(message))
        counter = self._counters.get(message.id)
        if counter is not None:
            # A counter edit still pending must not bring the open card back.
            counter.embed = embed.copy()
