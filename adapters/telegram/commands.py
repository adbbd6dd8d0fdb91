"""The command menu Telegram shows when someone types '/': Korean by default, English for
clients set to English. Only the menu lives here; every command is handled by the core,
and names not listed still reach it.

The names and labels come from the core's table (bot/commands.py). Telegram menu entries
must be Latin, so the Korean menu gives each command's Korean name in its label: both
names can be typed.
"""

from __future__ import annotations

from telegram import BotCommand

from bot.commands import TABLE, Command


def label(command: Command, language: str) -> str:
    if language == "ko":
        return f"{command.menu_ko} · /{command.ko}"
    return command.menu_en


def menu(language: str) -> list[BotCommand]:
    return [BotCommand(c.name, label(c, language)) for c in TABLE]
