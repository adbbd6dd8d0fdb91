"""Wiring: what `studybot run` creates, the intents it asks for, syncing, and stopping."""

from __future__ import annotations

import discord
import pytest
from simworld import COUNT_INTERVAL, World, card_message, open_question

from adapters.discord.sync import sync_tree
from bot.app import _factory
from bot.core import Core
from bot.types import Capabilities


def test_run_finds_the_adapter_and_it_asks_for_nothing_privileged(core: Core) -> None:
    adapter = _factory("discord")(core.rt.settings, core)

    assert adapter.name == "discord"
    assert adapter.capabilities == Capabilities(
        buttons=True,
        edit=True,
        ephemeral=True,
        close_question=True,
        images=True,
        files=True,
        max_text_len=2000,
    )
    intents = adapter.client.intents  # type: ignore[attr-defined]
    assert intents == discord.Intents(guilds=True)
    assert not (intents.message_content or intents.members or intents.presences)


@pytest.mark.simcord(approved_intents=discord.Intents.none())
async def test_runs_without_any_privileged_intent_approved(world: World) -> None:
    result = await world.member("alice").slash(world.channel, "start")

    assert result.response is not None


async def test_sync_to_one_guild_and_clear_it_again(world: World) -> None:
    tree = world.adapter.client.tree
    guild = discord.Object(id=world.guild.id)

    copied = await sync_tree(tree, world.guild.id)
    assert len(copied) == len(await tree.fetch_commands()) == 24
    assert {c.name for c in await tree.fetch_commands(guild=guild)} == {c.name for c in copied}

    assert await sync_tree(tree, world.guild.id, clear=True) == []
    assert await tree.fetch_commands(guild=guild) == []
    assert len(await tree.fetch_commands()) == 24  # the global commands stay


async def test_stop_cancels_a_pending_counter_edit(world: World) -> None:
    alice, bob = world.member("alice"), world.member("bob")
    await alice.slash(world.channel, "quiz")
    post_id, _ = await open_question(world)
    card = card_message(world)
    await alice.click(card, custom_id=f"sb:a:{post_id}:1")
    await bob.click(card, custom_id=f"sb:a:{post_id}:1")  # its edit waits for the interval

    await world.adapter.stop()
    await world.env.advance_time(COUNT_INTERVAL)

    assert card_message(world).embeds[0].footer.text == "1명이 답했어요"
    assert world.adapter.client.is_closed()
