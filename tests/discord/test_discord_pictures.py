"""/me on Discord: the text in the channel, the picture after it for the caller only."""

from __future__ import annotations

from simworld import World, card_message, open_question


async def test_me_picture_is_an_ephemeral_attachment(world: World) -> None:
    alice = world.member("alice")
    await alice.slash(world.channel, "quiz")
    post_id, question = await open_question(world)
    await alice.click(card_message(world), custom_id=f"sb:a:{post_id}:{question.answers[0]}")
    await alice.slash(world.channel, "reveal")

    me = await alice.slash(world.channel, "me")
    assert not me.ephemeral and "alice" in me.response.content
    (picture,) = me.followups
    assert picture.ephemeral
    assert picture.attachments and picture.embeds
    assert picture.embeds[0].image.url.endswith("me.png")
