"""Telegram through python-telegram-bot 22: quiz polls, inline keyboards, inline lookup."""

from adapters.telegram.adapter import TelegramAdapter, create

__all__ = ["TelegramAdapter", "create"]
