"""A review session on Discord: due cards one at a time as buttons in the bot's DM."""

from __future__ import annotations

import discord
import simcord
from simworld import World, card_message, custom_ids, open_question, text_of, wrong_option


def dm_cards(user: simcord.UserHandle) -> list[discord.Message]:
    return [m for m in user.dm_channel.history() if m.embeds and m.components]


def dm_texts(user: simcord.UserHandle) -> list[str]:
    return [m.content for m in user.dm_channel.history() if m.content]


def review_post(message: discord.Message) -> int:
    """The post id a card's answer buttons carry (sb:a:<post>:<option>)."""
    ids = [c for c in custom_ids(message) if c.startswith("sb:a:")]
    assert ids, custom_ids(message)
    return int(ids[0].split(":")[2])


async def miss_a_quiz(world: World, member: simcord.MemberActor) -> int:
    await member.slash(world.channel, "quiz")
    post_id, question = await open_question(world)
    await member.click(card_message(world), custom_id=f"sb:a:{post_id}:{wrong_option(question)}")
    await member.slash(world.channel, "reveal")
    await world.run_timers(600)  # FSRS brings a missed card back after a minute
    return post_id


async def test_review_session_in_a_dm(world: World) -> None:
    alice = world.member("alice")
    await miss_a_quiz(world, alice)
    library = world.core.rt.library

    started = await alice.user.slash("review")
    assert "복습을 시작할게요. 지금 볼 카드가 1장 있어요." in "\n".join(
        [text_of(started), *dm_texts(alice.user)]
    )
    (card,) = dm_cards(alice.user)
    assert card.embeds[0].title and "복습 카드 #1" in card.embeds[0].title
    post_id = review_post(card)
    post = await world.core.rt.services.review.post_question(post_id)
    assert post is not None
    question = library.questions[post[0]]

    tapped = await alice.user.click(card, custom_id=f"sb:a:{post_id}:{question.answers[0]}")
    await world.env.settle()
    texts = dm_texts(alice.user)
    assert any(t.startswith("정답이에요!") for t in texts), (texts, text_of(tapped))
    assert texts[-1] == "오늘 복습 끝! 다음 복습: 오늘 09:20에 1장", texts
    # The answered card is closed: its buttons no longer take answers.
    closed = next(m for m in alice.user.dm_channel.history() if m.id == card.id)
    assert all(getattr(c, "disabled", True) for row in closed.components for c in row.children)

    # Ten minutes on it is due again; a wrong tap brings it back in a minute.
    await world.run_timers(600)
    await alice.user.slash("review")
    second = dm_cards(alice.user)[-1]
    assert second.id != card.id
    second_post = review_post(second)
    await alice.user.click(second, custom_id=f"sb:a:{second_post}:{wrong_option(question)}")
    await world.env.settle()
    texts = dm_texts(alice.user)
    assert any(t.startswith("아쉬워요, 틀렸어요.") for t in texts), texts
    assert texts[-1] == "오늘 복습 끝! 다음 복습: 오늘 09:21에 1장", texts
    # The channel heard nothing of the deck.
    assert all("복습 카드" not in (m.content or "") for m in world.channel.history())


async def test_two_cards_one_after_the_other(world: World) -> None:
    alice = world.member("alice")
    await miss_a_quiz(world, alice)
    await miss_a_quiz(world, alice)
    await alice.user.slash("review")
    assert len(dm_cards(alice.user)) == 1
    for expected in (1, 2):
        cards = dm_cards(alice.user)
        assert len(cards) == expected
        post_id = review_post(cards[-1])
        post = await world.core.rt.services.review.post_question(post_id)
        assert post is not None
        right = world.core.rt.library.questions[post[0]].answers[0]
        await alice.user.click(cards[-1], custom_id=f"sb:a:{post_id}:{right}")
        await world.env.settle()
    assert len(dm_cards(alice.user)) == 2
    assert dm_texts(alice.user)[-1].startswith("오늘 복습 끝! 다음 복습: ")


async def test_in_a_channel_only_the_callers_count_privately(world: World) -> None:
    alice, bob = world.member("alice"), world.member("bob")
    await miss_a_quiz(world, alice)
    before = len(world.channel.history())
    mine = await alice.slash(world.channel, "review")
    assert mine.ephemeral and "alice 님, 지금 복습할 카드가 1장 있어요." in text_of(mine)
    theirs = await bob.slash(world.channel, "review")
    assert theirs.ephemeral and "bob 님, 지금 복습할 카드는 없어요." in text_of(theirs)
    assert len(world.channel.history()) == before  # nothing posted in the channel
