"""Update order: one chat's updates in the order Telegram sent them, chats side by side."""

from __future__ import annotations

from tests.telegram.conftest import People, World
from tests.telegram.fake_bot_api import FakeBotApi


async def test_a_slow_chat_does_not_hold_up_another(
    world: World, api: FakeBotApi, people: People
) -> None:
    slow, other = people.group, api.group(-200, "다른 방")
    # Sends into one chat fail with 5xx and are retried after a backoff in that chat's own
    # lane. (Not a 429: that pauses every send of the bot token, as Telegram's flood limit
    # asks, so it would hold up the other chat by design.)
    # Three failures: 1 + 2 + 4 s of backoff, so the other chat has seconds to spare.
    api.fail("sendMessage", "500", times=3, chat_id=-100)
    api.say(slow, people.minsu, "/start")
    api.say(slow, people.minsu, "/help")
    api.say(other, people.jiyoung, "/start")
    await api.wait_for(lambda: len(api.sent(other)) == 1)
    assert api.sent(slow) == []  # still backing off
    await api.wait_for(lambda: len(api.sent(slow)) == 2, within=20)
    first, second = api.texts(slow)
    assert "스터디봇이에요" in first and second.startswith("스터디봇 명령어")


async def test_answers_sent_before_a_reveal_are_counted_by_it(
    world: World, api: FakeBotApi, people: People
) -> None:
    group = people.group
    api.say(group, people.minsu, "/quiz")
    await api.wait_for(lambda: len(api.sent(group)) == 1)
    poll = world.last_poll(group).poll
    assert poll is not None
    right = poll["correct_option_ids"][0]
    # One burst: three votes, the reveal, then a bare number that comes too late.
    api.vote(poll["id"], people.jiyoung, right)
    api.vote(poll["id"], people.hyun, right)
    api.vote(poll["id"], people.admin, (right + 1) % len(poll["options"]))
    api.say(group, people.minsu, "/reveal")
    api.say(group, people.minsu, str(right + 1))
    await world.settled()
    reveal = api.sent(group)[1].text
    assert "참여 3명 · 정답률 67%" in reveal
    assert await world.answer_count() == 3
