"""오류신고 on Discord (issue 14, item 4): /신고 with the card's number, /신고목록 for
instructors, and /문제수정 re-scoring with one notice in the channel."""

from __future__ import annotations

from simworld import World, card_message, chat_of, text_of

FIELDS = {
    "stem": "컨테이너가 공유하는 것은?",
    "options": "게스트 운영체제\n호스트 운영체제의 커널\n하이퍼바이저",
    "answer": "1",
    "explanation": "컨테이너는 호스트 운영체제의 커널을 함께 써요.",
    "topic": "가상화",
}


async def test_report_list_and_fix_through_slash_commands(world: World) -> None:
    alice, bob, carol = world.admin("alice"), world.member("bob"), world.member("carol")
    shown = await alice.slash(world.channel, "addq")
    saved = await alice.submit_modal(shown, FIELDS)
    assert "chat-1" in text_of(saved)

    await bob.slash(world.channel, "quiz", query="chat-1")
    post_id, _ = await open_question_of_chat(world)
    card = card_message(world)
    await bob.click(card, custom_id=f"sb:a:{post_id}:2")  # right, though the key says ①
    await carol.click(card, custom_id=f"sb:a:{post_id}:1")
    await alice.slash(world.channel, "reveal")

    got = await bob.slash(world.channel, "report", number=post_id, reason="정답은 ②예요")
    assert got.ephemeral and f"문제 #{post_id}의 오류신고를 받았어요" in text_of(got)
    again = await bob.slash(world.channel, "report", number=post_id, reason="또")
    assert again.ephemeral and "이미 신고하셨어요" in text_of(again)
    unknown = await bob.slash(world.channel, "report", number=9999, reason="이상해요")
    assert "찾지 못했어요" in text_of(unknown)
    await world.env.settle()
    # Nobody has a private chat with the bot here: the channel hears of it, once.
    told = [m.content for m in world.channel.history() if m.content.startswith("오류신고")]
    assert len(told) == 1 and "정답은 ②예요" in told[0]

    refused = await bob.slash(world.channel, "reports")
    assert refused.ephemeral and "강사만" in text_of(refused)
    listing = await alice.slash(world.channel, "reports")
    assert listing.ephemeral and f"문제 #{post_id} (chat-1) · bob: 정답은 ②예요" in text_of(listing)

    fixed = await alice.slash(
        world.channel, "fix", question=str(post_id), change="answer", value="2"
    )
    assert fixed.ephemeral and "①에서 ②로 고쳤어요" in text_of(fixed)
    await world.env.settle()
    notices = [m.content for m in world.channel.history() if "바뀌어" in m.content]
    assert notices == [f"문제 #{post_id}의 정답이 ①에서 ②로 바뀌어 점수를 다시 계산했어요."]
    board = await world.core.rt.services.scores.board(await channel_id(world), None)
    assert [(s.name, s.points) for s in board.top] == [("bob", 10)]


async def channel_id(world: World) -> int:
    core = world.core
    return await core.rt.services.registry.chat_id(chat_of(world.channel), core.rt.clock.now())


async def open_question_of_chat(world: World) -> tuple[int, str]:
    core = world.core
    post = await core.rt.services.quiz.latest_open(await channel_id(world), core.rt.clock.now())
    assert post is not None
    return post.post_id, post.question_id
