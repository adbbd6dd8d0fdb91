"""python-telegram-bot's errors as the core's delivery errors, so the pacer can react."""

from __future__ import annotations

import warnings
from datetime import timedelta

from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
)
from telegram.warnings import PTBDeprecationWarning

from bot.errors import ChatGone, DeliveryError, RateLimited, TransientError

# A 400 that means the chat cannot be reached any more, as opposed to a malformed request.
_GONE_400 = ("chat not found", "peer_id_invalid", "chat_write_forbidden", "have no rights to send")
_NOT_MODIFIED = "message is not modified"


def retry_seconds(exc: RetryAfter) -> float:
    # PTB 22 warns on every read of retry_after while it moves from int to timedelta;
    # both shapes mean seconds here.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = exc.retry_after
    if isinstance(value, timedelta):
        return value.total_seconds()
    return float(value)


def is_not_modified(exc: TelegramError) -> bool:
    return isinstance(exc, BadRequest) and _NOT_MODIFIED in exc.message.lower()


def translate(exc: TelegramError) -> DeliveryError:
    """The core error for a Bot API failure. ChatMigrated is the caller's to handle."""
    if isinstance(exc, RetryAfter):
        return RateLimited(retry_seconds(exc))
    if isinstance(exc, Forbidden):
        return ChatGone(exc.message)
    if isinstance(exc, ChatMigrated):  # reaching here means the retry on the new id failed too
        return ChatGone(f"chat moved to {exc.new_chat_id}")
    # BadRequest subclasses NetworkError in PTB, so it has to be told apart first.
    if isinstance(exc, BadRequest):
        if any(marker in exc.message.lower() for marker in _GONE_400):
            return ChatGone(exc.message)
        return DeliveryError(exc.message)
    if isinstance(exc, NetworkError):  # TimedOut, 5xx, dropped connections
        return TransientError(exc.message)
    return DeliveryError(exc.message)
