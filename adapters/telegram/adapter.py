"""The Telegram adapter: python-telegram-bot's Application inside studybot's own event loop.

Updates become neutral events for the core's sink; the core's replies come back as native
quiz polls, inline keyboards and HTML messages. Nothing here decides what the bot says.
"""

from __future__ import annotations

import asyncio
import contextvars
import hashlib
import logging
import secrets
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import urlsplit

from telegram import (
    Bot,
    CallbackQuery,
    Chat,
    ChatMemberUpdated,
    InlineQuery,
    InlineQueryResultArticle,
    InputTextMessageContent,
    Message,
    MessageEntity,
    PollAnswer,
    ReplyParameters,
    Update,
    User,
)
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import ChatMigrated, InvalidToken, NetworkError, TelegramError
from telegram.ext import Application, ContextTypes, TypeHandler

from adapters.telegram import authoring, render
from adapters.telegram.commands import menu
from adapters.telegram.errors import is_not_modified, translate
from adapters.telegram.intake import Incoming, Polling, Webhook
from adapters.telegram.lanes import ChatLanes
from adapters.telegram.refs import PLATFORM, chat_ref, user_ref
from adapters.telegram.votes import PollVote
from bot.adapter import CorePort, Failure, Sink
from bot.config import Settings
from bot.dispatcher import parse_command
from bot.errors import DeliveryError, StartupError
from bot.i18n import CATALOGS, t
from bot.logsetup import mask
from bot.pacer import PacerClosed
from bot.services.lookup import MAX_QUERY
from bot.types import (
    Capabilities,
    ChatRef,
    ChoiceSelected,
    CommandReceived,
    Content,
    Document,
    Event,
    Image,
    QuestionCard,
    SentRef,
    Text,
    TextReceived,
    UserRef,
)

log = logging.getLogger(__name__)
T = TypeVar("T")
V = TypeVar("V")

# Updates we act on; asking for exactly these keeps Telegram from sending the rest.
ALLOWED_UPDATES = ["message", "callback_query", "inline_query", "poll_answer", "my_chat_member"]
GONE_STATUSES = {ChatMemberStatus.LEFT, ChatMemberStatus.BANNED}
INLINE_RESULTS = 10
INLINE_CACHE_SECONDS = 300  # the glossary changes only with a deploy
POLL_CACHE = 50_000
NAME_CACHE = 50_000


@dataclass(frozen=True, slots=True)
class _Origin:
    """The message being answered, so replies (and cards the core posts while handling it)
    land in the same forum topic."""

    chat_id: str
    thread_id: int | None


_origin: contextvars.ContextVar[_Origin | None] = contextvars.ContextVar(
    "telegram_origin", default=None
)


@dataclass(slots=True)
class _Receipt:
    """What handling one update came to: failed when the core could not store it.

    final: no other try follows, so a user whose vote was lost may be told."""

    final: bool
    failed: bool = False


_receipt: contextvars.ContextVar[_Receipt | None] = contextvars.ContextVar(
    "telegram_receipt", default=None
)


class _Bounded(OrderedDict[str, V]):
    """A small LRU: the oldest entries go first once the limit is reached."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit

    def put(self, key: str, value: V) -> None:
        self[key] = value
        self.move_to_end(key)
        while len(self) > self.limit:
            self.popitem(last=False)


def _file_url(api_url: str) -> str:
    # A self-hosted Bot API serves files under /file/bot<token>, beside /bot<token>.
    if api_url.endswith("/bot"):
        return api_url[: -len("/bot")] + "/file/bot"
    return api_url + "/file/bot"


class TelegramAdapter:
    name = PLATFORM
    capabilities = Capabilities(
        buttons=True,
        native_quiz=True,
        edit=True,
        # A group has no private replies; a poll or a button toast is as private as it gets,
        # and those the adapter chooses per interaction, not the core.
        ephemeral=False,
        close_question=True,
        max_text_len=render.MAX_TEXT,
        images=True,  # sent as a photo (send_photo), its words as the caption
        files=True,  # sent as a document (send_document)
        extra={"inline_lookup": True},
    )

    def __init__(
        self,
        settings: Settings,
        port: CorePort,
        *,
        admin_ttl: float = 300.0,
        running_updates: int = 32,
        poll_timeout: int = 10,
    ) -> None:
        self.settings = settings
        self.port = port
        self.admin_ttl = admin_ttl
        self.running_updates = running_updates
        self.poll_timeout = poll_timeout
        self.application: Application | None = None
        self.username = ""
        self.bot_id = 0
        self._sink: Sink | None = None
        # poll id -> (post id, chat): a poll answer names neither, and this saves a query.
        self._polls: _Bounded[tuple[int, ChatRef]] = _Bounded(POLL_CACHE)
        self._admins: dict[str, tuple[float, frozenset[int]]] = {}
        # @username -> user, learned from the people who write, so '/instructor add @name'
        # can name someone the Bot API alone could not look up.
        self._names: _Bounded[User] = _Bounded(NAME_CACHE)
        self._outgoing: dict[str, asyncio.Task[Any]] = {}  # chat id -> last message queued
        self._replying: set[asyncio.Task[None]] = set()
        self._intake: Polling | Webhook | None = None

    # ---- lifecycle ----------------------------------------------------------------------

    def _build(self) -> Application:
        builder = (
            Application.builder()
            .token(self.settings.telegram_token.reveal())
            .concurrent_updates(ChatLanes(self._lane_of, self.running_updates))
            # The core schedules everything; PTB's own JobQueue would be a second scheduler.
            .job_queue(None)
            # Its Updater confirms updates before they are handled; adapters/telegram/intake.py
            # fetches and serves them instead.
            .updater(None)
        )
        if self.settings.telegram_api_url:
            # PTB appends the token to base_url, as in https://api.telegram.org/bot<token>.
            builder = builder.base_url(self.settings.telegram_api_url).base_file_url(
                _file_url(self.settings.telegram_api_url)
            )
        app = builder.build()
        app.add_handler(TypeHandler(Update, self._on_update))
        app.add_error_handler(self._on_error)
        return app

    async def start(self, sink: Sink) -> None:
        self._sink = sink
        app = self._build()
        try:
            await app.initialize()  # getMe: proves the token and tells us our @username
        except InvalidToken:
            raise StartupError(
                "Telegram refused the bot token; check STUDYBOT_TELEGRAM_TOKEN"
            ) from None
        except NetworkError as exc:
            # HTTP errors can quote the URL, and the URL holds the token.
            reason = exc.message.replace(self.settings.telegram_token.reveal(), "****")
            raise StartupError(f"cannot reach the Telegram Bot API: {reason}") from None
        self.application = app
        try:
            self.username = app.bot.username
            self.bot_id = app.bot.id
            await self._register_menu(app.bot)
            await app.start()
            if self.settings.telegram_webhook_url:
                await self._start_webhook(app)
            else:
                polling = Polling(
                    app.bot,
                    self._process,
                    timeout=self.poll_timeout,
                    allowed_updates=ALLOWED_UPDATES,
                    on_error=self._on_polling_error,
                )
                self._intake = polling
                # Answers sent while we were down still count when we come back.
                await polling.start()
        except BaseException:
            await self.stop()
            raise
        log.info("telegram: running as @%s", self.username)

    async def _start_webhook(self, app: Application) -> None:
        url = self.settings.telegram_webhook_url
        # Without a secret anyone who finds the URL could post forged updates; when none is
        # configured a fresh one per start works just as well, since setWebhook tells Telegram.
        secret = self.settings.telegram_webhook_secret.reveal() or secrets.token_urlsafe(32)
        # PTB logs setWebhook's parameters at DEBUG, secret_token among them.
        mask(secret)
        webhook = Webhook(
            app.bot,
            self._process,
            listen=self.settings.telegram_webhook_listen,
            port=self.settings.telegram_webhook_port,
            path=urlsplit(url).path,
            secret=secret,
        )
        try:
            await webhook.start(url, ALLOWED_UPDATES)
        except OSError as exc:
            raise StartupError(
                f"cannot listen for the webhook on {self.settings.telegram_webhook_listen}:"
                f"{self.settings.telegram_webhook_port}: {exc.strerror or exc}"
            ) from None
        self._intake = webhook

    async def stop(self) -> None:
        app = self.application
        if app is None:
            return
        try:
            if self._intake is not None:
                # Takes nothing new; finishes the updates in hand and confirms them.
                await self._intake.stop()
                self._intake = None
            if app.running:
                await app.stop()
            # ...and the replies those updates queued.
            while self._replying:
                await asyncio.wait(list(self._replying))
        finally:
            self.application = None
            await app.shutdown()
        log.info("telegram: stopped")

    async def idle(self) -> None:
        """Until every update taken so far is handled to the end (for tests)."""
        if self._intake is not None:
            await self._intake.idle()

    async def _process(self, update: Incoming, final: bool) -> bool:
        """Handle one update in its chat's lane, through PTB's handlers (a vote read from
        the JSON goes to its handler directly): True once it is handled and its writes
        are committed."""
        app = self.application
        if app is None:
            return False
        receipt = _Receipt(final)
        token = _receipt.set(receipt)
        try:
            if isinstance(update, PollVote):
                await app.update_processor.process_update(update, self._vote(update))
            else:
                await app.update_processor.process_update(update, app.process_update(update))
        finally:
            _receipt.reset(token)
        return not receipt.failed

    async def _vote(self, vote: PollVote) -> None:
        # What PTB's process_update does around a handler: its failure is logged, not raised.
        try:
            await self._on_vote(vote)
        except Exception:
            _failed()
            log.error("telegram: handling a poll answer failed", exc_info=True)

    async def _register_menu(self, bot: Bot) -> None:
        try:
            await bot.set_my_commands(menu("ko"))
            await bot.set_my_commands(menu("en"), language_code="en")
        except TelegramError as exc:
            # The menu is a convenience; typed commands work without it.
            log.warning("telegram: could not set the command menu: %s", exc.message)

    def _on_polling_error(self, exc: TelegramError) -> None:
        log.warning("telegram: fetching updates failed: %s", exc.message)

    async def _on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        log.error("telegram: handling an update failed", exc_info=context.error)

    def _bot(self) -> Bot:
        if self.application is None:
            raise DeliveryError("the telegram adapter is not running")
        return self.application.bot

    # ---- sending ------------------------------------------------------------------------

    async def send(self, chat: ChatRef, content: Content) -> SentRef:
        """Deliver for the core (and its pacer): errors come out as bot.errors, unretried."""
        return await self._in_order(chat, lambda: self._send(chat, content, reply_to=None))

    def _in_order(self, chat: ChatRef, deliver: Callable[[], Awaitable[T]]) -> asyncio.Task[T]:
        """Run deliver after everything queued for this chat before it.

        Replies are queued without waiting for them, so the chat's lane moves on to the
        next update (and scores it at the moment it came) while Telegram is still being
        talked to; the chat still sees every message in the order it was meant.
        """
        before = self._outgoing.get(chat.chat_id)

        async def after_before() -> T:
            if before is not None:
                await asyncio.wait([before])  # its outcome is its sender's business
            return await deliver()

        task = asyncio.get_running_loop().create_task(after_before())
        self._outgoing[chat.chat_id] = task

        def forget(done: asyncio.Task[T]) -> None:
            if self._outgoing.get(chat.chat_id) is done:
                del self._outgoing[chat.chat_id]

        task.add_done_callback(forget)
        return task

    async def _send(self, chat: ChatRef, content: Content, *, reply_to: int | None) -> SentRef:
        try:
            return await self._deliver(chat, content, reply_to=reply_to)
        except ChatMigrated as moved:
            # The group became a supergroup: move its history, then send to the new id.
            new_id = str(moved.new_chat_id)
            await self._migrated(chat, new_id)
            target = ChatRef(PLATFORM, new_id, chat.is_group)
            try:
                return await self._deliver(target, content, reply_to=None)
            except TelegramError as exc:
                raise translate(exc) from exc
        except TelegramError as exc:
            raise translate(exc) from exc

    def _thread_for(self, chat: ChatRef) -> int | None:
        origin = _origin.get()
        if origin is not None and origin.chat_id == chat.chat_id:
            return origin.thread_id
        return None

    async def _deliver(self, chat: ChatRef, content: Content, *, reply_to: int | None) -> SentRef:
        bot = self._bot()
        thread = self._thread_for(chat)
        reply = ReplyParameters(reply_to, allow_sending_without_reply=True) if reply_to else None
        if isinstance(content, Image):
            photo = await bot.send_photo(
                chat_id=chat.chat_id,
                photo=content.png,
                filename=content.name,
                caption=render.photo_caption(content),
                message_thread_id=thread,
                reply_parameters=reply,
            )
            return SentRef(chat, str(photo.message_id))
        if isinstance(content, Document):
            sent = await bot.send_document(
                chat_id=chat.chat_id,
                document=content.data,
                filename=content.name,
                caption=content.caption[: render.CAPTION_MAX] or None,
                message_thread_id=thread,
                reply_parameters=reply,
            )
            return SentRef(chat, str(sent.message_id))
        if isinstance(content, QuestionCard) and content.image is not None:
            # The picture goes first, so the question under it reads as being about it.
            await bot.send_photo(
                chat_id=chat.chat_id,
                photo=content.image.png,
                filename=content.image.name,
                caption=render.photo_caption(content.image),
                message_thread_id=thread,
            )
        if isinstance(content, QuestionCard) and render.fits_poll(content):
            message = await bot.send_poll(
                chat_id=chat.chat_id,
                question=render.poll_question(content),
                options=list(content.options),
                is_anonymous=False,  # answers must say who answered
                type="quiz",
                # PTB types an option id as Literal[0..11]; render.fits_poll keeps it under 10.
                correct_option_ids=[content.correct[0] - 1],  # type: ignore[list-item]
                explanation=render.poll_explanation(content),
                open_period=render.open_period(content),
                message_thread_id=thread,
                reply_parameters=reply,
            )
            assert message.poll is not None
            self._polls.put(message.poll.id, (content.post_id, chat))
            return SentRef(chat, str(message.message_id), native_id=message.poll.id)
        markup = render.keyboard_for(content)
        parts = render.html_parts(render.body_of(content))
        if not parts:
            log.warning("telegram: nothing to send to %s (empty message)", chat.chat_id)
            return SentRef(chat, "")
        first: Message | None = None
        for i, part in enumerate(parts):
            last = i == len(parts) - 1
            message = await bot.send_message(
                chat_id=chat.chat_id,
                text=part,
                parse_mode=render.PARSE_MODE,
                reply_markup=markup if last else None,  # the buttons go under the options
                message_thread_id=thread,
                reply_parameters=reply if i == 0 else None,
            )
            if markup is not None and last:
                first = message  # a card is referred to by the message with its buttons
            elif first is None:
                first = message
        assert first is not None
        return SentRef(chat, str(first.message_id))

    def _reply(self, chat: ChatRef, content: Content, *, reply_to: int | None) -> None:
        task = self._in_order(chat, lambda: self._reply_now(chat, content, reply_to=reply_to))
        self._replying.add(task)
        task.add_done_callback(self._replying.discard)

    async def _reply_now(self, chat: ChatRef, content: Content, *, reply_to: int | None) -> None:
        """Answer a user through the core's pacer: the reply shares the chat's and the bot's
        budget with fan-out, waits out a 429 and retries a 5xx or a timeout with a bound."""
        try:
            await self.port.paced(chat, lambda: self._send(chat, content, reply_to=reply_to))
        except PacerClosed:
            log.info("telegram: reply to %s not sent: stopping", chat.chat_id)
        except DeliveryError as exc:
            # TransientError once the pacer's backoff is spent, or a request Telegram refused.
            log.warning("telegram: reply to %s failed: %s", chat.chat_id, exc)

    async def edit(self, ref: SentRef, content: Content) -> None:
        bot = self._bot()
        if not ref.message_id:
            return
        if isinstance(content, QuestionCard) and ref.native_id:
            # A poll's question and options cannot change after it is sent.
            log.debug("telegram: poll %s cannot be edited", ref.native_id)
            return
        parts = render.html_parts(render.body_of(content)) or [""]
        markup = render.answer_keyboard(content) if isinstance(content, QuestionCard) else None
        try:
            # An edit replaces one message; a body grown past the limit keeps its first part.
            await bot.edit_message_text(
                chat_id=ref.chat.chat_id,
                message_id=int(ref.message_id),
                text=parts[0],
                parse_mode=render.PARSE_MODE,
                reply_markup=markup,
            )
        except TelegramError as exc:
            if is_not_modified(exc):
                return
            raise translate(exc) from exc

    async def close_question(self, ref: SentRef) -> None:
        """Stop answers where Telegram takes them: close the poll, or remove the buttons.

        For the core to call when it closes a post. Until it does, a /quiz poll stays open
        after the reveal, and the core refuses late votes without a word (the voter is
        not told); a contest poll closes itself on its open_period either way.
        """
        bot = self._bot()
        if not ref.message_id:
            return
        try:
            if ref.native_id:
                await bot.stop_poll(chat_id=ref.chat.chat_id, message_id=int(ref.message_id))
            else:
                await bot.edit_message_reply_markup(
                    chat_id=ref.chat.chat_id, message_id=int(ref.message_id), reply_markup=None
                )
        except TelegramError as exc:
            text = getattr(exc, "message", "").lower()
            if is_not_modified(exc) or "already been closed" in text or "already closed" in text:
                return
            raise translate(exc) from exc

    # ---- receiving ----------------------------------------------------------------------

    def _lane_of(self, update: object) -> tuple[str, str | None]:
        """Which lane an update waits in (its chat's, so a chat's order is kept), and who
        answers when it is an answer that may run beside other people's answers."""
        if isinstance(update, PollVote):
            seen = self._polls.get(update.poll_id)
            lane = f"chat:{seen[1].chat_id}" if seen else f"poll:{update.poll_id}"
            return lane, f"u:{update.user_id}"
        if not isinstance(update, Update):
            return "other", None
        if update.poll_answer is not None:
            # A poll answer names no chat; a poll we sent tells us which one.
            answer = update.poll_answer
            who = f"u:{answer.user.id}" if answer.user is not None else None
            known = self._polls.get(answer.poll_id)
            if known is not None:
                return f"chat:{known[1].chat_id}", who
            return f"poll:{answer.poll_id}", who
        if update.inline_query is not None:
            return f"inline:{update.inline_query.from_user.id}", None
        chat = update.effective_chat
        if chat is not None:
            query = update.callback_query
            if query is not None and render.parse_callback(query.data) is not None:
                return f"chat:{chat.id}", f"u:{query.from_user.id}"  # an answer button
            return f"chat:{chat.id}", None
        user = update.effective_user
        return (f"user:{user.id}" if user is not None else "other"), None

    async def _on_update(self, update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
        try:
            await self._dispatch(update)
        except Exception:
            _failed()
            raise  # PTB's error handler logs it

    async def _dispatch(self, update: Update) -> None:
        if update.poll_answer is not None:
            await self._on_poll_answer(update.poll_answer)
        elif update.callback_query is not None:
            await self._on_callback(update.callback_query)
        elif update.inline_query is not None:
            await self._on_inline(update.inline_query)
        elif update.my_chat_member is not None:
            await self._on_membership(update.my_chat_member)
        elif update.message is not None:
            await self._on_message(update.message)
        # Anything else (poll state, edits) needs nothing from us.

    async def _deliver_event(self, event: Event) -> list[Content]:
        assert self._sink is not None, "start() first"
        replies = await self._sink(event)
        if any(isinstance(reply, Failure) for reply in replies):
            _failed()  # not stored: not acknowledged either, so Telegram delivers it again
        return replies

    def _learn(self, user: User | None) -> None:
        if user is not None and user.username and not user.is_bot:
            self._names.put(user.username.lower(), user)

    async def _on_message(self, message: Message) -> None:
        chat = message.chat
        if chat.type == ChatType.CHANNEL:
            return
        if message.migrate_to_chat_id:
            await self._migrated(chat_ref(chat), str(message.migrate_to_chat_id))
            return
        if message.migrate_from_chat_id:
            # Sent in the new supergroup before anything else is, so scores move first.
            old = ChatRef(PLATFORM, str(message.migrate_from_chat_id), True)
            await self._migrated(old, str(chat.id))
            return
        if message.poll is not None:  # a quiz poll sent to the bot: a question to add
            await authoring.on_poll(self, message)
            return
        if message.document is not None or message.photo:
            await authoring.on_file(self, message)
            return
        text = message.text
        sender = message.from_user
        if not text or sender is None:
            return
        self._learn(sender)
        where = chat_ref(chat)
        anonymous_admin = message.sender_chat is not None and message.sender_chat.id == chat.id
        if sender.is_bot and not anonymous_admin:
            return
        who = (
            UserRef(PLATFORM, str(chat.id), chat.title or chat.effective_name or str(chat.id))
            if anonymous_admin
            else user_ref(sender)
        )
        event: Event
        parsed = parse_command(text, self.username) if text.startswith("/") else None
        if parsed is not None:
            if parsed.addressed_elsewhere:
                return  # '/quiz@OtherBot': another bot's command
            admin = anonymous_admin or await self._is_admin(chat, sender)
            mentions = self._mentions(message)
            event = CommandReceived(
                where,
                who,
                parsed.name,
                parsed.args,
                admin,
                mentions,
                replied_to=self._replied_to_bot(message),
            )
        else:
            event = TextReceived(where, who, text)
        thread = message.message_thread_id if message.is_topic_message else None
        token = _origin.set(_Origin(where.chat_id, thread))
        try:
            replies = await self._deliver_event(event)
            for reply in replies:
                # Telegram has no private replies in a group: a reply meant for one person
                # quotes their message so the chat sees whom it answers.
                quote = isinstance(reply, Text) and reply.ephemeral and where.is_group
                self._reply(where, reply, reply_to=message.message_id if quote else None)
        finally:
            _origin.reset(token)

    async def _is_admin(self, chat: Chat, user: User) -> bool:
        if chat.type == ChatType.PRIVATE:
            return True  # everyone runs their own private chat with the bot
        key = str(chat.id)
        now = time.monotonic()
        cached = self._admins.get(key)
        if cached is None or cached[0] <= now:
            try:
                members = await self._bot().get_chat_administrators(chat.id)
            except TelegramError as exc:
                log.warning("telegram: admins of %s unknown: %s", chat.id, exc.message)
                return False
            cached = (now + self.admin_ttl, frozenset(m.user.id for m in members))
            self._admins[key] = cached
        return user.id in cached[1]

    def _replied_to_bot(self, message: Message) -> str | None:
        """The id of the bot's own message this one replies to (a question's post), if any."""
        replied = message.reply_to_message
        if replied is None or replied.from_user is None:
            return None
        if message.is_topic_message and replied.message_id == message.message_thread_id:
            return None  # the topic's opening message, not a real reply
        if replied.from_user.id != self._bot().id:
            return None
        return str(replied.message_id)

    def _mentions(self, message: Message) -> tuple[UserRef, ...]:
        """Whom a command points at: the author of the replied-to message, then mentions."""
        found: dict[int, User] = {}
        replied = message.reply_to_message
        # In a forum topic every message "replies" to the topic's opening service message.
        topic_root = (
            message.is_topic_message
            and replied is not None
            and (replied.message_id == message.message_thread_id)
        )
        if replied is not None and not topic_root and replied.from_user is not None:
            if not replied.from_user.is_bot:
                found[replied.from_user.id] = replied.from_user
        for entity in message.entities:
            if entity.type == MessageEntity.TEXT_MENTION and entity.user is not None:
                found.setdefault(entity.user.id, entity.user)
            elif entity.type == MessageEntity.MENTION:
                known = self._names.get(message.parse_entity(entity).lstrip("@").lower())
                if known is not None:
                    found.setdefault(known.id, known)
        return tuple(user_ref(u) for u in found.values())

    async def _on_poll_answer(self, answer: PollAnswer) -> None:
        user = answer.user
        if user is None:
            return  # a vote cast as a channel: nobody to score
        vote = PollVote(
            0,
            answer.poll_id,
            user.id,
            user.first_name,
            user.last_name or "",
            user.username or "",
            user.is_bot,
            tuple(answer.option_ids),
        )
        await self._on_vote(vote)

    async def _on_vote(self, answer: PollVote) -> None:
        if not answer.option_ids:
            return  # a retracted vote: nothing to score
        if answer.username and not answer.is_bot:
            # As _learn, without building a User for someone already known as they are.
            key = answer.username.lower()
            known_user = self._names.get(key)
            same = known_user is not None and (
                known_user.id,
                known_user.first_name,
                known_user.last_name or "",
            ) == (answer.user_id, answer.first_name, answer.last_name)
            if same:
                self._names.move_to_end(key)
            else:
                self._names.put(key, answer.user())
        known = self._polls.get(answer.poll_id)
        if known is None:
            found = await self.port.resolve_native(PLATFORM, answer.poll_id)
            if found is None:
                return  # not a poll of ours (or from before the database was reset)
            known = found
            self._polls.put(answer.poll_id, known)
        post_id, chat = known
        who = answer.ref()
        # Telegram shows the voter right or wrong with the 해설 itself.
        event = ChoiceSelected(chat, who, post_id, answer.option_ids[0] + 1, shown=True)
        replies = await self._deliver_event(event)
        if any(isinstance(reply, Failure) for reply in replies):
            receipt = _receipt.get()
            if receipt is not None and not receipt.final:
                return  # it is tried again shortly; a word now could be wrong by then
            # Telegram took the vote and will not take another: say it was not recorded.
            log.error("telegram: a poll answer by %s was not recorded", answer.user_id)
            try:
                locale = (await self.port.place(chat)).locale
            except Exception:  # the same database trouble: the bot's own language will do
                locale = self.settings.locale
            name = who.display_name
            self._reply(chat, Text(t(locale, "answer_not_recorded", name=name)), reply_to=None)
            return
        # The chat must not learn who answered what before the reveal, and Telegram already
        # shows the voter right or wrong with the 해설: the core's replies have no audience.
        if replies:
            log.debug("telegram: %d replies to a poll answer not shown", len(replies))

    async def _on_callback(self, query: CallbackQuery) -> None:
        self._learn(query.from_user)
        notice, alert = "", True
        try:
            if render.parse_command_callback(query.data) is not None:  # a Text button
                notice, alert = await authoring.on_command_tap(self, query)
                return
            parsed = render.parse_callback(query.data)
            message = query.message
            ours = isinstance(message, Message) and query.data in render.keyboard_data(
                message.reply_markup
            )
            if parsed is None or message is None or not ours:
                # Forged, or from a keyboard we never sent: refuse without touching the core.
                notice = t(self.settings.locale, "answer_unknown")
                return
            where = chat_ref(message.chat)
            post_id, option = parsed
            replies = await self._deliver_event(
                ChoiceSelected(where, user_ref(query.from_user), post_id, option)
            )
            notice, alert = render.callback_notice(replies)
            for reply in replies:
                if not isinstance(reply, Text):
                    self._reply(where, reply, reply_to=None)
        finally:
            # Always answer, or the tapper's client shows a spinner until it gives up.
            try:
                await query.answer(text=notice or None, show_alert=alert and bool(notice))
            except TelegramError as exc:
                log.info("telegram: callback answer failed: %s", exc.message)

    async def _on_inline(self, query: InlineQuery) -> None:
        self._learn(query.from_user)
        text = query.query.strip()
        language = (query.from_user.language_code or "").split("-")[0]
        locale = language if language in CATALOGS else self.settings.locale
        terms = (
            self.port.complete_terms(text, INLINE_RESULTS, locale)
            if 0 < len(text) <= MAX_QUERY
            else []
        )
        results = []
        for term in terms:
            parts = render.html_parts(term.text)
            if not parts:
                continue
            results.append(
                InlineQueryResultArticle(
                    id=_result_id(term.id),
                    title=term.label,
                    description=term.definition,
                    input_message_content=InputTextMessageContent(
                        parts[0], parse_mode=render.PARSE_MODE
                    ),
                )
            )
        try:
            await query.answer(results, cache_time=INLINE_CACHE_SECONDS, is_personal=False)
        except TelegramError as exc:
            log.info("telegram: inline answer failed: %s", exc.message)

    async def _on_membership(self, change: ChatMemberUpdated) -> None:
        if change.new_chat_member.user.id != self.bot_id:
            return
        status = change.new_chat_member.status
        if status in GONE_STATUSES:
            where = chat_ref(change.chat)
            self._admins.pop(where.chat_id, None)
            who = change.from_user.id if change.from_user else "?"
            await self.port.chat_gone(where, f"bot {status} by {who}")

    async def _migrated(self, old: ChatRef, new_id: str) -> None:
        await self.port.migrate_chat(old, new_id)
        self._admins.pop(old.chat_id, None)
        moved = ChatRef(PLATFORM, new_id, True)
        for poll_id, value in list(self._polls.items()):
            if value[1].chat_id == old.chat_id:
                self._polls[poll_id] = (value[0], moved)


def _failed() -> None:
    receipt = _receipt.get()
    if receipt is not None:
        receipt.failed = True


def _result_id(term_id: str) -> str:
    # Inline result ids are at most 64 bytes; long glossary ids get a stable digest.
    if len(term_id.encode()) <= 64:
        return term_id
    return hashlib.sha1(term_id.encode()).hexdigest()


def create(settings: Settings, port: CorePort) -> TelegramAdapter:
    """What `studybot run` calls when STUDYBOT_TELEGRAM_TOKEN is set."""
    return TelegramAdapter(settings, port)


__all__ = ["TelegramAdapter", "create"]
