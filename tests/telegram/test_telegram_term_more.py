"""/term's "자세히" on Telegram: an inline button under a short term card shows the whole
card; forged data is refused before the core, and a stale button finds its term gone."""

from __future__ import annotations

from adapters.telegram import render
from bot.types import Button
from tests.telegram.conftest import People, World
from tests.telegram.fake_bot_api import FakeBotApi, Sent


def bullets(text: str) -> int:
    return sum(1 for line in text.splitlines() if line.startswith("• "))


async def term_card(world: World, api: FakeBotApi, people: People, name: str) -> Sent:
    api.say(people.group, people.minsu, f"/term {name}")
    await world.settled()
    await api.wait_for(lambda: any(s.buttons for s in api.sent(people.group)))
    return [s for s in api.sent(people.group) if s.buttons][-1]


async def test_more_button_shows_the_whole_card(
    world: World, api: FakeBotApi, people: People
) -> None:
    card = await term_card(world, api, people, "Type-1 하이퍼바이저")
    assert card.buttons == ["t:full:type-1-hypervisor"]
    labels = [b["text"] for row in card.message["reply_markup"]["inline_keyboard"] for b in row]
    assert labels == ["자세히"]
    short = bullets(card.text)
    assert 1 <= short <= 3 and "Type-1 하이퍼바이저 전체" in card.text  # said in words too

    before = len(api.texts(people.group))
    tap = api.tap(card, people.minsu, "t:full:type-1-hypervisor")
    await world.settled()
    await api.wait_for(lambda: tap in api.callback_answers)
    await api.wait_for(lambda: len(api.texts(people.group)) > before)
    full = api.texts(people.group)[-1]
    assert full.startswith("Type-1 하이퍼바이저") and bullets(full) > short
    assert "전체 보기에서" not in full
    # The same as typing it.
    api.say(people.group, people.minsu, "/term Type-1 하이퍼바이저 전체")
    await world.settled()
    await api.wait_for(lambda: len(api.texts(people.group)) > before + 1)
    assert api.texts(people.group)[-1] == full


async def test_a_card_with_nothing_more_has_no_button(
    world: World, api: FakeBotApi, people: People
) -> None:
    api.say(people.group, people.minsu, "/term 가상")
    await world.settled()
    await api.wait_for(lambda: bool(api.texts(people.group)))
    reply = api.sent(people.group)[-1]
    assert "전체 보기에서" not in reply.text and reply.buttons == []


async def test_forged_and_stale_more_taps_do_no_harm(
    world: World, api: FakeBotApi, people: People
) -> None:
    card = await term_card(world, api, people, "KVM")
    calls, before = len(api.calls), len(api.texts(people.group))
    forged = [
        api.tap(card, people.minsu, data)
        for data in ("t:full:qemu", "t:full:KVM", "t:full:", "t:more:kvm", "t:full:kvm:x")
    ]
    await world.settled()
    await api.wait_for(lambda: set(forged) <= set(api.callback_answers))
    for query in forged:
        assert "잘못된 버튼" in api.callback_answers[query]["text"]
    answered = {c.method for c in api.calls[calls:]} - {"getUpdates"}
    assert answered == {"answerCallbackQuery"}  # nothing sent, edited or looked up
    assert len(api.texts(people.group)) == before

    # A button from before the content changed: its term is gone; the tapper is told.
    message = dict(card.message)
    message["reply_markup"] = {
        "inline_keyboard": [[{"text": "자세히", "callback_data": "t:full:retired-term"}]]
    }
    stale = api.tap(Sent(card.chat_id, message), people.minsu, "t:full:retired-term")
    await world.settled()
    await api.wait_for(lambda: stale in api.callback_answers)
    assert "그 용어는 지금 자료에 없어요" in api.callback_answers[stale]["text"]
    assert len(api.texts(people.group)) == before


def test_more_button_data_is_strict() -> None:
    more = Button("자세히", "term", "full type-1-hypervisor")
    assert render.command_callback_data(more) == "t:full:type-1-hypervisor"
    assert render.parse_command_callback("t:full:kvm") == ("term", "full kvm")
    for bad in ("t:full:KVM", "t:full:", "t:full:-kvm", "t:approve:1", "t:full:" + "a" * 58):
        assert render.parse_command_callback(bad) is None
    assert render.command_callback_data(Button("x", "term", "full Type 1")) is None
