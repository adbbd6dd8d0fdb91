"""The discord.py client: only the guilds intent, a localized command tree, persistent buttons."""

from __future__ import annotations

import logging
from typing import Any

import discord
from discord import app_commands

from .commands import register
from .components import AnswerButton, Handler
from .i18n import KoreanTranslator

log = logging.getLogger(__name__)

# discord.py sleeps through short rate limits itself; longer ones (30 s is its minimum for
# this setting) come back as discord.RateLimited so the core's pacer can reschedule instead.
MAX_RATELIMIT_WAIT = 30.0


def intents() -> discord.Intents:
    # Slash commands and buttons arrive as interactions, which need no intent at all; guilds
    # keeps channels and roles cached (for the instructor role). Nothing privileged, no
    # message content: the bot never reads the chat.
    chosen = discord.Intents.none()
    chosen.guilds = True
    return chosen


def quiet_voice_warnings() -> None:
    # studybot never joins voice; the warnings about missing voice libraries are noise.
    discord.VoiceClient.warn_nacl = False
    discord.VoiceClient.warn_dave = False


class StudyTree(app_commands.CommandTree[discord.Client]):
    async def on_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        command = interaction.command.name if interaction.command else "?"
        log.error("/%s failed in channel %s", command, interaction.channel_id, exc_info=error)
        handler: Handler | None = getattr(interaction.client, "handler", None)
        if handler is not None:
            await handler.apologize(interaction)


class StudyClient(discord.Client):
    """A client whose interactions go to `handler` (the adapter); None is enough to sync."""

    def __init__(self, handler: Handler | None = None, **options: Any) -> None:
        quiet_voice_warnings()
        super().__init__(
            intents=intents(),
            allowed_mentions=discord.AllowedMentions.none(),
            max_ratelimit_timeout=MAX_RATELIMIT_WAIT,
            **options,
        )
        self.handler = handler
        self.tree = StudyTree(self)
        register(self.tree)

    async def setup_hook(self) -> None:
        # Both run at every login, so a restarted bot answers the buttons of old messages and
        # a sync uploads the Korean names; neither talks to Discord.
        await self.tree.set_translator(KoreanTranslator())
        self.add_dynamic_items(AnswerButton)

    async def on_error(self, event_method: str, /, *args: Any, **kwargs: Any) -> None:
        log.exception("Discord event %s failed", event_method)


class ShardedStudyClient(StudyClient, discord.AutoShardedClient):
    """The same client running a slice of the gateway's shards (shard_ids of shard_count).

    Only the gateway is split: sends, edits and scheduled posts go over REST through
    partial channels, so a replica posts into any guild whichever replica holds its shard.
    """


def make_client(handler: Handler | None, shards: tuple[int, ...], shard_count: int) -> StudyClient:
    if not shard_count:
        return StudyClient(handler)
    # With a count but no list this process runs every shard of that count itself.
    ids = list(shards) if shards else list(range(shard_count))
    return ShardedStudyClient(handler, shard_ids=ids, shard_count=shard_count)
