"""Discord shards split across replicas: the setting, the client it builds, and a post a
replica makes into a guild whose shard another replica holds.

What SimCord cannot show: it runs one simulated gateway connection and routes every guild's
events to the client whatever its shard_ids say, so that a replica receives only its own
shards' interactions is discord.py's behaviour (AutoShardedClient with shard_ids), not
tested here.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import discord
import pytest
import simcord
from simworld import COUNT_INTERVAL, World, chat_of

from adapters.discord import DiscordAdapter
from adapters.discord.client import ShardedStudyClient, StudyClient
from adapters.discord.sync import sync_tree
from bot.config import ConfigError, load_settings
from bot.core import Core
from bot.types import Text

SHARDS = (1,)
COUNT = 4


@pytest.fixture
def adapter(core: Core) -> DiscordAdapter:
    settings = replace(core.rt.settings, discord_shards=SHARDS, discord_shard_count=COUNT)
    adapter = DiscordAdapter(settings, core, count_interval=COUNT_INTERVAL)
    core.attach(adapter)
    adapter.bind(core.handle)
    return adapter


@pytest.fixture
async def world(simcord_env: simcord.Env, adapter: DiscordAdapter, core: Core) -> World:
    await sync_tree(adapter.client.tree, None)
    guild = simcord_env.create_guild("정보보호 스터디")
    channel = guild.create_text_channel("study")
    await simcord_env.settle()
    return World(simcord_env, core, adapter, core.rt.clock, core.rt.timers, guild, channel)


def test_the_settings_pick_a_slice_of_the_shards(tmp_path: Path) -> None:
    env = {
        "STUDYBOT_DATA_DIR": str(tmp_path),
        "STUDYBOT_DISCORD_SHARDS": "1, 0",
        "STUDYBOT_DISCORD_SHARD_COUNT": "4",
    }
    settings = load_settings(environ=env)
    assert settings.discord_shards == (0, 1) and settings.discord_shard_count == 4
    for wrong, words in (
        ({"STUDYBOT_DISCORD_SHARDS": "0,1"}, "needs STUDYBOT_DISCORD_SHARD_COUNT"),
        ({"STUDYBOT_DISCORD_SHARDS": "0,4", "STUDYBOT_DISCORD_SHARD_COUNT": "4"}, "0 to 3"),
        ({"STUDYBOT_DISCORD_SHARDS": "a,b", "STUDYBOT_DISCORD_SHARD_COUNT": "4"}, "e.g. 0,1"),
        ({"STUDYBOT_DISCORD_SHARDS": "1,1", "STUDYBOT_DISCORD_SHARD_COUNT": "4"}, "twice"),
        ({"STUDYBOT_DISCORD_SHARD_COUNT": "0"}, "between 1 and 4096"),
    ):
        with pytest.raises(ConfigError, match=words):
            load_settings(environ={"STUDYBOT_DATA_DIR": str(tmp_path), **wrong})


def test_without_shard_settings_one_client_runs_every_shard(core: Core) -> None:
    plain = DiscordAdapter(core.rt.settings, core)
    assert type(plain.client) is StudyClient
    whole = DiscordAdapter(replace(core.rt.settings, discord_shard_count=2), core)
    assert isinstance(whole.client, discord.AutoShardedClient)
    assert whole.client.shard_ids == [0, 1] and whole.client.shard_count == 2


async def test_a_replica_posts_into_a_guild_whose_shard_it_does_not_hold(world: World) -> None:
    client = world.adapter.client
    assert isinstance(client, ShardedStudyClient)
    assert client.shard_ids == list(SHARDS) and client.shard_count == COUNT
    # Scheduled work (a daily post, a quiz's close) is claimed by whichever replica is
    # alive and goes out over REST, so the shard that owns the guild does not matter.
    other = world.env.create_guild("다른 샤드의 길드")
    for n in range(20):  # a guild on a shard this replica does not run (Discord's rule)
        if (int(other.id) >> 22) % COUNT not in SHARDS:
            break
        other = world.env.create_guild(f"다른 샤드의 길드 {n}")
    assert (int(other.id) >> 22) % COUNT not in SHARDS
    far = other.create_text_channel("study")
    await world.env.settle()
    chat = chat_of(far)
    await world.core.rt.services.registry.chat_id(chat, world.clock.now())
    sent = await world.core.rt.pacer.send(chat, Text("오늘의 문제가 곧 올라옵니다."))
    await world.env.settle()
    assert sent is not None
    assert far.last_message.content == "오늘의 문제가 곧 올라옵니다."
