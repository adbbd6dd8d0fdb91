"""Authoring on Discord (issue 14): /문제추가 and /문제제안 open a form after the core says
the person may; /제안검토 lists suggestions with buttons that approve, edit or reject."""

from __future__ import annotations

import discord
from simworld import World, custom_ids, said, text_of

from adapters.discord.components import CommandButton, command_custom_id
from bot.types import Button

FIELDS = {
    "stem": "하드웨어 위에서 바로 실행되는 하이퍼바이저는?",
    "options": "Type-1\nType-2\n컨테이너",
    "answer": "1",
    "explanation": "Type-1은 호스트 운영체제 없이 하드웨어 위에서 실행돼요.",
    "topic": "가상화",
}


def queue_item(world: World) -> discord.Message:
    for message in reversed(world.channel.history()):
        if any(i.startswith("sb:q:") for i in custom_ids(message)):
            return message
    raise AssertionError("no queue item with buttons in the channel")


async def test_an_instructor_adds_with_the_form_and_a_member_is_refused_first(
    world: World,
) -> None:
    alice, bob = world.admin("alice"), world.member("bob")

    refused = await bob.slash(world.channel, "addq")
    assert refused.modal is None and refused.ephemeral
    assert text_of(refused) == said("need_instructor", action=said("action_addq"))

    shown = await alice.slash(world.channel, "addq")
    assert shown.modal is not None and shown.modal["title"] == "문제 추가"
    bad = await alice.submit_modal(shown, {**FIELDS, "options": "Type-1", "answer": "5"})
    assert bad.ephemeral and "보기가 1개예요" in text_of(bad)
    assert "Type-1" in text_of(bad)  # what was typed, to correct
    shown = await alice.slash(world.channel, "addq")
    saved = await alice.submit_modal(shown, FIELDS)
    assert saved.ephemeral and "문제를 추가했어요 (chat-1)" in text_of(saved)

    await bob.slash(world.channel, "quiz", query="chat-1")
    card = world.channel.last_message
    assert card is not None and card.embeds and "Type-1" in (card.embeds[0].description or "")


async def test_suggest_then_approve_with_the_button_and_stale_taps_change_nothing(
    world: World,
) -> None:
    alice, bob = world.admin("alice"), world.member("bob")

    shown = await bob.slash(world.channel, "suggest")
    assert shown.modal is not None and shown.modal["title"] == "문제 제안"
    got = await bob.submit_modal(shown, FIELDS)
    assert got.ephemeral and "제안을 받았어요 (제안 #1)" in text_of(got)

    refused = await bob.slash(world.channel, "queue")
    assert "강사만 제안을 검토할" in text_of(refused)
    await alice.slash(world.channel, "queue")
    item = queue_item(world)
    assert custom_ids(item) == ["sb:q:approve:1", "sb:q:edit:1", "sb:q:reject:1"]

    # A member's tap reaches the core, which refuses it.
    tapped = await bob.click(item, custom_id="sb:q:approve:1")
    assert "강사만 제안을 검토할" in text_of(tapped)
    approved = await alice.click(item, custom_id="sb:q:approve:1")
    assert "제안 #1: 승인했어요" in text_of(approved)
    assert any("제안한 문제(#1)가 승인됐어요" in m.content for m in world.channel.history())
    stale = await alice.click(item, custom_id="sb:q:approve:1")
    assert "이미 처리됐거나" in text_of(stale)


async def test_the_edit_button_opens_the_suggestion_filled_in(world: World) -> None:
    alice, bob = world.admin("alice"), world.member("bob")
    shown = await bob.slash(world.channel, "suggest")
    await bob.submit_modal(shown, FIELDS)
    await alice.slash(world.channel, "queue")

    form = await alice.click(queue_item(world), custom_id="sb:q:edit:1")
    assert form.modal is not None and form.modal["title"] == "제안 #1 고쳐서 승인"
    fixed = await alice.submit_modal(form, {**FIELDS, "explanation": "Type-1은 베어메탈이에요."})
    assert "고쳐서 승인했어요" in text_of(fixed)
    question = await world.core.rt.services.bank.get("chat-1")
    assert question is not None and question.explanation == "Type-1은 베어메탈이에요."


def test_custom_ids_are_strict() -> None:
    assert command_custom_id(Button("승인", "queue", "approve 12")) == "sb:q:approve:12"
    for bad in ("approve 0", "approve 012", "delete 1", "approve 1 2", "approve " + "9" * 13):
        assert command_custom_id(Button("x", "queue", bad)) is None
    assert command_custom_id(Button("x", "qset", "share")) is None
    template = CommandButton.__discord_ui_compiled_template__
    for forged in ("sb:q:approve:0", "sb:q:approve:1x", "sb:q:drop:1", "sb:a:1:1"):
        assert template.fullmatch(forged) is None
