"""Upload the slash commands to Discord: explicitly, never as a side effect of starting."""

from __future__ import annotations

import logging

import aiohttp
import discord
from discord import app_commands

from bot.config import Settings
from bot.errors import StartupError

from .client import StudyClient

log = logging.getLogger(__name__)


async def sync_tree(
    tree: app_commands.CommandTree[discord.Client], guild_id: int | None, *, clear: bool = False
) -> list[app_commands.AppCommand]:
    """Register the tree globally, or as a copy in one guild (which shows up at once).

    clear=True with a guild removes that guild's copy again, once the global commands are
    in place and the copy would only show every command twice.
    """
    if guild_id is None:
        return await tree.sync()
    guild = discord.Object(id=guild_id)
    if clear:
        tree.clear_commands(guild=guild)
    else:
        tree.copy_global_to(guild=guild)
    return await tree.sync(guild=guild)


async def sync_commands(settings: Settings, guild_id: int | None, *, clear: bool = False) -> None:
    # Logging in over REST is enough to know the application; no gateway connection opens.
    async with StudyClient() as client:
        try:
            await client.login(settings.discord_token.reveal())
        except discord.LoginFailure:
            raise StartupError(
                "Discord refused STUDYBOT_DISCORD_TOKEN; copy the bot token again from the "
                "developer portal"
            ) from None
        except (aiohttp.ClientError, OSError) as exc:
            raise StartupError(f"cannot reach Discord: {exc}") from exc
        synced = await sync_tree(client.tree, guild_id, clear=clear)
    where = f"guild {guild_id}" if guild_id is not None else "every guild (global)"
    names = ", ".join(sorted(c.name for c in synced)) or "none"
    print(f"synced {len(synced)} commands to {where}: {names}")
    log.info("synced %d commands to %s", len(synced), where)
