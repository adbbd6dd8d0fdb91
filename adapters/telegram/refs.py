"""Telegram chats and users as the core's neutral references."""

from __future__ import annotations

from telegram import Chat, User
from telegram.constants import ChatType

from bot.types import ChatRef, UserRef

PLATFORM = "telegram"
GROUP_TYPES = {ChatType.GROUP, ChatType.SUPERGROUP}


def chat_ref(chat: Chat) -> ChatRef:
    group = chat.type in GROUP_TYPES
    return ChatRef(PLATFORM, str(chat.id), is_group=group, title=chat.title if group else None)


def user_ref(user: User) -> UserRef:
    name = user.full_name.strip() or (user.username or "") or str(user.id)
    return UserRef(PLATFORM, str(user.id), name)
