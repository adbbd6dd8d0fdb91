"""Discord adapter (discord.py 2.7): slash commands, embeds, persistent answer buttons.

`studybot run` calls create() when STUDYBOT_DISCORD_TOKEN is set; `studybot discord sync`
uploads the command tree through sync.sync_commands().
"""

from __future__ import annotations

from bot.adapter import CorePort
from bot.config import Settings

from .adapter import PLATFORM, DiscordAdapter


def create(settings: Settings, port: CorePort) -> DiscordAdapter:
    return DiscordAdapter(settings, port)


__all__ = ["PLATFORM", "DiscordAdapter", "create"]
