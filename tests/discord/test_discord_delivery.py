"""Sends and edits the core makes on its own (fan-out, reveals): limits and delivery errors."""

from __future__ import annotations

import discord
import pytest
from simworld import World, chat_of
from sqlalchemy import select

from bot.errors import ChatGone, DeliveryError, RateLimited, TransientError
from bot.storage.tables import chats
from bot.types import BoardRow, ChatRef, Leaderboard, QuestionCard, Text


async def gone_at(world: World, chat: ChatRef) -> object:
    async with world.core.rt.db.read() as conn:
        return (
            await conn.execute(select(chats.c.gone_at).where(chats.c.chat_key == chat.chat_id))
        ).scalar_one_or_none()


async def test_fan_out_through_the_pacer_survives_403_404_429_and_5xx(world: World) -> None:
    core, env = world.core, world.env
    open_a = world.channel
    open_b = world.guild.create_text_channel("study-b")
    slow = world.guild.create_text_channel("study-c")
    flaky = world.guild.create_text_channel("study-d")
    # The bot was allowed to read but not to post here (a moderator changed the channel).
    locked = world.guild.create_text_channel(
        "locked", overwrites={env.bot.user: discord.PermissionOverwrite(send_messages=False)}
    )
    deleted = ChatRef("discord", "4242", True)  # a channel that no longer exists
    targets = [chat_of(c) for c in (open_a, open_b, locked, slow, flaky)] + [deleted]
    for chat in targets:  # the chats are known to the core, as subscribed chats would be
        await core.rt.services.registry.chat_id(chat, core.rt.clock.now())
    env.inject_error("POST", f"/channels/{slow.id}/messages", status=429, message="slow down")
    env.inject_error("POST", f"/channels/{flaky.id}/messages", status=502, message="bad gateway")

    results = {
        chat.chat_id: await core.rt.pacer.send(chat, Text("**공지** 오늘 8시")) for chat in targets
    }
    await env.settle()

    delivered = {c for c, sent in results.items() if sent is not None}
    assert delivered == {str(c.id) for c in (open_a, open_b, slow, flaky)}
    for channel in (open_a, open_b, slow, flaky):
        assert channel.last_message.content == "**공지** 오늘 8시"
    assert core.rt.pacer.stats.rate_limited == 1 and core.rt.pacer.stats.retried == 1
    assert core.rt.pacer.stats.gone == 2
    assert await gone_at(world, chat_of(locked)) is not None
    assert await gone_at(world, deleted) is not None
    assert await gone_at(world, chat_of(open_a)) is None


async def test_send_raises_the_core_errors(world: World) -> None:
    adapter, env = world.adapter, world.env
    chat = chat_of(world.channel)
    path = f"/channels/{world.channel.id}/messages"

    env.inject_error("POST", path, status=429)
    with pytest.raises(RateLimited) as limited:
        await adapter.send(chat, Text("hi"))
    assert limited.value.retry_after > 0
    env.inject_error("POST", path, status=500)
    with pytest.raises(TransientError):
        await adapter.send(chat, Text("hi"))
    env.inject_error("POST", path, status=403, code=50001, message="Missing Access")
    with pytest.raises(ChatGone):
        await adapter.send(chat, Text("hi"))
    with pytest.raises(ChatGone):
        await adapter.send(ChatRef("discord", "not-a-channel", True), Text("hi"))

    sent = await adapter.send(chat, Text("처음"))
    await adapter.edit(sent, Text("**고침**"))
    await env.settle()
    assert world.channel.last_message.content == "**고침**"
    await world.channel.last_message.delete()
    await env.settle()
    # A deleted message is not a gone chat: the pacer must not unsubscribe it.
    with pytest.raises(DeliveryError) as missing:
        await adapter.edit(sent, Text("또"))
    assert not isinstance(missing.value, ChatGone)


async def test_long_text_is_split_under_2000_characters(world: World) -> None:
    lines = [f"**{n}번** " + "가" * 90 + " *별표* _밑줄_" for n in range(60)]

    await world.adapter.send(chat_of(world.channel), Text("\n".join(lines)))
    await world.env.settle()

    parts = [m.content for m in world.channel.history()]
    assert len(parts) > 1
    assert all(len(p) <= 2000 for p in parts)
    assert sum(len(p.split("\n")) for p in parts) == len(lines)  # cut between lines only
    # Each line keeps its own bold span, and literal characters stay literal.
    assert all(line.startswith("**") for p in parts for line in p.split("\n"))
    assert parts[0].split("\n")[0].endswith("\\*별표\\* \\_밑줄\\_")


async def test_boards_and_cards_stay_within_embed_limits(world: World) -> None:
    chat = chat_of(world.channel)
    long_name = "이름" * 64
    rows = tuple(BoardRow(n, long_name, 100 - n) for n in range(1, 11))
    fallback = "\n".join(["**순위표**"] + [f"{r.rank}위 {r.name} — {r.points}점" for r in rows] * 3)
    board = Leaderboard("순위표", rows, None, fallback)
    stem = "아주 긴 문제 " * 900
    card = QuestionCard(
        post_id=99,
        stem=stem,
        options=("가" * 300, "나", "다", "라"),
        correct=(1,),
        explanation="",
        header="문제 " * 100,
        closes_at=None,
        fallback="",
        open_seconds=20,
    )

    # SimCord rejects what Discord would (400 for an oversized embed), so getting through
    # is the check.
    await world.adapter.send(chat, board)
    await world.adapter.send(chat, card)
    await world.env.settle()

    sent_board, sent_card = world.channel.history()[-2:]
    assert sent_board.embeds[0].description.endswith("⋯")
    assert len(sent_card.embeds[0].title) <= 256
    assert len(sent_card.embeds[0]) <= 6000
    assert "<t:" in sent_card.embeds[0].description  # the contest countdown survived the cut
    # Long options: buttons show only the numbers, the embed keeps the text.
    labels = [c.label for row in sent_card.components for c in row.children]
    assert labels == ["①", "②", "③", "④"]


async def test_mentions_in_user_text_never_ping(world: World) -> None:
    await world.adapter.send(chat_of(world.channel), Text("@everyone 모여라 <@123>"))
    await world.env.settle()

    message = world.channel.last_message
    assert message.content == "@everyone 모여라 <@123>"
    assert not message.mention_everyone and not message.mentions
