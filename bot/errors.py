"""Errors adapters raise from send and edit, so the core reacts without knowing the platform."""

from __future__ import annotations


class DeliveryError(Exception):
    """Base for every failure to deliver a message."""


class RateLimited(DeliveryError):
    """The platform said to wait (HTTP 429); retry_after is in seconds."""

    def __init__(self, retry_after: float) -> None:
        super().__init__(f"rate limited, retry after {retry_after:g}s")
        self.retry_after = retry_after


class ChatGone(DeliveryError):
    """The chat no longer takes our messages (403, 404, bot removed): stop sending there."""


class TransientError(DeliveryError):
    """A 5xx, a timeout or a dropped connection: worth retrying with backoff."""


class StartupError(Exception):
    """Something a user must fix before the bot can run; the message says what."""
