"""Groups: admins, instructors by reply and mention, migration, removal, forum topics."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.errors import ChatGone
from bot.storage.tables import chats, scores
from bot.types import ChatRef, Text
from tests.telegram.conftest import People, World
from tests.telegram.fake_bot_api import FakeBotApi

ANONYMOUS_ADMIN = {
    "id": 1087968824,
    "is_bot": True,
    "first_name": "Group",
    "username": "GroupAnonymousBot",
}


def group_ref(chat_id: int) -> ChatRef:
    return ChatRef("telegram", str(chat_id), True)


async def test_admins_come_from_telegram_and_are_cached(
    world: World, api: FakeBotApi, people: People
) -> None:
    group = people.group
    api.say(group, people.minsu, "/quiz")
    await api.wait_for(lambda: len(api.sent(group)) == 1)
    api.say(group, people.jiyoung, "/reveal")  # neither the asker nor an admin
    await api.wait_for(lambda: len(api.sent(group)) == 2)
    assert "문제를 낸 사람이나 강사만" in api.sent(group)[-1].text
    api.say(group, people.admin, "/reveal")
    await api.wait_for(lambda: len(api.sent(group)) == 3)
    assert "마감!" in api.sent(group)[-1].text
    # One lookup serves every command in the chat for a while.
    assert api.count("getChatAdministrators") == 1


async def test_an_anonymous_admin_is_an_admin(
    world: World, api: FakeBotApi, people: People
) -> None:
    group = api.group(-300, "익명 관리자 방", supergroup=True)
    api.say(group, people.minsu, "/quiz")
    await api.wait_for(lambda: len(api.sent(group)) == 1)
    api.say(group, ANONYMOUS_ADMIN, "/reveal", sender_chat=group)
    await api.wait_for(lambda: len(api.sent(group)) == 2)
    assert "마감!" in api.sent(group)[-1].text


async def test_in_a_private_chat_the_user_runs_it(
    world: World, api: FakeBotApi, people: People
) -> None:
    dm = api.private(people.hyun)
    api.say(dm, people.hyun, "/daily on")
    await api.wait_for(lambda: len(api.sent(dm)) == 1)
    assert "매일 문제를 켰어요" in api.sent(dm)[0].text
    assert api.count("getChatAdministrators", status=None) == 0


async def test_instructor_by_reply_text_mention_and_username(
    world: World, api: FakeBotApi, people: People
) -> None:
    group = people.group
    hello = api.say(group, people.minsu, "안녕하세요")
    api.say(group, people.jiyoung, "저도 왔어요")  # the bot learns @jiyoung from this
    api.say(group, people.admin, "/instructor add", reply_to=hello)
    mention = {"type": "text_mention", "offset": 16, "length": 1, "user": people.hyun}
    api.say(group, people.admin, "/instructor add 현", entities=[mention])
    api.say(group, people.admin, "/instructor add @jiyoung")
    api.say(group, people.minsu, "/instructor add @jiyoung")  # not an admin
    await api.wait_for(lambda: len(api.sent(group)) == 4)
    added, by_mention, by_name, refused = api.texts(group)
    assert added == "민수 김 님을 강사로 지정했어요."
    assert by_mention == "현 님을 강사로 지정했어요."
    assert by_name == "지영 님을 강사로 지정했어요."
    assert "관리자만" in refused


async def test_supergroup_migration_keeps_scores(
    world: World, api: FakeBotApi, people: People
) -> None:
    group = people.group
    api.say(group, people.minsu, "/quiz")
    await api.wait_for(lambda: len(api.sent(group)) == 1)
    poll = world.last_poll(group).poll
    assert poll is not None
    api.vote(poll["id"], people.minsu, poll["correct_option_ids"][0])
    api.say(group, people.minsu, "/reveal")
    await api.wait_for(lambda: len(api.sent(group)) == 2)

    supergroup = api.migrate(group, -1001234567890)
    api.say(supergroup, people.jiyoung, "/top")
    await api.wait_for(lambda: len(api.sent(supergroup)) == 1)
    assert "민수 김 — 10점" in api.sent(supergroup)[0].text
    async with world.db.read() as conn:
        keys = (await conn.execute(select(chats.c.chat_key))).scalars().all()
        points = (await conn.execute(select(scores.c.points))).scalars().all()
    assert keys == ["-1001234567890"] and points == [10]

    # Something addressed to the old id (a schedule made before) follows the group.
    assert world.adapter is not None
    ref = await world.adapter.send(group_ref(-100), Text("**공지** 내일 모여요"))
    assert ref.chat.chat_id == "-1001234567890"
    assert api.texts(supergroup)[-1] == "공지 내일 모여요"


async def test_removed_from_a_group_the_chat_is_gone(
    world: World, api: FakeBotApi, people: People
) -> None:
    group = people.group
    api.say(group, people.minsu, "/start")
    await api.wait_for(lambda: len(api.sent(group)) == 1)
    api.remove_bot(group, people.admin)
    await world.settled()
    async with world.db.read() as conn:
        assert (await conn.execute(select(chats.c.gone_at))).scalar_one() is not None
    assert world.adapter is not None
    with pytest.raises(ChatGone):
        await world.adapter.send(group_ref(-100), Text("아직 있나요?"))

    # Added back: the first command it hears brings the chat back to life.
    api.readd_bot(group, people.admin)
    api.say(group, people.minsu, "/start")
    await api.wait_for(lambda: len(api.sent(group)) == 2)
    async with world.db.read() as conn:
        assert (await conn.execute(select(chats.c.gone_at))).scalar_one() is None


async def test_blocked_in_private_the_chat_is_gone(
    world: World, api: FakeBotApi, people: People
) -> None:
    dm = api.private(people.jiyoung)
    api.say(dm, people.jiyoung, "/start")
    await api.wait_for(lambda: len(api.sent(dm)) == 1)
    api.remove_bot(dm, people.jiyoung)
    await world.settled()
    async with world.db.read() as conn:
        row = await conn.execute(select(chats.c.gone_at).where(chats.c.chat_key == "102"))
        assert row.scalar_one() is not None


async def test_replies_stay_in_the_forum_topic(
    world: World, api: FakeBotApi, people: People
) -> None:
    forum = api.group(-400, "주제별 방", supergroup=True, forum=True)
    api.say(forum, people.minsu, "/start", thread_id=7)
    api.say(forum, people.minsu, "/quiz", thread_id=7)
    await api.wait_for(lambda: len(api.sent(forum)) == 2)
    greeting, poll = api.sent(forum)
    assert greeting.message["message_thread_id"] == 7
    assert poll.poll is not None and poll.message["message_thread_id"] == 7


async def test_a_reply_in_a_topic_is_not_a_mention(
    world: World, api: FakeBotApi, people: People
) -> None:
    forum = api.group(-401, "주제별 방", supergroup=True, forum=True, admins=(people.admin,))
    # In a topic every message replies to the topic's first message; that is no target.
    root = {"message_id": 7, "date": 0, "chat": forum, "from": people.minsu}
    api.say(forum, people.admin, "/instructor add", reply_to=root, thread_id=7)
    await api.wait_for(lambda: len(api.sent(forum)) == 1)
    assert "누구를 지정할지" in api.sent(forum)[0].text
