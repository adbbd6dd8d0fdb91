"""The Korean names registered on Discord are the core's table, and a Korean client is told
the Korean names (issue 11, items 11 and 12)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import discord
import pytest
import simcord.interactions
from simworld import World, text_of

from bot.commands import TABLE


@pytest.fixture
def korean_client(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """SimCord sends every interaction as en-US; this one comes from a Korean client."""
    original = simcord.interactions.base_payload

    def korean(*args: Any, **kwargs: Any) -> Any:
        record, payload = original(*args, **kwargs)
        payload["locale"] = "ko"
        return record, payload

    monkeypatch.setattr(simcord.interactions, "base_payload", korean)
    yield


async def test_every_discord_command_carries_the_tables_korean_name(world: World) -> None:
    commands = {
        c.name: c
        for c in await world.adapter.client.tree.fetch_commands()
        if c.type is discord.AppCommandType.chat_input  # not the message command
    }
    expected = {c.name: c.ko for c in TABLE if c.discord}
    assert set(commands) == set(expected)
    for name, korean in expected.items():
        assert commands[name].name_localizations.get(discord.Locale.korean) == korean


async def test_a_refusal_on_a_korean_client_names_gangsa(world: World, korean_client: None) -> None:
    alice = world.member("alice")

    refused = await alice.slash(world.channel, "daily", setting="on")
    form = await alice.slash(world.channel, "announce")

    assert refused.ephemeral and "/강사 추가" in text_of(refused)
    assert "/instructor" not in text_of(refused)
    assert form.modal is None and "/강사 추가" in text_of(form)


async def test_a_refusal_on_an_english_client_names_instructor(world: World) -> None:
    alice = world.member("alice")

    refused = await alice.slash(world.channel, "daily", setting="on")

    assert "/instructor add" in text_of(refused) and "/강사" not in text_of(refused)


async def test_help_on_a_korean_client_lists_the_korean_names(
    world: World, korean_client: None
) -> None:
    help_ = text_of(await world.member("alice").slash(world.channel, "help"))

    for command in TABLE:
        if command.discord:
            assert f"/{command.ko}" in help_
    assert "/정답 " not in help_  # Discord answers with buttons
    assert "/quiz" not in help_
