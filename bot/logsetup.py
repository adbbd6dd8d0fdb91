"""Logging to stderr with every configured secret masked, whoever logs it.

HTTP client libraries log request URLs, and a Telegram URL carries the bot token, so the
redaction sits on the handler rather than trusting each caller.
"""

from __future__ import annotations

import logging
import sys

from bot.config import Secret, Settings


class RedactingFilter(logging.Filter):
    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self.secrets = [s for s in secrets if s]

    def add(self, secret: str) -> None:
        if secret and secret not in self.secrets:
            self.secrets.append(secret)

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.secrets:
            return True
        message = record.getMessage()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        for secret in self.secrets:
            message = message.replace(secret, "****")
            if record.exc_text:
                record.exc_text = record.exc_text.replace(secret, "****")
        record.msg, record.args = message, None
        return True


# The filter setup_logging installed, so a secret made after start-up is masked too.
_FILTERS: list[RedactingFilter] = []


def mask(secret: str) -> None:
    """Mask a secret the bot holds from now on (one it generated, say) in every log line."""
    for active in _FILTERS:
        active.add(secret)


def setup_logging(settings: Settings) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    secrets: list[Secret] = [
        settings.telegram_token,
        settings.discord_token,
        settings.telegram_webhook_secret,
    ]
    redact = RedactingFilter([s.reveal() for s in secrets])
    _FILTERS[:] = [redact]
    handler.addFilter(redact)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(settings.log_level)
    # httpx logs every request URL at INFO, and Telegram's URLs hold the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    for chatty in ("alembic", "apscheduler"):
        logging.getLogger(chatty).setLevel(max(logging.WARNING, root.level))
