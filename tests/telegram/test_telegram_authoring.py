"""Authoring on Telegram (issue 14): a quiz poll sent to the bot becomes a question of the
instructor's group, and /queue's inline buttons approve; forged or stale taps do nothing."""

from __future__ import annotations

from adapters.telegram import render
from bot.types import Button
from tests.telegram.conftest import People, World
from tests.telegram.fake_bot_api import JSON, FakeBotApi, Sent

IDEA = """컨테이너가 공유하는 것은?
① 호스트 운영체제의 커널
② 게스트 운영체제
정답: ①
해설: 컨테이너는 호스트 커널을 함께 써요."""


async def said_to(world: World, api: FakeBotApi, chat: JSON, count: int) -> list[str]:
    """The bot's messages in chat once there are at least `count` of them."""
    await world.settled()
    await api.wait_for(lambda: len(api.texts(chat)) >= count)
    return api.texts(chat)


async def make_instructor(world: World, api: FakeBotApi, people: People) -> None:
    # A group admin who says /instructor is remembered as the group's instructor.
    api.say(people.group, people.admin, "/instructor")
    await world.settled()


async def test_a_quiz_poll_sent_privately_becomes_a_question_of_the_group(
    world: World, api: FakeBotApi, people: People
) -> None:
    await make_instructor(world, api, people)
    dm = api.private(people.admin)
    api.send_poll(
        dm,
        people.admin,
        "하드웨어 위에서 바로 실행되는 하이퍼바이저는?",
        ["Type-1", "Type-2", "컨테이너"],
        correct=0,
        explanation="Type-1은 호스트 운영체제 없이 하드웨어 위에서 실행돼요.",
        forwarded_from=people.minsu,  # a forwarded quiz in a private chat shows its key too
    )
    asked = await said_to(world, api, dm, 1)
    # The only group the admin teaches is chosen without asking (the core names it).
    assert "그룹에 넣을게요." in asked[-1]
    assert "주제를 보내 주세요" in asked[-1]  # the 해설 came with the poll
    api.say(dm, people.admin, "가상화")
    done = await said_to(world, api, dm, 2)
    assert "문제를 추가했어요 (chat-1)" in done[-1]

    # It is the group's now: /quiz chat-1 there sends it as a quiz poll with its key.
    api.say(people.group, people.minsu, "/quiz chat-1")
    await world.settled()
    await api.wait_for(lambda: any(s.poll for s in api.sent(people.group)))
    poll = world.last_poll(people.group).poll
    assert poll is not None
    assert [o["text"] for o in poll["options"]] == ["Type-1", "Type-2", "컨테이너"]
    assert poll["correct_option_ids"] == [0]


async def test_a_poll_without_its_key_is_quoted_back_and_nothing_saved(
    world: World, api: FakeBotApi, people: People
) -> None:
    await make_instructor(world, api, people)
    dm = api.private(people.admin)
    api.send_poll(dm, people.admin, "좋아하는 과목은?", ["운영체제", "네트워크"])  # regular
    problems = await said_to(world, api, dm, 1)
    assert "정답이 없어요" in problems[-1] and "운영체제" in problems[-1]
    # A quiz in a group is the group's own business, not a question for the bot.
    before = len(api.sent(people.group))
    api.send_poll(people.group, people.admin, "질문?", ["가", "나"], correct=1)
    await world.settled()
    assert len(api.sent(people.group)) == before
    api.say(people.group, people.admin, "/qset")
    listing = await said_to(world, api, people.group, before + 1)
    assert "0개" in listing[-1]


async def queue_item(world: World, api: FakeBotApi, people: People) -> Sent:
    api.say(people.group, people.minsu, f"/suggest {IDEA}")
    await world.settled()
    api.say(people.group, people.admin, "/queue")
    await world.settled()
    await api.wait_for(lambda: any(s.buttons for s in api.sent(people.group)))
    return next(s for s in api.sent(people.group) if s.buttons)


async def test_queue_buttons_approve_and_the_suggester_is_told(
    world: World, api: FakeBotApi, people: People
) -> None:
    await make_instructor(world, api, people)
    item = await queue_item(world, api, people)
    assert item.buttons == ["q:approve:1", "q:edit:1", "q:reject:1"]
    labels = [b["text"] for row in item.message["reply_markup"]["inline_keyboard"] for b in row]
    assert labels == ["승인", "수정", "거절"]

    # A member's tap is refused by the core: only instructors review.
    member = api.tap(item, people.minsu, "q:approve:1")
    await world.settled()
    await api.wait_for(lambda: member in api.callback_answers)
    assert "강사만 제안을 검토할" in api.callback_answers[member]["text"]

    tap = api.tap(item, people.admin, "q:approve:1")
    await world.settled()
    await api.wait_for(lambda: tap in api.callback_answers)
    answer = api.callback_answers[tap]
    assert "제안 #1: 승인했어요" in answer["text"] and answer["show_alert"] is True
    told = await said_to(world, api, people.group, 1)
    assert any("민수 김 님, 제안한 문제(#1)가 승인됐어요" in text for text in told)
    # Decided: the buttons are gone from the item, so nobody taps them again.
    await api.wait_for(lambda: not item.buttons)

    api.say(people.group, people.minsu, "/quiz chat-1")
    await world.settled()
    await api.wait_for(lambda: any(s.poll for s in api.sent(people.group)))
    poll = world.last_poll(people.group).poll
    assert poll is not None and poll["options"][0]["text"] == "호스트 운영체제의 커널"


async def test_forged_and_stale_taps_change_nothing(
    world: World, api: FakeBotApi, people: People
) -> None:
    await make_instructor(world, api, people)
    item = await queue_item(world, api, people)
    stale = dict(item.message)  # the message as a slow client still shows it
    calls = len(api.calls)

    # Data that is not on the message's own keyboard, or not ours at all: refused before
    # the core, with no word to the chat.
    forged = [
        api.tap(item, people.admin, data)
        for data in ("q:approve:2", "q:approve:01", "q:delete:1", "q:approve:1:x", "x" * 65)
    ]
    await world.settled()
    await api.wait_for(lambda: set(forged) <= set(api.callback_answers))
    for query in forged:
        assert "잘못된 버튼" in api.callback_answers[query]["text"]
    answered = {c.method for c in api.calls[calls:]} - {"getUpdates"}
    assert answered == {"answerCallbackQuery"}  # nothing sent, edited or looked up

    # Decided by number; the old buttons then find nothing to approve.
    api.say(people.group, people.admin, "/queue reject 1")
    await world.settled()
    tap = api.tap(Sent(item.chat_id, stale), people.admin, "q:approve:1")
    await world.settled()
    await api.wait_for(lambda: tap in api.callback_answers)
    assert "이미 처리됐거나" in api.callback_answers[tap]["text"]
    api.say(people.group, people.admin, "/qset")
    await world.settled()
    await api.wait_for(lambda: "0개" in api.texts(people.group)[-1])


def test_button_data_is_strict() -> None:
    assert render.command_callback_data(Button("승인", "queue", "approve 12")) == "q:approve:12"
    assert render.parse_command_callback("q:approve:12") == ("queue", "approve 12")
    for bad in ("q:approve:0", "q:approve:-1", "q:approve:1 ", "a:1:2", "q:approve:" + "9" * 13):
        assert render.parse_command_callback(bad) is None
    # A button the adapter could not read back from a tap is not drawn at all.
    assert render.command_callback_data(Button("x", "queue", "delete 1")) is None
    assert render.command_callback_data(Button("x", "announce", "cancel 1")) is None
    assert render.buttons_keyboard((Button("x", "qset", "share"),)) is None
