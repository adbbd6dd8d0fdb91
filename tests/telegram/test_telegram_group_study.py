"""The core's group features, seen through Telegram: daily polls, contests, announcements."""

from __future__ import annotations

from sqlalchemy import select

from bot.storage.tables import chats
from tests.telegram.conftest import People, World
from tests.telegram.fake_bot_api import FakeBotApi, Sent


def polls(api: FakeBotApi, chat: dict[str, object]) -> list[Sent]:
    return [s for s in api.sent(chat) if s.poll is not None]


async def test_the_daily_question_is_a_poll_posted_once_despite_a_429(
    world: World, api: FakeBotApi, people: People
) -> None:
    group = people.group
    api.say(group, people.minsu, "/daily on")  # not an admin: refused
    api.say(group, people.admin, "/daily on")
    api.say(group, people.admin, "/daily time 09:01")  # the clock says 09:00 in Seoul
    await api.wait_for(lambda: len(api.sent(group)) == 3)
    refused, enabled, saved = api.texts(group)
    assert "강사만" in refused and "매일 문제를 켰어요" in enabled and "09:01" in saved

    api.fail("sendPoll", "429", retry_after=3)
    assert await world.advance(61) >= 1
    daily = polls(api, group)
    assert len(daily) == 1 and daily[0].poll is not None
    assert daily[0].poll["question"].startswith("오늘의 문제")
    assert api.count("sendPoll", status=429) == 1

    api.vote(daily[0].poll["id"], people.jiyoung, daily[0].poll["correct_option_ids"][0])
    await world.settled()
    assert await world.answer_count() == 1
    assert world.core is not None
    await world.core.sweep()  # the safety net finds nothing left to post
    assert len(polls(api, group)) == 1


async def test_a_contest_runs_on_polls_that_close_themselves(
    world: World, api: FakeBotApi, people: People
) -> None:
    group = people.group
    api.say(group, people.minsu, "/contest 2 20")
    await api.wait_for(lambda: len(polls(api, group)) == 1)
    assert "대회를 시작해요! 2문제, 문제당 20초" in api.texts(group)[0]
    first = polls(api, group)[0].poll
    assert first is not None and first["open_period"] == 20
    assert first["question"].startswith("대회 문제 1/2")
    right = first["correct_option_ids"][0]
    world.clock.advance(2)
    api.vote(first["id"], people.jiyoung, right)
    await world.settled()
    world.clock.advance(3)
    api.vote(first["id"], people.minsu, right)
    await world.settled()

    await world.advance(15)  # the first question's 20 seconds are up
    await api.wait_for(lambda: len(polls(api, group)) == 2)
    second = polls(api, group)[1].poll
    assert second is not None and second["question"].startswith("대회 문제 2/2")
    await world.advance(20)
    podium = api.texts(group)[-1]
    assert "🏆 대회 결과" in podium
    # Faster is worth more: 지영 answered first.
    assert podium.index("지영") < podium.index("민수 김")


async def test_an_announcement_reaches_every_chat_once_and_a_gone_chat_is_dropped(
    world: World, api: FakeBotApi, people: People
) -> None:
    a = people.group
    b = api.group(-200, "스터디 B", admins=(people.admin,))
    c = api.group(-300, "스터디 C", admins=(people.admin,))
    for chat in (b, c):
        # An admin is an instructor wherever they have been seen acting as one.
        api.say(chat, people.admin, "/announce list")
        await api.wait_for(lambda chat=chat: len(api.sent(chat)) == 1)
    api.fail("sendMessage", "429", retry_after=2, chat_id=-200)
    api.fail("sendMessage", "403", chat_id=-300)
    api.say(a, people.admin, "/announce all 토요일 10시 모의고사")
    await api.wait_for(lambda: any("공지를 보냈어요" in t for t in api.texts(a)))
    await world.settled()
    for chat in (a, b):
        notices = [t for t in api.texts(chat) if "토요일 10시 모의고사" in t]
        assert len(notices) == 1 and notices[0].startswith("📢 공지")
    assert not any("모의고사" in t for t in api.texts(c))
    async with world.db.read() as conn:
        gone = await conn.execute(select(chats.c.gone_at).where(chats.c.chat_key == "-300"))
        assert gone.scalar_one() is not None
