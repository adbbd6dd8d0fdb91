"""/term's "자세히" on Discord: a button under a short term card shows the whole card, as
"/용어 이름 전체" does; a button for a term no longer in the material gets a polite word."""

from __future__ import annotations

import discord
from simworld import World, custom_ids, text_of

from adapters.discord.components import TermButton, command_custom_id
from bot.types import Button


def bullets(text: str) -> int:
    return sum(1 for line in text.splitlines() if line.startswith("• "))


def with_more(world: World) -> discord.Message:
    for message in reversed(world.channel.history()):
        if any(i.startswith("sb:t:") for i in custom_ids(message)):
            return message
    raise AssertionError("no term card with a 자세히 button in the channel")


async def test_more_button_shows_the_whole_card(world: World) -> None:
    alice, bob = world.member("alice"), world.member("bob")
    short = await alice.slash(world.channel, "term", query="Type-1 하이퍼바이저")
    card = with_more(world)
    assert custom_ids(card) == ["sb:t:full:type-1-hypervisor"]
    assert 1 <= bullets(text_of(short)) <= 3
    assert "Type-1 하이퍼바이저 전체" in text_of(short)  # said in words too

    full = await bob.click(card, custom_id="sb:t:full:type-1-hypervisor")
    assert bullets(text_of(full)) > bullets(text_of(short))
    assert "전체 보기에서" not in text_of(full)
    typed = await bob.slash(world.channel, "term", query="Type-1 하이퍼바이저 전체")
    assert text_of(typed) == text_of(full)


async def test_a_card_with_nothing_more_has_no_button(world: World) -> None:
    alice = world.member("alice")
    await alice.slash(world.channel, "term", query="가상")
    last = world.channel.last_message
    assert last is not None and custom_ids(last) == []


async def test_a_stale_or_forged_term_id_does_no_harm(world: World) -> None:
    alice = world.member("alice")
    # What a button for a term no longer in the material sends: the core checks the id and
    # answers in private (forged ids never reach it: the template does not match them).
    result = await alice.slash(world.channel, "term", query="full retired-term")
    assert "그 용어는 지금 자료에 없어요" in text_of(result) and result.ephemeral


def test_term_custom_ids_are_strict() -> None:
    more = Button("자세히", "term", "full type-1-hypervisor")
    assert command_custom_id(more) == "sb:t:full:type-1-hypervisor"
    for bad in ("full Type-1", "full ", "more kvm", "full kvm x", "full " + "a" * 58):
        assert command_custom_id(Button("x", "term", bad)) is None
    template = TermButton.__discord_ui_compiled_template__
    for forged in ("sb:t:full:KVM", "sb:t:full:", "sb:t:more:kvm", "sb:t:full:kvm:x"):
        assert template.fullmatch(forged) is None
    assert template.fullmatch("sb:t:full:kvm") is not None
