"""Questions as embeds with persistent buttons: answers, the live counter, reveals, restarts."""

from __future__ import annotations

from datetime import timedelta

import discord
from simworld import (
    COUNT_INTERVAL,
    World,
    card_message,
    custom_ids,
    make_adapter,
    open_question,
    said,
    text_of,
    wrong_option,
)
from sqlalchemy import select

from bot.i18n import circled
from bot.storage.tables import posts


async def test_quiz_posts_an_embed_with_one_button_per_option(world: World) -> None:
    alice = world.member("alice")

    result = await alice.slash(world.channel, "quiz")

    post_id, question = await open_question(world)
    card = card_message(world)
    assert card.author.id == world.env.bot.user.id
    embed = card.embeds[0]
    assert embed.title == f"문제 #{post_id}"
    for n, option in enumerate(question.options, 1):
        assert f"{circled(n)} {discord.utils.escape_markdown(option)}" in embed.description
    closes = world.clock.now() + timedelta(seconds=600)
    assert f"마감 <t:{int(closes.timestamp())}:R>" in embed.description
    assert custom_ids(card) == [f"sb:a:{post_id}:{n}" for n in range(1, len(question.options) + 1)]
    # The "thinking…" placeholder was private and is withdrawn: the card is the answer.
    assert result.deferred and result.ephemeral and result.response is None
    # The core remembers which message shows the post.
    async with world.core.rt.db.read() as conn:
        ref = (await conn.execute(select(posts.c.message_ref))).scalar_one()
    assert ref == str(card.id)


async def test_a_tap_answers_privately_with_the_explanation(world: World) -> None:
    alice, bob = world.member("alice"), world.member("bob")
    await alice.slash(world.channel, "quiz")
    post_id, question = await open_question(world)
    card = card_message(world)

    right = await alice.click(card, custom_id=f"sb:a:{post_id}:{question.answers[0]}")
    wrong = await bob.click(card, custom_id=f"sb:a:{post_id}:{wrong_option(question)}")

    assert right.ephemeral and wrong.ephemeral
    assert text_of(right).startswith(said("answer_correct", points=10))
    assert said("answer_explanation", explanation=question.explanation) in text_of(right)
    correct = ", ".join(str(n) for n in question.answers)
    assert text_of(wrong).startswith(said("answer_wrong", correct=correct))
    # Nobody else sees either reply; the public card stays as it was apart from the counter.
    carol = world.member("carol")
    visible = [m.content for m in world.channel.history(viewer=carol)]
    assert not any("정답이에요" in c or "오답" in c for c in visible)
    assert await world.answer_rows(post_id) == 2


async def test_a_double_tap_counts_once(world: World) -> None:
    alice = world.member("alice")
    await alice.slash(world.channel, "quiz")
    post_id, question = await open_question(world)
    card = card_message(world)
    first_option = question.answers[0]

    await alice.click(card, custom_id=f"sb:a:{post_id}:{first_option}")
    again = await alice.click(card, custom_id=f"sb:a:{post_id}:{wrong_option(question)}")

    assert again.ephemeral
    assert text_of(again) == said("answer_duplicate", name="alice", option=first_option)
    assert await world.answer_rows(post_id) == 1


async def test_the_public_counter_is_edited_at_most_once_per_interval(world: World) -> None:
    members = [world.member(name) for name in ("alice", "bob", "carol")]
    await members[0].slash(world.channel, "quiz")
    post_id, question = await open_question(world)
    card = card_message(world)

    def edits() -> int:
        return sum(
            1
            for r in world.env.http_requests
            if r.method == "PATCH" and r.path == f"/channels/{world.channel.id}/messages/{card.id}"
        )

    await members[0].click(card, custom_id=f"sb:a:{post_id}:1")
    assert card_message(world).embeds[0].footer.text == "1명이 답했어요"
    assert edits() == 1

    # Two more taps inside the interval: no edit yet, one is scheduled for later.
    await members[1].click(card, custom_id=f"sb:a:{post_id}:2")
    await members[2].click(card, custom_id=f"sb:a:{post_id}:1")
    assert edits() == 1
    assert card_message(world).embeds[0].footer.text == "1명이 답했어요"

    await world.env.advance_time(COUNT_INTERVAL)

    assert edits() == 2
    assert card_message(world).embeds[0].footer.text == "3명이 답했어요"
    # The buttons survive the edits.
    assert len(custom_ids(card_message(world))) == len(question.options)


async def test_reveal_follows_in_the_channel(world: World) -> None:
    alice, bob = world.member("alice"), world.member("bob")
    await alice.slash(world.channel, "quiz")
    post_id, question = await open_question(world)
    card = card_message(world)
    await bob.click(card, custom_id=f"sb:a:{post_id}:{question.answers[0]}")

    result = await alice.slash(world.channel, "reveal")

    assert result.response is None  # nothing private to say; the reveal is public
    reveal = world.channel.last_message
    assert reveal.id != card.id
    assert reveal.content.startswith(f"**{said('reveal_title', post_id=post_id)}**\n")
    assert said("reveal_stats", answered=1, rate=100) in reveal.content
    # The card's buttons are disabled: nobody can tap a closed question any more.
    assert all(disabled(message_by_id(world, card.id)))


async def test_the_question_closes_by_itself_when_its_time_is_up(world: World) -> None:
    alice = world.member("alice")
    await alice.slash(world.channel, "quiz")
    post_id, _ = await open_question(world)

    assert await world.run_timers(600) == 1

    title = f"**{said('reveal_title', post_id=post_id)}**"
    assert world.channel.last_message.content.startswith(title)
    assert said("reveal_nobody") in world.channel.last_message.content


def message_by_id(world: World, message_id: int) -> discord.Message:
    return next(m for m in world.channel.history() if m.id == message_id)


def disabled(message: discord.Message) -> list[bool]:
    return [
        bool(getattr(child, "disabled", False))
        for row in message.components
        for child in getattr(row, "children", ())
    ]


def shows_closed(message: discord.Message) -> bool:
    description = message.embeds[0].description or ""
    return description.endswith("\n\n마감됐어요") and "<t:" not in description


async def test_a_revealed_card_shows_it_is_closed(world: World) -> None:
    alice = world.member("alice")
    await alice.slash(world.channel, "quiz")
    _, question = await open_question(world)
    card = card_message(world)
    assert not any(disabled(card))

    await alice.slash(world.channel, "reveal")

    closed = message_by_id(world, card.id)
    assert disabled(closed) == [True] * len(question.options)
    assert custom_ids(closed) == custom_ids(card)  # the same options, only disabled
    assert shows_closed(closed)
    assert closed.embeds[0].title == card.embeds[0].title


async def test_a_card_closed_by_its_timer_shows_it_is_closed(world: World) -> None:
    alice, bob = world.member("alice"), world.member("bob")
    await alice.slash(world.channel, "quiz")
    post_id, question = await open_question(world)
    card = card_message(world)
    await bob.click(card, custom_id=f"sb:a:{post_id}:{question.answers[0]}")

    await world.run_timers(600)
    # A counter edit still pending after the close keeps the card closed.
    await world.env.advance_time(COUNT_INTERVAL)

    closed = message_by_id(world, card.id)
    assert all(disabled(closed)) and shows_closed(closed)


async def test_buttons_still_work_after_a_restart(world: World) -> None:
    alice, bob = world.member("alice"), world.member("bob")
    await alice.slash(world.channel, "quiz")
    post_id, question = await open_question(world)
    card = card_message(world)
    await alice.click(card, custom_id=f"sb:a:{post_id}:{question.answers[0]}")

    # A new process: a new adapter and client on the same database; the old message stays.
    await world.adapter.stop()
    restarted = make_adapter(world.core)
    await world.env.restart_bot(restarted.client)

    result = await bob.click(card, custom_id=f"sb:a:{post_id}:{question.answers[0]}")

    assert result.ephemeral
    assert text_of(result).startswith(said("answer_correct", points=10))
    assert await world.answer_rows(post_id) == 2
    # And the new client still knows the commands (they live in Discord, not in the process).
    again = await alice.slash(world.channel, "term", query="하이퍼바이저")
    assert again.response is not None and "하이퍼바이저" in again.response.content


async def test_a_contest_with_many_members_tapping(world: World) -> None:
    """/contest runs on the same buttons; each card counts down to its own deadline."""
    host = world.member("host")
    names = ["민수", "지영", "서준", "하은", "도윤", "수아"]
    members = [world.member(name) for name in names]

    started = await host.slash(world.channel, "contest", questions=2, seconds=10)

    assert started.response is None  # the contest speaks in the channel, not to the host
    history = [m.content for m in world.channel.history()]
    assert said("contest_started", total=2, seconds=10) in history
    for round_no in (1, 2):
        post_id, question = await open_question(world)
        card = card_message(world)
        embed = card.embeds[0]
        assert embed.title == said("contest_header", index=round_no, total=2)
        closes = world.clock.now() + timedelta(seconds=10)
        assert f"<t:{int(closes.timestamp())}:R>" in embed.description
        right, wrong = question.answers[0], wrong_option(question)
        replies = []
        for n, member in enumerate(members):
            world.clock.advance(1)
            option = wrong if n in (2, 4) else right
            replies.append(await member.click(card, custom_id=f"sb:a:{post_id}:{option}"))
        assert all(r.ephemeral for r in replies)
        assert sum(text_of(r).startswith("정답이에요!") for r in replies) == 4
        assert await world.answer_rows(post_id) == len(members)
        await world.env.advance_time(COUNT_INTERVAL)
        assert card_message(world).embeds[0].footer.text == f"{len(members)}명이 답했어요"
        # The deadline closes the round: the answer and the standings, then the next card.
        assert await world.run_timers(10) == 1
        assert all(disabled(message_by_id(world, card.id)))
    podium = world.channel.last_message.content
    assert podium.startswith(f"**{said('contest_podium_title')}**")
    assert "🥇 민수" in podium  # the fastest right answer both times
