"""Questions on Telegram: native quiz polls, inline keyboards, reveals, boards, restarts."""

from __future__ import annotations

from datetime import timedelta

from bot.i18n import circled
from bot.markup import bold, esc
from bot.types import ChatRef, QuestionCard, SentRef, Text
from tests.telegram.conftest import People, World
from tests.telegram.fake_bot_api import JSON, FakeBotApi, Sent, poll_answer


async def ask_quiz(world: World, api: FakeBotApi, chat: JSON, who: JSON) -> Sent:
    before = len([s for s in api.sent(chat) if s.poll is not None])
    api.say(chat, who, "/quiz")
    await api.wait_for(lambda: len([s for s in api.sent(chat) if s.poll is not None]) > before)
    return world.last_poll(chat)


async def post_card(
    world: World,
    chat: JSON,
    *,
    stem: str,
    options: tuple[str, ...] = ("가", "나", "다", "라"),
    correct: tuple[int, ...] = (2,),
    open_seconds: int | None = None,
) -> tuple[int, SentRef]:
    """A question the library does not have, posted through the core as a feature would."""
    core = world.core
    assert core is not None
    ref = ChatRef("telegram", str(chat["id"]), chat["type"] != "private")
    now = world.clock.now()
    chat_id = await core.rt.services.registry.chat_id(ref, now)
    closes_at = now + timedelta(minutes=10)
    post_id = await core.rt.services.quiz.open_post(
        chat_id=chat_id,
        question_id="test-card",
        options_count=len(options),
        correct=correct,
        kind="quiz",
        now=now,
        closes_at=closes_at,
    )
    header = f"문제 #{post_id}"
    lines = [bold(esc(header)), esc(stem), ""]
    lines += [f"{circled(i)} {esc(o)}" for i, o in enumerate(options, 1)]
    card = QuestionCard(
        post_id=post_id,
        stem=stem,
        options=options,
        correct=correct,
        explanation="",
        header=header,
        closes_at=closes_at,
        fallback="\n".join(lines),
        open_seconds=open_seconds,
    )
    sent = await core.runners.quiz.post_question(ref, card)
    assert sent is not None
    return post_id, sent


async def test_quiz_is_a_native_poll_answered_by_several_then_revealed(
    world: World, api: FakeBotApi, people: People
) -> None:
    group = people.group
    sent = await ask_quiz(world, api, group, people.minsu)
    poll = sent.poll
    assert poll is not None
    assert poll["type"] == "quiz" and poll["is_anonymous"] is False
    assert poll["question"].startswith("문제 #")  # the header leads when it fits
    params = api.last_call("sendPoll").params
    assert "open_period" not in params  # a /quiz closes on the core's timer, not Telegram's
    assert len(params.get("explanation", "")) <= 200
    right = poll["correct_option_ids"][0]
    wrong = (right + 1) % len(poll["options"])

    api.vote(poll["id"], people.minsu, right)
    api.vote(poll["id"], people.jiyoung, wrong)
    api.vote(poll["id"], people.hyun, right)
    # Taking a vote back sends an empty answer: nothing to score.
    api.push("poll_answer", poll_answer(poll["id"], people.hyun, []))
    await world.settled()
    assert await world.answer_count() == 3
    # Telegram shows each voter right or wrong; the chat hears nothing before the reveal.
    assert len(api.sent(group)) == 1

    ask = api.say(group, people.jiyoung, "/reveal")
    await api.wait_for(lambda: len(api.sent(group)) == 2)
    refusal = api.sent(group)[-1]
    assert "문제를 낸 사람이나 강사만" in refusal.text
    assert refusal.message["reply_to_message"]["message_id"] == ask["message_id"]

    api.say(group, people.minsu, "/reveal")
    await api.wait_for(lambda: len(api.sent(group)) == 3)
    reveal = api.sent(group)[-1].text
    assert "참여 3명 · 정답률 67%" in reveal
    assert "가장 먼저 맞힌 사람: 민수 김\n이어서 맞힌 사람: 현" in reveal
    assert api.polls[poll["id"]]["is_closed"]  # the reveal stops the poll on Telegram too

    api.say(group, people.jiyoung, "/top")
    await api.wait_for(lambda: len(api.sent(group)) == 4)
    board = api.sent(group)[-1]
    assert "1위 민수 김 — 10점" in board.text and "1위 현 — 10점" in board.text
    assert "지영" not in board.text  # no rank for zero points (issue 11.15)
    assert board.html.startswith("<b>")


async def test_the_timer_reveals_when_nobody_does(
    world: World, api: FakeBotApi, people: People
) -> None:
    sent = await ask_quiz(world, api, people.group, people.minsu)
    assert sent.poll is not None
    api.vote(sent.poll["id"], people.jiyoung, sent.poll["correct_option_ids"][0])
    await world.settled()
    assert await world.advance(599) == 0
    assert await world.advance(2) == 1
    reveal = api.sent(people.group)[-1].text
    assert "마감!" in reveal and "참여 1명 · 정답률 100%" in reveal


async def test_a_poll_answer_after_a_restart_counts_once(
    world: World, api: FakeBotApi, people: People
) -> None:
    sent = await ask_quiz(world, api, people.group, people.minsu)
    assert sent.poll is not None
    right = sent.poll["correct_option_ids"][0]
    await world.shutdown()

    # Voted while the bot was down: Telegram keeps the update until it is fetched.
    api.vote(sent.poll["id"], people.jiyoung, right)
    await world.boot()  # a new core and a new adapter on the same database
    await world.settled()
    assert await world.answer_count() == 1

    # Telegram delivering the same answer again changes nothing.
    api.push("poll_answer", poll_answer(sent.poll["id"], people.jiyoung, [right]))
    await world.settled()
    assert await world.answer_count() == 1
    # Points count once the question closes.
    api.say(people.group, people.minsu, "/reveal")
    await api.wait_for(lambda: "마감!" in api.sent(people.group)[-1].text)
    api.say(people.group, people.jiyoung, "/me")
    await api.wait_for(lambda: "점수 10점" in api.sent(people.group)[-1].text)


async def test_a_question_too_long_for_a_poll_gets_buttons(
    world: World, api: FakeBotApi, people: People
) -> None:
    group = people.group
    post_id, ref = await post_card(world, group, stem="가상화 " * 88)  # 352 characters
    assert ref.native_id is None
    card = api.sent(group)[-1]
    assert card.poll is None and "①" in card.text
    assert card.buttons == [f"a:{post_id}:{n}" for n in range(1, 5)]

    right = api.tap(card, people.minsu, f"a:{post_id}:2")
    await api.wait_for(lambda: right in api.callback_answers)
    assert api.callback_answers[right]["text"] == "민수 김 님의 답을 받았어요."
    assert not api.callback_answers[right].get("show_alert")

    again = api.tap(card, people.minsu, f"a:{post_id}:3")
    await api.wait_for(lambda: again in api.callback_answers)
    assert "이미 이 문제에 2번으로 답했어요" in api.callback_answers[again]["text"]
    assert api.callback_answers[again]["show_alert"] is True

    # A modified client can send any data; none of it reaches the core.
    forged = [
        api.tap(card, people.jiyoung, f"a:{post_id + 1}:1"),
        api.tap(card, people.jiyoung, f"a:{post_id}:9"),
        api.tap(card, people.jiyoung, "a:1:1'; DROP TABLE answers; --"),
        api.tap(card, people.jiyoung, ""),
    ]
    await api.wait_for(lambda: set(forged) <= set(api.callback_answers))
    for query_id in forged:
        answer = api.callback_answers[query_id]
        assert answer["show_alert"] is True and "잘못된 버튼" in answer["text"]
    assert await world.answer_count() == 1

    # A bare number in the group answers the same (newest open) question.
    api.say(group, people.jiyoung, "3")
    await api.wait_for(lambda: api.sent(group)[-1].text == "지영 님의 답을 받았어요.")
    assert await world.answer_count() == 2

    assert world.core is not None and await world.core.runners.quiz.close_post(post_id)
    # Closing the post takes its buttons away; a tap from a stale client changes nothing.
    late = api.tap(card, people.hyun, f"a:{post_id}:2")
    await api.wait_for(lambda: late in api.callback_answers)
    assert "잘못된 버튼" in api.callback_answers[late]["text"]
    assert await world.answer_count() == 2
    assert await world.answer_count() == 2


async def test_a_stale_button_from_another_chat_is_refused_by_the_core(
    world: World, api: FakeBotApi, people: People
) -> None:
    post_id, _ = await post_card(world, people.group, stem="가" * 301)
    card = api.sent(people.group)[-1]
    other = api.group(-200, "다른 방")
    # The same keyboard seen from another chat (a forwarded message, say).
    query_id = api.tap(card, people.minsu, f"a:{post_id}:1", chat=other)
    await api.wait_for(lambda: query_id in api.callback_answers)
    assert "다른 방의 문제" in api.callback_answers[query_id]["text"]
    assert await world.answer_count() == 0


async def test_several_accepted_answers_or_many_options_use_buttons(
    world: World, api: FakeBotApi, people: People
) -> None:
    await post_card(world, people.group, stem="둘 다 정답인 문제", correct=(1, 3))
    await post_card(
        world, people.group, stem="보기가 많은 문제", options=tuple("가나다라마바사아자차카")
    )
    await post_card(world, people.group, stem="보기가 긴 문제", options=("가" * 101, "나"))
    sent = api.sent(people.group)
    assert [s.poll is None for s in sent] == [True, True, True]
    assert len(sent[1].buttons) == 11


async def test_contest_questions_close_on_telegram_too(
    world: World, api: FakeBotApi, people: People
) -> None:
    _, ref = await post_card(world, people.group, stem="빠르게!", open_seconds=20)
    assert ref.native_id is not None
    assert api.last_call("sendPoll").params["open_period"] == 20


async def test_close_question_stops_the_poll_and_removes_buttons(
    world: World, api: FakeBotApi, people: People
) -> None:
    adapter = world.adapter
    assert adapter is not None
    _, poll_ref = await post_card(world, people.group, stem="투표")
    _, keyboard_ref = await post_card(world, people.group, stem="버튼 " * 110)
    await adapter.close_question(poll_ref)
    await adapter.close_question(poll_ref)  # twice is harmless
    await adapter.close_question(keyboard_ref)
    poll_msg, keyboard_msg = api.sent(people.group)
    assert poll_msg.poll is not None and poll_msg.poll["is_closed"] is True
    assert keyboard_msg.buttons == []


async def test_edits_replace_the_text_and_keep_the_buttons(
    world: World, api: FakeBotApi, people: People
) -> None:
    adapter = world.adapter
    assert adapter is not None
    group = ChatRef("telegram", "-100", True)
    ref = await adapter.send(group, Text("**순위** 집계 중…"))
    await adapter.edit(ref, Text("**순위** 1위 민수"))
    await adapter.edit(ref, Text("**순위** 1위 민수"))  # unchanged: Telegram says so, we shrug
    board = api.sent(people.group)[0]
    assert board.html == "<b>순위</b> 1위 민수" and len(board.edits) == 1

    post_id, card_ref = await post_card(world, people.group, stem="긴 문제 " * 70)
    card = api.sent(people.group)[-1]
    core = world.core
    assert core is not None
    edited = QuestionCard(
        post_id=post_id,
        stem="고친 문제",
        options=("가", "나", "다", "라"),
        correct=(2,),
        explanation="",
        header=f"문제 #{post_id}",
        closes_at=None,
        fallback=f"**문제 #{post_id}** (고침)\n고친 문제",
    )
    await adapter.edit(card_ref, edited)
    assert card.text.startswith(f"문제 #{post_id} (고침)")
    assert card.buttons == [f"a:{post_id}:{n}" for n in range(1, 5)]

    _, poll_ref = await post_card(world, people.group, stem="투표 문제")
    await adapter.edit(poll_ref, edited)  # a poll cannot change; nothing is sent
    assert api.count("editMessageText", status=None) == 3
