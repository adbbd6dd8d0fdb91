"""The Discord adapter on the real discord.py against SimCord's simulated Discord.

A real core on real storage (the shared `db` fixture), a fake clock and manual timers for the
core; SimCord's `simcord_env` runs the adapter's own client. Nothing here replaces any of our
functions: what a test checks is what Discord would show and what the core stored.

No __init__.py on purpose: as a package, `tests/discord` would be imported under the name
`discord` and shadow discord.py itself.
"""

from __future__ import annotations

from pathlib import Path

import discord
import pytest
import simcord
from simworld import World, make_adapter, make_core

from adapters.discord import DiscordAdapter
from adapters.discord.sync import sync_tree
from bot.clock import FakeClock
from bot.content.loader import Library
from bot.core import Core
from bot.storage.db import Database
from bot.timers import ManualTimers


@pytest.fixture
async def core(db: Database, library: Library, tmp_path: Path) -> Core:
    core = make_core(db, library, tmp_path)
    await core.start()
    return core


@pytest.fixture
def adapter(core: Core) -> DiscordAdapter:
    return make_adapter(core)


@pytest.fixture
def simcord_bot(adapter: DiscordAdapter) -> discord.Client:
    """What SimCord's `simcord_env` fixture runs: the adapter's own client."""
    return adapter.client


@pytest.fixture
async def world(simcord_env: simcord.Env, adapter: DiscordAdapter, core: Core) -> World:
    # The same code `studybot discord sync` runs; SimCord refuses commands never synced.
    await sync_tree(adapter.client.tree, None)
    guild = simcord_env.create_guild("컴일 스터디")
    channel = guild.create_text_channel("study")
    await simcord_env.settle()
    assert isinstance(core.rt.timers, ManualTimers) and isinstance(core.rt.clock, FakeClock)
    return World(simcord_env, core, adapter, core.rt.clock, core.rt.timers, guild, channel)
