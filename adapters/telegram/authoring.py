"""Questions authored on Telegram: a quiz poll sent to the bot, and the buttons of /queue.

A native quiz poll sent or forwarded to the bot in a private chat shows its correct option
(the Bot API reveals it there), so it becomes a QuestionSubmitted with the poll's question,
options and explanation; the core's conversation asks for the group, a 해설 and a topic.

Buttons under a Text (Text.buttons) carry short callback data (render.command_callback_data);
a tap is delivered as the command it names, typed by the tapper, with their admin status
looked up. Data that is not ours (not on the message's own keyboard, not digits) is refused
without touching the core, as answer buttons are.
"""

from __future__ import annotations

import logging
from typing import Protocol

from telegram import Bot, CallbackQuery, Chat, Message, Poll, User
from telegram.constants import ChatType, PollType
from telegram.error import TelegramError

from adapters.telegram import render
from adapters.telegram.refs import chat_ref, user_ref
from bot.config import Settings
from bot.content.upload import FETCH_MAX
from bot.i18n import t
from bot.types import (
    ChatRef,
    CommandReceived,
    Content,
    Event,
    FileReceived,
    QuestionForm,
    QuestionSubmitted,
    Text,
)


class TelegramAdapter(Protocol):
    """The adapter's parts these handlers use (the adapter module imports this one)."""

    settings: Settings

    async def _deliver_event(self, event: Event) -> list[Content]: ...

    def _reply(self, chat: ChatRef, content: Content, *, reply_to: int | None) -> None: ...

    async def _is_admin(self, chat: Chat, user: User) -> bool: ...

    def _bot(self) -> Bot: ...


log = logging.getLogger(__name__)

# Taps after which the question left the queue: the keyboard goes, so nobody taps it again.
SETTLING = ("approve ", "reject ")


def poll_form(poll: Poll) -> QuestionForm:
    """The poll as the fields of an instructor's question (purpose "addq").

    A regular poll has no answer: the form goes with an empty one, and the core's check
    says so with the rest quoted back, as for any form missing its answer.
    """
    correct = poll.correct_option_ids if poll.type == PollType.QUIZ else ()
    return QuestionForm(
        "addq",
        stem=poll.question,
        options=tuple(option.text for option in poll.options),
        answer=",".join(str(index + 1) for index in correct),
        explanation=poll.explanation or "",
    )


async def on_file(adapter: TelegramAdapter, message: Message) -> None:
    """A document or photo sent to the bot: fetched (if small enough) and handed over."""
    sender = message.from_user
    if sender is None or sender.is_bot:
        return
    if message.document is not None:
        file_id, size = message.document.file_id, message.document.file_size or 0
        name = message.document.file_name or "file"
    else:
        photo = message.photo[-1]  # the largest size Telegram made
        file_id, size, name = photo.file_id, photo.file_size or 0, f"photo-{photo.file_unique_id}"
        name += ".jpg"
    data = b""
    if size <= FETCH_MAX:
        try:
            found = await adapter._bot().get_file(file_id)
            if (found.file_size or 0) <= FETCH_MAX:
                data = bytes(await found.download_as_bytearray())
        except TelegramError as exc:
            log.warning("telegram: file from %s not fetched: %s", sender.id, exc.message)
            return
        size = size or len(data)
    where = chat_ref(message.chat)
    admin = await adapter._is_admin(message.chat, sender)
    event = FileReceived(
        where, user_ref(sender), name, data, size, caption=message.caption or "", is_admin=admin
    )
    for reply in await adapter._deliver_event(event):
        quote = isinstance(reply, Text) and reply.ephemeral and where.is_group
        adapter._reply(where, reply, reply_to=message.message_id if quote else None)


async def on_poll(adapter: TelegramAdapter, message: Message) -> None:
    """A poll sent or forwarded to the bot: in a private chat, a question to add."""
    poll, sender = message.poll, message.from_user
    if poll is None or sender is None or sender.is_bot:
        return
    if message.chat.type != ChatType.PRIVATE:
        return  # a poll in a group is the group's own business

    where = chat_ref(message.chat)
    # Everyone runs their own private chat with the bot (as CommandReceived there says).
    event = QuestionSubmitted(where, user_ref(sender), poll_form(poll), is_admin=True)
    for reply in await adapter._deliver_event(event):
        adapter._reply(where, reply, reply_to=None)


def _notice(replies: list[Content]) -> tuple[list[Content], list[Content]]:
    """(for the tapper's alert, for the chat): short private words fit an alert; the rest
    (what the chat should hear, and anything too long for an alert) is posted."""
    alert: list[Content] = []
    post: list[Content] = []
    for reply in replies:
        short = isinstance(reply, Text) and len(reply.body) <= render.CALLBACK_TEXT_MAX
        (alert if isinstance(reply, Text) and reply.ephemeral and short else post).append(reply)
    return alert, post


async def on_command_tap(adapter: TelegramAdapter, query: CallbackQuery) -> tuple[str, bool]:
    """A tap on a Text button: (the notice to answer the query with, shown as an alert)."""

    parsed = render.parse_command_callback(query.data)
    message = query.message
    ours = isinstance(message, Message) and query.data in render.keyboard_data(message.reply_markup)
    if parsed is None or not isinstance(message, Message) or not ours:
        # Forged, or from a keyboard we never sent: refuse without touching the core.
        return t(adapter.settings.locale, "answer_unknown"), True
    name, args = parsed
    where = chat_ref(message.chat)
    admin = await adapter._is_admin(message.chat, query.from_user)
    event = CommandReceived(where, user_ref(query.from_user), name, args, admin)
    replies = await adapter._deliver_event(event)
    alert, post = _notice(replies)
    for reply in post:
        adapter._reply(where, reply, reply_to=None)
    if args.startswith(SETTLING) and any(isinstance(r, Text) and not r.ephemeral for r in post):
        # Decided (the suggester is told in the chat): this item's buttons have done their job.
        try:
            await adapter._bot().edit_message_reply_markup(
                chat_id=message.chat.id, message_id=message.message_id, reply_markup=None
            )
        except TelegramError as exc:
            log.info("telegram: queue buttons not removed: %s", exc.message)
    notice, _ = render.callback_notice(alert)
    return notice, True
