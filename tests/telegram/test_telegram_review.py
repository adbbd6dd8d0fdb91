"""A review session on Telegram: due cards one at a time in the private chat, as quiz polls."""

from __future__ import annotations

from tests.telegram.conftest import People, World
from tests.telegram.fake_bot_api import JSON, FakeBotApi, Sent


def polls(api: FakeBotApi, chat: JSON) -> list[Sent]:
    return [s for s in api.sent(chat) if s.poll is not None]


async def miss_a_quiz(world: World, api: FakeBotApi, people: People) -> Sent:
    """민수 answers a group /quiz wrong; it closes and its question is in his deck."""
    group = people.group
    before = len(polls(api, group))
    api.say(group, people.minsu, "/quiz")
    await api.wait_for(lambda: len(polls(api, group)) > before)
    poll = world.last_poll(group)
    right = poll.poll["correct_option_ids"][0]
    api.vote(poll.poll["id"], people.minsu, (right + 1) % len(poll.poll["options"]))
    await world.settled()
    await world.advance(600)  # the quiz closes and is revealed
    await world.settled()
    return poll


async def test_review_session_in_the_private_chat(
    world: World, api: FakeBotApi, people: People
) -> None:
    missed = await miss_a_quiz(world, api, people)
    dm = api.private(people.minsu)
    api.say(dm, people.minsu, "/review")
    await api.wait_for(lambda: bool(polls(api, dm)))
    await world.settled()
    assert any("복습을 시작할게요. 지금 볼 카드가 1장 있어요." in t for t in api.texts(dm))
    card = polls(api, dm)[-1]
    assert card.poll["type"] == "quiz" and card.poll["is_anonymous"] is False
    assert card.poll["question"].startswith("복습 카드 #1")
    assert [o["text"] for o in card.poll["options"]] == [o["text"] for o in missed.poll["options"]]
    # Right: the result and the end of today's session, in the private chat as messages.
    api.vote(card.poll["id"], people.minsu, card.poll["correct_option_ids"][0])
    await api.wait_for(lambda: any(t.startswith("오늘 복습 끝!") for t in api.texts(dm)))
    await world.settled()
    texts = api.texts(dm)
    assert any(t.startswith("정답이에요!") for t in texts), texts
    assert texts[-1] == "오늘 복습 끝! 다음 복습: 오늘 09:20에 1장", texts
    assert api.count("stopPoll") >= 2  # the group quiz, then the answered review card

    # Ten minutes on the card is due again; a wrong answer brings it back in a minute.
    await world.advance(600)
    await world.settled()
    api.say(dm, people.minsu, "/복습")
    await api.wait_for(lambda: len(polls(api, dm)) == 2)
    second = polls(api, dm)[-1]
    right = second.poll["correct_option_ids"][0]
    before = len(api.texts(dm))
    api.vote(second.poll["id"], people.minsu, (right + 1) % len(second.poll["options"]))
    await api.wait_for(lambda: any(t.startswith("오늘 복습 끝!") for t in api.texts(dm)[before:]))
    await world.settled()
    texts = api.texts(dm)[before:]
    assert any(t.startswith("아쉬워요, 틀렸어요.") and "(평가: 다시)" in t for t in texts), texts
    assert texts[-1].startswith("오늘 복습 끝! 다음 복습: 오늘 ")
    # Nothing about the deck reached the group.
    assert all("복습 카드" not in t for t in api.texts(people.group))


async def test_two_due_cards_are_served_one_after_the_other(
    world: World, api: FakeBotApi, people: People
) -> None:
    await miss_a_quiz(world, api, people)
    await miss_a_quiz(world, api, people)
    dm = api.private(people.minsu)
    api.say(dm, people.minsu, "/review")
    await api.wait_for(lambda: bool(polls(api, dm)))
    await world.settled()
    assert any("지금 볼 카드가 2장" in t for t in api.texts(dm))
    assert len(polls(api, dm)) == 1  # one at a time
    first = polls(api, dm)[-1]
    api.vote(first.poll["id"], people.minsu, first.poll["correct_option_ids"][0])
    await api.wait_for(lambda: len(polls(api, dm)) == 2)
    second = polls(api, dm)[-1]
    assert second.poll["question"] != first.poll["question"]
    api.vote(second.poll["id"], people.minsu, second.poll["correct_option_ids"][0])
    await api.wait_for(lambda: any(t.startswith("오늘 복습 끝!") for t in api.texts(dm)))
    await world.settled()
    assert len(polls(api, dm)) == 2


async def test_in_the_group_only_the_callers_count(
    world: World, api: FakeBotApi, people: People
) -> None:
    await miss_a_quiz(world, api, people)
    group = people.group
    before = len(polls(api, group))
    api.say(group, people.minsu, "/review")
    await api.wait_for(lambda: "민수" in api.sent(group)[-1].text)
    reply = api.sent(group)[-1]
    assert "지금 복습할 카드가 1장 있어요." in reply.text and "개인 대화" in reply.text
    api.say(group, people.jiyoung, "/review")
    await api.wait_for(lambda: "지영" in api.sent(group)[-1].text)
    assert "지영 님, 지금 복습할 카드는 없어요." in api.sent(group)[-1].text
    await world.settled()
    assert len(polls(api, group)) == before  # no card was posted in the group


async def test_review_add_as_a_reply_to_the_question(
    world: World, api: FakeBotApi, people: People
) -> None:
    group = people.group
    api.say(group, people.jiyoung, "/quiz")
    await api.wait_for(lambda: bool(polls(api, group)))
    poll = world.last_poll(group)
    api.vote(poll.poll["id"], people.jiyoung, poll.poll["correct_option_ids"][0])
    await world.settled()

    def last_text() -> str:
        return api.sent(group)[-1].text

    api.say(group, people.jiyoung, "/review add", reply_to=poll.message)
    await api.wait_for(lambda: "마감 전" in last_text())
    await world.advance(600)
    await world.settled()
    reveal = api.sent(group)[-1]
    api.say(group, people.jiyoung, "/review add", reply_to=poll.message)
    await api.wait_for(lambda: "오답노트 1번으로 넣었어요" in last_text())
    assert api.sent(group)[-1].message["reply_to_message"]["from"]["id"] == people.jiyoung["id"]
    api.say(group, people.jiyoung, "/복습 추가", reply_to=poll.message)
    await api.wait_for(lambda: "이미 오답노트 1번에 있어요" in last_text())
    # The reveal is the bot's message but not a question; someone's own message is no post.
    api.say(group, people.jiyoung, "/review add", reply_to=reveal.message)
    await api.wait_for(lambda: "그 메시지는 문제가 아니에요" in last_text())
    hello = api.say(group, people.minsu, "안녕하세요")
    api.say(group, people.minsu, "/review add", reply_to=hello)
    await api.wait_for(lambda: "넣을 문제 번호를 적거나" in last_text())
    await world.settled()
    # The card is due at once in 지영's private chat.
    dm = api.private(people.jiyoung)
    api.say(dm, people.jiyoung, "/review")
    await api.wait_for(lambda: bool(polls(api, dm)))
