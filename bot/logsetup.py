"""Logging to stderr with every configured secret masked, whoever logs it.

HTTP client libraries log request URLs, and a Telegram URL carries the bot token, so the
redaction sits on the handler rather than trusting each caller.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

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


LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
LOG_FILE = "studybot.log"


def console_log_file(settings: Settings) -> Path:
    return settings.data_dir / LOG_FILE


def setup_logging(settings: Settings, *, console: bool = False) -> Path | None:
    """Log to stderr; with console=True to a file in the data folder instead.

    The console's terminal is the conversation, so there only WARNING and up still reach
    stderr and everything else goes to <data dir>/studybot.log. Returns that file's path
    (None when logging to stderr alone, or when the file cannot be opened).
    """
    secrets: list[Secret] = [
        settings.telegram_token,
        settings.discord_token,
        settings.telegram_webhook_secret,
    ]
    redact = RedactingFilter([s.reveal() for s in secrets])
    _FILTERS[:] = [redact]
    formatter = logging.Formatter(LOG_FORMAT)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(formatter)
    handler.addFilter(redact)
    handlers: list[logging.Handler] = [handler]
    path: Path | None = None
    if console:
        handler.setLevel(logging.WARNING)
        try:
            settings.data_dir.mkdir(parents=True, exist_ok=True)
            to_file = logging.FileHandler(console_log_file(settings), encoding="utf-8")
        except OSError:
            pass  # an unwritable data folder is reported by whatever needs it next
        else:
            to_file.setFormatter(formatter)
            to_file.addFilter(redact)
            handlers.append(to_file)
            path = console_log_file(settings)
    root = logging.getLogger()
    root.handlers[:] = handlers
    root.setLevel(settings.log_level)
    # httpx logs every request URL at INFO, and Telegram's URLs hold the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    for chatty in ("alembic", "apscheduler"):
        logging.getLogger(chatty).setLevel(max(logging.WARNING, root.level))
    return path
